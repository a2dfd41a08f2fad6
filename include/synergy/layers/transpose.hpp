#pragma once
/// @file
/// A permutation of the logical axes, or a memory-layout change (NCHW ↔ NHWC).

#include <array>
#include <cstddef>
#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// Permutes the axes: output axis i is input axis perm[i] (ONNX Transpose and torch.permute
/// restricted to the three axes x, y, z). The identity permutation (the default) stands for a
/// change of memory layout with the logical shape unchanged: ConvNeXt's permute between NCHW
/// and NHWC around its LayerNorm and Linear layers, which moves every element but leaves the
/// shape x×y×z as it was (the library's shapes are logical, not layouts).
///
/// Counts: a pure data movement: macs = ops = 0; no parameters; data_volume = 2·x·y·z (every
/// element read once and written once). Preconditions: input ≥ 1; perm a permutation of
/// (x, y, z). O(1).
struct transpose {
  static constexpr layer_type type = layer_type::transpose;

  shape3 input{};                                           ///< left empty inside a network builder
  std::array<axis3, 3> perm{axis3::x, axis3::y, axis3::z};  ///< output axis i = input axis perm[i]

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "transpose");
    constexpr const char* field[3] = {"perm[0]", "perm[1]", "perm[2]"};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto v = static_cast<std::int64_t>(perm[i]);
      detail::require(v <= static_cast<std::int64_t>(axis3::z), "transpose", field[i], v,
                      "must be x, y or z");
      for (std::size_t j = 0; j < i; ++j)
        detail::require(perm[j] != perm[i], "transpose", field[i], v,
                        "perm must be a permutation: axis repeated");
    }
  }
  /// Output shape: axis i = the input's extent along perm[i].
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return {extent_of(input, perm[0]), extent_of(input, perm[1]), extent_of(input, perm[2])};
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return {.data_volume = detail::mul(2, input.elements(), "transpose data volume")};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
