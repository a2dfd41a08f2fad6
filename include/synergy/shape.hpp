#pragma once
/// @file
/// Tensor shapes and 2-D window extents, in the notation of the SyNERGY paper:
/// x = width, y = height, z = channels; all counts are per image (batch 1).

#include <cstdint>

#include "synergy/detail/checked.hpp"

namespace synergy {

/// A feature-map shape: `x` columns (width) × `y` rows (height) × `z` channels, batch 1.
/// A structural literal type (usable as a template argument). All fields are element counts.
struct shape3 {
  std::int64_t x = 0;  ///< width
  std::int64_t y = 0;  ///< height
  std::int64_t z = 0;  ///< channels

  /// x·y·z elements; overflow-checked (fails constant evaluation / throws std::overflow_error).
  [[nodiscard]] constexpr std::int64_t elements() const {
    return detail::product("shape3::elements", x, y, z);
  }
  /// True when no field was set (a layer's input left for the network builder to fill).
  [[nodiscard]] constexpr bool empty() const { return x == 0 && y == 0 && z == 0; }

  friend constexpr bool operator==(const shape3&, const shape3&) = default;
};

/// A 2-D extent (kernel, stride, padding or dilation): `x` along the width, `y` along the height.
struct extent2 {
  std::int64_t x = 0;  ///< along the width
  std::int64_t y = 0;  ///< along the height

  friend constexpr bool operator==(const extent2&, const extent2&) = default;
};

/// One logical axis of a `shape3`: x (width), y (height) or z (channels). Used by the
/// data-movement layers `slice` (the axis cut) and `transpose` (a permutation of axes).
enum class axis3 : std::uint8_t { x, y, z };

/// Name of an axis: "x", "y" or "z".
[[nodiscard]] constexpr const char* to_string(axis3 a) {
  switch (a) {
    case axis3::x:
      return "x";
    case axis3::y:
      return "y";
    case axis3::z:
      return "z";
  }
  return "?";
}

/// The extent of `s` along `a`.
[[nodiscard]] constexpr std::int64_t extent_of(const shape3& s, axis3 a) {
  switch (a) {
    case axis3::x:
      return s.x;
    case axis3::y:
      return s.y;
    case axis3::z:
      return s.z;
  }
  return 0;  // unreachable: the switch covers every axis (-Wswitch checks it)
}

/// The same extent `n` along x and y: `.kernel = square(3)`.
[[nodiscard]] constexpr extent2 square(std::int64_t n) { return {n, n}; }

namespace detail {

/// Checks that every field of a shape is at least 1.
constexpr void require_shape(const shape3& s, const char* layer) {
  require(s.x >= 1, layer, "input.x", s.x, "must be >= 1");
  require(s.y >= 1, layer, "input.y", s.y, "must be >= 1");
  require(s.z >= 1, layer, "input.z", s.z, "must be >= 1");
}

}  // namespace detail
}  // namespace synergy
