#pragma once
/// @file
/// Channel concatenation (Inception, DenseNet).

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// Concatenation of `inputs` tensors along z. `input` describes the inputs taken together:
/// their common x, y and the sum of their channels (the network builder sets it and checks
/// that x and y agree).
///
/// Counts: ops = 0; no parameters; data_volume = 2·x·y·z (every input element read once and
/// written once). Preconditions: input ≥ 1, inputs ≥ 1. O(1).
struct concat {
  static constexpr layer_type type = layer_type::concat;

  shape3 input{};           ///< combined input: common x, y; z = sum of the inputs' channels
  std::int64_t inputs = 2;  ///< number of inputs; set by the network builder

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "concat");
    detail::require(inputs >= 1, "concat", "inputs", inputs, "must be >= 1");
  }
  /// Output shape: the combined input.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return {.data_volume = detail::mul(2, input.elements(), "concat data volume")};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
