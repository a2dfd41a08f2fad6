#pragma once
/// @file
/// VGG-16 (Simonyan & Zisserman 2015, configuration D).

#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/blocks.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

/// VGG-16 at 224×224 as in the VGG_ILSVRC_16_layers Caffe file (Netscope's preset): five stages
/// of 3×3 convolutions (pad 1) with ReLUs — 2×64, 2×128, 3×256, 3×512, 3×512 — each followed
/// by 2×2/2 max pooling; fc6, fc7 (4096, ReLU, dropout), fc8 (1000), softmax.
/// 15,470,264,320 MACs and 138,357,544 parameters.
[[nodiscard]] constexpr network vgg16() {
  network n("vgg16", {224, 224, 3});
  constexpr int convs[] = {2, 2, 3, 3, 3};
  for (int stage = 1; stage <= 5; ++stage) {
    const std::int64_t width = std::int64_t{64} << (stage < 5 ? stage - 1 : 3);
    for (int i = 1; i <= convs[stage - 1]; ++i) {
      n.add(detail::name_buf("conv", stage, "_", i),
            conv2d{.out_channels = width, .kernel = square(3), .padding = {1, 1}});
      n.add(detail::name_buf("relu", stage, "_", i), activation{});
    }
    n.add(detail::name_buf("pool", stage),
          max_pool2d{.kernel = square(2), .stride = {2, 2}, .round = rounding::ceil});
  }
  detail::fc_classifier_head(n, 1000, true);
  return n;
}

}  // namespace synergy::zoo
