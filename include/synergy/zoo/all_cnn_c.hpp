#pragma once
/// @file
/// ALL-CNN-C (Springenberg et al. 2015, "Striving for simplicity") on CIFAR-10.

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

/// ALL-CNN-C (SyNERGY Table 1) at 32×32×3 as in mateuszbuda/ALL-CNN ALL_CNN_C_train_val.prototxt
/// (TEST phase, training-only layers left out): dropout on the input, conv1–3 3×3 → 96 (conv3
/// stride 2), dropout, conv4–6 → 192 (conv6 stride 2), dropout, conv7 3×3 (no pad), conv8 1×1
/// → 192, conv9 1×1 → 10, each with a ReLU, then global average pooling.
[[nodiscard]] constexpr network all_cnn_c() {
  network n("all_cnn_c", {32, 32, 3});
  struct spec {
    std::int64_t out, kernel, stride, pad;
  };
  constexpr spec convs[] = {{96, 3, 1, 1},  {96, 3, 1, 1},  {96, 3, 2, 1},
                            {192, 3, 1, 1}, {192, 3, 1, 1}, {192, 3, 2, 1},
                            {192, 3, 1, 0}, {192, 1, 1, 0}, {10, 1, 1, 0}};
  for (int i = 0; i < 9; ++i) {
    if (i % 3 == 0) n.add(detail::name_buf("drop", i / 3 + 1), dropout{});
    const spec& s = convs[i];
    n.add(detail::name_buf("conv", i + 1), conv2d{.out_channels = s.out,
                                                  .kernel = square(s.kernel),
                                                  .stride = square(s.stride),
                                                  .padding = square(s.pad)});
    n.add(detail::name_buf("relu", i + 1), activation{});
  }
  n.add("pool", avg_pool2d{.global = true});
  return n;
}

}  // namespace synergy::zoo
