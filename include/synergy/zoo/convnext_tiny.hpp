#pragma once
/// @file
/// ConvNeXt-Tiny as torchvision 0.14 builds it, in its ONNX inference-graph layout.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"
#include "synergy/zoo/detail/torchvision.hpp"

namespace synergy::zoo {

namespace detail {

/// torchvision's LayerNorm2d whose node-name scope is the first `scope` characters of `name`
/// (used as scratch): a LayerNorm over the channels of an N C H W map,
/// which it permutes to N H W C and back): "<scope>/Transpose" (the layout change: identity
/// logical permutation), "<scope>/ReduceMean" (the layer_norm, named after the first node of
/// the ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add chain it is exported as),
/// "<scope>/Transpose_1". Returns the last node.
constexpr node_id convnext_layer_norm_2d(network& n, name_buf& name, std::size_t scope,
                                         node_id from) {
  n.add(name.reset(scope, "/Transpose"), transpose{}, {from});
  n.add(name.reset(scope, "/ReduceMean"), layer_norm{});
  return n.add(name.reset(scope, "/Transpose_1"), transpose{});
}

}  // namespace detail

/// ConvNeXt-Tiny (Liu et al. 2022) at 224×224 as torchvision 0.14's `convnext_tiny()` exports to
/// ONNX (opset 13); it has no BatchNorm (nothing is folded); layer names are the ONNX node
/// names. Stem: 4×4/4 conv → 96 (bias), LayerNorm2d. Stages of 3, 3, 9, 3 CNBlocks at 96, 192,
/// 384, 768 channels, each stage after the first entered through LayerNorm2d and a 2×2/2 conv
/// (features.2, .4, .6). A CNBlock: depthwise 7×7 (bias) "block.0/Conv"; permute to channels-
/// last "block.1/Transpose" (a transpose layer with the identity logical permutation: only the
/// memory layout changes); LayerNorm over the channels "block.2/ReduceMean"; Linear → 4z
/// "block.3/MatMul" (MatMul + bias Add: a 1×1 conv2d with bias); GELU "block.4/Div"; Linear → z
/// "block.5/MatMul"; permute back "block.6/Transpose"; layer scale γ "…/Mul" (a scale, no
/// bias); stochastic depth (the identity at inference, absent from the graph); the residual
/// sum "…/Add". Head: global average pooling, LayerNorm2d "classifier.0", flatten
/// "classifier.1", Linear 768 → 1000 "classifier.2". 4,455,531,264 MACs; 28,589,128
/// parameters, torchvision's count exactly (tests/zoo_test.cpp derives both).
[[nodiscard]] constexpr network convnext_tiny() {
  constexpr std::array<std::int64_t, 4> depths{3, 3, 9, 3}, widths{96, 192, 384, 768};
  network n("convnext_tiny", {224, 224, 3});
  n.add("/features/features.0/features.0.0/Conv",
        conv2d{.out_channels = 96, .kernel = square(4), .stride = {4, 4}});
  detail::name_buf nm("/features/features.0/features.0.1");
  node_id x = detail::convnext_layer_norm_2d(n, nm, nm.size(), n.last());
  for (int s = 0; s < 4; ++s) {
    const int f = 2 * s + 1;  // features.1, .3, .5, .7; downsampling in .2, .4, .6
    const std::int64_t z = widths[s];
    if (s > 0) {
      const std::size_t down =
          nm.reset(0, "/features/features.", f - 1, "/features.", f - 1, ".").size();
      detail::convnext_layer_norm_2d(n, nm, nm.reset(down, "0").size(), x);
      x = n.add(nm.reset(down, "1/Conv"),
                conv2d{.out_channels = z, .kernel = square(2), .stride = {2, 2}});
    }
    for (int b = 0; b < depths[s]; ++b) {
      const std::size_t blk = nm.reset(0, "/features/features.", f, "/features.", f, ".", b).size();
      const std::size_t at = nm.reset(blk, "/block/block.").size();
      n.add(nm.reset(at, "0/Conv"),
            depthwise_conv2d{.kernel = square(7), .padding = {3, 3}, .bias = true}, {x});
      n.add(nm.reset(at, "1/Transpose"), transpose{});
      n.add(nm.reset(at, "2/ReduceMean"), layer_norm{});
      n.add(nm.reset(at, "3/MatMul"), conv2d{.out_channels = 4 * z, .kernel = square(1)});
      n.add(nm.reset(at, "4/Div"), activation{.kind = activation_kind::gelu});
      n.add(nm.reset(at, "5/MatMul"), conv2d{.out_channels = z, .kernel = square(1)});
      n.add(nm.reset(at, "6/Transpose"), transpose{});
      const node_id g = n.add(nm.reset(blk, "/Mul"), scale{.bias = false});
      x = n.add(nm.reset(blk, "/Add"), eltwise{}, {g, x});
    }
  }
  n.add("/avgpool/GlobalAveragePool", avg_pool2d{.global = true}, {x});
  nm.reset(0, "/classifier/classifier.0");
  detail::convnext_layer_norm_2d(n, nm, nm.size(), n.last());
  n.add("/classifier/classifier.1/Flatten", flatten{});
  n.add("/classifier/classifier.2/Gemm", fully_connected{.outputs = 1000});
  return n;
}

}  // namespace synergy::zoo
