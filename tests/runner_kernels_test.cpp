// The runner's vectorised kernel paths (issue 12) against naive double-precision definitions
// and hand-computed values: depthwise convolution at stride 2 (the phase-splitting fill: whole
// vectors, 4-float vectors, the one-by-one rest, both padding parities) and stride 1 (the last
// vector moved back to overlap), 3×3 and 5×5, on every vector width the CPU has; convolution
// and fully connected layers on a 1×1 map (GEMV); stride-2 im2col; global pooling (8 interleaved
// partial results); eltwise combining its first two inputs in one pass; cpu_features.hpp's widths.
// Tolerance: |runner − naive| ≤ 1e−4 · max(1, |naive|) (float accumulation of ≤ 200 terms).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "support/naive_kernels.hpp"
#include "synergy/run/cpu_features.hpp"
#include "synergy/run/runner.hpp"

using namespace synergy;
using run::backend;
using synergy_test::expect_close;
using synergy_test::naive_conv;
using synergy_test::naive_depthwise;

namespace {

// A one-layer network on a random input of shape `in` (the runner's seeded weights and input),
// run once with `be`.
run::runner one_layer(const layer& l, shape3 in, backend be = backend::openblas) {
  network n("t", in);
  n.add("x", l, std::initializer_list<node_id>{0});
  run::runner r(std::move(n), 7);
  r.run(be);
  return r;
}

// The depthwise layer `d` on input `in`: the runner's own choice of width and every width
// 4, 8, 16 (a width the CPU lacks runs a narrower path), against the definition.
void check_depthwise(const depthwise_conv2d& d0, shape3 in, const std::string& what) {
  const auto r = one_layer(d0, in);
  const auto& d = std::get<depthwise_conv2d>(r.net().at(1));
  const auto want = naive_depthwise(r.output(0), d, r.params(1), r.net().output(1));
  expect_close(r.output(1), want, what + ", runner's width");
  for (int width : {4, 8, 16}) {
    run::tensor out(r.net().output(1));
    std::vector<float> scratch;
    run::depthwise_conv2d_vectorised(d, r.params(1).weights.data(),
                                     r.params(1).bias.empty() ? nullptr : r.params(1).bias.data(),
                                     r.output(0), out, scratch, width);
    expect_close(out, want, what + ", width " + std::to_string(width));
  }
}

class every_backend : public ::testing::TestWithParam<backend> {};

}  // namespace

// Stride 2: input widths below 8 (fewer than 4 column pairs: one by one), 8 to 31 (4-float
// vectors when the runner's vector is wider, then the last one overlapping), 32 and more
// (whole vectors), odd widths (a last column without a pair), padding 0, 1, 2 (even columns go
// to phase 0 or 1), 3×3 and 5×5, multiplier 1 and 2; 3 channels of 5 to 7 rows, so that the
// last rows of the tensor take the float-by-float store.
TEST(RunnerKernels, StrideTwoDepthwiseMatchesTheDefinitionOnEveryWidth) {
  for (std::int64_t w : {4, 5, 7, 8, 9, 14, 15, 17, 28, 31, 32, 33, 56, 57, 112})
    for (std::int64_t k : {3, 5})
      for (std::int64_t pad = 0; pad < (k == 3 ? 2 : 3); ++pad)
        for (std::int64_t mult : {1, 2}) {
          const shape3 in{w, 5 + w % 3, 3};
          if (w + 2 * pad < k || in.y + 2 * pad < k) continue;  // no output
          check_depthwise({.kernel = square(k),
                           .stride = {2, 2},
                           .padding = {pad, pad},
                           .multiplier = mult,
                           .bias = (w + k) % 2 == 0},
                          in,
                          "stride 2, " + std::to_string(k) + "x" + std::to_string(k) + ", pad " +
                              std::to_string(pad) + ", multiplier " + std::to_string(mult) +
                              ", input width " + std::to_string(w));
        }
}

// Stride 1, output widths around one and two vectors of 4, 8 and 16 floats (7 to 33: the last
// vector moved back over the one before, or a map narrower than a vector stored whole), 3×3 and
// 5×5 with "same" padding; and a non-square stride (3, 1) through the generic fill.
TEST(RunnerKernels, StrideOneAndOtherStridesMatchTheDefinitionOnEveryWidth) {
  for (std::int64_t w : {3, 7, 8, 9, 12, 15, 16, 17, 20, 28, 33, 56})
    for (std::int64_t k : {3, 5}) {
      const shape3 in{w, 6, 2};
      check_depthwise({.kernel = square(k), .padding = {k / 2, k / 2}}, in,
                      "stride 1, " + std::to_string(k) + "x" + std::to_string(k) + ", width " +
                          std::to_string(w));
    }
  check_depthwise({.kernel = square(3), .stride = {3, 1}, .padding = {1, 1}}, {29, 5, 2},
                  "stride (3, 1), width 29");
  check_depthwise({.kernel = square(3), .stride = {2, 2}, .padding = {2, 2}, .dilation = {2, 2}},
                  {40, 7, 2}, "stride 2, dilation 2, width 40");
}

// Convolutions whose output map is 1×1 run as GEMV: the squeeze-and-excitation 1×1
// convolutions (with and without bias), a grouped one, and a 3×3 convolution with padding 1 on
// a 1×1 map (im2col, then GEMV: only the centre tap sees the input).
TEST_P(every_backend, convolution_on_a_one_by_one_map_matches_the_definition) {
  struct conv_case {
    conv2d c;
    shape3 in;
    const char* what;
  };
  const conv_case cases[] = {
      {{.out_channels = 24, .kernel = square(1)}, {1, 1, 72}, "SE reduce 72 -> 24"},
      {{.out_channels = 72, .kernel = square(1), .bias = false}, {1, 1, 24}, "SE expand, no bias"},
      {{.out_channels = 6, .kernel = square(1), .groups = 3}, {1, 1, 9}, "grouped 1x1, 3 groups"},
      {{.out_channels = 5, .kernel = square(3), .padding = {1, 1}}, {1, 1, 7}, "3x3 pad 1 on 1x1"},
  };
  for (const auto& c : cases) {
    const auto r = one_layer(c.c, c.in, GetParam());
    const auto& d = std::get<conv2d>(r.net().at(1));
    expect_close(r.output(1), naive_conv(r.output(0), d, r.params(1), r.net().output(1)), c.what);
  }
}

// Stride-2 convolution: im2col takes every second column through 4-float vectors while they
// stay inside the input row, the rest one by one: input widths 5 to 33 (odd and even), padding
// 0 and 1, 3×3 (as the MobileNets' first layer) and 1×1.
TEST_P(every_backend, stride_two_convolution_matches_the_definition) {
  for (std::int64_t w : {5, 8, 9, 12, 17, 32, 33})
    for (std::int64_t k : {1, 3})
      for (std::int64_t pad = 0; pad < k; ++pad) {
        const conv2d c0{
            .out_channels = 4, .kernel = square(k), .stride = {2, 2}, .padding = {pad, pad}};
        const auto r = one_layer(c0, {w, 5, 3}, GetParam());
        const auto& d = std::get<conv2d>(r.net().at(1));
        expect_close(r.output(1), naive_conv(r.output(0), d, r.params(1), r.net().output(1)),
                     "stride 2, " + std::to_string(k) + "x" + std::to_string(k) + ", pad " +
                         std::to_string(pad) + ", width " + std::to_string(w));
      }
}

// Fully connected onto its bias (GEMV with β = 1), with and without bias.
TEST_P(every_backend, fully_connected_matches_the_definition) {
  for (const bool bias : {true, false}) {
    const auto r = one_layer(fully_connected{.outputs = 11, .bias = bias}, {3, 2, 5}, GetParam());
    const auto& p = r.params(1);
    std::vector<double> want;
    const std::size_t k = r.output(0).data.size();
    for (std::size_t o = 0; o < 11; ++o) {
      double acc = bias ? p.bias[o] : 0.0;
      for (std::size_t i = 0; i < k; ++i) acc += p.weights[o * k + i] * r.output(0).data[i];
      want.push_back(acc);
    }
    expect_close(r.output(1), want, bias ? "with bias" : "without bias");
  }
}

// Global pooling reduces each plane in 8 interleaved partial results: planes of 1, 8, 9, 15
// and 49 floats (no full group of 8, exactly one, one and a rest, ...). Hand-computed: a 3×3
// plane holding 1..9 has mean 45/9 = 5 and maximum 9; one holding −1..−9 has mean −5 and
// maximum −1.
TEST(RunnerKernels, GlobalPoolingByHandAndByDefinition) {
  {
    network n("g", {3, 3, 2});
    const node_id a = n.add("avg", avg_pool2d{.global = true});
    const node_id m = n.add("max", max_pool2d{.global = true}, {0});
    run::runner r(std::move(n), 1);
    for (std::size_t i = 0; i < 9; ++i) {
      r.input().data[i] = static_cast<float>(i + 1);
      r.input().data[9 + i] = -static_cast<float>(i + 1);
    }
    r.run(backend::openblas);
    expect_close(r.output(a), {5.0, -5.0}, "global average of 1..9 and -1..-9");
    expect_close(r.output(m), {9.0, -1.0}, "global maximum of 1..9 and -1..-9");
  }
  for (const shape3 in :
       {shape3{1, 1, 3}, shape3{8, 1, 3}, shape3{3, 3, 3}, shape3{5, 3, 2}, shape3{7, 7, 4}}) {
    network n("g", in);
    const node_id a = n.add("avg", avg_pool2d{.global = true});
    const node_id m = n.add("max", max_pool2d{.global = true}, {0});
    run::runner r(std::move(n), 3);
    r.run(backend::openblas);
    std::vector<double> mean, mx;
    for (std::int64_t z = 0; z < in.z; ++z) {
      double s = 0, h = -1e300;
      for (std::int64_t y = 0; y < in.y; ++y)
        for (std::int64_t x = 0; x < in.x; ++x) {
          s += r.input().at(x, y, z);
          h = std::max(h, static_cast<double>(r.input().at(x, y, z)));
        }
      mean.push_back(s / static_cast<double>(in.x * in.y));
      mx.push_back(h);
    }
    const std::string what = std::to_string(in.x) + "x" + std::to_string(in.y);
    expect_close(r.output(a), mean, "global average " + what);
    expect_close(r.output(m), mx, "global maximum " + what);
  }
}

// Eltwise combines its first two inputs in one pass, whichever of them is broadcast, and later
// inputs in order. Input x (2×1×2, CHW) = channel 0: 1, 3; channel 1: 5, 7; its global average
// v = [2, 6] and maximum u = [3, 7] are 1×1×2 gates, r = relu(x) = x.
//   (v, u, x): sum    ch0 2+3+1 = 6, 2+3+3 = 8;       ch1 6+7+5 = 18, 6+7+7 = 20
//              prod   ch0 2·3·1 = 6, 2·3·3 = 18;      ch1 6·7·5 = 210, 6·7·7 = 294
//              max    ch0 3, 3;                       ch1 7, 7
//   (x, v):    sum    3, 5, 11, 13;   prod 2, 6, 30, 42;   max 2, 3, 6, 7
//   (v, x):    the same as (x, v)
//   (x, r, v): sum    1+1+2 = 4, 3+3+2 = 8, 5+5+6 = 16, 7+7+6 = 20
//              prod   1·1·2 = 2, 3·3·2 = 18, 5·5·6 = 150, 7·7·6 = 294
//              max    2, 3, 6, 7
TEST_P(every_backend, eltwise_in_one_pass_by_hand) {
  struct op_case {
    eltwise_op op;
    const char* name;
    std::vector<double> vux, xv, xrv;
  };
  const op_case cases[] = {
      {eltwise_op::sum, "sum", {6, 8, 18, 20}, {3, 5, 11, 13}, {4, 8, 16, 20}},
      {eltwise_op::prod, "prod", {6, 18, 210, 294}, {2, 6, 30, 42}, {2, 18, 150, 294}},
      {eltwise_op::max, "max", {3, 3, 7, 7}, {2, 3, 6, 7}, {2, 3, 6, 7}},
  };
  for (const auto& c : cases) {
    network n("e", {2, 1, 2});
    const node_id v = n.add("avg", avg_pool2d{.global = true});
    const node_id u = n.add("max", max_pool2d{.global = true}, {0});
    const node_id x2 = n.add("relu", activation{.kind = activation_kind::relu}, {0});
    const node_id vux = n.add("vux", eltwise{.op = c.op}, {v, u, 0});
    const node_id xv = n.add("xv", eltwise{.op = c.op}, {0, v});
    const node_id vx = n.add("vx", eltwise{.op = c.op}, {v, 0});
    const node_id xrv = n.add("xrv", eltwise{.op = c.op}, {0, x2, v});
    run::runner r(std::move(n), 1);
    r.input().data = {1, 3, 5, 7};
    r.run(GetParam());
    const std::string op(c.name);
    expect_close(r.output(vux), c.vux, op + " (gate, gate, map)");
    expect_close(r.output(xv), c.xv, op + " (map, gate)");
    expect_close(r.output(vx), c.xv, op + " (gate, map)");
    expect_close(r.output(xrv), c.xrv, op + " (map, map, gate)");
  }
}

// supported_width maps every request to a width this CPU has, never wider than asked (but at
// least the generic 4), and 0 to the widest; the features decide which.
TEST(RunnerKernels, SupportedWidthsFollowTheCpuFeatures) {
  const run::cpu_features& f = run::this_cpu();
  const int widest = f.avx512f ? 16 : f.avx2 ? 8 : 4;
  EXPECT_EQ(run::widest_vector_floats(), widest);
  EXPECT_EQ(run::supported_width(0), widest);
  EXPECT_EQ(run::supported_width(-1), widest);
  EXPECT_EQ(run::supported_width(1), 4);
  EXPECT_EQ(run::supported_width(4), 4);
  EXPECT_EQ(run::supported_width(7), 4);
  EXPECT_EQ(run::supported_width(8), f.avx2 ? 8 : 4);
  EXPECT_EQ(run::supported_width(15), f.avx2 ? 8 : 4);
  EXPECT_EQ(run::supported_width(16), widest);
  EXPECT_EQ(run::supported_width(64), widest);
}

INSTANTIATE_TEST_SUITE_P(runner_kernels, every_backend,
                         ::testing::Values(backend::openblas, backend::eigen),
                         [](const auto& info) { return std::string(run::to_string(info.param)); });
