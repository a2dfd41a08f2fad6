#pragma once
/// @file
/// EfficientNet-B0 as torchvision 0.14 builds it, in its ONNX inference-graph layout.

#include <array>
#include <cstddef>
#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"
#include "synergy/zoo/detail/torchvision.hpp"

namespace synergy::zoo {

namespace detail {

/// One stage of torchvision's EfficientNet-B0 (MBConvConfig, width and depth multipliers 1):
/// expansion ratio, kernel, stride of the first block, output channels, blocks.
struct efficientnet_stage {
  std::int64_t expand, kernel, stride, out, blocks;
};

}  // namespace detail

/// EfficientNet-B0 (Tan & Le 2019) at 224×224 as torchvision 0.14's `efficientnet_b0()` exports
/// to ONNX (opset 13): every BatchNorm folded into the convolution before it (each conv has a
/// bias, there is no batch_norm layer); stochastic depth is the identity at inference and
/// absent from the graph, as is the classifier's Dropout; layer names are the ONNX node names
/// (SiLU, fused from Sigmoid and Mul, is named "…/Sigmoid"). features.0 3×3/2 → 32 (SiLU); 16
/// MBConv blocks in 7 stages (1×1 expansion unless the ratio is 1, k×k depthwise, squeeze-and-
/// excitation to max(1, input/4) channels with SiLU and sigmoid gate, 1×1 projection,
/// "/features/features.<s>/features.<s>.<b>/Add" where shapes agree); features.8 1×1 → 1280
/// (SiLU); global average pooling, flatten, Linear 1280 → 1000. 385,814,752 MACs; 5,267,540
/// parameters (torchvision: 5,288,548 with BatchNorm's γ and β; tests/zoo_test.cpp derives
/// both).
[[nodiscard]] constexpr network efficientnet_b0() {
  constexpr auto silu = activation_kind::silu;
  constexpr std::array<detail::efficientnet_stage, 7> stages{{
      {1, 3, 1, 16, 1},
      {6, 3, 2, 24, 2},
      {6, 5, 2, 40, 2},
      {6, 3, 2, 80, 3},
      {6, 5, 1, 112, 3},
      {6, 5, 2, 192, 4},
      {6, 3, 1, 320, 1},
  }};
  network n("efficientnet_b0", {224, 224, 3});
  detail::name_buf nm("/features");
  const std::size_t features = nm.size();
  node_id x = detail::conv_norm_act(n, nm, features, "features.", 0, detail::folded_conv(32, 3, 2),
                                    true, silu, 0);
  int s = 1;
  for (const auto& st : stages) {
    for (int b = 0; b < st.blocks; ++b) {
      const std::int64_t in = n.output(x).z, expanded = in * st.expand;
      const std::int64_t stride = b == 0 ? st.stride : 1;
      nm.reset(features, "/features.", s, "/features.", s, ".", b);
      const std::size_t unit = nm.size();
      nm.reset(unit, "/block");
      const std::size_t block = nm.size();
      int layer = 0;
      node_id y = x;
      if (expanded != in)
        y = detail::conv_norm_act(n, nm, block, "block.", layer++, detail::folded_conv(expanded, 1),
                                  true, silu, y);
      y = detail::conv_norm_act(n, nm, block, "block.", layer++,
                                detail::folded_dw(st.kernel, stride), true, silu, y);
      nm.reset(block, "/block.", layer++);
      y = detail::squeeze_excitation(n, nm, nm.size(), y, in / 4 > 1 ? in / 4 : 1, silu,
                                     activation_kind::sigmoid);
      y = detail::conv_norm_act(n, nm, block, "block.", layer, detail::folded_conv(st.out, 1),
                                false, silu, y);
      x = stride == 1 && in == st.out ? n.add(nm.reset(unit, "/Add"), eltwise{}, {y, x}) : y;
    }
    ++s;
  }
  x = detail::conv_norm_act(n, nm, features, "features.", 8, detail::folded_conv(1280, 1), true,
                            silu, x);
  detail::pool_flatten(n, x);
  n.add("/classifier/classifier.1/Gemm", fully_connected{.outputs = 1000});
  return n;
}

}  // namespace synergy::zoo
