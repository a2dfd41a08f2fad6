#pragma once
/// @file
/// MobileNet v2 as in shicai/MobileNet-Caffe `mobilenet_v2_deploy.prototxt`.

#include <array>
#include <cstdint>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// One inverted-residual block of the Caffe file: expansion width, depthwise stride, output
/// channels; a residual sum "block_<id>" when input and output shapes agree.
struct mobilenet_v2_block {
  std::string_view id;  // "2_1"
  std::int64_t expand, stride, out;
};

/// "<conv>" (no bias) → "<conv>/bn" → "<conv>/scale" (→ ReLU "<relu>" unless empty).
template <class Conv>
constexpr node_id mobilenet_v2_unit(network& n, const name_buf& conv, std::string_view relu,
                                    const Conv& c, node_id from) {
  const std::string_view name = conv;
  n.add(name, c, {from});
  n.add(name_buf(name, "/bn"), batch_norm{});
  const node_id s = n.add(name_buf(name, "/scale"), scale{.bias = true});
  return relu.empty() ? s : n.add(relu, activation{});
}

}  // namespace detail

/// MobileNet v2 (Sandler et al. 2018) at 224×224 as in the Caffe file the SyNERGY authors' tool
/// chain used: conv1 3×3/2 → 32; 17 inverted-residual blocks (1×1 expand, 3×3 depthwise,
/// 1×1 linear projection, each with BN + Scale, ReLU after the first two; eltwise sums
/// "block_<id>" where shapes agree); conv6_4 1×1 → 1280; global average pooling; fc7 (1×1 conv
/// → 1000); softmax. As written in that file, the first block has a 1×1 expansion and the
/// 64-channel stage runs at 28×28 (the stride sits in the 96-channel stage), so it counts
/// 429,111,936 MACs where the paper's layout counts 300 M.
[[nodiscard]] constexpr network mobilenet_v2() {
  network n("mobilenet_v2", {224, 224, 3});
  node_id x = detail::mobilenet_v2_unit(n, detail::name_buf("conv1"), "relu1",
                                        conv2d{.out_channels = 32,
                                               .kernel = square(3),
                                               .stride = {2, 2},
                                               .padding = {1, 1},
                                               .bias = false},
                                        0);
  constexpr std::array<detail::mobilenet_v2_block, 17> blocks{{
      {"2_1", 32, 1, 16},
      {"2_2", 96, 2, 24},
      {"3_1", 144, 1, 24},
      {"3_2", 144, 2, 32},
      {"4_1", 192, 1, 32},
      {"4_2", 192, 1, 32},
      {"4_3", 192, 1, 64},
      {"4_4", 384, 1, 64},
      {"4_5", 384, 1, 64},
      {"4_6", 384, 1, 64},
      {"4_7", 384, 2, 96},
      {"5_1", 576, 1, 96},
      {"5_2", 576, 1, 96},
      {"5_3", 576, 2, 160},
      {"6_1", 960, 1, 160},
      {"6_2", 960, 1, 160},
      {"6_3", 960, 1, 320},
  }};
  for (const auto& b : blocks) {
    const shape3 in = n.output(x);
    const detail::name_buf relu_expand("relu", b.id, "/expand"), relu_dwise("relu", b.id, "/dwise");
    node_id y = detail::mobilenet_v2_unit(
        n, detail::name_buf("conv", b.id, "/expand"), relu_expand,
        conv2d{.out_channels = b.expand, .kernel = square(1), .bias = false}, x);
    y = detail::mobilenet_v2_unit(
        n, detail::name_buf("conv", b.id, "/dwise"), relu_dwise,
        depthwise_conv2d{
            .kernel = square(3), .stride = {b.stride, b.stride}, .padding = {1, 1}, .bias = false},
        y);
    y = detail::mobilenet_v2_unit(n, detail::name_buf("conv", b.id, "/linear"), "",
                                  conv2d{.out_channels = b.out, .kernel = square(1), .bias = false},
                                  y);
    x = b.stride == 1 && in.z == b.out ? n.add(detail::name_buf("block_", b.id), eltwise{}, {x, y})
                                       : y;
  }
  detail::mobilenet_v2_unit(n, detail::name_buf("conv6_4"), "relu6_4",
                            conv2d{.out_channels = 1280, .kernel = square(1), .bias = false}, x);
  n.add("pool6", avg_pool2d{.global = true});
  n.add("fc7", conv2d{.out_channels = 1000, .kernel = square(1)});
  n.add("prob", softmax{});
  return n;
}

}  // namespace synergy::zoo
