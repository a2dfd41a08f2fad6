#pragma once
/// @file
/// Softmax over the channels.

#include <cstdint>

#include "synergy/layers/pointwise.hpp"

namespace synergy {

/// Softmax over z at each (x, y). Counts: ops = 3·x·y·z (an exponential, an accumulation and
/// a division per element); no parameters; data_volume = input + output.
/// Preconditions: input ≥ 1. O(1).
struct softmax {
  static constexpr layer_type type = layer_type::softmax;

  shape3 input{};  ///< left empty inside a network builder

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(input, "softmax"); }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return detail::pointwise_cost("softmax", input, 3, 0, 0);
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
