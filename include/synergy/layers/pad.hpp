#pragma once
/// @file
/// Explicit spatial padding as a layer.

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// Constant (zero) padding of x and y as a layer of its own: for an ONNX Pad that cannot be
/// merged into the convolution or pooling after it. `begin` elements are added before and
/// `end` after the map, along x and along y; channels are not padded.
///
/// Counts: a pure data movement: macs = ops = 0 (the fill value is written, not computed); no
/// parameters; data_volume = input + output elements (the input is read once, every output
/// element, padding included, written once). Preconditions: input ≥ 1, begin and end ≥ 0 on
/// both axes. O(1).
struct pad {
  static constexpr layer_type type = layer_type::pad;

  shape3 input{};   ///< left empty inside a network builder
  extent2 begin{};  ///< elements added before the first column (x) and row (y)
  extent2 end{};    ///< elements added after the last column (x) and row (y)

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "pad");
    detail::require(begin.x >= 0, "pad", "begin.x", begin.x, "must be >= 0");
    detail::require(begin.y >= 0, "pad", "begin.y", begin.y, "must be >= 0");
    detail::require(end.x >= 0, "pad", "end.x", end.x, "must be >= 0");
    detail::require(end.y >= 0, "pad", "end.y", end.y, "must be >= 0");
  }
  /// Output shape: x + begin.x + end.x, y + begin.y + end.y, z.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return {detail::sum("pad output.x", input.x, begin.x, end.x),
            detail::sum("pad output.y", input.y, begin.y, end.y), input.z};
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    return {.data_volume = detail::add(input.elements(), output().elements(), "pad data volume")};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
