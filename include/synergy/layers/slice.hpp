#pragma once
/// @file
/// A contiguous range of one axis (channel split, torch.chunk, ONNX Split and Slice).

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// The elements [begin, end) of axis `axis`, all of the other two (ShuffleNetV2's channel
/// split is two slices of z; torch.chunk, ONNX Split, and ONNX Slice with step 1 on one axis).
/// Output: the input's shape with that axis = end − begin.
///
/// Counts: a pure data movement: macs = ops = 0; no parameters; data_volume = 2·(output
/// elements): the kept elements are read once and written once (the rest is not touched).
/// Preconditions: input ≥ 1, `axis` one of x, y, z, 0 ≤ begin < end ≤ the input's extent along
/// `axis` (end is exclusive). O(1).
struct slice {
  static constexpr layer_type type = layer_type::slice;

  shape3 input{};          ///< left empty inside a network builder
  axis3 axis = axis3::z;   ///< the axis cut
  std::int64_t begin = 0;  ///< first index kept
  std::int64_t end = 0;    ///< one past the last index kept

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "slice");
    detail::require(static_cast<std::int64_t>(axis) <= static_cast<std::int64_t>(axis3::z), "slice",
                    "axis", static_cast<std::int64_t>(axis), "must be x, y or z");
    detail::require(begin >= 0, "slice", "begin", begin, "must be >= 0");
    detail::require(end > begin, "slice", "end", end, "must be > begin");
    detail::require(end <= extent_of(input, axis), "slice", "end", end,
                    "must be <= the input's extent along the axis");
  }
  /// Output shape: the input's, with `axis` = end − begin.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    shape3 o = input;
    switch (axis) {
      case axis3::x:
        o.x = end - begin;
        break;
      case axis3::y:
        o.y = end - begin;
        break;
      case axis3::z:
        o.z = end - begin;
        break;
    }
    return o;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    return {.data_volume = detail::mul(2, output().elements(), "slice data volume")};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
