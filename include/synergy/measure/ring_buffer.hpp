#pragma once
/// @file
/// Single-producer single-consumer ring of fixed-width records (the sampler thread produces,
/// the drain thread consumes). Lock-free: one acquire/release pair per push and per pop,
/// no allocation after construction. A push into a full ring fails (the caller counts the
/// drop); nothing is overwritten.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <new>
#include <span>
#include <stdexcept>
#include <vector>

namespace synergy::measure {

/// SPSC ring of `capacity` records of `width` doubles each.
class spsc_ring {
 public:
  /// Throws `std::invalid_argument` when capacity or width is 0.
  spsc_ring(std::size_t capacity, std::size_t width)
      : cap_(capacity + 1), width_(width), data_(cap_ * width) {
    if (capacity == 0 || width == 0)
      throw std::invalid_argument("spsc_ring: capacity and width must be > 0");
  }
  /// Producer: copies `record` (size == width) in; false when full. Wait-free.
  bool try_push(std::span<const double> record) noexcept {
    const std::size_t h = head_.load(std::memory_order_relaxed);
    const std::size_t next = h + 1 == cap_ ? 0 : h + 1;
    if (next == tail_.load(std::memory_order_acquire)) return false;
    std::copy(record.begin(), record.end(),
              data_.begin() + static_cast<std::ptrdiff_t>(h * width_));
    head_.store(next, std::memory_order_release);
    return true;
  }
  /// Consumer: calls `sink(span record)` for every record present; returns how many.
  template <class F>
  std::size_t drain(F&& sink) {
    std::size_t t = tail_.load(std::memory_order_relaxed), n = 0;
    const std::size_t h = head_.load(std::memory_order_acquire);
    while (t != h) {
      sink(std::span<const double>(data_.data() + t * width_, width_));
      t = t + 1 == cap_ ? 0 : t + 1;
      ++n;
    }
    tail_.store(t, std::memory_order_release);
    return n;
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return cap_ - 1; }
  [[nodiscard]] std::size_t width() const noexcept { return width_; }

 private:
  std::size_t cap_, width_;
  std::vector<double> data_;
  alignas(64) std::atomic<std::size_t> head_{0};
  alignas(64) std::atomic<std::size_t> tail_{0};
};

}  // namespace synergy::measure
