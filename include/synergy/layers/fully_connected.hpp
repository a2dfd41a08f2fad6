#pragma once
/// @file
/// Fully connected (inner product, Gemm) layer.

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// Fully connected layer: flattens its `input` (Ix·Iy·Iz values, x fastest) and multiplies by
/// an `outputs` × (Ix·Iy·Iz) weight matrix. Output shape 1×1×outputs.
///
/// Counts: macs = Ix·Iy·Iz·outputs; ops = outputs bias additions when `bias`;
/// weights = Ix·Iy·Iz·outputs; biases = outputs when `bias`;
/// data_volume = Ix·Iy·Iz + weights + outputs (Eq 2 with a 1×1 "kernel" over the whole input).
/// Preconditions: input ≥ 1, outputs ≥ 1. All O(1).
struct fully_connected {
  static constexpr layer_type type = layer_type::fully_connected;

  shape3 input{};            ///< left empty inside a network builder
  std::int64_t outputs = 0;  ///< output neurons
  bool bias = true;

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "fully_connected");
    detail::require(outputs >= 1, "fully_connected", "outputs", outputs, "must be >= 1");
  }

  /// Output shape 1×1×outputs.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return {1, 1, outputs};
  }

  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    const std::int64_t w = detail::mul(input.elements(), outputs, "fully_connected MACs");
    return {
        .macs = w,
        .ops = bias ? outputs : 0,
        .weights = w,
        .biases = bias ? outputs : 0,
        .data_volume = detail::sum("fully_connected data volume", input.elements(), w, outputs)};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
