#pragma once
/// @file
/// ShuffleNetV2 ×1.0 as torchvision 0.14 builds it, in its ONNX inference-graph layout.

#include <array>
#include <cstddef>
#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"
#include "synergy/zoo/detail/torchvision.hpp"

namespace synergy::zoo {

/// ShuffleNetV2 ×1.0 (Ma et al. 2018) at 224×224 as torchvision 0.14's `shufflenet_v2_x1_0()`
/// exports to ONNX (opset 13): every BatchNorm folded into the convolution before it (each
/// conv has a bias, there is no batch_norm layer); layer names are the ONNX node names. conv1
/// 3×3/2 → 24, ReLU; max pooling 3×3/2 (padding 1); stages 2–4 of 4, 8, 4 units, 116, 232, 464
/// channels. The first unit of a stage (stride 2) runs branch1 (depthwise 3×3/2, 1×1, ReLU) and
/// branch2 (1×1, ReLU, depthwise 3×3/2, 1×1, ReLU) on the whole input; the others split the
/// channels into two slices of z ("…/Slice": the first half, passed on; "…/Slice_1": the
/// second, into branch2). Both concatenate ("…/Concat") and shuffle the channels in 2 groups
/// (channel_shuffle, named after the Reshape that starts ONNX's Reshape–Transpose–Reshape).
/// conv5 1×1 → 1024, ReLU; the mean over H and W ("/ReduceMean": a global average pooling);
/// fc 1024 → 1000. 144,907,992 MACs; 2,270,514 parameters (torchvision: 2,278,604 with
/// BatchNorm's γ and β; tests/zoo_test.cpp derives both).
[[nodiscard]] constexpr network shufflenet_v2_x1_0() {
  constexpr auto relu = activation_kind::relu;
  constexpr std::array<std::int64_t, 3> units{4, 8, 4}, widths{116, 232, 464};
  network n("shufflenet_v2_x1_0", {224, 224, 3});
  n.add("/conv1/conv1.0/Conv", detail::folded_conv(24, 3, 2));
  n.add("/conv1/conv1.2/Relu", activation{.kind = relu});
  node_id x = n.add("/maxpool/MaxPool",
                    max_pool2d{.kernel = square(3), .stride = {2, 2}, .padding = {1, 1}});
  detail::name_buf nm;
  for (int s = 0; s < 3; ++s) {
    const std::int64_t half = widths[s] / 2;
    for (int u = 0; u < units[s]; ++u) {
      const std::size_t unit = nm.reset(0, "/stage", s + 2, "/stage", s + 2, ".", u).size();
      const std::int64_t stride = u == 0 ? 2 : 1;
      node_id left = x, right = x;
      if (u == 0) {
        const std::size_t b1 = nm.reset(unit, "/branch1/branch1.").size();
        n.add(nm.reset(b1, "0/Conv"), detail::folded_dw(3, 2), {x});
        n.add(nm.reset(b1, "2/Conv"), detail::folded_conv(half, 1));
        left = n.add(nm.reset(b1, "4/Relu"), activation{.kind = relu});
      } else {
        left =
            n.add(nm.reset(unit, "/Slice"), slice{.axis = axis3::z, .begin = 0, .end = half}, {x});
        right = n.add(nm.reset(unit, "/Slice_1"),
                      slice{.axis = axis3::z, .begin = half, .end = 2 * half}, {x});
      }
      const std::size_t b2 = nm.reset(unit, "/branch2/branch2.").size();
      n.add(nm.reset(b2, "0/Conv"), detail::folded_conv(half, 1), {right});
      n.add(nm.reset(b2, "2/Relu"), activation{.kind = relu});
      n.add(nm.reset(b2, "3/Conv"), detail::folded_dw(3, stride));
      n.add(nm.reset(b2, "5/Conv"), detail::folded_conv(half, 1));
      const node_id r = n.add(nm.reset(b2, "7/Relu"), activation{.kind = relu});
      n.add(nm.reset(unit, "/Concat"), concat{}, {left, r});
      x = n.add(nm.reset(unit, "/Reshape"), channel_shuffle{.groups = 2});
    }
  }
  n.add("/conv5/conv5.0/Conv", detail::folded_conv(1024, 1), {x});
  n.add("/conv5/conv5.2/Relu", activation{.kind = relu});
  n.add("/ReduceMean", avg_pool2d{.global = true});
  n.add("/fc/Gemm", fully_connected{.outputs = 1000});
  return n;
}

}  // namespace synergy::zoo
