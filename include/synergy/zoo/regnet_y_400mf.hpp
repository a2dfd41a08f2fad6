#pragma once
/// @file
/// RegNetY-400MF as torchvision 0.14 builds it, in its ONNX inference-graph layout.

#include <array>
#include <cstddef>
#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"
#include "synergy/zoo/detail/torchvision.hpp"

namespace synergy::zoo {

/// RegNetY-400MF (Radosavovic et al. 2020) at 224×224 as torchvision 0.14's `regnet_y_400mf()`
/// exports to ONNX (opset 13): every BatchNorm folded into the convolution before it (each
/// conv has a bias, there is no batch_norm layer); layer names are the ONNX node names
/// ("/trunk_output/block2/block2-1/f/b/b.0/Conv"). stem 3×3/2 → 32, ReLU; 4 stages of 1, 3, 6, 6
/// bottleneck blocks, widths 48, 104, 208, 440, group width 8 (grouped 3×3 with width/8
/// groups), bottleneck ratio 1: proj (1×1/2 shortcut, first block of a stage), f/a 1×1, ReLU,
/// f/b 3×3 grouped (stride 2 in the first block), ReLU, f/se squeeze-and-excitation to
/// input/4 channels with ReLU and sigmoid gate, f/c 1×1, the sum "…/Add" and its ReLU;
/// global average pooling, flatten, fc 440 → 1000. 401,842,848 MACs; 4,330,568 parameters
/// (torchvision: 4,344,144 with BatchNorm's γ and β; tests/zoo_test.cpp derives both).
[[nodiscard]] constexpr network regnet_y_400mf() {
  constexpr auto relu = activation_kind::relu;
  constexpr std::array<std::int64_t, 4> depths{1, 3, 6, 6}, widths{48, 104, 208, 440};
  network n("regnet_y_400mf", {224, 224, 3});
  n.add("/stem/stem.0/Conv", detail::folded_conv(32, 3, 2));
  node_id x = n.add("/stem/stem.2/Relu", activation{.kind = relu});
  detail::name_buf nm("/trunk_output/block");
  const std::size_t trunk = nm.size();
  for (int s = 0; s < 4; ++s) {
    const std::int64_t w = widths[s];
    for (int b = 0; b < depths[s]; ++b) {
      const std::int64_t in = n.output(x).z, stride = b == 0 ? 2 : 1;
      const std::size_t block = nm.reset(trunk, s + 1, "/block", s + 1, "-", b).size();
      const node_id shortcut =
          b == 0 ? n.add(nm.reset(block, "/proj/proj.0/Conv"), detail::folded_conv(w, 1, 2), {x})
                 : x;
      const std::size_t f = nm.reset(block, "/f/").size();
      n.add(nm.reset(f, "a/a.0/Conv"), detail::folded_conv(w, 1), {x});
      n.add(nm.reset(f, "a/a.2/Relu"), activation{.kind = relu});
      n.add(nm.reset(f, "b/b.0/Conv"), detail::folded_conv(w, 3, stride, w / 8));
      const node_id y = n.add(nm.reset(f, "b/b.2/Relu"), activation{.kind = relu});
      // torchvision: width_se_out = int(round(0.25 * width_in)); every block input here (32,
      // 48, 104, 208, 440 channels) is a multiple of 4, so that is in / 4.
      nm.reset(f, "se");
      detail::squeeze_excitation(n, nm, nm.size(), y, in / 4, relu, activation_kind::sigmoid);
      const node_id c = n.add(nm.reset(f, "c/c.0/Conv"), detail::folded_conv(w, 1));
      n.add(nm.reset(block, "/Add"), eltwise{}, {shortcut, c});
      x = n.add(nm.reset(block, "/activation/Relu"), activation{.kind = relu});
    }
  }
  detail::pool_flatten(n, x);
  n.add("/fc/Gemm", fully_connected{.outputs = 1000});
  return n;
}

}  // namespace synergy::zoo
