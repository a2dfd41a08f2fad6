#pragma once
/// @file
/// The network's input tensor.

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// A network input of `shape` (x·y·z, batch 1). No cost: it is the first node of a network.
/// Preconditions: shape ≥ 1 in every field. O(1).
struct input_layer {
  static constexpr layer_type type = layer_type::input;

  shape3 shape{};

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(shape, "input_layer"); }
  /// Output shape: `shape`.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return shape;
  }
  /// All counts at once: all zero.
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return {};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
