#pragma once
/// @file
/// MLPerf Tiny EnergyRunner traces (github.com/mlcommons/tiny_results_v1.x, energy mode):
/// `trace1-energy.bin` — byte 0 a marker (0xF1), bytes 1–4 the float32 sample rate (Hz),
/// then little-endian float32 power samples in mW, sample k at k / rate seconds; and
/// `trace1-timestamps.json` — seconds: element 0 the start marker, then (start, end) pairs of
/// the measured windows. Energy of a window with the rectangle rule reproduces the runner's
/// reported energy to about one sample.

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/region.hpp"
#include "synergy/measure/trace.hpp"

namespace synergy::measure {

/// Reads `trace1-energy.bin` into a one-channel `instantaneous` trace ("power", W). Throws
/// `parse_error` naming the file for a short file, a wrong marker byte, a rate that is
/// not positive, or a sample that is not finite (with its index).
[[nodiscard]] inline trace read_mlperf_tiny_trace(const std::string& path) {
  static_assert(std::endian::native == std::endian::little, "reader assumes a little-endian host");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
  if (bytes.size() < 5) synergy::detail::fail(path, 0, "shorter than the 5-byte header");
  if (bytes[0] != 0xF1) synergy::detail::fail(path, 0, "first byte is not the 0xF1 marker");
  float rate = 0;
  std::memcpy(&rate, bytes.data() + 1, 4);
  if (!(rate > 0) || !std::isfinite(rate))
    synergy::detail::fail(path, 0, "sample rate is not positive");
  const std::size_t n = (bytes.size() - 5) / 4;
  trace tr;
  tr.channels = {"power"};
  tr.clock = sources::time_base::relative;
  tr.period_s = 1.0 / rate;
  tr.time_s.resize(n);
  tr.watts.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    float mw = 0;
    std::memcpy(&mw, bytes.data() + 5 + 4 * k, 4);
    if (!std::isfinite(mw))
      synergy::detail::fail(path, 0, "sample " + std::to_string(k) + " is not finite");
    tr.time_s[k] = static_cast<double>(k) / static_cast<double>(rate);
    tr.watts[k] = static_cast<double>(mw) * 1e-3;
  }
  if ((bytes.size() - 5) % 4)
    tr.notes.push_back(std::to_string((bytes.size() - 5) % 4) +
                       " trailing bytes ignored (partial sample)");
  return tr;
}

/// Reads `trace1-timestamps.json` into regions "window<i>" (i = 2, 4, … as EnergyRunner
/// numbers them) from the (start, end) pairs after the start marker. Throws
/// `parse_error` for a non-array, an odd number of window edges, or an end before its start.
[[nodiscard]] inline std::vector<region> read_mlperf_tiny_windows(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  nlohmann::json j;
  try {
    in >> j;
  } catch (const nlohmann::json::exception& e) {
    synergy::detail::fail(path, 0, std::string("not JSON: ") + e.what());
  }
  if (!j.is_array() || j.empty())
    synergy::detail::fail(path, 0, "expected a non-empty JSON array of seconds");
  if ((j.size() - 1) % 2)
    synergy::detail::fail(path, 0, "odd number of window edges after the start marker");
  std::vector<region> out;
  for (std::size_t i = 1; i + 1 < j.size(); i += 2) {
    if (!j[i].is_number() || !j[i + 1].is_number())
      synergy::detail::fail(
          path, 0,
          "element " + std::to_string(i) + " or " + std::to_string(i + 1) + " is not a number");
    const double a = j[i].get<double>(), b = j[i + 1].get<double>();
    if (!std::isfinite(a) || !std::isfinite(b))
      synergy::detail::fail(path, 0,
                            "element " + std::to_string(i) + " or " + std::to_string(i + 1) +
                                " is not a finite number");
    if (b < a)
      synergy::detail::fail(path, 0, "window " + std::to_string(i + 1) + " ends before it starts");
    out.push_back({"window" + std::to_string(i + 1), "inference", a, b, 0, std::nullopt});
  }
  return out;
}

}  // namespace synergy::measure
