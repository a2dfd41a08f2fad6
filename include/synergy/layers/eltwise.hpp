#pragma once
/// @file
/// Element-wise combination of several inputs (residual add; the squeeze-and-excitation gate,
/// which broadcasts a 1×1×z vector over an x×y×z map).

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// The operation an `eltwise` layer applies (Caffe Eltwise SUM, PROD, MAX).
enum class eltwise_op : std::uint8_t { sum, prod, max };

/// Element-wise combination of `inputs` tensors (ResNet's residual add is `eltwise_op::sum`
/// with 2 inputs). Each input has either the full shape `input` (x×y×z) or, for
/// `broadcast_inputs` of them, the shape 1×1×z, broadcast over x and y (the squeeze-and-
/// excitation gate of MobileNetV3, EfficientNet, RegNetY: C×1×1 times C×H×W, as ONNX Mul with
/// numpy broadcasting). The output has the full shape, whatever the order of the inputs. The
/// network builder sets `input`, `inputs` and `broadcast_inputs` from the producers.
///
/// Counts (b = broadcast_inputs, n = x·y·z): ops = (inputs − 1)·n (every output element
/// combines one value of each input); no parameters (Caffe's SUM coefficients are not
/// counted); data_volume = (inputs − b)·n + b·z + n (a broadcast vector is read once: it stays
/// in cache). Preconditions: input ≥ 1, inputs ≥ 2, 0 ≤ broadcast_inputs < inputs (at least
/// one input is full). O(1).
struct eltwise {
  static constexpr layer_type type = layer_type::eltwise;

  shape3 input{};           ///< shape of each input; set by the network builder
  std::int64_t inputs = 2;  ///< number of inputs; set by the network builder
  eltwise_op op = eltwise_op::sum;
  /// How many inputs are 1×1×z vectors broadcast over x and y; set by the network builder.
  /// (Last, so that `eltwise{.input = s, .inputs = 2, .op = eltwise_op::sum}` still compiles.)
  std::int64_t broadcast_inputs = 0;

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "eltwise");
    detail::require(inputs >= 2, "eltwise", "inputs", inputs, "must be >= 2");
    detail::require(broadcast_inputs >= 0, "eltwise", "broadcast_inputs", broadcast_inputs,
                    "must be >= 0");
    detail::require(broadcast_inputs < inputs, "eltwise", "broadcast_inputs", broadcast_inputs,
                    "must be < inputs: one input at least has the full shape");
  }
  /// Output shape: the full input shape.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    const std::int64_t n = input.elements();
    constexpr const char* dv = "eltwise data volume";
    return {.macs = 0,
            .ops = detail::mul(inputs - 1, n, "eltwise ops"),
            .weights = 0,
            .biases = 0,
            .data_volume = detail::sum(dv, detail::mul(inputs - broadcast_inputs, n, dv),
                                       detail::mul(broadcast_inputs, input.z, dv), n)};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
