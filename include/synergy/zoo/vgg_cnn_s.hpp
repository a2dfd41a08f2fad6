#pragma once
/// @file
/// VGG_CNN_S (Chatfield et al. 2014, "Return of the devil in the details").

#include "synergy/network.hpp"
#include "synergy/zoo/detail/blocks.hpp"

namespace synergy::zoo {

/// VGG_CNN_S (SyNERGY Table 1) at 224×224, after the reconstructed deploy file in
/// ../shared/data/prototxt (layer hyper-parameters of Lasagne's recipe, which follows the
/// original BVLC model-zoo gist): conv1 7×7/2 → 96, LRN, pool 3×3/3; conv2 5×5 → 256, pool 2×2/2;
/// conv3–5 3×3 → 512, pool 3×3/3; fc6, fc7 (4096, dropout), fc8 (1000), softmax. Caffe's ceil
/// pooling. Output shapes 109, 37, 33, 17, 17, 6.
[[nodiscard]] constexpr network vgg_cnn_s() {
  network n("vgg_cnn_s", {224, 224, 3});
  n.add("conv1", conv2d{.out_channels = 96, .kernel = square(7), .stride = {2, 2}});
  n.add("relu1", activation{});
  n.add("norm1", lrn{.local_size = 5});
  n.add("pool1", max_pool2d{.kernel = square(3), .stride = {3, 3}, .round = rounding::ceil});
  n.add("conv2", conv2d{.out_channels = 256, .kernel = square(5)});
  n.add("relu2", activation{});
  n.add("pool2", max_pool2d{.kernel = square(2), .stride = {2, 2}, .round = rounding::ceil});
  n.add("conv3", conv2d{.out_channels = 512, .kernel = square(3), .padding = {1, 1}});
  n.add("relu3", activation{});
  n.add("conv4", conv2d{.out_channels = 512, .kernel = square(3), .padding = {1, 1}});
  n.add("relu4", activation{});
  n.add("conv5", conv2d{.out_channels = 512, .kernel = square(3), .padding = {1, 1}});
  n.add("relu5", activation{});
  n.add("pool5", max_pool2d{.kernel = square(3), .stride = {3, 3}, .round = rounding::ceil});
  detail::fc_classifier_head(n, 1000, true);
  return n;
}

}  // namespace synergy::zoo
