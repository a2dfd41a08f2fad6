// The reference runner against naive direct implementations in double precision, on small
// layers of every kind, with both backends. Tolerance: |runner − naive| ≤ 1e−4 · max(1, |naive|)
// (float32 accumulation over at most a few hundred terms).

#include "synergy/run/runner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "support/naive_kernels.hpp"
#include "synergy/zoo/registry.hpp"

using namespace synergy;
using run::backend;

namespace {

using synergy_test::expect_close;
using synergy_test::naive_conv;
using synergy_test::naive_depthwise;

// Caffe pooling by its definition: max over the in-map part of the window; average of the
// in-map values divided by the number of window positions inside the padded map.
template <pool_kind K>
std::vector<double> naive_pool(const run::tensor& in, const pool2d<K>& q, shape3 o) {
  std::vector<double> out;
  const extent2 k = q.effective_kernel(), s = q.global ? extent2{1, 1} : q.stride,
                pd = q.global ? extent2{0, 0} : q.padding;
  for (std::int64_t z = 0; z < o.z; ++z)
    for (std::int64_t oy = 0; oy < o.y; ++oy)
      for (std::int64_t ox = 0; ox < o.x; ++ox) {
        double mx = -1e300, sum = 0;
        std::int64_t positions = 0;
        for (std::int64_t dy = 0; dy < k.y; ++dy)
          for (std::int64_t dx = 0; dx < k.x; ++dx) {
            const std::int64_t y = oy * s.y - pd.y + dy, x = ox * s.x - pd.x + dx;
            if (y >= in.shape.y + pd.y || x >= in.shape.x + pd.x)
              continue;  // beyond the padded map
            ++positions;
            if (y < 0 || x < 0 || y >= in.shape.y || x >= in.shape.x) continue;  // padding
            mx = std::max(mx, static_cast<double>(in.at(x, y, z)));
            sum += in.at(x, y, z);
          }
        out.push_back(K == pool_kind::max ? mx : sum / static_cast<double>(positions));
      }
  return out;
}

/// Builds a one-layer network on a random 9×7×4 input, runs it with `be`, returns the runner.
run::runner one_layer(const layer& l, backend be, shape3 in = {9, 7, 4}) {
  network n("t", in);
  n.add("x", l, std::initializer_list<node_id>{0});
  run::runner r(std::move(n), 42);
  r.run(be);
  return r;
}

class every_backend : public ::testing::TestWithParam<backend> {};

}  // namespace

TEST_P(every_backend, convolutions_match_the_definition) {
  const conv2d cases[] = {
      {.out_channels = 6, .kernel = square(3), .stride = {2, 2}, .padding = {1, 1}},
      {.out_channels = 6, .kernel = {3, 2}, .stride = {1, 2}, .padding = {0, 1}, .groups = 2},
      {.out_channels = 5,
       .kernel = square(3),
       .padding = {2, 2},
       .dilation = {2, 2},
       .bias = false},
      {.out_channels = 8, .kernel = square(1)},  // the im2col-free path
  };
  for (const auto& c : cases) {
    const auto r = one_layer(c, GetParam());
    auto d = std::get<conv2d>(r.net().at(1));
    expect_close(r.output(1), naive_conv(r.output(0), d, r.params(1), r.net().output(1)), "conv2d");
  }
}

TEST_P(every_backend, depthwise_fc_and_pooling_match_the_definition) {
  const depthwise_conv2d dw{
      .kernel = square(3), .stride = {2, 2}, .padding = {1, 1}, .multiplier = 2};
  auto r = one_layer(dw, GetParam());
  expect_close(r.output(1),
               naive_depthwise(r.output(0), std::get<depthwise_conv2d>(r.net().at(1)), r.params(1),
                               r.net().output(1)),
               "depthwise stride 2");
  r = one_layer(depthwise_conv2d{.kernel = square(3), .padding = {1, 1}}, GetParam());
  expect_close(r.output(1),
               naive_depthwise(r.output(0), std::get<depthwise_conv2d>(r.net().at(1)), r.params(1),
                               r.net().output(1)),
               "depthwise stride 1");

  r = one_layer(fully_connected{.outputs = 10}, GetParam());
  std::vector<double> fc;
  for (std::size_t o = 0; o < 10; ++o) {
    double acc = r.params(1).bias[o];
    for (std::size_t i = 0; i < r.output(0).data.size(); ++i)
      acc += r.params(1).weights[o * r.output(0).data.size() + i] * r.output(0).data[i];
    fc.push_back(acc);
  }
  expect_close(r.output(1), fc, "fully_connected");

  // 9×7 with 3×3 stride 2 and Caffe's ceil: 4×3 windows, the last ones clipped.
  r = one_layer(max_pool2d{.kernel = square(3), .stride = {2, 2}, .round = rounding::ceil},
                GetParam());
  EXPECT_EQ(r.net().output(1), (shape3{4, 3, 4}));
  expect_close(r.output(1),
               naive_pool(r.output(0), std::get<max_pool2d>(r.net().at(1)), r.net().output(1)),
               "max_pool2d ceil");
  r = one_layer(
      avg_pool2d{.kernel = square(3), .stride = {2, 2}, .padding = {1, 1}, .round = rounding::ceil},
      GetParam());
  expect_close(r.output(1),
               naive_pool(r.output(0), std::get<avg_pool2d>(r.net().at(1)), r.net().output(1)),
               "avg_pool2d padded");
  r = one_layer(avg_pool2d{.global = true}, GetParam());
  expect_close(r.output(1),
               naive_pool(r.output(0), std::get<avg_pool2d>(r.net().at(1)), r.net().output(1)),
               "global avg");
}

// The vectorised depthwise kernel on every vector width this CPU has (16: AVX-512F, 8: AVX2,
// 4: the generic path; a width the CPU lacks falls back to a narrower one), against the
// double-precision definition. Widths 37 and 70 are not multiples of any vector width, and 70
// columns at stride 1 fill one 4-vector register block of 16 floats (64) plus a partial vector;
// MobileNet's 112-wide maps are covered by the shapes of the stride-2 case.
TEST(Runner, DepthwiseMatchesTheDefinitionOnEveryVectorWidth) {
  struct dw_case {
    depthwise_conv2d d;
    shape3 in;
    const char* what;
  };
  const dw_case cases[] = {
      {{.kernel = square(3), .padding = {1, 1}}, {70, 5, 3}, "3x3 stride 1 pad 1, width 70"},
      {{.kernel = square(3), .stride = {2, 2}, .padding = {1, 1}},
       {112, 6, 2},
       "3x3 stride 2 pad 1, width 112"},
      {{.kernel = square(3), .stride = {2, 2}, .padding = {1, 1}, .multiplier = 3},
       {37, 9, 2},
       "stride 2, multiplier 3, width 37"},
      {{.kernel = square(5), .stride = {2, 2}, .padding = {2, 2}, .bias = false},
       {37, 11, 3},
       "5x5 stride 2 pad 2, no bias"},
      {{.kernel = square(3), .padding = {2, 2}, .dilation = {2, 2}},
       {37, 8, 2},
       "3x3 dilation 2 pad 2"},
      {{.kernel = square(3), .stride = {2, 2}, .padding = {2, 2}, .dilation = {2, 2}},
       {37, 9, 2},
       "stride 2 dilation 2: taps in both phases"},
      {{.kernel = {3, 2}, .stride = {3, 1}, .padding = {0, 1}, .multiplier = 2},
       {19, 7, 2},
       "3x2 stride (3, 1), multiplier 2"},
      {{.kernel = square(3)}, {3, 3, 4}, "3x3 unpadded on 3x3: one output"},
  };
  for (const auto& c : cases) {
    const auto r = one_layer(c.d, backend::openblas, c.in);
    const auto& d = std::get<depthwise_conv2d>(r.net().at(1));
    const auto want = naive_depthwise(r.output(0), d, r.params(1), r.net().output(1));
    expect_close(r.output(1), want, c.what);  // the runner's own choice of width
    for (int width : {4, 8, 16}) {
      run::tensor out(r.net().output(1));
      std::vector<float> scratch;
      run::depthwise_conv2d_vectorised(d, r.params(1).weights.data(),
                                       r.params(1).bias.empty() ? nullptr : r.params(1).bias.data(),
                                       r.output(0), out, scratch, width);
      SCOPED_TRACE(width);
      expect_close(out, want, c.what);
    }
  }
}

// Folding (runner_options::fold_batch_norm): conv → bn → scale → relu and depthwise → bn →
// scale give the unfolded results within float rounding; the folded layers are not run (time
// 0, no region). A batch norm whose convolution also feeds another layer is not folded (the
// convolution's own output is still needed), nor is a scale after a pooling layer.
TEST_P(every_backend, folding_batch_norm_and_scale_keeps_results) {
  network n("fold", {9, 7, 4});
  const node_id c = n.add(
      "conv", conv2d{.out_channels = 6, .kernel = square(3), .padding = {1, 1}, .bias = false});
  n.add("conv/bn", batch_norm{});
  n.add("conv/scale", scale{.bias = true});
  n.add("relu", activation{.kind = activation_kind::relu});
  n.add("dw", depthwise_conv2d{.kernel = square(3), .stride = {2, 2}, .padding = {1, 1}});
  n.add("dw/bn", batch_norm{});
  const node_id dws = n.add("dw/scale", scale{.bias = false});
  const node_id shared = n.add("shared", conv2d{.out_channels = 6, .kernel = square(1)});
  const node_id shared_bn = n.add("shared/bn", batch_norm{});
  n.add("sum", eltwise{.op = eltwise_op::sum}, {shared, shared_bn});  // reads the conv too
  const node_id pool = n.add("pool", max_pool2d{.kernel = square(2), .stride = {2, 2}});
  const node_id pool_scale = n.add("pool/scale", scale{.bias = true});
  run::runner plain(n, 9);
  run::runner folded(n, 9, {.fold_batch_norm = true});
  measure::annotator marks;
  plain.run(GetParam());
  folded.run(GetParam(), marks);
  EXPECT_FALSE(folded.folded(c));
  EXPECT_TRUE(folded.folded(c + 1));
  EXPECT_TRUE(folded.folded(c + 2));
  EXPECT_TRUE(folded.folded(dws - 1));
  EXPECT_TRUE(folded.folded(dws));
  EXPECT_FALSE(folded.folded(shared_bn));
  EXPECT_FALSE(folded.folded(pool_scale));
  EXPECT_EQ(folded.layer_times()[c + 1], 0.0);
  EXPECT_EQ(folded.layer_times()[dws], 0.0);
  for (node_id id = 1; id < n.size(); ++id) {
    // The maps of conv and dw hold their folded layers' results, checked below and by relu.
    if (folded.folded(id) || id == c || id == dws - 2) continue;
    std::vector<double> want(plain.output(id).data.begin(), plain.output(id).data.end());
    expect_close(folded.output(id), want, std::string(n.name(id)).c_str());
  }
  // The output of the folded dw/scale is the depthwise map, now holding the scaled values.
  std::vector<double> want(plain.output(dws).data.begin(), plain.output(dws).data.end());
  expect_close(folded.output(dws), want, "dw/scale folded");
  EXPECT_EQ(folded.output(pool).shape, (shape3{2, 2, 6}));
  // Regions: every layer but the 4 folded ones was marked (one begin and one end each).
  EXPECT_EQ(marks.regions().size(), n.size() - 1 - 4);
  EXPECT_EQ(marks.size(), 2 * (n.size() - 1 - 4));
}

// The vectorised sigmoid-like activations against their definitions in double (std::exp), on
// the path the runner dispatches to and on the generic 4-float path (which a CPU without AVX2
// runs), over [−100, 100] (both saturations, e^x clamped) with 41 points: not a multiple of
// the vector width, so the partial last vector is checked too. Relative error ≤ 1e−6.
TEST(Runner, VectorisedActivationsMatchTheirDefinitions) {
  namespace act = run::detail::act;
  std::vector<float> x;
  for (int i = 0; i <= 40; ++i) x.push_back(-100.0f + 5.0f * static_cast<float>(i));
  x[20] = 0.25f;  // near 0, where σ and SiLU bend
  struct fn_case {
    const char* what;
    void (*dispatched)(const float*, float*, std::size_t);
    void (*generic)(const float*, float*, std::size_t);
    double (*want)(double);
  };
  const fn_case cases[] = {
      {"sigmoid", run::sigmoid_vectorised, act::run_generic<act::op::sigmoid>,
       [](double v) { return 1.0 / (1.0 + std::exp(-v)); }},
      {"silu", run::silu_vectorised, act::run_generic<act::op::silu>,
       [](double v) { return v / (1.0 + std::exp(-v)); }},
      {"hard_sigmoid", run::hard_sigmoid_vectorised, act::run_generic<act::op::hard_sigmoid>,
       [](double v) { return std::min(std::max(v / 6.0 + 0.5, 0.0), 1.0); }},
      {"hard_swish", run::hard_swish_vectorised, act::run_generic<act::op::hard_swish>,
       [](double v) { return v * std::min(std::max(v / 6.0 + 0.5, 0.0), 1.0); }},
  };
  for (const auto& c : cases)
    for (auto* f : {c.dispatched, c.generic}) {
      std::vector<float> y(x.size());
      f(x.data(), y.data(), x.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        const double want = c.want(x[i]);
        EXPECT_LE(std::abs(y[i] - want), 1e-6 * std::max(1e-30, std::abs(want)) + 1e-37)
            << c.what << " at " << x[i] << (f == c.generic ? " (generic)" : " (dispatched)");
      }
    }
}

TEST_P(every_backend, pointwise_layers_lrn_softmax_and_branches) {
  auto r = one_layer(lrn{.local_size = 5}, GetParam());
  std::vector<double> want;
  const auto& x = r.output(0);
  for (std::int64_t z = 0; z < 4; ++z)
    for (std::int64_t y = 0; y < 7; ++y)
      for (std::int64_t xx = 0; xx < 9; ++xx) {
        double s = 0;
        for (std::int64_t c = z - 2; c <= z + 2; ++c)
          if (c >= 0 && c < 4) s += static_cast<double>(x.at(xx, y, c)) * x.at(xx, y, c);
        want.push_back(x.at(xx, y, z) * std::pow(1.0 + 1e-4 / 5 * s, -0.75));
      }
  expect_close(r.output(1), want, "lrn across channels");

  r = one_layer(activation{.kind = activation_kind::sigmoid}, GetParam());
  want.clear();
  for (float v : r.output(0).data) want.push_back(1.0 / (1.0 + std::exp(-static_cast<double>(v))));
  expect_close(r.output(1), want, "sigmoid");

  r = one_layer(batch_norm{}, GetParam());
  want.clear();
  for (std::size_t i = 0; i < r.output(0).data.size(); ++i)
    want.push_back(r.output(0).data[i] * static_cast<double>(r.params(1).mul[i / 63]) +
                   r.params(1).add[i / 63]);
  expect_close(r.output(1), want, "batch_norm");

  r = one_layer(softmax{}, GetParam());
  for (std::int64_t i = 0; i < 63; ++i) {
    double s = 0;
    for (std::int64_t z = 0; z < 4; ++z)
      s += r.output(1).data[static_cast<std::size_t>(z * 63 + i)];
    EXPECT_NEAR(s, 1.0, 1e-6);
  }
  const double ratio = r.output(1).data[63] / r.output(1).data[0];
  EXPECT_NEAR(ratio, std::exp(static_cast<double>(r.output(0).data[63]) - r.output(0).data[0]),
              1e-4 * ratio);

  // A residual + concat branch: y = relu(a) + a, then concat(y, a) along channels.
  network n("branch", {5, 4, 3});
  const auto a = n.add("a", conv2d{.out_channels = 3, .kernel = square(1)});
  const auto b = n.add("relu", activation{}, {a});
  const auto s = n.add("sum", eltwise{}, {a, b});
  n.add("cat", concat{}, {s, a});
  run::runner rr(n, 7);
  rr.run(GetParam());
  const auto& A = rr.output(a);
  for (std::size_t i = 0; i < A.data.size(); ++i) {
    EXPECT_FLOAT_EQ(rr.output(s).data[i], A.data[i] + std::max(A.data[i], 0.0f));
    EXPECT_FLOAT_EQ(rr.output(4).data[i + A.data.size()], A.data[i]);
  }
}

// Layers whose kernels no other test reaches: dropout and flatten are the identity at
// inference; scale is x · γ_c + β_c; PReLU is x for x > 0, else slope · x with the slope 0.25
// the runner gives every channel.
TEST_P(every_backend, identity_scale_and_prelu_layers) {
  for (const layer& l : {layer{dropout{}}, layer{flatten{}}}) {
    const auto r = one_layer(l, GetParam());
    ASSERT_EQ(r.output(1).data.size(), r.output(0).data.size());
    for (std::size_t i = 0; i < r.output(0).data.size(); ++i)
      EXPECT_EQ(r.output(1).data[i], r.output(0).data[i]) << to_string(type_of(l));
  }
  auto r = one_layer(scale{}, GetParam());
  ASSERT_EQ(r.params(1).mul.size(), 4U);
  ASSERT_EQ(r.params(1).add.size(), 4U);
  std::vector<double> want;
  for (std::size_t i = 0; i < r.output(0).data.size(); ++i)
    want.push_back(r.output(0).data[i] * static_cast<double>(r.params(1).mul[i / 63]) +
                   r.params(1).add[i / 63]);
  expect_close(r.output(1), want, "scale");

  r = one_layer(activation{.kind = activation_kind::prelu}, GetParam());
  want.clear();
  for (float v : r.output(0).data) want.push_back(v > 0 ? v : 0.25 * v);
  expect_close(r.output(1), want, "prelu");
}

namespace {
/// Runs `n` with `be` on the given input values (CHW order), returns the runner.
run::runner run_on(network n, const std::vector<float>& input, backend be) {
  run::runner r(std::move(n), 5);
  EXPECT_EQ(r.input().data.size(), input.size());
  r.input().data = input;
  r.run(be);
  return r;
}
}  // namespace

// The appended activation kinds at points computed by hand:
//   hard_sigmoid(x) = max(0, min(1, x/6 + 1/2)): −4 → 0, −3 → 0, 0 → 0.5, 1.5 → 0.75, 3 → 1
//   hard_swish = x·hard_sigmoid(x): −4 → 0, −3 → 0, 0 → 0, 1.5 → 1.125, 3 → 3
//   silu(±1) = ±1/(1 + e^∓1): 1 → 0.7310585786, −1 → −0.2689414214; silu(0) = 0
//   gelu(x) = x·Φ(x): Φ(1) = 0.8413447461 → 0.8413447461, gelu(−1) = −Φ(−1) = −0.1586552539,
//   gelu(0) = 0 (Φ from tables of the normal distribution)
TEST_P(every_backend, new_activations_at_hand_computed_points) {
  const std::vector<float> x{-4, -3, 0, 1.5f, 3};
  const std::pair<activation_kind, std::vector<double>> cases[] = {
      {activation_kind::hard_sigmoid, {0, 0, 0.5, 0.75, 1}},
      {activation_kind::hard_swish, {0, 0, 0, 1.125, 3}},
  };
  for (const auto& [kind, want] : cases) {
    network n("a", {5, 1, 1});
    n.add("act", activation{.kind = kind});
    expect_close(run_on(n, x, GetParam()).output(1), want, std::string(to_string(kind)).c_str());
  }
  const std::vector<float> y{-1, 0, 1};
  network si("a", {3, 1, 1});
  si.add("act", activation{.kind = activation_kind::silu});
  expect_close(run_on(si, y, GetParam()).output(1), {-0.2689414214, 0, 0.7310585786}, "silu");
  network ge("a", {3, 1, 1});
  ge.add("act", activation{.kind = activation_kind::gelu});
  const auto r = run_on(ge, y, GetParam());
  EXPECT_NEAR(r.output(1).data[2], 0.841344746, 1e-6);
  EXPECT_NEAR(r.output(1).data[0], -0.158655254, 1e-6);
  EXPECT_EQ(r.output(1).data[1], 0.0f);
}

// Broadcasting eltwise: the gate v = global average of a 2×2×2 map (1×1×2), combined with
// the map. Channel 0 = [1, 2, 3, 4] (mean 2.5), channel 1 = [−1, 0, 1, 2] (mean 0.5):
//   prod: [2.5, 5, 7.5, 10], [−0.5, 0, 0.5, 1]
//   sum:  [3.5, 4.5, 5.5, 6.5], [−0.5, 0.5, 1.5, 2.5]
//   max:  [2.5, 2.5, 3, 4], [0.5, 0.5, 1, 2]
// The same with the gate as first or second input.
TEST_P(every_backend, broadcasting_eltwise_by_hand) {
  const std::vector<float> x{1, 2, 3, 4, -1, 0, 1, 2};
  const std::pair<eltwise_op, std::vector<double>> cases[] = {
      {eltwise_op::prod, {2.5, 5, 7.5, 10, -0.5, 0, 0.5, 1}},
      {eltwise_op::sum, {3.5, 4.5, 5.5, 6.5, -0.5, 0.5, 1.5, 2.5}},
      {eltwise_op::max, {2.5, 2.5, 3, 4, 0.5, 0.5, 1, 2}},
  };
  for (const auto& [op, want] : cases)
    for (const bool gate_first : {false, true}) {
      network n("se", {2, 2, 2});
      const node_id v = n.add("squeeze", avg_pool2d{.global = true});
      const node_id e = gate_first ? n.add("gate", eltwise{.op = op}, {v, 0})
                                   : n.add("gate", eltwise{.op = op}, {0, v});
      expect_close(run_on(n, x, GetParam()).output(e), want, "broadcast eltwise");
    }
}

// Layer norm over channels: at each position [1, 2, 3] → mean 2, variance 2/3,
// (v − 2)/√(2/3 + 1e−6) = [−1.2247440, 0, 1.2247440]; [2, 2, 2] (variance 0) → 0.
// With affine, each channel then × γ_c + β_c (the runner's drawn parameters).
TEST_P(every_backend, layer_norm_by_hand) {
  // 2×1×3 in CHW: position 0 holds 1, 2, 3; position 1 holds 2, 2, 2.
  const std::vector<float> x{1, 2, 2, 2, 3, 2};
  const double k = 1.0 / std::sqrt(2.0 / 3.0 + 1e-6);
  network n("ln", {2, 1, 3});
  n.add("ln", layer_norm{.affine = false});
  expect_close(run_on(n, x, GetParam()).output(1), {-k, 0, 0, 0, k, 0}, "layer_norm");
  network a("ln", {2, 1, 3});
  a.add("ln", layer_norm{});
  const auto r = run_on(a, x, GetParam());
  const auto& p = r.params(1);
  ASSERT_EQ(p.mul.size(), 3U);
  ASSERT_EQ(p.add.size(), 3U);
  expect_close(
      r.output(1),
      {-k * p.mul[0] + p.add[0], p.add[0], p.add[1], p.add[1], k * p.mul[2] + p.add[2], p.add[2]},
      "layer_norm affine");
}

// Data movement on tiny maps, values chosen as 10·channel + position.
TEST_P(every_backend, data_movement_by_hand) {
  // Shuffle 2×2×4, 2 groups: channels (0, 1 | 2, 3) → (0, 2, 1, 3).
  const std::vector<float> x{0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33};
  network sh("shuffle", {2, 2, 4});
  sh.add("shuffle", channel_shuffle{.groups = 2});
  expect_close(run_on(sh, x, GetParam()).output(1),
               {0, 1, 2, 3, 20, 21, 22, 23, 10, 11, 12, 13, 30, 31, 32, 33}, "channel_shuffle");
  // Slices of the same map: channels 2..3; x = 1 only; row y = 0 only.
  network sl("slice", {2, 2, 4});
  const node_id z = sl.add("z", slice{.axis = axis3::z, .begin = 2, .end = 4}, {0});
  const node_id xs = sl.add("x", slice{.axis = axis3::x, .begin = 1, .end = 2}, {0});
  const node_id ys = sl.add("y", slice{.axis = axis3::y, .begin = 0, .end = 1}, {0});
  const auto r = run_on(sl, x, GetParam());
  expect_close(r.output(z), {20, 21, 22, 23, 30, 31, 32, 33}, "slice z");
  expect_close(r.output(xs), {1, 3, 11, 13, 21, 23, 31, 33}, "slice x");
  expect_close(r.output(ys), {0, 1, 10, 11, 20, 21, 30, 31}, "slice y");
  // Transpose of 3×2×1 [[0, 1, 2], [3, 4, 5]] (rows y) with perm (y, x, z): 2×3×1, out(a, b) =
  // in(b, a): rows [0, 3], [1, 4], [2, 5]. Perm (z, y, x) on 2×1×2 [[0, 1]], [[10, 11]]: 2×1×2,
  // out(a, 0, c) = in(c, 0, a): channel 0 = [0, 10], channel 1 = [1, 11].
  network tr("transpose", {3, 2, 1});
  tr.add("t", transpose{.perm = {axis3::y, axis3::x, axis3::z}});
  expect_close(run_on(tr, {0, 1, 2, 3, 4, 5}, GetParam()).output(1), {0, 3, 1, 4, 2, 5},
               "transpose xy");
  network tz("transpose", {2, 1, 2});
  tz.add("t", transpose{.perm = {axis3::z, axis3::y, axis3::x}});
  expect_close(run_on(tz, {0, 1, 10, 11}, GetParam()).output(1), {0, 10, 1, 11}, "transpose xz");
  // Pad 2×1×1 [5, 6] by 1 before x and 1 after y: 3×2×1 [[0, 5, 6], [0, 0, 0]].
  network pd("pad", {2, 1, 1});
  pd.add("p", pad{.begin = {1, 0}, .end = {0, 1}});
  expect_close(run_on(pd, {5, 6}, GetParam()).output(1), {0, 5, 6, 0, 0, 0}, "pad");
  // Identity copies.
  network id("identity", {2, 1, 1});
  id.add("id", identity{});
  expect_close(run_on(id, {5, 6}, GetParam()).output(1), {5, 6}, "identity");
}

// Batched product of two activations against its definition in double, on odd sizes: batch 3,
// M = 5, K = 7, N = 4. A is the random 7×5×3 input (K = 7 columns, M = 5 rows per batch), B the
// input transposed (x ↔ y: 5×7×3) and cut to 4 columns (4×7×3: N = 4, K = 7 rows);
// out(n, m, b) = Σ_k A(k, m, b) · B(n, k, b), 4×5×3. Then the output times A's transpose cut
// to its first 4 rows (K = 4): out2(n, m, b) = Σ_k out(k, m, b) · T(n, k, b), 5×5×3.
TEST_P(every_backend, matmul_matches_the_definition) {
  network n("attention", {7, 5, 3});
  const node_id t = n.add("t", transpose{.perm = {axis3::y, axis3::x, axis3::z}}, {0});
  const node_id b = n.add("b", slice{.axis = axis3::x, .begin = 0, .end = 4}, {t});
  const node_id p = n.add("p", matmul{}, {0, b});
  const node_id t4 = n.add("t4", slice{.axis = axis3::y, .begin = 0, .end = 4}, {t});
  const node_id p2 = n.add("p2", matmul{}, {p, t4});
  ASSERT_EQ(n.output(p), (shape3{4, 5, 3}));
  ASSERT_EQ(n.output(p2), (shape3{5, 5, 3}));
  run::runner r(std::move(n), 42);
  r.run(GetParam());
  const auto product = [](const run::tensor& a, const run::tensor& bm, shape3 o) {
    std::vector<double> out;
    for (std::int64_t z = 0; z < o.z; ++z)
      for (std::int64_t m = 0; m < o.y; ++m)
        for (std::int64_t c = 0; c < o.x; ++c) {
          double sum = 0;
          for (std::int64_t k = 0; k < a.shape.x; ++k)
            sum += static_cast<double>(a.at(k, m, z)) * static_cast<double>(bm.at(c, k, z));
          out.push_back(sum);
        }
    return out;
  };
  expect_close(r.output(p), product(r.output(0), r.output(b), {4, 5, 3}), "matmul");
  expect_close(r.output(p2), product(r.output(p), r.output(t4), {5, 5, 3}), "matmul chained");
  // The input is not all zeros (else any product would pass).
  EXPECT_TRUE(std::any_of(r.output(p).data.begin(), r.output(p).data.end(),
                          [](float v) { return std::abs(v) > 1e-3f; }));
}

// A whole squeeze-and-excitation block (MobileNetV3's) on a random 5×4×8 map against its
// definition in double: s = mean over x, y; h = relu(W1·s + b1) (8 → 2); g = hard_sigmoid(W2·h
// + b2) (2 → 8); out(x, y, c) = in(x, y, c) · g_c.
TEST_P(every_backend, squeeze_and_excitation_block_matches_its_definition) {
  network n("se", {5, 4, 8});
  n.add("squeeze", avg_pool2d{.global = true});
  const node_id f1 = n.add("fc1", conv2d{.out_channels = 2, .kernel = square(1)});
  n.add("relu", activation{});
  const node_id f2 = n.add("fc2", conv2d{.out_channels = 8, .kernel = square(1)});
  const node_id g = n.add("hsig", activation{.kind = activation_kind::hard_sigmoid});
  const node_id e = n.add("excite", eltwise{.op = eltwise_op::prod}, {0, g});
  run::runner r(n, 11);
  r.run(GetParam());
  const auto& x = r.output(0);
  std::vector<double> mean(8, 0.0), h(2), gate(8), want;
  for (std::int64_t c = 0; c < 8; ++c) {
    for (std::int64_t i = 0; i < 20; ++i)
      mean[static_cast<std::size_t>(c)] += x.data[static_cast<std::size_t>(c * 20 + i)];
    mean[static_cast<std::size_t>(c)] /= 20;
  }
  const auto& p1 = r.params(f1);
  for (std::size_t m = 0; m < 2; ++m) {
    double acc = p1.bias[m];
    for (std::size_t c = 0; c < 8; ++c) acc += p1.weights[m * 8 + c] * mean[c];
    h[m] = std::max(acc, 0.0);
  }
  const auto& p2 = r.params(f2);
  for (std::size_t m = 0; m < 8; ++m) {
    double acc = p2.bias[m];
    for (std::size_t c = 0; c < 2; ++c) acc += p2.weights[m * 2 + c] * h[c];
    gate[m] = std::clamp(acc / 6 + 0.5, 0.0, 1.0);
  }
  for (std::size_t i = 0; i < x.data.size(); ++i) want.push_back(x.data[i] * gate[i / 20]);
  expect_close(r.output(e), want, "squeeze-and-excitation");
}

// An opaque layer has no semantics: the runner refuses the network, naming the layer.
TEST(Runner, RefusesOpaqueLayersNamingThem) {
  network n("imported", {2, 2, 2});
  n.add("relu", activation{});
  n.add("/blk/Unknown_3", opaque{.output_shape = {1, 1, 5}});
  try {
    run::runner r(n);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(
        e.what(),
        "runner: layer '/blk/Unknown_3' of network 'imported' is opaque (an op the library "
        "does not count or run); it cannot be run");
  }
}

TEST_P(every_backend, whole_zoo_network_runs_finite_and_deterministic) {
  run::runner r(zoo::by_name("squeezenet_v1.1"), 3);
  measure::annotator marks;
  r.run(GetParam(), marks);
  const auto& out = r.output(r.net().last());
  double sum = 0;
  for (float v : out.data) {
    ASSERT_TRUE(std::isfinite(v));
    sum += v;
  }
  EXPECT_NEAR(sum, 1.0, 1e-4);                            // the network ends in softmax
  EXPECT_EQ(marks.regions().size(), r.net().size() - 1);  // one region per layer
  run::runner again(zoo::by_name("squeezenet_v1.1"), 3);
  again.run(GetParam() == backend::openblas ? backend::eigen : backend::openblas);
  for (std::size_t i = 0; i < out.data.size(); ++i)
    EXPECT_NEAR(again.output(again.net().last()).data[i], out.data[i], 1e-4);
}

INSTANTIATE_TEST_SUITE_P(runner, every_backend,
                         ::testing::Values(backend::openblas, backend::eigen),
                         [](const auto& info) { return std::string(run::to_string(info.param)); });
