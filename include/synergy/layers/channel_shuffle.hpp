#pragma once
/// @file
/// Channel shuffle (ShuffleNet, ShuffleNetV2).

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// Channel shuffle with `groups` groups: the z channels, seen as `groups` × (z / groups), are
/// transposed to (z / groups) × `groups` and flattened again (PyTorch's
/// torchvision.models.shufflenetv2.channel_shuffle; in ONNX the Reshape–Transpose–Reshape
/// triple). Output channel i·groups + j is input channel j·(z / groups) + i.
///
/// Counts: a pure data movement: macs = ops = 0; no parameters; data_volume = 2·x·y·z (every
/// element read once and written once). Preconditions: input ≥ 1, groups ≥ 1, z divisible by
/// groups. O(1).
struct channel_shuffle {
  static constexpr layer_type type = layer_type::channel_shuffle;

  shape3 input{};           ///< left empty inside a network builder
  std::int64_t groups = 2;  ///< number of groups the channels are split into

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "channel_shuffle");
    detail::require(groups >= 1, "channel_shuffle", "groups", groups, "must be >= 1");
    detail::require(input.z % groups == 0, "channel_shuffle", "input.z", input.z,
                    "must be divisible by groups");
  }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return {.data_volume = detail::mul(2, input.elements(), "channel_shuffle data volume")};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
