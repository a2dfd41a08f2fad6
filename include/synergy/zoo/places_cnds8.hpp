#pragma once
/// @file
/// Places-CNDS-8s: the deeply supervised 8-conv, 3-FC network of Wang et al. (2015).

#include "synergy/network.hpp"
#include "synergy/zoo/detail/blocks.hpp"

namespace synergy::zoo {

/// Places-CNDS-8s (SyNERGY Table 1) at 227×227 as in lwwang/Places_CNDS_model deploy.prototxt
/// (V1 syntax; its deploy file keeps only the main branch): conv1 7×7/2 pad 1 → 64, pool 3×3/2;
/// conv2 3×3 → 128, pool 2×2/2; conv3_1–3_2 → 256, pool; conv4_1–4_2 → 512, pool; conv5_1–5_2
/// → 512, pool; fc6, fc7 (4096, dropout), fc8 → 205 Places classes (no softmax in the file).
[[nodiscard]] constexpr network places_cnds8() {
  network n("places_cnds8", {227, 227, 3});
  constexpr max_pool2d pool2x2{.kernel = square(2), .stride = {2, 2}, .round = rounding::ceil};
  constexpr conv2d c3x3{.kernel = square(3), .padding = {1, 1}};
  const auto conv = [&](const char* name, const char* relu, std::int64_t out) {
    conv2d c = c3x3;
    c.out_channels = out;
    n.add(name, c);
    n.add(relu, activation{});
  };
  n.add("conv1",
        conv2d{.out_channels = 64, .kernel = square(7), .stride = {2, 2}, .padding = {1, 1}});
  n.add("relu1", activation{});
  n.add("pool1", max_pool2d{.kernel = square(3), .stride = {2, 2}, .round = rounding::ceil});
  conv("conv2", "relu2", 128);
  n.add("pool2", pool2x2);
  conv("conv3_1", "relu3_1", 256);
  conv("conv3_2", "relu3_2", 256);
  n.add("pool3", pool2x2);
  conv("conv4_1", "relu4_1", 512);
  conv("conv4_2", "relu4_2", 512);
  n.add("pool4", pool2x2);
  conv("conv5_1", "relu5_1", 512);
  conv("conv5_2", "relu5_2", 512);
  n.add("pool5", pool2x2);
  detail::fc_classifier_head(n, 205, false);
  return n;
}

}  // namespace synergy::zoo
