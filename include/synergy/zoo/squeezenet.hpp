#pragma once
/// @file
/// SqueezeNet v1.0, v1.1 (DeepScale's Caffe files) and SqueezeNet with simple residual bypass
/// (songhan/SqueezeNet-Residual), all at 227×227.

#include <cstdint>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// A fire module `fire<i>`: squeeze 1×1 → ReLU, then expand 1×1 and expand 3×3 (pad 1), each
/// with a ReLU, concatenated. Returns the concat's id.
constexpr node_id fire(network& n, int i, node_id from, std::int64_t squeeze, std::int64_t expand) {
  n.add(name_buf("fire", i, "/squeeze1x1"), conv2d{.out_channels = squeeze, .kernel = square(1)},
        {from});
  const node_id s = n.add(name_buf("fire", i, "/relu_squeeze1x1"), activation{});
  n.add(name_buf("fire", i, "/expand1x1"), conv2d{.out_channels = expand, .kernel = square(1)},
        {s});
  const node_id e1 = n.add(name_buf("fire", i, "/relu_expand1x1"), activation{});
  n.add(name_buf("fire", i, "/expand3x3"),
        conv2d{.out_channels = expand, .kernel = square(3), .padding = {1, 1}}, {s});
  const node_id e3 = n.add(name_buf("fire", i, "/relu_expand3x3"), activation{});
  return n.add(name_buf("fire", i, "/concat"), concat{}, {e1, e3});
}

/// SqueezeNet's head: dropout, conv10 (1×1 → 1000), ReLU, global average pooling, softmax.
constexpr void squeezenet_head(network& n, bool conv10_pad, bool softmax_layer) {
  n.add("drop9", dropout{});
  n.add("conv10", conv2d{.out_channels = 1000,
                         .kernel = square(1),
                         .padding = conv10_pad ? extent2{1, 1} : extent2{0, 0}});
  n.add("relu_conv10", activation{});
  n.add("pool10", avg_pool2d{.global = true});
  if (softmax_layer) n.add("prob", softmax{});
}

constexpr max_pool2d squeezenet_pool{
    .kernel = square(3), .stride = {2, 2}, .round = rounding::ceil};

}  // namespace detail

/// SqueezeNet v1.0 (Iandola et al. 2016; SyNERGY Table 1) as in DeepScale's
/// SqueezeNet_v1.0/deploy.prototxt: conv1 7×7/2 → 96, fire2–9 with max pooling after conv1,
/// fire4 and fire8 (3×3/2, ceil), conv10 1×1 (pad 1, as in the file) → 1000, global average
/// pooling, softmax. 861,339,936 MACs, 1,248,424 parameters.
[[nodiscard]] constexpr network squeezenet_v1_0() {
  network n("squeezenet_v1.0", {227, 227, 3});
  n.add("conv1", conv2d{.out_channels = 96, .kernel = square(7), .stride = {2, 2}});
  n.add("relu_conv1", activation{});
  node_id x = n.add("pool1", detail::squeezenet_pool);
  x = detail::fire(n, 2, x, 16, 64);
  x = detail::fire(n, 3, x, 16, 64);
  x = detail::fire(n, 4, x, 32, 128);
  x = n.add("pool4", detail::squeezenet_pool);
  x = detail::fire(n, 5, x, 32, 128);
  x = detail::fire(n, 6, x, 48, 192);
  x = detail::fire(n, 7, x, 48, 192);
  x = detail::fire(n, 8, x, 64, 256);
  x = n.add("pool8", detail::squeezenet_pool);
  detail::fire(n, 9, x, 64, 256);
  detail::squeezenet_head(n, true, true);
  return n;
}

/// SqueezeNet v1.1 as in DeepScale's SqueezeNet_v1.1/deploy.prototxt: conv1 3×3/2 → 64, pooling
/// after conv1, fire3 and fire5; conv10 without padding. 387,747,520 MACs, 1,235,496 parameters.
[[nodiscard]] constexpr network squeezenet_v1_1() {
  network n("squeezenet_v1.1", {227, 227, 3});
  n.add("conv1", conv2d{.out_channels = 64, .kernel = square(3), .stride = {2, 2}});
  n.add("relu_conv1", activation{});
  node_id x = n.add("pool1", detail::squeezenet_pool);
  x = detail::fire(n, 2, x, 16, 64);
  x = detail::fire(n, 3, x, 16, 64);
  x = n.add("pool3", detail::squeezenet_pool);
  x = detail::fire(n, 4, x, 32, 128);
  x = detail::fire(n, 5, x, 32, 128);
  x = n.add("pool5", detail::squeezenet_pool);
  x = detail::fire(n, 6, x, 48, 192);
  x = detail::fire(n, 7, x, 48, 192);
  x = detail::fire(n, 8, x, 64, 256);
  detail::fire(n, 9, x, 64, 256);
  detail::squeezenet_head(n, false, true);
  return n;
}

/// SqueezeNet v1.0 with simple bypass connections (Iandola et al. 2016, §6; SyNERGY Table 1) as
/// in songhan/SqueezeNet-Residual trainval.prototxt: eltwise sums around fire3, fire5, fire7 and
/// fire9 (`bypass_23`, `bypass_45`, `bypass_67`, `bypass_89`); the training-only layers of the
/// file are not part of the network.
[[nodiscard]] constexpr network squeezenet_residual() {
  network n("squeezenet_residual", {227, 227, 3});
  n.add("conv1", conv2d{.out_channels = 96, .kernel = square(7), .stride = {2, 2}});
  n.add("relu_conv1", activation{});
  node_id x = n.add("pool1", detail::squeezenet_pool);
  x = detail::fire(n, 2, x, 16, 64);
  x = n.add("bypass_23", eltwise{}, {x, detail::fire(n, 3, x, 16, 64)});
  x = detail::fire(n, 4, x, 32, 128);
  x = n.add("pool4", detail::squeezenet_pool);
  x = n.add("bypass_45", eltwise{}, {x, detail::fire(n, 5, x, 32, 128)});
  x = detail::fire(n, 6, x, 48, 192);
  x = n.add("bypass_67", eltwise{}, {x, detail::fire(n, 7, x, 48, 192)});
  x = detail::fire(n, 8, x, 64, 256);
  x = n.add("pool8", detail::squeezenet_pool);
  n.add("bypass_89", eltwise{}, {x, detail::fire(n, 9, x, 64, 256)});
  detail::squeezenet_head(n, true, false);
  return n;
}

}  // namespace synergy::zoo
