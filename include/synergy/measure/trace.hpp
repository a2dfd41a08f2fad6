#pragma once
/// @file
/// A power trace: timestamped samples of one or more channels, in watts, and what they mean
/// (`sources::sample_kind`). What samplers record and replay readers return, and what
/// attribution integrates.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/sources/source_info.hpp"

namespace synergy::measure {

/// Samples of `channels.size()` power channels. Sample k was taken at `time_s[k]` (seconds
/// on `clock`) and holds `watts[k · n + c]` for channel c (row-major). Times never decrease.
/// `kind` says what a value means: the power at t_k, or (energy counters) the mean power over
/// (t_{k−1}, t_k] — attribution integrates each kind exactly.
struct trace {
  std::vector<std::string> channels;  ///< channel names, e.g. {"VDD_IN", "VDD_SOC"}
  std::vector<double> time_s;         ///< sample times (s)
  std::vector<double> watts;          ///< row-major samples × channels (W)
  double period_s = 0;                ///< nominal sample period (s); 0 when irregular/unknown
  std::uint64_t dropped = 0;          ///< samples known lost (full buffer, lost probe frames)
  /// The clock of `time_s`: steady for sampled traces; for replayed ones, each reader says.
  sources::time_base clock = sources::time_base::steady;
  /// What the values mean: `instantaneous` (power at t_k) or `interval_mean` (mean power over
  /// (t_{k−1}, t_k], from an energy counter; sample 0's value then only marks the start).
  sources::sample_kind kind = sources::sample_kind::instantaneous;
  /// Window each instantaneous value averages over, ending at its time (s); 0 = a point value.
  double averaging_window_s = 0;
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

/// Writes the CSV header of a trace (what read_csv_trace reads back with the same kind):
/// `time [s],<channel> [W],...` for instantaneous samples; `time [s],<channel> [J],...` for
/// interval-mean samples, whose rows then hold each channel's cumulative energy since the
/// first sample (see `cumulative_energy`), because a power column would read back as
/// instantaneous and be integrated wrongly.
inline void write_csv_header(std::ostream& out, std::span<const std::string> channels,
                             sources::sample_kind kind = sources::sample_kind::instantaneous) {
  const char* unit = "";
  switch (kind) {
    case sources::sample_kind::instantaneous:
      unit = " [W]";
      break;
    case sources::sample_kind::interval_mean:
      unit = " [J]";
      break;
  }
  out << "time [s]";
  for (const auto& c : channels) out << ',' << c << unit;
  out << '\n';
}

/// Running cumulative energy of interval-mean samples (J per channel): 0 at the first sample,
/// then E_k = E_{k−1} + P_k · (t_k − t_{k−1}) — what an interval-mean trace's CSV rows hold.
class cumulative_energy {
 public:
  /// Adds the sample (t, w) and returns the channels' cumulative energy at t (J).
  std::span<const double> add(double t, std::span<const double> w) {
    if (!t_prev_) {
      joules_.assign(w.size(), 0.0);
    } else {
      for (std::size_t c = 0; c < w.size(); ++c) joules_[c] += w[c] * (t - *t_prev_);
    }
    t_prev_ = t;
    return joules_;
  }

 private:
  std::optional<double> t_prev_;
  std::vector<double> joules_;
};

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

/// Writes the whole trace as CSV (header and one row per sample: power in W, or cumulative
/// energy in J for interval-mean traces, as `write_csv_header` says).
inline void write_csv(std::ostream& out, const trace& tr) {
  write_csv_header(out, tr.channels, tr.kind);
  cumulative_energy energy;
  for (std::size_t k = 0; k < tr.size(); ++k) {
    const std::span<const double> w(tr.watts.data() + k * tr.width(), tr.width());
    switch (tr.kind) {
      case sources::sample_kind::instantaneous:
        write_csv_row(out, tr.time_s[k], w);
        break;
      case sources::sample_kind::interval_mean:
        write_csv_row(out, tr.time_s[k], energy.add(tr.time_s[k], w));
        break;
    }
  }
}

namespace detail {

/// `v` when it is a finite number; else throws `parse_error` "<path>:<line>: <what> '<text>'
/// is not a finite number" (nan, inf and words are never a time or a power).
inline double finite_or_fail(std::optional<double> v, const std::string& path, std::size_t line,
                             const std::string& what, const std::string& text) {
  if (!v || !std::isfinite(*v))
    synergy::detail::fail(path, line, what + " '" + text + "' is not a finite number");
  return *v;
}

}  // namespace detail

}  // namespace synergy::measure
