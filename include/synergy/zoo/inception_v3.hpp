#pragma once
/// @file
/// Inception-v3 as in soeaver/caffe-model `deploy_inception-v3.prototxt`.

#include <cstdint>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo {

namespace detail {

/// Kernel, padding and stride of one Inception-v3 convolution (x along the width).
struct v3_conv {
  std::int64_t out, kx, ky, stride = 1;
};

/// Convolution "<name>" (no bias, "same" padding unless stride 2) → "<name>_bn" →
/// "<name>_scale" → ReLU "<relu>" (or "<name>_relu" when `relu` is empty). Returns the ReLU.
constexpr node_id v3_unit(network& n, std::string_view name, const v3_conv& c, node_id from,
                          std::string_view relu = {}) {
  const bool same = c.stride == 1;
  n.add(name,
        conv2d{.out_channels = c.out,
               .kernel = {c.kx, c.ky},
               .stride = square(c.stride),
               .padding = same ? extent2{c.kx / 2, c.ky / 2} : extent2{0, 0},
               .bias = false},
        {from});
  n.add(name_buf(name, "_bn"), batch_norm{});
  n.add(name_buf(name, "_scale"), scale{.bias = true});
  return relu.empty() ? n.add(name_buf(name, "_relu"), activation{}) : n.add(relu, activation{});
}

constexpr avg_pool2d v3_avg3x3{.kernel = square(3), .padding = {1, 1}, .round = rounding::ceil};
constexpr max_pool2d v3_max3x3s2{.kernel = square(3), .stride = {2, 2}, .round = rounding::ceil};

/// Module A (35×35): 1×1; 5×5 after a 1×1; two 3×3 after a 1×1; 3×3 average pool + 1×1.
constexpr node_id v3_module_a(network& n, std::string_view m, std::int64_t pool_proj, node_id x) {
  const node_id b1 = v3_unit(n, name_buf(m, "_1x1"), {64, 1, 1}, x);
  node_id b5 = v3_unit(n, name_buf(m, "_5x5_reduce"), {48, 1, 1}, x);
  b5 = v3_unit(n, name_buf(m, "_5x5"), {64, 5, 5}, b5);
  node_id b3 = v3_unit(n, name_buf(m, "_3x3_reduce"), {64, 1, 1}, x);
  b3 = v3_unit(n, name_buf(m, "_3x3_1"), {96, 3, 3}, b3);
  b3 = v3_unit(n, name_buf(m, "_3x3_2"), {96, 3, 3}, b3);
  const node_id p = n.add(name_buf(m, "_pool"), v3_avg3x3, {x});
  const node_id bp = v3_unit(n, name_buf(m, "_pool_proj"), {pool_proj, 1, 1}, p);
  return n.add(name_buf(m, "_output"), concat{}, {b1, b5, b3, bp});
}

/// Module B (17×17) with factorised 7×7 convolutions of width c7.
constexpr node_id v3_module_b(network& n, std::string_view m, std::int64_t c7, node_id x) {
  const node_id b1 = v3_unit(n, name_buf(m, "_1x1_2"), {192, 1, 1}, x);
  node_id b7 = v3_unit(n, name_buf(m, "_1x7_reduce"), {c7, 1, 1}, x);
  b7 = v3_unit(n, name_buf(m, "_1x7"), {c7, 7, 1}, b7);
  b7 = v3_unit(n, name_buf(m, "_7x1"), {192, 1, 7}, b7);
  node_id bd = v3_unit(n, name_buf(m, "_7x1_reduce"), {c7, 1, 1}, x);
  bd = v3_unit(n, name_buf(m, "_7x1_2"), {c7, 1, 7}, bd);
  bd = v3_unit(n, name_buf(m, "_1x7_2"), {c7, 7, 1}, bd);
  bd = v3_unit(n, name_buf(m, "_7x1_3"), {c7, 1, 7}, bd);
  bd = v3_unit(n, name_buf(m, "_1x7_3"), {192, 7, 1}, bd);
  const node_id p = n.add(name_buf(m, "_pool_ave"), v3_avg3x3, {x});
  const node_id bp = v3_unit(n, name_buf(m, "_1x1"), {192, 1, 1}, p);
  return n.add(name_buf(m, "_concat"), concat{}, {b1, b7, bd, bp});
}

/// Module C (8×8) with split 1×3 / 3×1 branches; `max_pool` for the last module's pool branch.
constexpr node_id v3_module_c(network& n, std::string_view m, bool max_pool, node_id x) {
  const node_id b1 = v3_unit(n, name_buf(m, "_1x1_2"), {320, 1, 1}, x);
  const node_id r = v3_unit(n, name_buf(m, "_1x3_reduce"), {384, 1, 1}, x);
  const node_id a1 = v3_unit(n, name_buf(m, "_1x3"), {384, 3, 1}, r);
  const node_id a2 = v3_unit(n, name_buf(m, "_3x1"), {384, 1, 3}, r);
  node_id d = v3_unit(n, name_buf(m, "_3x3_reduce"), {448, 1, 1}, x);
  d = v3_unit(n, name_buf(m, "_3x3"), {384, 3, 3}, d);
  const node_id d1 = v3_unit(n, name_buf(m, "_1x3_2"), {384, 3, 1}, d);
  const node_id d2 = v3_unit(n, name_buf(m, "_3x1_2"), {384, 1, 3}, d);
  const node_id p =
      max_pool
          ? n.add(name_buf(m, "_pool"),
                  max_pool2d{.kernel = square(3), .padding = {1, 1}, .round = rounding::ceil}, {x})
          : n.add(name_buf(m, "_pool"), v3_avg3x3, {x});
  const node_id bp = v3_unit(n, name_buf(m, "_1x1"), {192, 1, 1}, p);
  return n.add(name_buf(m, "_concat"), concat{}, {b1, a1, a2, d1, d2, bp});
}

}  // namespace detail

/// Inception-v3 (Szegedy et al. 2016; SyNERGY Table 1) at 299×299 as in the Caffe file the
/// SyNERGY scripts name: a stem of five convolutions and two max pools (→ 35×35×192); three
/// modules A, reduction A (→ 17×17×768), four modules B (7×7 factorised as 1×7 and 7×1),
/// reduction B (→ 8×8×1280), two modules C (→ 8×8×2048); global average pooling, dropout, the
/// 1000-way classifier, softmax. Every convolution is followed by BatchNorm + Scale + ReLU;
/// Caffe's ceil pooling. Caffe's layer names, including the stem's irregular ReLU names.
[[nodiscard]] constexpr network inception_v3() {
  using detail::v3_unit;
  network n("inception_v3", {299, 299, 3});
  node_id x = v3_unit(n, "conv1_3x3_s2", {32, 3, 3, 2}, 0, "conv1_3x3_relu");
  x = n.add("conv2_3x3_s1", conv2d{.out_channels = 32, .kernel = square(3), .bias = false});
  n.add("conv2_3x3_s1_bn", batch_norm{});
  n.add("conv2_3x3_s1_scale", scale{.bias = true});
  x = n.add("conv2_3x3_relu", activation{});
  x = v3_unit(n, "conv3_3x3_s1", {64, 3, 3}, x, "conv3_3x3_relu");
  x = n.add("pool1_3x3_s2", detail::v3_max3x3s2);
  x = v3_unit(n, "conv4_3x3_reduce", {80, 1, 1}, x, "conv4_relu_3x3_reduce");
  n.add("conv4_3x3", conv2d{.out_channels = 192, .kernel = square(3), .bias = false});
  n.add("conv4_3x3_bn", batch_norm{});
  n.add("conv4_3x3_scale", scale{.bias = true});
  n.add("conv4_relu_3x3", activation{});
  x = n.add("pool2_3x3_s2", detail::v3_max3x3s2);
  x = detail::v3_module_a(n, "inception_a1", 32, x);
  x = detail::v3_module_a(n, "inception_a2", 64, x);
  x = detail::v3_module_a(n, "inception_a3", 64, x);
  {  // reduction A
    const node_id a = v3_unit(n, "reduction_a_3x3", {384, 3, 3, 2}, x);
    node_id b = v3_unit(n, "reduction_a_3x3_2_reduce", {64, 1, 1}, x);
    b = v3_unit(n, "reduction_a_3x3_2", {96, 3, 3}, b);
    b = v3_unit(n, "reduction_a_3x3_3", {96, 3, 3, 2}, b);
    const node_id p = n.add("reduction_a_pool", detail::v3_max3x3s2, {x});
    x = n.add("reduction_a_concat", concat{}, {a, b, p});
  }
  x = detail::v3_module_b(n, "inception_b1", 128, x);
  x = detail::v3_module_b(n, "inception_b2", 160, x);
  x = detail::v3_module_b(n, "inception_b3", 160, x);
  x = detail::v3_module_b(n, "inception_b4", 192, x);
  {  // reduction B
    node_id a = v3_unit(n, "reduction_b_3x3_reduce", {192, 1, 1}, x);
    a = v3_unit(n, "reduction_b_3x3", {320, 3, 3, 2}, a);
    node_id b = v3_unit(n, "reduction_b_1x7_reduce", {192, 1, 1}, x);
    b = v3_unit(n, "reduction_b_1x7", {192, 7, 1}, b);
    b = v3_unit(n, "reduction_b_7x1", {192, 1, 7}, b);
    b = v3_unit(n, "reduction_b_3x3_2", {192, 3, 3, 2}, b);
    const node_id p = n.add("reduction_b_pool", detail::v3_max3x3s2, {x});
    x = n.add("reduction_b_concat", concat{}, {a, b, p});
  }
  x = detail::v3_module_c(n, "inception_c1", false, x);
  detail::v3_module_c(n, "inception_c2", true, x);
  n.add("pool_8x8_s1", avg_pool2d{.global = true});
  n.add("pool_8x8_s1_drop", dropout{});
  n.add("classifier", fully_connected{.outputs = 1000});
  n.add("prob", softmax{});
  return n;
}

}  // namespace synergy::zoo
