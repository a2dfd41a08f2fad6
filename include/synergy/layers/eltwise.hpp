#pragma once
/// @file
/// Element-wise combination of several equal-shaped inputs (residual add).

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// The operation an `eltwise` layer applies (Caffe Eltwise SUM, PROD, MAX).
enum class eltwise_op : std::uint8_t { sum, prod, max };

/// Element-wise combination of `inputs` tensors of the same shape `input` (ResNet's residual
/// add is `eltwise_op::sum` with 2 inputs).
///
/// Counts: ops = (inputs − 1)·x·y·z; no parameters (Caffe's SUM coefficients are not counted);
/// data_volume = inputs·x·y·z + x·y·z. Preconditions: input ≥ 1, inputs ≥ 2. O(1).
struct eltwise {
  static constexpr layer_type type = layer_type::eltwise;

  shape3 input{};           ///< shape of each input; set by the network builder
  std::int64_t inputs = 2;  ///< number of inputs; set by the network builder
  eltwise_op op = eltwise_op::sum;

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "eltwise");
    detail::require(inputs >= 2, "eltwise", "inputs", inputs, "must be >= 2");
  }
  /// Output shape: the inputs' shape.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    const std::int64_t n = input.elements();
    return {.macs = 0,
            .ops = detail::mul(inputs - 1, n, "eltwise ops"),
            .weights = 0,
            .biases = 0,
            .data_volume = detail::add(detail::mul(inputs, n, "eltwise data volume"), n,
                                       "eltwise data volume")};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
