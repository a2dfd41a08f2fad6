#pragma once
/// @file
/// Pieces several zoo networks share.

#include <cstdint>

#include "synergy/network.hpp"

namespace synergy::zoo::detail {

/// The classifier head of AlexNet, VGG and their relatives: fc6 and fc7 (4096, each followed
/// by relu6/7 and drop6/7), fc8 with `classes` outputs, and "prob" (softmax) when asked.
constexpr void fc_classifier_head(network& n, std::int64_t classes, bool softmax_layer) {
  n.add("fc6", fully_connected{.outputs = 4096});
  n.add("relu6", activation{});
  n.add("drop6", dropout{});
  n.add("fc7", fully_connected{.outputs = 4096});
  n.add("relu7", activation{});
  n.add("drop7", dropout{});
  n.add("fc8", fully_connected{.outputs = classes});
  if (softmax_layer) n.add("prob", softmax{});
}

/// A k×k convolution without bias, "same" padding k/2 and stride `s` (ResNet-style blocks).
constexpr conv2d conv_no_bias(std::int64_t out, std::int64_t k, std::int64_t s = 1) {
  return conv2d{.out_channels = out,
                .kernel = square(k),
                .stride = square(s),
                .padding = square(k / 2),
                .bias = false};
}

}  // namespace synergy::zoo::detail
