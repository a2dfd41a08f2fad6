#pragma once
/// @file
/// MobileNetV3-Small as torchvision 0.14 builds it, in its ONNX inference-graph layout.

#include <array>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/mobilenet_v3.hpp"

namespace synergy::zoo {

/// MobileNetV3-Small (Howard et al. 2019) at 224×224 as torchvision 0.14's
/// `mobilenet_v3_small()` exports to ONNX (opset 13): every BatchNorm folded into the
/// convolution before it (each conv has a bias, there is no batch_norm layer); layer names are
/// the ONNX node names (hard-swish, fused from HardSigmoid and Mul, is named "…/HardSigmoid").
/// features.0 3×3/2 → 16 (hard-swish); 11 inverted residuals (squeeze-and-excitation with ReLU
/// and hard-sigmoid gate on 9 of them); features.12 1×1 → 576 (hard-swish); global average
/// pooling, flatten, Linear 576 → 1024, hard-swish, (Dropout, gone at export), Linear 1024 →
/// 1000. 56,510,400 MACs; 2,536,800 parameters (torchvision: 2,542,856 with BatchNorm's γ and
/// β; tests/zoo_test.cpp derives both).
[[nodiscard]] constexpr network mobilenet_v3_small() {
  constexpr bool F = false, T = true;
  constexpr std::array<detail::mobilenet_v3_row, 11> rows{{
      {3, 16, 16, T, F, 2},
      {3, 72, 24, F, F, 2},
      {3, 88, 24, F, F, 1},
      {5, 96, 40, T, T, 2},
      {5, 240, 40, T, T, 1},
      {5, 240, 40, T, T, 1},
      {5, 120, 48, T, T, 1},
      {5, 144, 48, T, T, 1},
      {5, 288, 96, T, T, 2},
      {5, 576, 96, T, T, 1},
      {5, 576, 96, T, T, 1},
  }};
  return detail::mobilenet_v3("mobilenet_v3_small", rows, 1024);
}

}  // namespace synergy::zoo
