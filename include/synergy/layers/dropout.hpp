#pragma once
/// @file
/// Dropout, an identity at inference.

#include "synergy/layers/pointwise.hpp"

namespace synergy {

/// Dropout at inference: a copy of its input. Counts: ops = 0; no parameters;
/// data_volume = input + output (Caffe copies unless the layer is in place).
/// Preconditions: input ≥ 1. O(1).
struct dropout {
  static constexpr layer_type type = layer_type::dropout;

  shape3 input{};  ///< left empty inside a network builder

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(input, "dropout"); }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return detail::pointwise_cost("dropout", input, 0, 0, 0);
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
