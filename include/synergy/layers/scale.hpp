#pragma once
/// @file
/// Per-channel scale (and shift), Caffe's Scale layer.

#include <cstdint>

#include "synergy/layers/pointwise.hpp"

namespace synergy {

/// Per-channel affine transform y = γ_c·x (+ β_c when `bias`), Caffe's Scale layer.
///
/// Counts: ops = x·y·z multiplications + x·y·z additions when `bias`; weights = z;
/// biases = z when `bias`; data_volume = input + weights + biases + output.
/// Preconditions: input ≥ 1. O(1).
struct scale {
  static constexpr layer_type type = layer_type::scale;

  shape3 input{};    ///< left empty inside a network builder
  bool bias = true;  ///< β term (Caffe `bias_term`)

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(input, "scale"); }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return detail::pointwise_cost("scale", input, bias ? 2 : 1, input.z, bias ? input.z : 0);
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
