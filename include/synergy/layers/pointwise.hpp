#pragma once
/// @file
/// Cost of layers that keep their input's shape and work element by element.

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy::detail {

/// Cost of a shape-preserving layer: `ops_per_element` operations on each of the x·y·z
/// elements; data volume = input + weights + biases + `state` (stored non-learned tensors
/// such as running statistics) + output.
constexpr layer_cost pointwise_cost(const char* what, const shape3& in,
                                    std::int64_t ops_per_element, std::int64_t weights,
                                    std::int64_t biases, std::int64_t state = 0) {
  const std::int64_t n = in.elements();
  return {.macs = 0,
          .ops = mul(n, ops_per_element, what),
          .weights = weights,
          .biases = biases,
          .data_volume = sum(what, n, weights, biases, state, n)};
}

}  // namespace synergy::detail
