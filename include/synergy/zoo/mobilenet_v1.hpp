#pragma once
/// @file
/// MobileNet v1 (width 1.0, 224×224) as in shicai/MobileNet-Caffe `mobilenet_deploy.prototxt`.

#include <array>
#include <cstdint>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// One depthwise-separable block of MobileNet v1: Caffe names, stride of the depthwise conv,
/// output channels of the pointwise conv.
struct mobilenet_v1_block {
  std::string_view name;  // e.g. "conv2_1"
  std::int64_t stride;
  std::int64_t out_channels;
};

/// Adds `<prefix>`, `<prefix>/bn`, `<prefix>/scale` and a ReLU named `relu` (the Caffe file's
/// Convolution → BatchNorm → Scale → ReLU pattern; no conv bias, BN without affine).
template <class Conv>
constexpr void add_conv_bn_relu(network& n, std::string_view prefix, std::string_view relu,
                                const Conv& conv) {
  n.add(prefix, conv);
  n.add(name_buf(prefix, "/bn"), batch_norm{});
  n.add(name_buf(prefix, "/scale"), scale{});
  n.add(relu, activation{});
}

}  // namespace detail

/// MobileNet v1 (Howard et al. 2017, width multiplier 1.0) as in the Caffe file the SyNERGY
/// authors used: 224×224×3 input; conv1 3×3/2 then 13 depthwise-separable blocks, each conv
/// followed by BatchNorm + Scale + ReLU; global average pooling; `fc7` a 1×1 convolution to
/// 1000 classes; softmax. 568,740,352 MACs and 4,231,976 parameters (the paper: 569 M
/// mult-adds, 4.2 M parameters).
[[nodiscard]] constexpr network mobilenet_v1() {
  network n("mobilenet_v1", {224, 224, 3});
  detail::add_conv_bn_relu(n, "conv1", "relu1",
                           conv2d{.out_channels = 32,
                                  .kernel = square(3),
                                  .stride = {2, 2},
                                  .padding = {1, 1},
                                  .bias = false});
  constexpr std::array<detail::mobilenet_v1_block, 13> blocks{{
      {"conv2_1", 1, 64},
      {"conv2_2", 2, 128},
      {"conv3_1", 1, 128},
      {"conv3_2", 2, 256},
      {"conv4_1", 1, 256},
      {"conv4_2", 2, 512},
      {"conv5_1", 1, 512},
      {"conv5_2", 1, 512},
      {"conv5_3", 1, 512},
      {"conv5_4", 1, 512},
      {"conv5_5", 1, 512},
      {"conv5_6", 2, 1024},
      {"conv6", 1, 1024},
  }};
  for (const auto& b : blocks) {
    const std::string_view id = b.name.substr(4);  // "2_1" of "conv2_1"
    detail::add_conv_bn_relu(
        n, detail::name_buf(b.name, "/dw"), detail::name_buf("relu", id, "/dw"),
        depthwise_conv2d{
            .kernel = square(3), .stride = {b.stride, b.stride}, .padding = {1, 1}, .bias = false});
    detail::add_conv_bn_relu(
        n, detail::name_buf(b.name, "/sep"), detail::name_buf("relu", id, "/sep"),
        conv2d{.out_channels = b.out_channels, .kernel = square(1), .bias = false});
  }
  n.add("pool6", avg_pool2d{.global = true});
  n.add("fc7", conv2d{.out_channels = 1000, .kernel = square(1)});
  n.add("prob", softmax{});
  return n;
}

}  // namespace synergy::zoo
