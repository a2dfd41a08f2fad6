#pragma once
/// @file
/// Batch normalisation at inference (running statistics).

#include <cstdint>

#include "synergy/layers/pointwise.hpp"

namespace synergy {

/// Batch normalisation with stored per-channel mean and variance; with `affine` it also
/// applies a learned per-channel scale γ and shift β (PyTorch BatchNorm2d). Caffe's BatchNorm
/// has no γ, β (`affine = false`) and is followed by a `scale` layer.
///
/// Counts: ops = 2·x·y·z (subtract the mean, multiply by the stored 1/σ) + 2·x·y·z when
/// `affine`; weights = biases = z when `affine` (γ, β), else 0 — running statistics are state,
/// not parameters; data_volume = input + 2·z (mean, variance) + weights + biases + output.
/// Preconditions: input ≥ 1. O(1).
struct batch_norm {
  static constexpr layer_type type = layer_type::batch_norm;

  shape3 input{};       ///< left empty inside a network builder
  bool affine = false;  ///< learned γ and β per channel

  /// Checks the preconditions above.
  constexpr void validate() const { detail::require_shape(input, "batch_norm"); }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    const std::int64_t p = affine ? input.z : 0;
    return detail::pointwise_cost("batch_norm", input, affine ? 4 : 2, p, p,
                                  detail::mul(2, input.z, "batch_norm state"));
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
