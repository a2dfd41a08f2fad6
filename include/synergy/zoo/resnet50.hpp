#pragma once
/// @file
/// ResNet-50 as in Kaiming He's Caffe release (`ResNet-50-deploy.prototxt`).

#include <cstdint>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/blocks.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// res<b>_<branch> (conv, no bias) → bn<b>_<branch> → scale<b>_<branch>; `relu` adds
/// res<b>_<branch>_relu. Returns the last id.
constexpr node_id resnet_conv(network& n, std::string_view block, std::string_view branch,
                              const conv2d& c, node_id from, bool relu) {
  n.add(name_buf("res", block, "_", branch), c, {from});
  n.add(name_buf("bn", block, "_", branch), batch_norm{});
  const node_id s = n.add(name_buf("scale", block, "_", branch), scale{.bias = true});
  return relu ? n.add(name_buf("res", block, "_", branch, "_relu"), activation{}) : s;
}

/// A bottleneck block of the Caffe ResNet: 1×1 (stride here, as in the Caffe release) → 3×3 →
/// 1×1 ×4 widths, a projection shortcut "branch1" on the first block of a stage, the sum
/// "res<b>" and its ReLU.
constexpr node_id resnet_bottleneck(network& n, std::string_view block, node_id from,
                                    std::int64_t width, std::int64_t stride, bool project) {
  const node_id shortcut =
      project ? resnet_conv(n, block, "branch1", detail::conv_no_bias(4 * width, 1, stride), from,
                            false)
              : from;
  node_id x = resnet_conv(n, block, "branch2a", detail::conv_no_bias(width, 1, stride), from, true);
  x = resnet_conv(n, block, "branch2b", detail::conv_no_bias(width, 3, 1), x, true);
  x = resnet_conv(n, block, "branch2c", detail::conv_no_bias(4 * width, 1, 1), x, false);
  n.add(name_buf("res", block), eltwise{}, {shortcut, x});
  return n.add(name_buf("res", block, "_relu"), activation{});
}

}  // namespace detail

/// ResNet-50 (He et al. 2016; SyNERGY Table 1) at 224×224 as in the authors' Caffe release:
/// conv1 7×7/2 (with bias) + BN + Scale + ReLU, max pool 3×3/2 (ceil); bottleneck stages of
/// 3, 4, 6, 3 blocks (widths 64–512, stride in the first 1×1 of stages 3–5, projection
/// shortcuts "branch1"); 7×7 average pooling; fc1000; softmax. Caffe's layer names.
/// 3,857,973,248 MACs (the paper: 3.8 × 10⁹ multiply-adds), 25,557,096 parameters.
[[nodiscard]] constexpr network resnet50() {
  network n("resnet50", {224, 224, 3});
  n.add("conv1",
        conv2d{.out_channels = 64, .kernel = square(7), .stride = {2, 2}, .padding = {3, 3}});
  n.add("bn_conv1", batch_norm{});
  n.add("scale_conv1", scale{.bias = true});
  n.add("conv1_relu", activation{});
  node_id x =
      n.add("pool1", max_pool2d{.kernel = square(3), .stride = {2, 2}, .round = rounding::ceil});
  constexpr int blocks[] = {3, 4, 6, 3};
  for (int stage = 0; stage < 4; ++stage)
    for (int b = 0; b < blocks[stage]; ++b)
      x = detail::resnet_bottleneck(n, detail::name_buf(stage + 2, static_cast<char>('a' + b)), x,
                                    std::int64_t{64} << stage, b == 0 && stage > 0 ? 2 : 1, b == 0);
  n.add("pool5", avg_pool2d{.kernel = square(7), .round = rounding::ceil});
  n.add("fc1000", fully_connected{.outputs = 1000});
  n.add("prob", softmax{});
  return n;
}

}  // namespace synergy::zoo
