#pragma once
/// @file
/// Batched product of two activations (attention's Q·Kᵀ and A·V) for the reference runner:
/// one GEMM per batch through the chosen backend.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "synergy/layers/matmul.hpp"
#include "synergy/run/backend.hpp"
#include "synergy/run/tensor.hpp"

namespace synergy::run {

/// out_b = A_b · B_b for every batch b < d.input.z (see synergy::matmul for the mapping). In the
/// runner's z-major memory ((z·Y + y)·X + x) each batch of A is a row-major M×K matrix (rows y,
/// columns x) at offset b·M·K, of B a row-major K×N one at b·K·N, of the output a row-major M×N
/// one at b·M·N, so every batch is one plain GEMM with leading dimensions K, N, N; the backend
/// accumulates in float in its own order (tests compare with a double-precision loop).
/// Preconditions: `a`, `b`, `out` have the shapes d.input, d.rhs, d.output(). Throws
/// std::invalid_argument when a matrix dimension exceeds the BLAS `int` range.
inline void matmul_forward(backend be, const matmul& d, const tensor& a, const tensor& b,
                           tensor& out) {
  const std::int64_t batches = d.input.z, m = d.input.y, k = d.input.x, n = d.rhs.x;
  for (const std::int64_t v : {m, k, n})
    if (v > std::numeric_limits<int>::max())
      throw std::invalid_argument("synergy::run::matmul_forward: dimension " + std::to_string(v) +
                                  " exceeds the BLAS int range");
  const auto at = [](std::int64_t i) { return static_cast<std::size_t>(i); };
  for (std::int64_t i = 0; i < batches; ++i)
    gemm(be, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
         a.data.data() + at(i * m * k), b.data.data() + at(i * k * n),
         out.data.data() + at(i * m * n));
}

}  // namespace synergy::run
