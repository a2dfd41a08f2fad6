#pragma once
/// @file
/// An operation the library does not count (an imported op it does not know).

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// An operation the library does not understand: what an importer's `--zero-cost-unsupported`
/// turns an unknown op into, so that the network stays connected. It carries only its output
/// shape (the op's name is the layer's name in the network). Its counts are all 0, meaning
/// "not counted", not "free": totals of a network with opaque layers are lower bounds. The
/// reference runner refuses to run it (it has no semantics).
/// Preconditions: input ≥ 1, output_shape ≥ 1. O(1).
struct opaque {
  static constexpr layer_type type = layer_type::opaque;

  shape3 input{};         ///< left empty inside a network builder
  shape3 output_shape{};  ///< the shape the op produces

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "opaque");
    detail::require(output_shape.x >= 1, "opaque", "output_shape.x", output_shape.x,
                    "must be >= 1");
    detail::require(output_shape.y >= 1, "opaque", "output_shape.y", output_shape.y,
                    "must be >= 1");
    detail::require(output_shape.z >= 1, "opaque", "output_shape.z", output_shape.z,
                    "must be >= 1");
  }
  /// Output shape: output_shape.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return output_shape;
  }
  /// All counts at once: all zero, "not counted" (the descriptor is still validated).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    return {};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
