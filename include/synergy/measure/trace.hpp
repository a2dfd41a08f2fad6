#pragma once
/// @file
/// A power trace: timestamped samples of one or more channels, in watts. What samplers
/// record and replay readers return, and what attribution integrates.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/sources/source_info.hpp"

namespace synergy::measure {

/// Samples of `channels.size()` power channels. Sample k was taken at `time_s[k]` (seconds
/// on `clock`) and holds `watts[k · n + c]` for channel c (row-major). Times never decrease.
struct trace {
  std::vector<std::string> channels;  ///< channel names, e.g. {"VDD_IN", "VDD_SOC"}
  std::vector<double> time_s;         ///< sample times (s)
  std::vector<double> watts;          ///< row-major samples × channels (W)
  double period_s = 0;                ///< nominal sample period (s); 0 when irregular/unknown
  std::uint64_t dropped = 0;          ///< samples known lost (full buffer, lost probe frames)
  /// The clock of `time_s`: steady for sampled traces; for replayed ones, each reader says.
  sources::time_base clock = sources::time_base::steady;
  std::vector<std::string> notes;  ///< what a reader skipped or repaired, one line each

  /// Number of samples.
  [[nodiscard]] std::size_t size() const noexcept { return time_s.size(); }
  /// Number of channels.
  [[nodiscard]] std::size_t width() const noexcept { return channels.size(); }
  /// Power of channel `c` at sample `k` (W). O(1), unchecked.
  [[nodiscard]] double at(std::size_t k, std::size_t c) const noexcept {
    return watts[k * channels.size() + c];
  }

  /// Index of `name`; throws `std::out_of_range` listing the channels.
  [[nodiscard]] std::size_t channel_index(const std::string& name) const {
    for (std::size_t i = 0; i < channels.size(); ++i)
      if (channels[i] == name) return i;
    std::string known;
    for (const auto& c : channels) known += (known.empty() ? "" : ", ") + c;
    throw std::out_of_range("trace: no channel '" + name + "' (channels: " + known + ")");
  }

  /// Appends one sample; throws `std::invalid_argument` when the width is wrong or time
  /// goes backwards (a trace is never silently reordered).
  void push(double t, std::span<const double> w) {
    if (w.size() != channels.size())
      throw std::invalid_argument("trace::push: " + std::to_string(w.size()) + " values for " +
                                  std::to_string(channels.size()) + " channels");
    if (!time_s.empty() && t < time_s.back())
      throw std::invalid_argument("trace::push: time goes backwards (" + std::to_string(t) +
                                  " s after " + std::to_string(time_s.back()) + " s)");
    time_s.push_back(t);
    watts.insert(watts.end(), w.begin(), w.end());
  }

  /// One channel's samples as a contiguous vector (W).
  [[nodiscard]] std::vector<double> column(std::size_t c) const {
    std::vector<double> out(size());
    for (std::size_t k = 0; k < size(); ++k) out[k] = at(k, c);
    return out;
  }
};

/// Writes the CSV header of a trace: `time [s],<channel> [W],...` (what read_csv_trace reads).
inline void write_csv_header(std::ostream& out, std::span<const std::string> channels) {
  out << "time [s]";
  for (const auto& c : channels) out << ',' << c << " [W]";
  out << '\n';
}

/// Writes one CSV row with 9 significant decimals of time (ns) and 6 of power (µW).
inline void write_csv_row(std::ostream& out, double t, std::span<const double> w) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9f", t);
  out << buf;
  for (double v : w) {
    std::snprintf(buf, sizeof buf, ",%.6f", v);
    out << buf;
  }
  out << '\n';
}

/// Writes the whole trace as CSV (header and one row per sample).
inline void write_csv(std::ostream& out, const trace& tr) {
  write_csv_header(out, tr.channels);
  for (std::size_t k = 0; k < tr.size(); ++k)
    write_csv_row(out, tr.time_s[k],
                  std::span<const double>(tr.watts.data() + k * tr.width(), tr.width()));
}

}  // namespace synergy::measure
