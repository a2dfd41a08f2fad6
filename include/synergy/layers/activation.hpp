#pragma once
/// @file
/// Element-wise activation functions.

#include <cstdint>
#include <string_view>

#include "synergy/layers/pointwise.hpp"

namespace synergy {

/// Which activation function an `activation` layer applies. The kinds after `clip` were
/// appended for modern ConvNets (values keep their order): `hard_sigmoid` = max(0, min(1,
/// x/6 + 1/2)) (PyTorch Hardsigmoid, MobileNetV3's SE gate), `hard_swish` = x·hard_sigmoid(x)
/// (MobileNetV3), `silu` = x·σ(x) (Swish; EfficientNet, RegNetY), `gelu` = x·Φ(x) with the
/// erf form of Φ (PyTorch's default GELU; ConvNeXt, ViT).
enum class activation_kind : std::uint8_t {
  relu,
  relu6,
  leaky_relu,
  prelu,
  sigmoid,
  tanh,
  clip,
  hard_sigmoid,
  hard_swish,
  silu,
  gelu,
};

/// Name of an activation kind ("relu", "prelu", ...).
[[nodiscard]] constexpr std::string_view to_string(activation_kind k) {
  switch (k) {
    case activation_kind::relu:
      return "relu";
    case activation_kind::relu6:
      return "relu6";
    case activation_kind::leaky_relu:
      return "leaky_relu";
    case activation_kind::prelu:
      return "prelu";
    case activation_kind::sigmoid:
      return "sigmoid";
    case activation_kind::tanh:
      return "tanh";
    case activation_kind::clip:
      return "clip";
    case activation_kind::hard_sigmoid:
      return "hard_sigmoid";
    case activation_kind::hard_swish:
      return "hard_swish";
    case activation_kind::silu:
      return "silu";
    case activation_kind::gelu:
      return "gelu";
  }
  return "?";
}

/// Element-wise activation. Counts: ops = x·y·z (one operation per element whatever the
/// function, the new kinds hard_sigmoid, hard_swish, silu and gelu included: an op is one
/// application of the function; how much dearer exp, erf or tanh is than a max is left to
/// the fitted models, which see the kind through the layer's class — see
/// docs/counting-conventions.md); weights = z for `prelu`
/// (one slope per channel), else 0; no biases; data_volume = input + weights + output.
/// Preconditions: input ≥ 1. O(1).
struct activation {
  static constexpr layer_type type = layer_type::activation;

  shape3 input{};  ///< left empty inside a network builder
  activation_kind kind = activation_kind::relu;

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(input, "activation"); }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return detail::pointwise_cost("activation", input, 1,
                                  kind == activation_kind::prelu ? input.z : 0, 0);
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
