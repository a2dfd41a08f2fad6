#pragma once
/// @file
/// Wide ResNet-50-2 as in soeaver/caffe-model `deploy_wrn50-2.prototxt`.

#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/blocks.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// "<prefix>" conv (no bias) → "<prefix>_bn" → "<prefix>_scale" (→ "<prefix>_relu").
constexpr node_id wrn_conv(network& n, const name_buf& prefix, const conv2d& c, node_id from,
                           bool relu) {
  const std::string_view p = prefix;
  n.add(p, c, {from});
  n.add(name_buf(p, "_bn"), batch_norm{});
  const node_id s = n.add(name_buf(p, "_scale"), scale{.bias = true});
  return relu ? n.add(name_buf(p, "_relu"), activation{}) : s;
}

}  // namespace detail

/// Wide ResNet-50-2 (Zagoruyko & Komodakis 2016) at 224×224 as in soeaver's Caffe file: the
/// ResNet-50 layout with bottleneck widths doubled (128–1024; outputs 256–2048), the stride in
/// the 3×3 convolution, projection shortcuts "res<i>_match_conv" on the first block of each
/// stage; blocks numbered res1–res16; pool1 rounds down (the file sets ceil_mode false); global
/// average pooling, "classifier", softmax.
[[nodiscard]] constexpr network wrn50_2() {
  network n("wrn50_2", {224, 224, 3});
  n.add("conv1", conv2d{.out_channels = 64,
                        .kernel = square(7),
                        .stride = {2, 2},
                        .padding = {3, 3},
                        .bias = false});
  n.add("conv1_bn", batch_norm{});
  n.add("conv1_scale", scale{.bias = true});
  n.add("conv1_relu", activation{});
  node_id x = n.add(
      "pool1",
      max_pool2d{.kernel = square(3), .stride = {2, 2}, .padding = {1, 1}});  // ceil_mode: false
  constexpr int blocks[] = {3, 4, 6, 3};
  int index = 1;
  for (int stage = 0; stage < 4; ++stage) {
    const std::int64_t width = std::int64_t{128} << stage;
    for (int b = 0; b < blocks[stage]; ++b, ++index) {
      const std::int64_t stride = b == 0 && stage > 0 ? 2 : 1;
      node_id y = detail::wrn_conv(n, detail::name_buf("res", index, "_conv1"),
                                   detail::conv_no_bias(width, 1, 1), x, true);
      y = detail::wrn_conv(n, detail::name_buf("res", index, "_conv2"),
                           detail::conv_no_bias(width, 3, stride), y, true);
      y = detail::wrn_conv(n, detail::name_buf("res", index, "_conv3"),
                           detail::conv_no_bias(2 * width, 1, 1), y, false);
      const node_id shortcut =
          b == 0 ? detail::wrn_conv(n, detail::name_buf("res", index, "_match_conv"),
                                    detail::conv_no_bias(2 * width, 1, stride), x, false)
                 : x;
      n.add(detail::name_buf("res", index, "_elewise"), eltwise{}, {shortcut, y});
      x = n.add(detail::name_buf("res", index, "_elewise_relu"), activation{});
    }
  }
  n.add("pool_ave", avg_pool2d{.global = true});
  n.add("classifier", fully_connected{.outputs = 1000});
  n.add("prob", softmax{});
  return n;
}

}  // namespace synergy::zoo
