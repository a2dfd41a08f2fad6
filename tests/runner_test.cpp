// The reference runner against naive direct implementations in double precision, on small
// layers of every kind, with both backends. Tolerance: |runner − naive| ≤ 1e−4 · max(1, |naive|)
// (float32 accumulation over at most a few hundred terms).

#include "synergy/run/runner.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "synergy/zoo/registry.hpp"

using namespace synergy;
using run::backend;

namespace {

constexpr double tol = 1e-4;

void expect_close(const run::tensor& got, const std::vector<double>& want, const char* what) {
  ASSERT_EQ(got.data.size(), want.size()) << what;
  double worst = 0;
  for (std::size_t i = 0; i < want.size(); ++i)
    worst = std::max(worst, std::abs(got.data[i] - want[i]) / std::max(1.0, std::abs(want[i])));
  EXPECT_LE(worst, tol) << what;
}

double in_at(const run::tensor& t, std::int64_t x, std::int64_t y, std::int64_t z) {
  if (x < 0 || y < 0 || x >= t.shape.x || y >= t.shape.y) return 0.0;
  return t.at(x, y, z);
}

// Direct convolution (definition), any groups / stride / padding / dilation.
std::vector<double> naive_conv(const run::tensor& in, const conv2d& c, const run::layer_params& p,
                               shape3 o) {
  std::vector<double> out;
  const std::int64_t cg = c.input.z / c.groups, mg = c.out_channels / c.groups;
  for (std::int64_t m = 0; m < o.z; ++m)
    for (std::int64_t oy = 0; oy < o.y; ++oy)
      for (std::int64_t ox = 0; ox < o.x; ++ox) {
        double acc = p.bias.empty() ? 0.0 : p.bias[static_cast<std::size_t>(m)];
        const std::int64_t g = m / mg;
        for (std::int64_t cc = 0; cc < cg; ++cc)
          for (std::int64_t ky = 0; ky < c.kernel.y; ++ky)
            for (std::int64_t kx = 0; kx < c.kernel.x; ++kx)
              acc += p.weights[static_cast<std::size_t>(
                         ((m * cg + cc) * c.kernel.y + ky) * c.kernel.x + kx)] *
                     in_at(in, ox * c.stride.x - c.padding.x + kx * c.dilation.x,
                           oy * c.stride.y - c.padding.y + ky * c.dilation.y, g * cg + cc);
        out.push_back(acc);
      }
  return out;
}

std::vector<double> naive_depthwise(const run::tensor& in, const depthwise_conv2d& d,
                                    const run::layer_params& p, shape3 o) {
  std::vector<double> out;
  for (std::int64_t m = 0; m < o.z; ++m)
    for (std::int64_t oy = 0; oy < o.y; ++oy)
      for (std::int64_t ox = 0; ox < o.x; ++ox) {
        double acc = p.bias.empty() ? 0.0 : p.bias[static_cast<std::size_t>(m)];
        for (std::int64_t ky = 0; ky < d.kernel.y; ++ky)
          for (std::int64_t kx = 0; kx < d.kernel.x; ++kx)
            acc += p.weights[static_cast<std::size_t>((m * d.kernel.y + ky) * d.kernel.x + kx)] *
                   in_at(in, ox * d.stride.x - d.padding.x + kx * d.dilation.x,
                         oy * d.stride.y - d.padding.y + ky * d.dilation.y, m / d.multiplier);
        out.push_back(acc);
      }
  return out;
}

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
