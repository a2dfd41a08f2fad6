#pragma once
/// @file
/// DenseNet-121 as in shicai/DenseNet-Caffe `DenseNet_121.prototxt`.

#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// BatchNorm + Scale + ReLU + convolution (no bias) of DenseNet-Caffe, named
/// "<conv>/bn", "<conv>/scale", "<relu>", "<conv>".
constexpr node_id densenet_bn_relu_conv(network& n, const name_buf& conv, const name_buf& relu,
                                        const conv2d& c, node_id from) {
  n.add(name_buf(std::string_view(conv), "/bn"), batch_norm{}, {from});
  n.add(name_buf(std::string_view(conv), "/scale"), scale{.bias = true});
  n.add(relu, activation{});
  return n.add(conv, c);
}

}  // namespace detail

/// DenseNet-121 (Huang et al. 2017; SyNERGY Table 1) at 224×224 as in DenseNet-Caffe: conv1
/// 7×7/2 + BN + Scale + ReLU, max pool 3×3/2 pad 1 (rounded down: the file sets ceil_mode false);
/// dense blocks of 6, 12, 24, 16 layers (BN-ReLU-conv 1×1 → 128, BN-ReLU-conv 3×3 → 32,
/// concatenated: growth rate 32), transitions (BN-ReLU-conv 1×1 halving the channels, 2×2/2 average
/// pooling); BN + ReLU, global average pooling, `fc6` a 1×1 convolution to 1000 classes (no softmax
/// in the file). About 550 layers: a static_assert on it needs clang's -fconstexpr-steps raised
/// (g++ is fine).
[[nodiscard]] constexpr network densenet121() {
  network n("densenet121", {224, 224, 3});
  n.add("conv1", conv2d{.out_channels = 64,
                        .kernel = square(7),
                        .stride = {2, 2},
                        .padding = {3, 3},
                        .bias = false});
  n.add("conv1/bn", batch_norm{});
  n.add("conv1/scale", scale{.bias = true});
  n.add("relu1", activation{});
  node_id x = n.add(
      "pool1",
      max_pool2d{.kernel = square(3), .stride = {2, 2}, .padding = {1, 1}});  // ceil_mode: false
  constexpr int layers[] = {6, 12, 24, 16};
  std::int64_t channels = 64;
  for (int b = 2; b <= 5; ++b) {
    for (int i = 1; i <= layers[b - 2]; ++i) {
      const node_id x1 = detail::densenet_bn_relu_conv(
          n, detail::name_buf("conv", b, "_", i, "/x1"), detail::name_buf("relu", b, "_", i, "/x1"),
          conv2d{.out_channels = 128, .kernel = square(1), .bias = false}, x);
      const node_id x2 = detail::densenet_bn_relu_conv(
          n, detail::name_buf("conv", b, "_", i, "/x2"), detail::name_buf("relu", b, "_", i, "/x2"),
          conv2d{.out_channels = 32, .kernel = square(3), .padding = {1, 1}, .bias = false}, x1);
      x = n.add(detail::name_buf("concat_", b, "_", i), concat{}, {x, x2});
      channels += 32;
    }
    if (b == 5) break;
    channels /= 2;
    detail::densenet_bn_relu_conv(
        n, detail::name_buf("conv", b, "_blk"), detail::name_buf("relu", b, "_blk"),
        conv2d{.out_channels = channels, .kernel = square(1), .bias = false}, x);
    x = n.add(detail::name_buf("pool", b),
              avg_pool2d{.kernel = square(2), .stride = {2, 2}, .round = rounding::ceil});
  }
  n.add("conv5_blk/bn", batch_norm{}, {x});
  n.add("conv5_blk/scale", scale{.bias = true});
  n.add("relu5_blk", activation{});
  n.add("pool5", avg_pool2d{.global = true});
  n.add("fc6", conv2d{.out_channels = 1000, .kernel = square(1)});
  return n;
}

}  // namespace synergy::zoo
