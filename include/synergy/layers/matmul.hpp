#pragma once
/// @file
/// Batched product of two activations (attention's Q·Kᵀ and A·V; ONNX MatMul of two rank-3/4
/// tensors).

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// Batched matrix product of two activations, out_b = A_b · B_b for each of `batch` b, as ONNX
/// MatMul of two rank-3 (Bt, M, K) or rank-4 (N, Bt, M, K) tensors: the product of the last two
/// axes, the leading ones a batch (attention heads). Both operands and the output are x, y, z
/// maps in the importer's mapping of such tensors (the last axis on x, the one before on y, the
/// batch on z, as N C H W is W, H, C), so each batch is a row-major matrix in z-major memory:
/// - `input` (A): x = K columns, y = M rows, z = Bt batch;
/// - `rhs` (B): x = N columns, y = K rows, z = Bt batch;
/// - output: x = N, y = M, z = Bt.
/// The network builder sets `input` and `rhs` from the two producers (in that order).
/// ViT-B/16's Q·Kᵀ: A = 64×197×12 (K = 64, M = 197 tokens, 12 heads), B = 197×64×12 (Kᵀ).
///
/// Counts: macs = Bt·M·N·K (one multiply-accumulate per term of every dot product);
/// ops = 0 (no bias: every arithmetic operation is a MAC, as conv2d and fully_connected count);
/// no parameters (both operands are activations); data_volume = elements of A + B + output
/// (Bt·M·K + Bt·K·N + Bt·M·N). Preconditions: input ≥ 1, rhs ≥ 1, rhs.y = input.x (K),
/// rhs.z = input.z (the batch: ONNX's broadcasting of a batch of 1 is not supported).
/// Violations fail constant evaluation or throw std::invalid_argument naming the field. O(1).
struct matmul {
  static constexpr layer_type type = layer_type::matmul;

  shape3 input{};  ///< A: x = K, y = M, z = batch; set by the network builder
  shape3 rhs{};    ///< B: x = N, y = K, z = batch; set by the network builder

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "matmul");
    detail::require(rhs.x >= 1, "matmul", "rhs.x", rhs.x, "must be >= 1");
    detail::require(rhs.y >= 1, "matmul", "rhs.y", rhs.y, "must be >= 1");
    detail::require(rhs.z >= 1, "matmul", "rhs.z", rhs.z, "must be >= 1");
    detail::require(rhs.y == input.x, "matmul", "rhs.y", rhs.y,
                    "must equal input.x: B's rows are A's columns, K");
    detail::require(rhs.z == input.z, "matmul", "rhs.z", rhs.z,
                    "must equal input.z: both operands have the same batch");
  }
  /// Output shape: N × M × batch (rhs.x × input.y × input.z).
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return {rhs.x, input.y, input.z};
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    const shape3 out = output();
    constexpr const char* dv = "matmul data volume";
    return {.macs = detail::mul(out.elements(), input.x, "matmul MACs"),
            .ops = 0,
            .weights = 0,
            .biases = 0,
            .data_volume = detail::sum(dv, input.elements(), rhs.elements(), out.elements())};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
