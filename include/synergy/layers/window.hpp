#pragma once
/// @file
/// Output size of a sliding window (convolution or pooling) along one axis.

#include <cstdint>

#include "synergy/detail/checked.hpp"

namespace synergy {

/// How a window's output size is rounded. `floor` is the convolution rule of every framework
/// and PyTorch's default for pooling; `ceil` is Caffe's pooling rule (and PyTorch `ceil_mode`).
enum class rounding : std::uint8_t { floor, ceil };

namespace detail {

/// Output size along one axis:
///   floor: O = floor((I + 2·pad − dil·(K − 1) − 1) / stride) + 1
///   ceil:  O = ceil ((I + 2·pad − dil·(K − 1) − 1) / stride) + 1, then, as Caffe's
///          PoolingLayer::Reshape does when pad > 0, O − 1 if the last window would start
///          at or beyond I + pad (it would see only padding).
/// Preconditions (checked by the caller's validate): I ≥ 1, K ≥ 1, stride ≥ 1, dil ≥ 1,
/// pad ≥ 0, dil·(K − 1) + 1 ≤ I + 2·pad.
constexpr std::int64_t window_output(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                                     std::int64_t pad, std::int64_t dilation, rounding mode) {
  const std::int64_t span = in + 2 * pad - dilation * (kernel - 1) - 1;
  if (mode == rounding::floor) return floor_div(span, stride) + 1;
  std::int64_t out = ceil_div(span, stride) + 1;
  if (pad > 0 && (out - 1) * stride >= in + pad) --out;
  return out;
}

/// Validates one axis of a window: kernel, stride, dilation ≥ 1, pad ≥ 0, and the
/// (dilated) kernel fits in the padded input. `axis` is "x" or "y" for the message.
constexpr void require_window(const char* layer, const char* kernel_field, const char* stride_field,
                              const char* pad_field, const char* dilation_field, std::int64_t in,
                              std::int64_t kernel, std::int64_t stride, std::int64_t pad,
                              std::int64_t dilation) {
  require(kernel >= 1, layer, kernel_field, kernel, "must be >= 1");
  require(stride >= 1, layer, stride_field, stride, "must be >= 1");
  require(pad >= 0, layer, pad_field, pad, "must be >= 0");
  require(dilation >= 1, layer, dilation_field, dilation, "must be >= 1");
  const std::int64_t reach = add(mul(dilation, kernel - 1, kernel_field), 1, kernel_field);
  const std::int64_t padded = add(in, mul(2, pad, pad_field), pad_field);
  require(reach <= padded, layer, kernel_field, kernel,
          "dilated kernel larger than the padded input");
}

}  // namespace detail
}  // namespace synergy
