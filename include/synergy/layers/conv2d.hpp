#pragma once
/// @file
/// Standard (optionally grouped, dilated) 2-D convolution.

#include <cstdint>

#include "synergy/layers/layer_type.hpp"
#include "synergy/layers/window.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// 2-D convolution of an `input` (x·y·z) with `out_channels` filters of `kernel` (Kx·Ky·Iz/groups).
///
/// Counts (SyNERGY Eq 1, 2; O = output()):
/// - macs = Ox·Oy·Oz·Kx·Ky·(Iz/groups)
/// - ops = Ox·Oy·Oz bias additions when `bias`, else 0
/// - weights = Kx·Ky·(Iz/groups)·Oz, biases = Oz when `bias`
/// - data_volume = Ix·Iy·Iz + weights + Ox·Oy·Oz (Eq 2; biases are not counted, as in the paper)
///
/// Output size: floor((I + 2·padding − dilation·(K − 1) − 1) / stride) + 1 per axis.
/// Preconditions (else constant-evaluation failure / std::invalid_argument naming the field):
/// input ≥ 1, out_channels ≥ 1, kernel/stride/dilation ≥ 1, padding ≥ 0, groups ≥ 1 dividing
/// both Iz and out_channels, dilated kernel ≤ padded input. Counts overflowing 64 bits raise
/// std::overflow_error. Every member function is O(1).
struct conv2d {
  static constexpr layer_type type = layer_type::conv2d;

  shape3 input{};                 ///< input feature map; left empty inside a network builder
  std::int64_t out_channels = 0;  ///< Oz, number of filters
  extent2 kernel{};               ///< Kx, Ky
  extent2 stride{1, 1};
  extent2 padding{0, 0};  ///< zero padding on each side (symmetric, as in Caffe)
  extent2 dilation{1, 1};
  std::int64_t groups = 1;  ///< channel groups (AlexNet: 2); Iz and Oz divisible by it
  bool bias = true;

  /// Checks the preconditions above.
  constexpr void validate() const {
    constexpr const char* n = "conv2d";
    detail::require_shape(input, n);
    detail::require(out_channels >= 1, n, "out_channels", out_channels, "must be >= 1");
    detail::require(groups >= 1, n, "groups", groups, "must be >= 1");
    detail::require(input.z % groups == 0, n, "input.z", input.z, "must be divisible by groups");
    detail::require(out_channels % groups == 0, n, "out_channels", out_channels,
                    "must be divisible by groups");
    detail::require_window(n, "kernel.x", "stride.x", "padding.x", "dilation.x", input.x, kernel.x,
                           stride.x, padding.x, dilation.x);
    detail::require_window(n, "kernel.y", "stride.y", "padding.y", "dilation.y", input.y, kernel.y,
                           stride.y, padding.y, dilation.y);
  }

  /// Output shape (Ox, Oy, Oz).
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return {
        detail::window_output(input.x, kernel.x, stride.x, padding.x, dilation.x, rounding::floor),
        detail::window_output(input.y, kernel.y, stride.y, padding.y, dilation.y, rounding::floor),
        out_channels};
  }

  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    const shape3 o = output();
    const std::int64_t out = o.elements();
    const std::int64_t w =
        detail::product("conv2d weights", kernel.x, kernel.y, input.z / groups, out_channels);
    const std::int64_t b = bias ? out_channels : 0;
    return {
        .macs = detail::product("conv2d MACs (Eq 1)", out, kernel.x, kernel.y, input.z / groups),
        .ops = bias ? out : 0,
        .weights = w,
        .biases = b,
        .data_volume = detail::sum("conv2d data volume (Eq 2)", input.elements(), w, out)};
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
