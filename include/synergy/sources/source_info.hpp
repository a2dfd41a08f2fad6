#pragma once
/// @file
/// What a power source declares about itself: its channels (name, domain, which one is the
/// total, which domain contains which, so that sums never count energy twice), the raw unit
/// of its sensor, how often the sensor refreshes, over what window it averages, and its clock.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/units.hpp"

namespace synergy::sources {

/// One measured quantity of a source: a rail, a RAPL zone, a GPU.
struct channel_info {
  std::string name;    ///< unique within the source: "VDD_IN", "package-0", "package-0/core"
  std::string domain;  ///< what it covers: "board", "package", "core", "uncore", "dram", "psys", "gpu", "rail"
  std::string parent;  ///< name of the channel whose energy already includes this one ("" = none)
  bool is_total = false;  ///< this channel alone is the whole device's power
  std::string unit;       ///< raw sensor unit as the driver documents it: "uW", "mW", "mV*mA", "uJ"
};

/// Which clock stamps the samples of a source.
enum class time_base {
  steady,  ///< std::chrono::steady_clock (CLOCK_MONOTONIC), stamped by the sampler
  device,  ///< the device's own clock (a replayed trace's time column)
};

/// Self-description of a power source or energy counter.
struct source_info {
  std::string name;                   ///< "hwmon:ina3221 (/sys/class/hwmon/hwmon2)"
  std::vector<channel_info> channels; ///< in the order of the values read
  duration update_period{0.0 * units::second};    ///< sensor refresh period (0 = unknown)
  duration averaging_window{0.0 * units::second}; ///< window each value averages (0 = instantaneous)
  time_base clock = time_base::steady;
  frequency max_rate{1.0e6 * units::hertz};        ///< fastest sensible polling rate

  /// Index of the channel called `name`; throws `std::out_of_range` listing the channels.
  [[nodiscard]] std::size_t index_of(const std::string& channel) const {
    for (std::size_t i = 0; i < channels.size(); ++i)
      if (channels[i].name == channel) return i;
    std::string known;
    for (const auto& c : channels) known += (known.empty() ? "" : ", ") + c.name;
    throw std::out_of_range(name + ": no channel '" + channel + "' (channels: " + known + ")");
  }

  /// Index of the channel flagged `is_total`, if any.
  [[nodiscard]] std::optional<std::size_t> total_channel() const {
    for (std::size_t i = 0; i < channels.size(); ++i)
      if (channels[i].is_total) return i;
    return std::nullopt;
  }

  /// Indices of the channels no other channel contains (`parent` empty or not a channel of
  /// this source): their sum counts every joule once, e.g. RAPL package-0 + package-1 + dram
  /// without core/uncore, or psys alone when the platform domain exists.
  [[nodiscard]] std::vector<std::size_t> top_level_channels() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < channels.size(); ++i) {
      bool contained = false;
      for (const auto& c : channels) contained = contained || (!channels[i].parent.empty() && c.name == channels[i].parent);
      if (!contained) out.push_back(i);
    }
    return out;
  }
};

}  // namespace synergy::sources
