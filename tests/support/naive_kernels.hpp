#pragma once
// Test support: convolutions by their definition in double precision, and the comparison the
// runner tests make against them (tests/runner_test.cpp, tests/runner_kernels_test.cpp).
// Layout as the runner's tensors: x (width), y (height), z (channels); weights of output
// channel m, input channel c, kernel row ky, column kx at ((m · C + c) · ky_extent + ky) ·
// kx_extent + kx.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "synergy/run/runner.hpp"

namespace synergy_test {

/// Runner against definition: |runner − naive| ≤ 1e−4 · max(1, |naive|) (float32 accumulation
/// over at most a few hundred terms). Reports the worst element.
inline void expect_close(const synergy::run::tensor& got, const std::vector<double>& want,
                         const std::string& what) {
  ASSERT_EQ(got.data.size(), want.size()) << what;
  double worst = 0;
  std::size_t at = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const double e = std::abs(got.data[i] - want[i]) / std::max(1.0, std::abs(want[i]));
    if (e > worst) worst = e, at = i;
  }
  EXPECT_LE(worst, 1e-4) << what << " (worst at element " << at << ")";
}

/// Element (x, y, z) of `t`, 0 outside the map (zero padding).
inline double in_at(const synergy::run::tensor& t, std::int64_t x, std::int64_t y, std::int64_t z) {
  if (x < 0 || y < 0 || x >= t.shape.x || y >= t.shape.y) return 0.0;
  return t.at(x, y, z);
}

/// Dense or grouped convolution by its definition (any stride, padding, dilation), output `o`.
inline std::vector<double> naive_conv(const synergy::run::tensor& in, const synergy::conv2d& c,
                                      const synergy::run::layer_params& p, synergy::shape3 o) {
  const auto sz = [](std::int64_t v) { return static_cast<std::size_t>(v); };
  std::vector<double> out;
  const std::int64_t cg = c.input.z / c.groups, mg = c.out_channels / c.groups;
  for (std::int64_t m = 0; m < o.z; ++m)
    for (std::int64_t oy = 0; oy < o.y; ++oy)
      for (std::int64_t ox = 0; ox < o.x; ++ox) {
        double acc = p.bias.empty() ? 0.0 : p.bias[sz(m)];
        for (std::int64_t cc = 0; cc < cg; ++cc)
          for (std::int64_t ky = 0; ky < c.kernel.y; ++ky)
            for (std::int64_t kx = 0; kx < c.kernel.x; ++kx)
              acc += p.weights[sz(((m * cg + cc) * c.kernel.y + ky) * c.kernel.x + kx)] *
                     in_at(in, ox * c.stride.x - c.padding.x + kx * c.dilation.x,
                           oy * c.stride.y - c.padding.y + ky * c.dilation.y, m / mg * cg + cc);
        out.push_back(acc);
      }
  return out;
}

/// Depthwise convolution by its definition: output channel m reads input channel
/// m / multiplier.
inline std::vector<double> naive_depthwise(const synergy::run::tensor& in,
                                           const synergy::depthwise_conv2d& d,
                                           const synergy::run::layer_params& p, synergy::shape3 o) {
  const auto sz = [](std::int64_t v) { return static_cast<std::size_t>(v); };
  std::vector<double> out;
  for (std::int64_t m = 0; m < o.z; ++m)
    for (std::int64_t oy = 0; oy < o.y; ++oy)
      for (std::int64_t ox = 0; ox < o.x; ++ox) {
        double acc = p.bias.empty() ? 0.0 : p.bias[sz(m)];
        for (std::int64_t ky = 0; ky < d.kernel.y; ++ky)
          for (std::int64_t kx = 0; kx < d.kernel.x; ++kx)
            acc += p.weights[sz((m * d.kernel.y + ky) * d.kernel.x + kx)] *
                   in_at(in, ox * d.stride.x - d.padding.x + kx * d.dilation.x,
                         oy * d.stride.y - d.padding.y + ky * d.dilation.y, m / d.multiplier);
        out.push_back(acc);
      }
  return out;
}

}  // namespace synergy_test
