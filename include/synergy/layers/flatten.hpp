#pragma once
/// @file
/// Flatten a feature map to a vector.

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// Flatten: reinterprets x·y·z as a 1×1×(x·y·z) vector. A view: no operations, no parameters,
/// data_volume = 0. Preconditions: input ≥ 1. O(1).
struct flatten {
  static constexpr layer_type type = layer_type::flatten;

  shape3 input{};  ///< left empty inside a network builder

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(input, "flatten"); }
  /// Output shape 1×1×(x·y·z).
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return {1, 1, input.elements()};
  }
  /// All counts at once: all zero (the input is still validated).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return {};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
