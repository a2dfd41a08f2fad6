#pragma once
/// @file
/// Background sampling of any `power_source` at a fixed rate (default 1 kHz, capped at the
/// source's `max_rate`). The sampling thread stamps each reading with steady_clock and
/// pushes it into a lock-free SPSC ring; a drain thread moves records into the in-memory
/// trace and, when asked, streams them to a CSV file flushed at every drain (every 20 ms), so
/// a crash leaves a readable partial trace. A full ring drops the reading and counts it;
/// ticks the thread could not keep up with are counted as missed. An exception in the
/// sampling thread stops sampling and is re-thrown by `stop()`, never swallowed.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "synergy/clock.hpp"
#include "synergy/measure/ring_buffer.hpp"
#include "synergy/measure/trace.hpp"
#include "synergy/sources/concepts.hpp"

namespace synergy::measure {

/// Sampler settings.
struct sampler_options {
  /// Polled sources: sampling rate, capped at the source's max_rate.
  frequency rate{1000.0 * units::hertz};
  duration block_period{0.005 * units::second};  ///< streaming sources: how often blocks are taken
  std::size_t ring_capacity = 1 << 16;           ///< readings buffered between drains
  std::string stream_to;                         ///< CSV file written as sampling goes ("" = none)
  bool keep_in_memory = true;                    ///< keep the trace in memory (take_trace)
};

/// Counters of what happened while sampling.
struct sampler_stats {
  std::uint64_t samples = 0;  ///< readings stored
  std::uint64_t dropped = 0;  ///< readings lost because the ring was full
  std::uint64_t missed = 0;   ///< ticks skipped because a read overran its period
  std::uint64_t lost = 0;     ///< samples the source itself lost (a probe's missing frames)
};

/// A source the sampler can run: polled (`power_source`) or streaming (`streaming_source`).
template <class S>
concept sampled_source = sources::power_source<S> || sources::streaming_source<S>;

/// Samples `Source` in a background thread (polled sources: one read per tick; streaming
/// sources: whole blocks every `block_period`, at the source's own rate) between `start()` and
/// `stop()` (RAII: the destructor stops without throwing; call `stop()` yourself to see errors).
/// The source is kept by reference and read from the sampling thread only.
template <sampled_source Source>
class sampler {
 public:
  /// Keeps `source` by reference. Throws `std::invalid_argument` for a source without channels,
  /// a rate that is not > 0 Hz, or a streaming source whose `info().clock` is not steady.
  sampler(Source& source, sampler_options opt = {}) : source_(source), opt_(std::move(opt)) {
    const auto& info = source_.info();
    width_ = info.channels.size();
    if (width_ == 0)
      throw std::invalid_argument("sampler: source '" + info.name + "' has no channel");
    double hz = opt_.rate.value();
    if (!(hz > 0)) throw std::invalid_argument("sampler: rate must be > 0 Hz");
    if (info.max_rate.value() > 0 && hz > info.max_rate.value()) hz = info.max_rate.value();
    period_s_ = 1.0 / hz;
    // A streaming source sets its own pace: the trace's period is its update period.
    if (streams() && info.update_period.value() > 0) period_s_ = info.update_period.value();
    // A streaming source stamps its own samples; on any clock but steady they would not line
    // up with the annotator's markers (polled readings are stamped here, so their clock is ours).
    if (streams() && info.clock != sources::time_base::steady)
      throw std::invalid_argument(
          "sampler: streaming source '" + info.name + "' stamps its samples on the " +
          std::string(sources::to_string(info.clock)) + " clock; the sampler needs steady");
    for (const auto& c : info.channels) trace_.channels.push_back(c.name);
    trace_.period_s = period_s_;
    trace_.clock = sources::time_base::steady;
  }
  sampler(const sampler&) = delete;
  sampler& operator=(const sampler&) = delete;
  ~sampler() {
    try {
      stop();
    } catch (...) {  // destructor must not throw; stop() reports errors to callers who ask
    }
  }

  /// Starts sampling (opens the stream file first; throws `std::runtime_error` naming it).
  void start() {
    if (running_) throw std::logic_error("sampler: already running");
    if (!opt_.stream_to.empty()) {
      out_.open(opt_.stream_to, std::ios::trunc);
      if (!out_) throw std::runtime_error(opt_.stream_to + ": cannot open for writing");
      write_csv_header(out_, trace_.channels);
      out_.flush();
    }
    ring_.emplace(opt_.ring_capacity, width_ + 1);
    stop_flag_ = false;
    error_ = nullptr;
    running_ = true;
    first_taken_ = false;
    producer_ = std::thread([this] { produce(); });
    consumer_ = std::thread([this] { consume(); });
    // Return only once the first reading exists, so that everything marked after start()
    // lies inside the trace (and stop() takes a last reading for the same reason).
    while (!first_taken_.load() && !stop_flag_.load()) std::this_thread::yield();
    if (!first_taken_.load()) stop();  // the first reading failed: re-throws its error now
  }

  /// Stops, drains every buffered reading, closes the stream, and re-throws the sampling
  /// thread's exception if there was one. Safe to call twice.
  void stop() {
    if (!running_) return;
    stop_flag_ = true;
    producer_.join();
    consumer_.join();
    drain();
    if (out_.is_open()) out_.close();
    running_ = false;
    // A source that knows what it lost (a probe's frame counter) reports it with lost_samples().
    if constexpr (requires { source_.lost_samples(); }) stats_.lost = source_.lost_samples();
    trace_.dropped = stats_.dropped + stats_.lost;
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

  [[nodiscard]] bool running() const noexcept { return running_; }
  /// Sampling period actually used (s).
  [[nodiscard]] double period_s() const noexcept { return period_s_; }
  /// Counts so far (exact after `stop()`).
  [[nodiscard]] sampler_stats stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }
  /// The trace recorded (after `stop()`); leaves the sampler's copy empty.
  [[nodiscard]] trace take_trace() {
    if (running_) throw std::logic_error("sampler: take_trace while running; stop() first");
    trace t = std::move(trace_);
    trace_ = {};
    trace_.channels = t.channels;
    trace_.period_s = t.period_s;
    return t;
  }

 private:
  // Streaming or polled: known at compile time, except for a source that can be either
  // (any_source), which says at run time.
  bool streams() const {
    if constexpr (sources::streaming_source<Source>) {
      if constexpr (sources::power_source<Source> && requires { source_.streaming(); })
        return source_.streaming();
      return true;
    }
    return false;
  }

  void produce() {
    if constexpr (sources::streaming_source<Source>)
      if (streams()) return produce_blocks();
    if constexpr (sources::power_source<Source>) produce_polled();
  }

  // Streaming sources: wake every `block_period`, move every sample produced since into the ring.
  void produce_blocks() {
    std::vector<double> times, watts, rec(width_ + 1);
    try {
      for (bool last = false; !last;) {
        last = stop_flag_.load(std::memory_order_relaxed);
        times.clear();
        watts.clear();
        const std::size_t n = source_.read_block(times, watts);
        for (std::size_t k = 0; k < n; ++k) {
          rec[0] = times[k];
          std::copy_n(watts.begin() + static_cast<std::ptrdiff_t>(k * width_), width_,
                      rec.begin() + 1);
          if (!ring_->try_push(rec)) dropped_.fetch_add(1, std::memory_order_relaxed);
        }
        if (n) first_taken_.store(true);
        if (!last)
          std::this_thread::sleep_for(std::chrono::duration<double>(opt_.block_period.value()));
      }
    } catch (...) {
      error_ = std::current_exception();
      stop_flag_ = true;
    }
  }

  void produce_polled() {
    std::vector<double> rec(width_ + 1);
    using clk = std::chrono::steady_clock;
    const auto period =
        std::chrono::duration_cast<clk::duration>(std::chrono::duration<double>(period_s_));
    auto next = clk::now();
    try {
      for (bool last = false; !last;) {
        last = stop_flag_.load(std::memory_order_relaxed);  // one final reading after stop
        const auto t = clk::now();
        source_.read_power(std::span<double>(rec.data() + 1, width_));
        rec[0] = std::chrono::duration<double>(t.time_since_epoch()).count();
        if (!ring_->try_push(rec)) dropped_.fetch_add(1, std::memory_order_relaxed);
        first_taken_.store(true);
        if (last) break;
        next += period;
        const auto now = clk::now();
        if (now > next) {  // overran: skip whole periods rather than bursting to catch up
          const auto behind = (now - next) / period;
          missed_.fetch_add(static_cast<std::uint64_t>(behind), std::memory_order_relaxed);
          next += period * behind;
        }
        std::this_thread::sleep_until(next);
      }
    } catch (...) {
      error_ = std::current_exception();
      stop_flag_ = true;
    }
  }

  void consume() {
    while (!stop_flag_.load(std::memory_order_relaxed)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      drain();
    }
  }

  void drain() {
    std::lock_guard lock(mutex_);
    const auto n = ring_->drain([&](std::span<const double> r) {
      if (opt_.keep_in_memory) trace_.push(r[0], r.subspan(1));
      if (out_.is_open()) write_csv_row(out_, r[0], r.subspan(1));
    });
    stats_.samples += n;
    stats_.dropped = dropped_.load();
    stats_.missed = missed_.load();
    if (out_.is_open() && n) out_.flush();
  }

  Source& source_;
  sampler_options opt_;
  std::size_t width_ = 0;
  double period_s_ = 1e-3;
  trace trace_;
  std::optional<spsc_ring> ring_;
  std::ofstream out_;
  std::thread producer_, consumer_;
  std::atomic<bool> stop_flag_{false}, first_taken_{false};
  std::atomic<std::uint64_t> dropped_{0}, missed_{0};
  bool running_ = false;
  std::exception_ptr error_;
  mutable std::mutex mutex_;
  sampler_stats stats_;
};

}  // namespace synergy::measure
