#pragma once
/// @file
/// Feature maps of the reference runner: float32, batch 1, channel-major (CHW, Caffe's NCHW
/// without N): element (x, y, z) of a map of shape (X, Y, Z) — width, height, channels as in
/// the paper — lives at index (z · Y + y) · X + x.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "synergy/shape.hpp"

namespace synergy::run {

/// A feature map: shape and CHW data.
struct tensor {
  shape3 shape{};
  std::vector<float> data;

  tensor() = default;
  /// Zero-filled map of `s` (s.elements() floats).
  explicit tensor(shape3 s) : shape(s), data(static_cast<std::size_t>(s.elements()), 0.0f) {}
  /// Element (x, y, z), unchecked.
  [[nodiscard]] float& at(std::int64_t x, std::int64_t y, std::int64_t z) {
    return data[static_cast<std::size_t>((z * shape.y + y) * shape.x + x)];
  }
  [[nodiscard]] float at(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return data[static_cast<std::size_t>((z * shape.y + y) * shape.x + x)];
  }
};

/// Deterministic pseudo-random floats (splitmix64): the same on every platform and standard
/// library, unlike std::uniform_real_distribution.
class random_floats {
 public:
  explicit random_floats(std::uint64_t seed) : state_(seed) {}
  /// Uniform in [−a, a).
  float uniform(float a) {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    const double u = static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0);  // [0, 1)
    return static_cast<float>((2.0 * u - 1.0) * a);
  }
  void fill(std::vector<float>& v, float a) {
    for (auto& x : v) x = uniform(a);
  }

 private:
  std::uint64_t state_;
};

}  // namespace synergy::run
