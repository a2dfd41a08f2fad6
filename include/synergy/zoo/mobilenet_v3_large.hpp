#pragma once
/// @file
/// MobileNetV3-Large as torchvision 0.14 builds it, in its ONNX inference-graph layout.

#include <array>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/mobilenet_v3.hpp"

namespace synergy::zoo {

/// MobileNetV3-Large (Howard et al. 2019) at 224×224 as torchvision 0.14's
/// `mobilenet_v3_large()` exports to ONNX (opset 13): every BatchNorm folded into the
/// convolution before it (each conv has a bias, there is no batch_norm layer); layer names are
/// the ONNX node names ("/features/features.1/block/block.0/block.0.0/Conv"; an activation
/// fused from several nodes is named after the first: hard-swish "…/HardSigmoid"). features.0
/// 3×3/2 → 16 (hard-swish); 15 inverted residuals (optional 1×1 expansion, k×k depthwise,
/// squeeze-and-excitation with ReLU and hard-sigmoid gate on 5 of them, 1×1 linear projection,
/// "/features/features.<i>/Add" where shapes agree); features.16 1×1 → 960 (hard-swish);
/// global average pooling, flatten, Linear 960 → 1280, hard-swish, (Dropout, gone at export),
/// Linear 1280 → 1000. 216,589,760 MACs; 5,470,832 parameters (torchvision: 5,483,032 with
/// BatchNorm's γ and β; tests/zoo_test.cpp derives both).
[[nodiscard]] constexpr network mobilenet_v3_large() {
  constexpr bool F = false, T = true;
  constexpr std::array<detail::mobilenet_v3_row, 15> rows{{
      {3, 16, 16, F, F, 1},
      {3, 64, 24, F, F, 2},
      {3, 72, 24, F, F, 1},
      {5, 72, 40, T, F, 2},
      {5, 120, 40, T, F, 1},
      {5, 120, 40, T, F, 1},
      {3, 240, 80, F, T, 2},
      {3, 200, 80, F, T, 1},
      {3, 184, 80, F, T, 1},
      {3, 184, 80, F, T, 1},
      {3, 480, 112, T, T, 1},
      {3, 672, 112, T, T, 1},
      {5, 672, 160, T, T, 2},
      {5, 960, 160, T, T, 1},
      {5, 960, 160, T, T, 1},
  }};
  return detail::mobilenet_v3("mobilenet_v3_large", rows, 1280);
}

}  // namespace synergy::zoo
