#pragma once
/// @file
/// Sources without hardware: a synthetic analytic power curve whose exact energy over any
/// interval is known (tests of the sampler and attribution), and a replay source that plays
/// a recorded trace back one sample per read (benchmarks, dry runs).

#include <cmath>
#include <numbers>
#include <span>
#include <stdexcept>
#include <vector>

#include "synergy/clock.hpp"
#include "synergy/measure/trace.hpp"
#include "synergy/sources/concepts.hpp"

namespace synergy::measure {

/// One channel "synthetic": P(t) = base + amplitude · sin(2π · f · (t − t_origin)) W, on the
/// steady clock (t in s, `now_s()`).
class synthetic_source {
 public:
  /// Throws `std::invalid_argument` if amplitude > base (power would go negative) or f < 0.
  synthetic_source(double base_w, double amplitude_w, double frequency_hz,
                   double t_origin_s = now_s())
      : base_(base_w), amp_(amplitude_w), f_(frequency_hz), t0_(t_origin_s) {
    if (amp_ > base_ || f_ < 0)
      throw std::invalid_argument("synthetic_source: need amplitude <= base and f >= 0");
    info_.name = "synthetic";
    info_.channels = {{"synthetic", "board", "", true, "W"}};
  }
  [[nodiscard]] const sources::source_info& info() const noexcept { return info_; }
  void read_power(std::span<double> w) const { w[0] = power_at(now_s()); }
  /// P(t) in W.
  [[nodiscard]] double power_at(double t) const {
    return base_ + amp_ * std::sin(2 * std::numbers::pi * f_ * (t - t0_));
  }
  /// ∫ P dt over [a, b] in J, exactly.
  [[nodiscard]] double exact_energy(double a, double b) const {
    if (f_ == 0) return base_ * (b - a);  // sin(0) = 0: a constant curve
    const double w = 2 * std::numbers::pi * f_;
    return base_ * (b - a) - amp_ / w * (std::cos(w * (b - t0_)) - std::cos(w * (a - t0_)));
  }

 private:
  double base_, amp_, f_, t0_;
  sources::source_info info_;
};

/// Plays `tr` back, as a polled source (the k-th `read_power` returns sample k mod size; the
/// sampler decides the timing) or as a streaming source (`read_block` releases the samples
/// due since the first call at the trace's own period, cyclically, stamped on the steady clock).
class replay_source {
 public:
  /// Throws `std::invalid_argument` for an empty trace.
  explicit replay_source(trace tr) : tr_(std::move(tr)) {
    if (tr_.size() == 0) throw std::invalid_argument("replay_source: empty trace");
    info_.name = "replay";
    for (const auto& c : tr_.channels) info_.channels.push_back({c, "rail", "", false, "W"});
    info_.kind = tr_.kind;  // replayed counter readings stay interval means
    info_.averaging_window = duration::from_value(tr_.averaging_window_s);
  }
  [[nodiscard]] const sources::source_info& info() const noexcept { return info_; }
  void read_power(std::span<double> w) {
    for (std::size_t c = 0; c < w.size(); ++c) w[c] = tr_.at(k_, c);
    k_ = k_ + 1 == tr_.size() ? 0 : k_ + 1;
  }
  /// Streaming: appends the samples due by now (needs `period_s > 0`; throws otherwise).
  std::size_t read_block(std::vector<double>& times, std::vector<double>& watts) {
    if (!(tr_.period_s > 0))
      throw std::invalid_argument("replay_source: streaming needs the trace's period_s");
    const double now = now_s();
    if (emitted_ == 0 && start_ < 0) start_ = now;
    std::size_t n = 0;
    for (; start_ + static_cast<double>(emitted_) * tr_.period_s <= now; ++emitted_, ++n) {
      const std::size_t k = emitted_ % tr_.size();
      times.push_back(start_ + static_cast<double>(emitted_) * tr_.period_s);
      for (std::size_t c = 0; c < tr_.width(); ++c) watts.push_back(tr_.at(k, c));
    }
    return n;
  }

 private:
  trace tr_;
  std::size_t k_ = 0, emitted_ = 0;
  double start_ = -1;
  sources::source_info info_;
};

}  // namespace synergy::measure
