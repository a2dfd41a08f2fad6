#pragma once
/// @file
/// Energy counters with wrap-around: the delta rule, an unwrapping accumulator, and the
/// adapter that turns any `energy_counter` into a `power_source` (ΔE / Δt between reads).

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/clock.hpp"
#include "synergy/sources/concepts.hpp"
#include "synergy/sources/errors.hpp"

namespace synergy::sources {

/// Counts elapsed between two readings of a counter that rolls over after `max_count`:
/// cur − prev, or (max − prev) + cur + 1 when cur < prev (one wrap; RAPL, powercap docs).
/// Never negative. Throws `std::domain_error` if a reading exceeds `max_count` (wrong spec).
[[nodiscard]] constexpr std::uint64_t counter_delta(std::uint64_t prev, std::uint64_t cur,
                                                    std::uint64_t max_count) {
  if (prev > max_count || cur > max_count)
    throw std::domain_error("counter_delta: reading above max_count (wrong counter spec)");
  return cur >= prev ? cur - prev : (max_count - prev) + cur + 1;
}

/// Accumulates an energy counter across wraps into total counts (integer, so no float drift
/// however long it runs — PMT's float accumulators lose µJ after hours). Warns when the time
/// between two reads is long enough that a second, invisible wrap could have happened.
class counter_unwrapper {
 public:
  /// `max_power_w`: an upper bound of the channel's power (e.g. RAPL's max_power_uw, or a
  /// generous figure); a read gap longer than range / max power could hide a second wrap.
  counter_unwrapper(counter_spec spec, double max_power_w)
      : spec_(spec), max_power_w_(max_power_w) {}

  /// Feeds the reading `count` taken at `t_s` (seconds); returns the counts since the
  /// previous reading (0 for the first). Counts a risky gap when the time since the previous
  /// reading is long enough to hide a second wrap. A reading below the previous one is a wrap
  /// only if the energy a wrap implies, (max − prev) + cur + 1 counts, fits in the gap at
  /// `max_power_w` (plus 10 ms for the counter's own update lag); otherwise the counter jumped
  /// backwards (reset, another counter, a rewritten file) and `update` throws
  /// `std::domain_error` with both readings — never a made-up delta of nearly the whole range.
  /// Also throws `std::domain_error` for a reading above `max_count`.
  std::uint64_t update(std::uint64_t count, double t_s) {
    std::uint64_t d = 0;
    if (started_) {
      d = counter_delta(prev_, count, spec_.max_count);
      const double range_j = (static_cast<double>(spec_.max_count) + 1.0) * spec_.joules_per_count;
      const double gap_s = t_s - prev_t_;
      const bool can_hide_wrap = max_power_w_ > 0 && gap_s * max_power_w_ > range_j;
      if (can_hide_wrap) ++risky_gaps_;
      if (count < prev_) {
        const double implied_j = static_cast<double>(d) * spec_.joules_per_count;
        if (max_power_w_ > 0 && !can_hide_wrap && implied_j > max_power_w_ * (gap_s + 0.01))
          throw std::domain_error("counter went backwards from " + std::to_string(prev_) + " to " +
                                  std::to_string(count) + " (not a wrap: wrapping at max_count " +
                                  std::to_string(spec_.max_count) + " would mean " +
                                  std::to_string(implied_j) + " J in " + std::to_string(gap_s) +
                                  " s, above " + std::to_string(max_power_w_) + " W)");
        ++wraps_;
      }
    }
    started_ = true;
    prev_ = count;
    prev_t_ = t_s;
    total_ += d;
    return d;
  }
  /// Total counts since the first reading.
  [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
  /// Total energy since the first reading, in joules.
  [[nodiscard]] double total_joules() const noexcept {
    return static_cast<double>(total_) * spec_.joules_per_count;
  }
  /// Wraps seen (cur < prev).
  [[nodiscard]] std::uint64_t wraps() const noexcept { return wraps_; }
  /// Gaps between reads long enough to hide a second wrap at `max_power_w` (each a warning).
  [[nodiscard]] std::uint64_t risky_gaps() const noexcept { return risky_gaps_; }
  [[nodiscard]] const counter_spec& spec() const noexcept { return spec_; }

 private:
  counter_spec spec_;
  double max_power_w_;
  bool started_ = false;
  std::uint64_t prev_ = 0, total_ = 0, wraps_ = 0, risky_gaps_ = 0;
  double prev_t_ = 0;
};

/// Adapter: an `energy_counter` seen as a `power_source`. The constructor reads the counters
/// once; each `read_power` then reports ΔE / Δt since the previous read (steady clock), i.e.
/// the mean power over the last polling interval — the first one included, so no reading is a
/// placeholder 0 W (`info().update_period` tells how fine the result can be). `info().kind` is
/// `sample_kind::interval_mean`, so attribution integrates the readings as the step function
/// they are and reproduces the counter differences exactly.
template <energy_counter C>
class counter_power {
 public:
  /// Wraps `counter` (kept by reference; it must outlive the adapter). `max_power_w` bounds
  /// a channel's power for the second-wrap warning.
  explicit counter_power(C& counter, double max_power_w = 1000.0) : counter_(counter) {
    info_ = counter.info();
    info_.kind = sample_kind::interval_mean;  // ΔE/Δt over (previous read, this read]
    for (std::size_t i = 0; i < info_.channels.size(); ++i)
      unwrap_.emplace_back(counter.spec(i), max_power_w);
    raw_.resize(info_.channels.size());
    sample();  // the reference reading of the first interval
  }
  [[nodiscard]] const source_info& info() const noexcept { return info_; }

  /// Mean power per channel (W) since the previous call; throws what the counter throws, and
  /// `sensor_error` naming the source and channel for a counter that went backwards (not a
  /// wrap) or read above its `max_count`.
  void read_power(std::span<double> watts) {
    const double prev = prev_t_;
    sample();
    const double dt = prev_t_ - prev;
    for (std::size_t i = 0; i < raw_.size(); ++i)
      watts[i] =
          dt > 0 ? static_cast<double>(last_[i]) * unwrap_[i].spec().joules_per_count / dt : 0.0;
  }
  /// Steady-clock time (s, `now_s()`) of the last reading: the end of the interval the last
  /// `read_power` averaged over. The sampler stamps the sample with it, so that the trace's
  /// intervals are the counter's and integrating them gives the counter differences exactly.
  [[nodiscard]] std::optional<double> reading_time_s() const noexcept { return prev_t_; }
  /// Per-channel unwrapping state (wraps seen, risky gaps, total energy).
  [[nodiscard]] const std::vector<counter_unwrapper>& counters() const noexcept { return unwrap_; }

 private:
  /// Reads the counters now; keeps each channel's counts since the previous reading.
  void sample() {
    counter_.read_counters(raw_);
    prev_t_ = synergy::now_s();
    last_.resize(raw_.size());
    for (std::size_t i = 0; i < raw_.size(); ++i) {
      try {
        last_[i] = unwrap_[i].update(raw_[i], prev_t_);
      } catch (const std::domain_error& e) {
        throw sensor_error(info_.name, "channel '" + info_.channels[i].name + "': " + e.what());
      }
    }
  }

  C& counter_;
  source_info info_;
  std::vector<counter_unwrapper> unwrap_;
  std::vector<std::uint64_t> raw_, last_;
  double prev_t_ = 0;
};

}  // namespace synergy::sources
