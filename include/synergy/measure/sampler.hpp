#pragma once
/// @file
/// Background sampling of any `power_source` at a fixed rate (default 1 kHz, capped at the
/// source's `max_rate`). The sampling thread stamps each reading with steady_clock and
/// pushes it into a lock-free SPSC ring; a drain thread moves records into the in-memory
/// trace and, when asked, streams them to a CSV file flushed at every drain (every 20 ms), so
/// a crash leaves a readable partial trace. A full ring drops the reading and counts it;
/// ticks the thread could not keep up with are counted as missed. An exception in the
/// sampling thread stops sampling and is re-thrown by `stop()`, never swallowed.
///
/// Faults are named, never turned into numbers: a reading that is not finite, a streaming
/// source whose clock steps backwards, or a sensor error stops sampling with
/// `sampler_stats::fault` set (source, path and reason) and keeps the partial trace; a read
/// that does not return within `read_timeout` is reported while sampling and makes `start()` /
/// `stop()` throw instead of hang; readings that stay bit-identical for `stale_after` (a
/// stalled sensor; a stopped energy counter reads 0 W) are reported in
/// `sampler_stats::warnings`. Faults and warnings are also appended to the trace's notes.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <fstream>
#include <limits>
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
  /// A read of the source (or the first reading of `start()`) that has not returned after this
  /// long is a fault: reported while sampling, and `start()`/`stop()` stop waiting for it.
  duration read_timeout{1.0 * units::second};
  /// Readings bit-identical on every channel for this long (at least 3 update periods) are
  /// reported as a possibly stalled sensor; 0 turns the check off.
  duration stale_after{2.0 * units::second};
};

/// Counters of what happened while sampling.
struct sampler_stats {
  std::uint64_t samples = 0;  ///< readings stored
  std::uint64_t dropped = 0;  ///< readings lost because the ring was full
  std::uint64_t missed = 0;   ///< ticks skipped because a read overran its period
  std::uint64_t lost = 0;     ///< samples the source itself lost (a probe's missing frames)
  /// Why sampling stopped early or is stuck: "<source>: <path>: <reason>" ("" = no fault).
  std::string fault;
  /// Conditions that did not stop sampling but make readings suspect (stalled values).
  std::vector<std::string> warnings;
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
    if (!(opt_.read_timeout.value() > 0))
      throw std::invalid_argument("sampler: read_timeout must be > 0 s");
    for (const auto& c : info.channels) trace_.channels.push_back(c.name);
    trace_.period_s = period_s_;
    trace_.clock = sources::time_base::steady;
    trace_.kind = info.kind;  // what the source's readings mean decides how they integrate
    trace_.averaging_window_s = info.averaging_window.value();
    stale_after_s_ = opt_.stale_after.value() > 0
                         ? std::max(opt_.stale_after.value(), 3 * info.update_period.value())
                         : 0.0;
  }
  sampler(const sampler&) = delete;
  sampler& operator=(const sampler&) = delete;
  ~sampler() {
    try {
      stop();
    } catch (...) {  // destructor must not throw; stop() reports errors to callers who ask
    }
    if (producer_.joinable()) producer_.join();  // a read stop() stopped waiting for
  }

  /// Starts sampling (opens the stream file first; throws `std::runtime_error` naming it).
  /// Returns once the first reading exists; throws what that reading threw, or
  /// `std::runtime_error` naming the source when it does not come within `read_timeout`.
  /// Throws `std::logic_error` when running, or while a read of an earlier run is still blocked.
  void start() {
    if (running_) throw std::logic_error("sampler: already running");
    if (producer_.joinable())
      throw std::logic_error("sampler: a read of the previous run of '" + source_.info().name +
                             "' has still not returned");
    if (!opt_.stream_to.empty()) {
      out_.open(opt_.stream_to, std::ios::trunc);
      if (!out_) throw std::runtime_error(opt_.stream_to + ": cannot open for writing");
      write_csv_header(out_, trace_.channels, trace_.kind);
      out_.flush();
    }
    ring_.emplace(opt_.ring_capacity, width_ + 1);
    stop_flag_ = false;
    error_ = nullptr;
    running_ = true;
    first_taken_ = false;
    producer_done_ = false;
    read_began_s_ = 0;
    energy_ = {};
    last_t_ = -std::numeric_limits<double>::infinity();
    last_values_.clear();
    stale_warned_ = false;
    {
      std::lock_guard lock(mutex_);
      stats_.fault.clear();
      stats_.warnings.clear();
    }
    producer_ = std::thread([this] { produce(); });
    consumer_ = std::thread([this] { consume(); });
    // Return only once the first reading exists, so that everything marked after start()
    // lies inside the trace (and stop() takes a last reading for the same reason).
    const double deadline = now_s() + opt_.read_timeout.value();
    while (!first_taken_.load() && !stop_flag_.load() && now_s() < deadline)
      std::this_thread::yield();
    if (!first_taken_.load()) {
      if (!stop_flag_.load())
        report_fault(source_.info().name + ": no first reading within " +
                     std::to_string(opt_.read_timeout.value()) + " s (the read blocks)");
      stop();  // the first reading failed: re-throws its error now
    }
  }

  /// Stops, drains every buffered reading, closes the stream, and re-throws the sampling
  /// thread's exception if there was one. When a read has not returned within `read_timeout`,
  /// stops waiting for it: the trace so far is kept, `stats().fault` names the source, and
  /// `std::runtime_error` is thrown (the blocked thread is joined by the destructor, once the
  /// source's read returns). Safe to call twice.
  void stop() {
    if (!running_) return;
    stop_flag_ = true;
    const double deadline = now_s() + opt_.read_timeout.value();
    while (!producer_done_.load() && now_s() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const bool blocked = !producer_done_.load();
    if (!blocked) producer_.join();
    consumer_.join();
    drain();
    if (out_.is_open()) out_.close();
    running_ = false;
    // A source that knows what it lost (a probe's frame counter) reports it with lost_samples().
    if constexpr (requires { source_.lost_samples(); }) {
      if (!blocked) stats_.lost = source_.lost_samples();
    }
    trace_.dropped = stats_.dropped + stats_.lost;
    if (blocked) {
      const std::string why = source_.info().name + ": a read has not returned for " +
                              std::to_string(opt_.read_timeout.value()) +
                              " s (blocked sensor read); sampling abandoned";
      report_fault(why);
      throw std::runtime_error(why);
    }
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
    std::lock_guard lock(mutex_);  // a blocked read abandoned by stop() may still report
    trace t = std::move(trace_);
    trace_ = {};
    trace_.channels = t.channels;
    trace_.period_s = t.period_s;
    trace_.clock = t.clock;
    trace_.kind = t.kind;
    trace_.averaging_window_s = t.averaging_window_s;
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
    try {
      if constexpr (sources::streaming_source<Source>)
        if (streams()) produce_blocks();
      if constexpr (sources::power_source<Source>)
        if (!streams()) produce_polled();
    } catch (...) {
      error_ = std::current_exception();
    }
    if (error_) {
      try {
        std::rethrow_exception(error_);
      } catch (const std::exception& e) {
        report_fault(e.what());
      } catch (...) {
        report_fault(source_.info().name + ": unknown exception");
      }
    }
    producer_done_ = true;
  }

  /// Checks a reading before it enters the ring (the consumer thread must never throw): every
  /// value finite, the time finite and not before the previous one. Throws
  /// `std::runtime_error` naming the source, channel and values.
  void check_reading(std::span<const double> rec) {
    const auto& info = source_.info();
    if (!std::isfinite(rec[0]) || rec[0] < last_t_)
      throw std::runtime_error(info.name + ": sample time " + std::to_string(rec[0]) + " s after " +
                               std::to_string(last_t_) +
                               " s (the source's clock stepped backwards or is not a number)");
    for (std::size_t c = 0; c < width_; ++c)
      if (!std::isfinite(rec[c + 1]))
        throw std::runtime_error(info.name + ": channel '" + info.channels[c].name +
                                 "' read a value that is not a finite number (" +
                                 std::to_string(rec[c + 1]) + ")");
    // Bit-identical readings for stale_after_s_: warn once per episode (counters read 0 W).
    if (stale_after_s_ > 0) {
      if (last_values_.size() != width_ ||
          !std::equal(last_values_.begin(), last_values_.end(), rec.begin() + 1)) {
        last_values_.assign(rec.begin() + 1, rec.end());
        unchanged_since_ = rec[0];
        stale_warned_ = false;
      } else if (!stale_warned_ && rec[0] - unchanged_since_ >= stale_after_s_) {
        stale_warned_ = true;
        std::lock_guard lock(mutex_);
        stats_.warnings.push_back(info.name + ": readings unchanged on every channel for " +
                                  std::to_string(rec[0] - unchanged_since_) +
                                  " s from t = " + std::to_string(unchanged_since_) +
                                  " s (stalled sensor? a stopped energy counter reads 0 W)");
        trace_.notes.push_back("sampling warning: " + stats_.warnings.back());
      }
    }
    last_t_ = rec[0];
  }

  /// Records `why` as the fault (the first one wins) and in the trace's notes.
  void report_fault(const std::string& why) {
    std::lock_guard lock(mutex_);
    if (stats_.fault.empty()) stats_.fault = why;
    trace_.notes.push_back("sampling fault: " + why);
  }

  // Streaming sources: wake every `block_period`, move every sample produced since into the ring.
  void produce_blocks() {
    std::vector<double> times, watts, rec(width_ + 1);
    try {
      for (bool last = false; !last;) {
        last = stop_flag_.load(std::memory_order_relaxed);
        times.clear();
        watts.clear();
        read_began_s_ = now_s();
        const std::size_t n = source_.read_block(times, watts);
        read_began_s_ = 0;
        if (times.size() != n || watts.size() != n * width_)
          throw std::runtime_error(source_.info().name + ": read_block returned " +
                                   std::to_string(n) + " samples with " +
                                   std::to_string(times.size()) + " times and " +
                                   std::to_string(watts.size()) + " values");
        for (std::size_t k = 0; k < n; ++k) {
          rec[0] = times[k];
          std::copy_n(watts.begin() + static_cast<std::ptrdiff_t>(k * width_), width_,
                      rec.begin() + 1);
          check_reading(rec);
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
        rec[0] = std::chrono::duration<double>(t.time_since_epoch()).count();
        read_began_s_ = rec[0];
        source_.read_power(std::span<double>(rec.data() + 1, width_));
        read_began_s_ = 0;
        // A source that stamps its own readings (counter_power: the end of the interval its
        // mean covers) is trusted for the time, so the trace's intervals are exactly its own.
        if constexpr (requires { source_.reading_time_s(); }) {
          if (const std::optional<double> own = source_.reading_time_s()) rec[0] = *own;
        }
        check_reading(rec);
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

  // Drains every 20 ms, and reports a read that has been blocked for `read_timeout`.
  void consume() {
    bool reported = false;
    while (!stop_flag_.load(std::memory_order_relaxed)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      drain();
      const double began = read_began_s_.load();
      if (!reported && began > 0 && now_s() - began > opt_.read_timeout.value()) {
        reported = true;
        report_fault(source_.info().name + ": a read has not returned for " +
                     std::to_string(now_s() - began) + " s (blocked sensor read)");
      }
    }
  }

  void drain() {
    std::lock_guard lock(mutex_);
    const auto n = ring_->drain([&](std::span<const double> r) {
      if (opt_.keep_in_memory) trace_.push(r[0], r.subspan(1));
      if (out_.is_open()) {
        switch (trace_.kind) {
          case sources::sample_kind::instantaneous:
            write_csv_row(out_, r[0], r.subspan(1));
            break;
          case sources::sample_kind::interval_mean:  // the file holds cumulative energy
            write_csv_row(out_, r[0], energy_.add(r[0], r.subspan(1)));
            break;
        }
      }
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
  std::atomic<bool> stop_flag_{false}, first_taken_{false}, producer_done_{false};
  std::atomic<double> read_began_s_{0};  // steady time the pending read began; 0: none
  cumulative_energy energy_;             // streamed rows of interval-mean traces (drain only)
  // Producer-thread state of check_reading.
  double stale_after_s_ = 0, last_t_ = -std::numeric_limits<double>::infinity();
  double unchanged_since_ = 0;
  bool stale_warned_ = false;
  std::vector<double> last_values_;
  std::atomic<std::uint64_t> dropped_{0}, missed_{0};
  bool running_ = false;
  std::exception_ptr error_;
  mutable std::mutex mutex_;
  sampler_stats stats_;
};

}  // namespace synergy::measure
