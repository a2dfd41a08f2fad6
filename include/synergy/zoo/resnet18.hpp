#pragma once
/// @file
/// ResNet-18 as torchvision defines it (no Caffe file among the authors').

#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/blocks.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

/// ResNet-18 (He et al. 2016) at 224×224 with torchvision's layout and module names: conv1 7×7/2
/// (no bias) + BN (affine) + ReLU, max pool 3×3/2 pad 1 (floor); four stages of two basic blocks
/// (3×3 convolutions, widths 64–512, stride 2 and a 1×1 "downsample" projection on the first
/// block of stages 2–4); global average pooling; fc (1000). 1,814,073,344 MACs, 11,689,512
/// parameters.
[[nodiscard]] constexpr network resnet18() {
  network n("resnet18", {224, 224, 3});
  n.add("conv1", conv2d{.out_channels = 64,
                        .kernel = square(7),
                        .stride = {2, 2},
                        .padding = {3, 3},
                        .bias = false});
  n.add("bn1", batch_norm{.affine = true});
  n.add("relu", activation{});
  node_id x =
      n.add("maxpool", max_pool2d{.kernel = square(3), .stride = {2, 2}, .padding = {1, 1}});
  for (int stage = 1; stage <= 4; ++stage) {
    const std::int64_t width = std::int64_t{64} << (stage - 1);
    for (int b = 0; b < 2; ++b) {
      const std::int64_t stride = b == 0 && stage > 1 ? 2 : 1;
      n.add(detail::name_buf("layer", stage, ".", b, ".conv1"),
            detail::conv_no_bias(width, 3, stride), {x});
      n.add(detail::name_buf("layer", stage, ".", b, ".bn1"), batch_norm{.affine = true});
      n.add(detail::name_buf("layer", stage, ".", b, ".relu1"), activation{});
      n.add(detail::name_buf("layer", stage, ".", b, ".conv2"), detail::conv_no_bias(width, 3, 1));
      const node_id y =
          n.add(detail::name_buf("layer", stage, ".", b, ".bn2"), batch_norm{.affine = true});
      node_id shortcut = x;
      if (stride != 1) {
        n.add(detail::name_buf("layer", stage, ".", b, ".downsample.0"),
              detail::conv_no_bias(width, 1, stride), {x});
        shortcut = n.add(detail::name_buf("layer", stage, ".", b, ".downsample.1"),
                         batch_norm{.affine = true});
      }
      n.add(detail::name_buf("layer", stage, ".", b, ".add"), eltwise{}, {shortcut, y});
      x = n.add(detail::name_buf("layer", stage, ".", b, ".relu2"), activation{});
    }
  }
  n.add("avgpool", avg_pool2d{.global = true});
  n.add("fc", fully_connected{.outputs = 1000});
  return n;
}

}  // namespace synergy::zoo
