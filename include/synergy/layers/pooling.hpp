#pragma once
/// @file
/// 2-D max and average pooling: `max_pool2d`, `avg_pool2d`.

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/layers/window.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// What a pooling window computes.
enum class pool_kind : std::uint8_t { max, avg };

/// 2-D pooling over `kernel` windows, channel by channel (Oz = Iz). Use the aliases
/// `max_pool2d` and `avg_pool2d`.
///
/// Output size: window_output() with `round` (Caffe files: `rounding::ceil`). `global` pools the
/// whole map (kernel = Ix×Iy, stride 1, no padding; kernel/stride/padding fields are ignored).
///
/// Counts (SyNERGY Eq 4; O = output(), K = effective kernel):
/// - ops = Ox·Oy·Oz·(Kx·Ky − 1): comparisons (max) or additions (avg); the average's final
///   division is not counted, as in Eq 4
/// - macs = weights = biases = 0; data_volume = Ix·Iy·Iz + Ox·Oy·Oz
///
/// Preconditions: input ≥ 1; unless global: kernel, stride ≥ 1, 0 ≤ padding < kernel (Caffe's
/// rule), kernel ≤ padded input. All O(1).
template <pool_kind Kind>
struct pool2d {
  static constexpr layer_type type =
      Kind == pool_kind::max ? layer_type::max_pool2d : layer_type::avg_pool2d;

  shape3 input{};    ///< left empty inside a network builder
  extent2 kernel{};  ///< Kpx, Kpy
  extent2 stride{1, 1};
  extent2 padding{0, 0};
  rounding round = rounding::floor;  ///< output rounding; Caffe pools with ceil
  bool global = false;               ///< pool the whole map to 1×1

  /// Checks the preconditions above.
  constexpr void validate() const {
    constexpr const char* n = Kind == pool_kind::max ? "max_pool2d" : "avg_pool2d";
    detail::require_shape(input, n);
    if (global) return;
    detail::require_window(n, "kernel.x", "stride.x", "padding.x", "dilation.x", input.x, kernel.x,
                           stride.x, padding.x, 1);
    detail::require_window(n, "kernel.y", "stride.y", "padding.y", "dilation.y", input.y, kernel.y,
                           stride.y, padding.y, 1);
    detail::require(padding.x < kernel.x, n, "padding.x", padding.x, "must be < kernel.x");
    detail::require(padding.y < kernel.y, n, "padding.y", padding.y, "must be < kernel.y");
  }

  /// The kernel actually applied: the whole map when `global`.
  [[nodiscard]] constexpr extent2 effective_kernel() const {
    return global ? extent2{input.x, input.y} : kernel;
  }

  /// Output shape (Ox, Oy, Iz).
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    if (global) return {1, 1, input.z};
    return {detail::window_output(input.x, kernel.x, stride.x, padding.x, 1, round),
            detail::window_output(input.y, kernel.y, stride.y, padding.y, 1, round), input.z};
  }

  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    const shape3 o = output();
    const extent2 k = effective_kernel();
    const std::int64_t window = detail::mul(k.x, k.y, "pooling window");
    return {.macs = 0,
            .ops = detail::mul(o.elements(), window - 1, "pooling op count (Eq 4)"),
            .weights = 0,
            .biases = 0,
            .data_volume = detail::add(input.elements(), o.elements(), "pooling data volume")};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

/// Max pooling (op count: comparisons, Eq 4).
using max_pool2d = pool2d<pool_kind::max>;
/// Average pooling (op count: additions, Eq 4).
using avg_pool2d = pool2d<pool_kind::avg>;

}  // namespace synergy
