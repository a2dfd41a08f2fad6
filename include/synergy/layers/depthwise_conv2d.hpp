#pragma once
/// @file
/// Depthwise 2-D convolution (one filter bank per input channel; groups = channels).

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/layers/window.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// Depthwise convolution: each of the Iz input channels is convolved with `multiplier`
/// filters of Kx·Ky, so Oz = Iz·multiplier. Followed by a 1×1 `conv2d` (pointwise) it forms the
/// depthwise-separable convolution of MobileNet, whose MACs the two layers together give as
/// SyNERGY Eq 3: Ox·Oy·Kx·Ky·Iz + Iz·Oz·Ox·Oy.
///
/// Counts (O = output()):
/// - macs = Ox·Oy·Kx·Ky·Iz·multiplier (Eq 3, depthwise term)
/// - ops = Ox·Oy·Oz bias additions when `bias`
/// - weights = Kx·Ky·Iz·multiplier, biases = Oz when `bias`
/// - data_volume = Ix·Iy·Iz + weights + Ox·Oy·Oz
///
/// Preconditions as for conv2d (multiplier ≥ 1 in place of groups). All O(1).
struct depthwise_conv2d {
  static constexpr layer_type type = layer_type::depthwise_conv2d;

  shape3 input{};    ///< input feature map; left empty inside a network builder
  extent2 kernel{};  ///< Kx, Ky
  extent2 stride{1, 1};
  extent2 padding{0, 0};  ///< zero padding on each side
  extent2 dilation{1, 1};
  std::int64_t multiplier = 1;  ///< filters per input channel (depth multiplier)
  bool bias = true;

  /// Checks the preconditions above.
  constexpr void validate() const {
    constexpr const char* n = "depthwise_conv2d";
    detail::require_shape(input, n);
    detail::require(multiplier >= 1, n, "multiplier", multiplier, "must be >= 1");
    detail::require_window(n, "kernel.x", "stride.x", "padding.x", "dilation.x", input.x, kernel.x,
                           stride.x, padding.x, dilation.x);
    detail::require_window(n, "kernel.y", "stride.y", "padding.y", "dilation.y", input.y, kernel.y,
                           stride.y, padding.y, dilation.y);
  }

  /// Output shape (Ox, Oy, Iz·multiplier).
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return {
        detail::window_output(input.x, kernel.x, stride.x, padding.x, dilation.x, rounding::floor),
        detail::window_output(input.y, kernel.y, stride.y, padding.y, dilation.y, rounding::floor),
        detail::mul(input.z, multiplier, "depthwise_conv2d output channels")};
  }

  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    const shape3 o = output();
    const std::int64_t out = o.elements();
    const std::int64_t w = detail::product("depthwise_conv2d weights", kernel.x, kernel.y, o.z);
    return {
        .macs = detail::product("depthwise_conv2d MACs (Eq 3)", o.x, o.y, kernel.x, kernel.y, o.z),
        .ops = bias ? out : 0,
        .weights = w,
        .biases = bias ? o.z : 0,
        .data_volume = detail::sum("depthwise_conv2d data volume", input.elements(), w, out)};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
