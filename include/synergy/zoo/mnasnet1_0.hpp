#pragma once
/// @file
/// MnasNet 1.0 as torchvision 0.14 builds it, in its ONNX inference-graph layout.

#include <array>
#include <cstddef>
#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"
#include "synergy/zoo/detail/torchvision.hpp"

namespace synergy::zoo {

namespace detail {

/// One stack of torchvision's MNASNet (depth multiplier 1): output channels, kernel, stride of
/// the first block, expansion ratio, blocks.
struct mnasnet_stack {
  std::int64_t out, kernel, stride, expand, blocks;
};

}  // namespace detail

/// MnasNet-A1 without squeeze-and-excitation, depth multiplier 1.0 (Tan et al. 2019), at
/// 224×224 as torchvision 0.14's `mnasnet1_0()` exports to ONNX (opset 13): every BatchNorm
/// folded into the convolution before it (each conv has a bias, there is no batch_norm layer);
/// layer names are the ONNX node names ("/layers/layers.8/layers.8.0/layers/layers.0/Conv").
/// layers.0 3×3/2 → 32, ReLU; layers.3 depthwise 3×3, ReLU; layers.6 1×1 → 16; stacks
/// layers.8–13 of inverted residuals (1×1 expansion, ReLU, k×k depthwise, ReLU, 1×1
/// projection; "…/Add" where shapes agree); layers.14 1×1 → 1280, ReLU; the mean over H and W
/// (ONNX ReduceMean "/ReduceMean": a global average pooling); (Dropout, gone at export) Linear
/// 1280 → 1000. 314,415,872 MACs; 4,364,352 parameters (torchvision: 4,383,312 with BatchNorm's
/// γ and β; tests/zoo_test.cpp derives both).
[[nodiscard]] constexpr network mnasnet1_0() {
  constexpr auto relu = activation_kind::relu;
  constexpr std::array<detail::mnasnet_stack, 6> stacks{{
      {24, 3, 2, 3, 3},
      {40, 5, 2, 3, 3},
      {80, 5, 2, 6, 3},
      {96, 3, 1, 6, 2},
      {192, 5, 2, 6, 4},
      {320, 3, 1, 6, 1},
  }};
  network n("mnasnet1_0", {224, 224, 3});
  n.add("/layers/layers.0/Conv", detail::folded_conv(32, 3, 2));
  n.add("/layers/layers.2/Relu", activation{.kind = relu});
  n.add("/layers/layers.3/Conv", detail::folded_dw(3));
  n.add("/layers/layers.5/Relu", activation{.kind = relu});
  node_id x = n.add("/layers/layers.6/Conv", detail::folded_conv(16, 1));
  detail::name_buf nm("/layers/layers.");
  const std::size_t layers = nm.size();
  int s = 8;
  for (const auto& st : stacks) {
    for (int b = 0; b < st.blocks; ++b) {
      const std::int64_t in = n.output(x).z, stride = b == 0 ? st.stride : 1;
      nm.reset(layers, s, "/layers.", s, ".", b);
      const std::size_t block = nm.size();
      nm.reset(block, "/layers/layers.");
      const std::size_t inner = nm.size();
      n.add(nm.reset(inner, "0/Conv"), detail::folded_conv(in * st.expand, 1), {x});
      n.add(nm.reset(inner, "2/Relu"), activation{.kind = relu});
      n.add(nm.reset(inner, "3/Conv"), detail::folded_dw(st.kernel, stride));
      n.add(nm.reset(inner, "5/Relu"), activation{.kind = relu});
      const node_id y = n.add(nm.reset(inner, "6/Conv"), detail::folded_conv(st.out, 1));
      x = stride == 1 && in == st.out ? n.add(nm.reset(block, "/Add"), eltwise{}, {y, x}) : y;
    }
    ++s;
  }
  n.add("/layers/layers.14/Conv", detail::folded_conv(1280, 1), {x});
  n.add("/layers/layers.16/Relu", activation{.kind = relu});
  n.add("/ReduceMean", avg_pool2d{.global = true});
  n.add("/classifier/classifier.1/Gemm", fully_connected{.outputs = 1000});
  return n;
}

}  // namespace synergy::zoo
