#pragma once
/// @file
/// AlexNet as in BVLC Caffe's `models/bvlc_alexnet/deploy.prototxt`.

#include "synergy/network.hpp"
#include "synergy/zoo/detail/blocks.hpp"

namespace synergy::zoo {

/// BVLC AlexNet (Krizhevsky et al. 2012, Caffe's deploy file; SyNERGY Table 1): 227×227×3
/// input; conv2, conv4 and conv5 grouped (2); LRN after relu1 and relu2 (local_size 5); max
/// pooling with Caffe's ceil rounding; three FC layers with dropout; softmax. Layer names are
/// those of the Caffe file. 724,406,816 MACs and 60,965,224 parameters per image.
[[nodiscard]] constexpr network alexnet() {
  network n("alexnet", {227, 227, 3});
  constexpr max_pool2d pool{.kernel = square(3), .stride = {2, 2}, .round = rounding::ceil};
  n.add("conv1", conv2d{.out_channels = 96, .kernel = square(11), .stride = {4, 4}});
  n.add("relu1", activation{});
  n.add("norm1", lrn{.local_size = 5});
  n.add("pool1", pool);
  n.add("conv2", conv2d{.out_channels = 256, .kernel = square(5), .padding = {2, 2}, .groups = 2});
  n.add("relu2", activation{});
  n.add("norm2", lrn{.local_size = 5});
  n.add("pool2", pool);
  n.add("conv3", conv2d{.out_channels = 384, .kernel = square(3), .padding = {1, 1}});
  n.add("relu3", activation{});
  n.add("conv4", conv2d{.out_channels = 384, .kernel = square(3), .padding = {1, 1}, .groups = 2});
  n.add("relu4", activation{});
  n.add("conv5", conv2d{.out_channels = 256, .kernel = square(3), .padding = {1, 1}, .groups = 2});
  n.add("relu5", activation{});
  n.add("pool5", pool);
  detail::fc_classifier_head(n, 1000, true);
  return n;
}

}  // namespace synergy::zoo
