#pragma once
// The power-source options shared by `profile` and `record`: --source, and the ARM Energy
// Probe's --shunt CHANNEL:OHM (repeatable) and --device PATH; and opening what they name.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <synergy/measure/synthetic_source.hpp>
#include <synergy/sources/any_source.hpp>
#include <vector>

#include "common.hpp"

namespace synergy::cli {

struct source_args {
  std::string source = "auto";
  std::vector<std::string> shunts;  // "CHANNEL:OHM"
  std::string device;
};

inline void add_source_options(CLI::App* cmd, source_args& a, const std::string& kinds) {
  cmd->add_option("--source", a.source, kinds)->capture_default_str();
  cmd->add_option(
      "--shunt", a.shunts,
      "ARM Energy Probe: CHANNEL:OHM, the shunt of a connected channel (0, 1, 2; repeat per "
      "channel); implies --source arm-energy-probe when --source is auto");
  cmd->add_option("--device", a.device,
                  "ARM Energy Probe: its serial device (default: found by its USB ids)");
}

/// Checks --rate (Hz): a number > 0, or user_error naming the option (the sampler's own
/// message would name the library's sampler).
inline void check_rate(double hz) {
  if (!(hz > 0)) throw user_error(fmt::format("--rate {}: the sampling rate must be > 0 Hz", hz));
}

/// Where to look and the probe's settings, from --shunt and --device. Throws user_error for a
/// malformed --shunt.
inline sources::detection_settings source_settings(const source_args& a) {
  sources::detection_settings s;
  s.arm_energy_probe_device = a.device;
  for (const auto& text : a.shunts) {
    const auto colon = text.find(':');
    std::size_t used = 0;
    int channel = -1;
    double ohm = 0;
    try {
      if (colon != std::string::npos) {
        channel = std::stoi(text.substr(0, colon), &used);
        if (used != colon) channel = -1;
        ohm = std::stod(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1) ohm = 0;
      }
    } catch (const std::exception&) {
      channel = -1;
    }
    if (channel < 0 || channel > 2 || !(ohm > 0))
      throw user_error("--shunt " + text +
                       ": expected CHANNEL:OHM with CHANNEL 0, 1 or 2 and OHM > 0 (e.g. 0:0.02)");
    s.arm_energy_probe.shunt_ohm[static_cast<std::size_t>(channel)] = ohm;
  }
  return s;
}

/// The source the options name: "synthetic" (an analytic 5 ± 1 W curve, a dry run, not a
/// measurement), "none" (nullopt), "auto" (the probe when --shunt is given, else the first
/// available kind, else nullopt with the reasons in `why`), or a kind from `synergy sources`.
inline std::optional<sources::any_source> open_from_options(const source_args& a,
                                                            std::string& why) {
  if (a.source == "none") return std::nullopt;
  if (a.source == "synthetic")
    return sources::any_source(std::make_unique<measure::synthetic_source>(5.0, 1.0, 2.0));
  const auto settings = source_settings(a);
  std::optional<std::string> kind = a.source;
  if (a.source == "auto")
    kind = a.shunts.empty() ? sources::first_available(settings, &why) : "arm-energy-probe";
  if (!kind) return std::nullopt;
  try {
    return sources::open_source(*kind, settings);
  } catch (const std::invalid_argument& e) {
    throw user_error(e.what());
  }
}

}  // namespace synergy::cli
