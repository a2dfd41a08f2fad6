#pragma once
/// @file
/// Inception-BN trained on ImageNet-21k, as in pertusa/InceptionBN-21K-for-Caffe `deploy.prototxt`.

#include <array>
#include <cstdint>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// "conv_<id>" (with bias, as converted from MXNet) → "bn_<id>" → "scale_conv_<id>" →
/// "relu_<id>"; returns the ReLU.
constexpr node_id inception_bn_unit(network& n, std::string_view id, std::int64_t out,
                                    std::int64_t k, std::int64_t stride, node_id from) {
  n.add(name_buf("conv_", id),
        conv2d{.out_channels = out,
               .kernel = square(k),
               .stride = square(stride),
               .padding = square(k / 2)},
        {from});
  n.add(name_buf("bn_", id), batch_norm{});
  n.add(name_buf("scale_conv_", id), scale{.bias = true});
  return n.add(name_buf("relu_", id), activation{});
}

/// One module: 1×1; 3×3 after a 1×1 reduce; two 3×3 ("double") after a 1×1 reduce; a pool
/// branch. `stride2` modules (3c, 4e) drop the 1×1 and projection branches and stride the last
/// 3×3 of each branch, with a 3×3/2 max pool.
struct inception_bn_module {
  std::string_view id;  // "3a"
  std::int64_t c1, r3, c3, rd, cd, proj;
  bool max_pool, stride2;
};

constexpr node_id inception_bn_block(network& n, const inception_bn_module& m, node_id x) {
  const std::int64_t s = m.stride2 ? 2 : 1;
  const node_id b1 = m.stride2 ? 0 : inception_bn_unit(n, name_buf(m.id, "_1x1"), m.c1, 1, 1, x);
  node_id b3 = inception_bn_unit(n, name_buf(m.id, "_3x3_reduce"), m.r3, 1, 1, x);
  b3 = inception_bn_unit(n, name_buf(m.id, "_3x3"), m.c3, 3, s, b3);
  node_id bd = inception_bn_unit(n, name_buf(m.id, "_double_3x3_reduce"), m.rd, 1, 1, x);
  bd = inception_bn_unit(n, name_buf(m.id, "_double_3x3_0"), m.cd, 3, 1, bd);
  bd = inception_bn_unit(n, name_buf(m.id, "_double_3x3_1"), m.cd, 3, s, bd);
  const name_buf pool_name(m.max_pool ? "max_pool_" : "ave_pool_", m.id, "_pool");
  const node_id p =
      m.stride2
          ? n.add(pool_name,
                  max_pool2d{.kernel = square(3), .stride = {2, 2}, .round = rounding::ceil}, {x})
      : m.max_pool
          ? n.add(pool_name,
                  max_pool2d{.kernel = square(3), .padding = {1, 1}, .round = rounding::ceil}, {x})
          : n.add(pool_name,
                  avg_pool2d{.kernel = square(3), .padding = {1, 1}, .round = rounding::ceil}, {x});
  const name_buf out("ch_concat_", m.id, "_chconcat");
  if (m.stride2) return n.add(out, concat{}, {b3, bd, p});
  const node_id bp = inception_bn_unit(n, name_buf(m.id, "_proj"), m.proj, 1, 1, p);
  return n.add(out, concat{}, {b1, b3, bd, bp});
}

}  // namespace detail

/// Inception-BN (Ioffe & Szegedy 2015; SyNERGY Table 1) at 224×224 in its ImageNet-21k
/// version (converted from MXNet): conv1 7×7/2 → 96, max pool, 1×1 → 128, 3×3 → 288, max pool;
/// ten modules 3a–5b (two of them, 3c and 4e, reducing with stride 2); global average
/// pooling; fc1 → 21,841 classes; softmax. Every convolution (with bias) is followed by
/// BatchNorm + Scale + ReLU. Caffe's layer names.
[[nodiscard]] constexpr network inception_bn() {
  network n("inception_bn", {224, 224, 3});
  constexpr max_pool2d pool{.kernel = square(3), .stride = {2, 2}, .round = rounding::ceil};
  node_id x = detail::inception_bn_unit(n, "conv1", 96, 7, 2, 0);
  x = n.add("pool1", pool);
  x = detail::inception_bn_unit(n, "conv2red", 128, 1, 1, x);
  detail::inception_bn_unit(n, "conv2", 288, 3, 1, x);
  x = n.add("pool2", pool);
  constexpr std::array<detail::inception_bn_module, 10> modules{{
      {"3a", 96, 96, 96, 96, 144, 48, false, false},
      {"3b", 96, 96, 144, 96, 144, 96, false, false},
      {"3c", 0, 192, 240, 96, 144, 0, true, true},
      {"4a", 224, 64, 96, 96, 128, 128, false, false},
      {"4b", 192, 96, 128, 96, 128, 128, false, false},
      {"4c", 160, 128, 160, 128, 160, 128, false, false},
      {"4d", 96, 128, 192, 160, 96, 128, false, false},
      {"4e", 0, 128, 192, 192, 256, 0, true, true},
      {"5a", 352, 192, 320, 160, 224, 128, false, false},
      {"5b", 352, 192, 320, 192, 224, 128, true, false},
  }};
  for (const auto& m : modules) x = detail::inception_bn_block(n, m, x);
  n.add("global_pool", avg_pool2d{.global = true});
  n.add("fc1", fully_connected{.outputs = 21841});
  n.add("softmax", softmax{});
  return n;
}

}  // namespace synergy::zoo
