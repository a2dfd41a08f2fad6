#pragma once
/// @file
/// The MobileNetV3 builder shared by mobilenet_v3_large() and mobilenet_v3_small().

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"
#include "synergy/zoo/detail/torchvision.hpp"

namespace synergy::zoo::detail {

/// One row of torchvision's InvertedResidualConfig table (width multiplier 1, dilation 1):
/// kernel, expanded width, output channels, squeeze-and-excitation, hard-swish (else ReLU),
/// stride. The input channels are the previous row's output.
struct mobilenet_v3_row {
  std::int64_t kernel, expand, out;
  bool se, hard_swish;
  std::int64_t stride;
};

/// torchvision's _make_divisible(v, 8): v rounded to the nearest multiple of 8, at least 8,
/// and not below 90 % of v (the SE squeeze width: _make_divisible(expand / 4, 8)).
[[nodiscard]] constexpr std::int64_t make_divisible8(std::int64_t v) {
  std::int64_t r = (v + 4) / 8 * 8;
  if (r < 8) r = 8;
  if (10 * r < 9 * v) r += 8;
  return r;
}

/// torchvision's MobileNetV3 at 224×224 in its inference graph (see mobilenet_v3_large()):
/// features.0 (3×3/2 → 16, hard-swish), one features.<i> InvertedResidual per row, the last
/// 1×1 conv to 6×(last output) with hard-swish, pooling, flatten, classifier.0 (Linear to
/// `hidden`), classifier.1 hard-swish, (classifier.2 Dropout: not in the graph), classifier.3
/// (Linear to 1000).
constexpr network mobilenet_v3(std::string_view name, std::span<const mobilenet_v3_row> rows,
                               std::int64_t hidden) {
  constexpr auto relu = activation_kind::relu, hs = activation_kind::hard_swish;
  network n(name, {224, 224, 3});
  name_buf nm("/features");
  const std::size_t features = nm.size();
  node_id x = conv_norm_act(n, nm, features, "features.", 0, folded_conv(16, 3, 2), true, hs, 0);
  int index = 1;
  for (const mobilenet_v3_row& r : rows) {
    const std::int64_t in = n.output(x).z;
    const auto act = r.hard_swish ? hs : relu;
    nm.reset(features, "/features.", index);
    const std::size_t feature = nm.size();
    nm.reset(feature, "/block");
    const std::size_t block = nm.size();
    int layer = 0;
    node_id y = x;
    if (r.expand != in)
      y = conv_norm_act(n, nm, block, "block.", layer++, folded_conv(r.expand, 1), true, act, y);
    y = conv_norm_act(n, nm, block, "block.", layer++, folded_dw(r.kernel, r.stride), true, act, y);
    if (r.se) {
      nm.reset(block, "/block.", layer++);
      y = squeeze_excitation(n, nm, nm.size(), y, make_divisible8(r.expand / 4), relu,
                             activation_kind::hard_sigmoid);
    }
    y = conv_norm_act(n, nm, block, "block.", layer, folded_conv(r.out, 1), false, relu, y);
    x = r.stride == 1 && in == r.out ? n.add(nm.reset(feature, "/Add"), eltwise{}, {y, x}) : y;
    ++index;
  }
  x = conv_norm_act(n, nm, features, "features.", index, folded_conv(6 * n.output(x).z, 1), true,
                    hs, x);
  pool_flatten(n, x);
  n.add("/classifier/classifier.0/Gemm", fully_connected{.outputs = hidden});
  n.add("/classifier/classifier.1/HardSigmoid", activation{.kind = hs});
  n.add("/classifier/classifier.3/Gemm", fully_connected{.outputs = 1000});
  return n;
}

}  // namespace synergy::zoo::detail
