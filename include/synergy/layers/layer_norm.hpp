#pragma once
/// @file
/// Layer normalisation over the channels at each position (ConvNeXt, ViT).

#include <cstdint>

#include "synergy/layers/pointwise.hpp"

namespace synergy {

/// Layer normalisation over the z channels at each (x, y) position: y = (v − μ)/√(σ² + ε)·γ + β
/// with μ, σ² the mean and (biased) variance of the z values at that position — ConvNeXt's
/// LayerNorm on channels-last maps, ViT's LayerNorm over the embedding of each token (tokens
/// as a T×1×E map). With `affine`, a learned γ and β per channel (PyTorch's
/// elementwise_affine, its default).
///
/// Counts (n = x·y·z), following PyTorch's LayerNorm formula term by term, per element:
/// 1 addition for the mean, 1 subtraction (v − μ, computed once and reused), 1 multiplication
/// (its square) and 1 addition for the variance, 1 multiplication by the position's 1/√(σ² + ε)
/// → 5 ops; + 1 multiplication (γ) and 1 addition (β) when `affine` → 7. The x·y divisions and
/// square roots done once per position are not counted, as the average pooling's final
/// division is not (Eq 4). macs = 0; weights = biases = z when `affine` (γ, β), else 0;
/// data_volume = input + weights + biases + output. Preconditions: input ≥ 1. O(1).
struct layer_norm {
  static constexpr layer_type type = layer_type::layer_norm;

  shape3 input{};      ///< left empty inside a network builder
  bool affine = true;  ///< learned γ and β per channel

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(input, "layer_norm"); }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    const std::int64_t p = affine ? input.z : 0;
    return detail::pointwise_cost("layer_norm", input, affine ? 7 : 5, p, p);
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
