#pragma once
/// @file
/// The identity at inference (stochastic depth, nn.Identity, ONNX Identity).

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// The identity: output = input. Stochastic depth (torchvision's StochasticDepth in
/// EfficientNet and ConvNeXt) and nn.Identity at inference, ONNX Identity. A no-op view:
/// nothing is computed, read or written, so all counts are 0. Preconditions: input ≥ 1. O(1).
struct identity {
  static constexpr layer_type type = layer_type::identity;

  shape3 input{};  ///< left empty inside a network builder

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(input, "identity"); }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once: all zero (the input is still validated).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return {};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
