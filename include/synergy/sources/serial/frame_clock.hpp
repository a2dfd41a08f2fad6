#pragma once
/// @file
/// Maps a probe's frame numbers onto the host's steady clock. A probe stamps nothing: frame k
/// is produced at k periods after its start, by the probe's own crystal. The host sees frames
/// only when a block of them arrives, later by a varying latency (USB scheduling, the
/// sampler's block period). Every arrival bounds the offset from above — frame k cannot arrive
/// before it exists — so the offset is tracked as the lower envelope of
/// `arrival − k·period` over the blocks, allowed to rise at most `max_drift` s/s (a crystal
/// slower than the host's) and to fall at most half a period per block (so that stamps never
/// go backwards). The error left is the smallest latency seen recently, not the typical one.

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace synergy::sources {

/// Frame number → steady-clock time (s) for a probe with a fixed frame period.
class frame_clock {
 public:
  /// `period_s` > 0: the probe's frame period; `max_drift`: the largest clock-rate error
  /// tracked (default 500 ppm, above a cheap crystal's). Throws std::invalid_argument.
  explicit frame_clock(double period_s, double max_drift = 5e-4)
      : period_(period_s), drift_(max_drift) {
    if (!(period_s > 0)) throw std::invalid_argument("frame_clock: period must be > 0 s");
    if (!(max_drift >= 0)) throw std::invalid_argument("frame_clock: max_drift must be >= 0");
  }

  /// A block whose newest frame is `last_index` arrived at `arrival_s` (steady clock, s).
  /// O(1).
  void observe(double arrival_s, std::uint64_t last_index) noexcept {
    const double bound = arrival_s - static_cast<double>(last_index) * period_;
    if (!started_) {
      offset_ = bound;
      started_ = true;
    } else {
      const double risen = offset_ + drift_ * std::max(0.0, arrival_s - last_arrival_);
      offset_ = std::max(std::min(risen, bound), offset_ - period_ / 2);
    }
    last_arrival_ = arrival_s;
  }

  /// Steady-clock time (s) of frame `index` under the current offset (call `observe` first).
  [[nodiscard]] double time(std::uint64_t index) const noexcept {
    return offset_ + static_cast<double>(index) * period_;
  }
  /// Time of frame 0 under the current offset.
  [[nodiscard]] double offset() const noexcept { return offset_; }
  /// Whether a block has been observed (before that, `time` counts from 0 s).
  [[nodiscard]] bool started() const noexcept { return started_; }

 private:
  double period_, drift_;
  double offset_ = 0.0, last_arrival_ = 0.0;
  bool started_ = false;
};

}  // namespace synergy::sources
