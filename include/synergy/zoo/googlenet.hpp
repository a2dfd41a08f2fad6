#pragma once
/// @file
/// GoogLeNet (Inception v1) as in BVLC Caffe's `models/bvlc_googlenet/deploy.prototxt`.

#include <array>
#include <cstdint>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// Widths of one inception module: 1×1; 3×3 reduce, 3×3; 5×5 reduce, 5×5; pool projection.
struct inception_v1_widths {
  std::string_view name;  // "inception_3a"
  std::int64_t c1, r3, c3, r5, c5, pp;
};

/// conv (+ ReLU) named "<module>/<what>" and "<module>/relu_<what>"; returns the ReLU's id.
constexpr node_id conv_relu(network& n, std::string_view module, std::string_view what,
                            const conv2d& c, node_id from) {
  n.add(name_buf(module, "/", what), c, {from});
  return n.add(name_buf(module, "/relu_", what), activation{});
}

/// An inception module of GoogLeNet: four branches joined by "<module>/output".
constexpr node_id inception_v1(network& n, const inception_v1_widths& w, node_id from) {
  const auto c = [](std::int64_t out, std::int64_t k) {
    return conv2d{.out_channels = out, .kernel = square(k), .padding = square(k / 2)};
  };
  const node_id b1 = conv_relu(n, w.name, "1x1", c(w.c1, 1), from);
  const node_id r3 = conv_relu(n, w.name, "3x3_reduce", c(w.r3, 1), from);
  const node_id b3 = conv_relu(n, w.name, "3x3", c(w.c3, 3), r3);
  const node_id r5 = conv_relu(n, w.name, "5x5_reduce", c(w.r5, 1), from);
  const node_id b5 = conv_relu(n, w.name, "5x5", c(w.c5, 5), r5);
  const node_id p =
      n.add(name_buf(w.name, "/pool"),
            max_pool2d{.kernel = square(3), .padding = {1, 1}, .round = rounding::ceil}, {from});
  const node_id bp = conv_relu(n, w.name, "pool_proj", c(w.pp, 1), p);
  return n.add(name_buf(w.name, "/output"), concat{}, {b1, b3, b5, bp});
}

}  // namespace detail

/// GoogLeNet (Szegedy et al. 2015; SyNERGY Table 1) at 224×224 as in BVLC's deploy file (no
/// auxiliary classifiers): conv1 7×7/2, max pool, LRN, conv2 1×1 and 3×3, LRN, max pool; nine
/// inception modules (widths of the paper's Table 1) with max pooling after 3b and 4e; 7×7
/// average pooling, dropout, the 1000-way classifier, softmax. Caffe's layer names.
/// 1,582,671,872 MACs in convolutions and the classifier (CNNergy's table: 1582.67 M).
[[nodiscard]] constexpr network googlenet() {
  network n("googlenet", {224, 224, 3});
  constexpr max_pool2d pool3x3s2{.kernel = square(3), .stride = {2, 2}, .round = rounding::ceil};
  n.add("conv1/7x7_s2",
        conv2d{.out_channels = 64, .kernel = square(7), .stride = {2, 2}, .padding = {3, 3}});
  n.add("conv1/relu_7x7", activation{});
  n.add("pool1/3x3_s2", pool3x3s2);
  node_id x = n.add("pool1/norm1", lrn{.local_size = 5});
  x = detail::conv_relu(n, "conv2", "3x3_reduce", conv2d{.out_channels = 64, .kernel = square(1)},
                        x);
  detail::conv_relu(n, "conv2", "3x3",
                    conv2d{.out_channels = 192, .kernel = square(3), .padding = {1, 1}}, x);
  n.add("conv2/norm2", lrn{.local_size = 5});
  x = n.add("pool2/3x3_s2", pool3x3s2);
  constexpr std::array<detail::inception_v1_widths, 9> modules{{
      {"inception_3a", 64, 96, 128, 16, 32, 32},
      {"inception_3b", 128, 128, 192, 32, 96, 64},
      {"inception_4a", 192, 96, 208, 16, 48, 64},
      {"inception_4b", 160, 112, 224, 24, 64, 64},
      {"inception_4c", 128, 128, 256, 24, 64, 64},
      {"inception_4d", 112, 144, 288, 32, 64, 64},
      {"inception_4e", 256, 160, 320, 32, 128, 128},
      {"inception_5a", 256, 160, 320, 32, 128, 128},
      {"inception_5b", 384, 192, 384, 48, 128, 128},
  }};
  for (std::size_t i = 0; i < modules.size(); ++i) {
    x = detail::inception_v1(n, modules[i], x);
    if (i == 1) x = n.add("pool3/3x3_s2", pool3x3s2);
    if (i == 6) x = n.add("pool4/3x3_s2", pool3x3s2);
  }
  n.add("pool5/7x7_s1", avg_pool2d{.kernel = square(7), .round = rounding::ceil});
  n.add("pool5/drop_7x7_s1", dropout{});
  n.add("loss3/classifier", fully_connected{.outputs = 1000});
  n.add("prob", softmax{});
  return n;
}

}  // namespace synergy::zoo
