#pragma once
/// @file
/// Forward kernels of the reference runner, one per layer kind, batch 1, CHW float32 (see
/// tensor.hpp). Convolution is im2col + GEMM, as Caffe does (1×1 stride-1 unpadded
/// convolutions skip im2col, as Caffe does); depthwise convolution is direct (through im2col
/// it runs at well under 1 GMAC/s); fully connected is GEMV. Pooling follows Caffe:
/// windows start at o·stride − pad, max ignores padding, average divides by the window
/// clipped to the padded map (so padding counts), global pooling covers the whole map.
/// LRN uses Caffe's defaults (α = 1e−4, β = 0.75, k = 1), which the descriptor does not carry
/// (they change no count). Batch norm is the inference form with ε = 1e−5.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>
#include <vector>

#include "synergy/layers/layer.hpp"
#include "synergy/run/backend.hpp"
#include "synergy/run/tensor.hpp"

namespace synergy::run {

/// Learned parameters of one layer (empty vectors for layers without them).
struct layer_params {
  std::vector<float>
      weights;  ///< conv: M × (C/g) × Ky × Kx; depthwise: C·mult × Ky × Kx; FC: outputs × inputs
  std::vector<float> bias;  ///< one per output channel / neuron
  std::vector<float> mul,
      add;  ///< per-channel y = x · mul + add (batch norm folded, scale, PReLU slope in mul)
};

namespace detail {

inline std::size_t sz(std::int64_t v) { return static_cast<std::size_t>(v); }

/// Output columns ox with 0 <= ox·s − p + k·d < w, as [lo, hi).
inline std::pair<std::int64_t, std::int64_t> valid_range(std::int64_t out, std::int64_t s,
                                                         std::int64_t p, std::int64_t off,
                                                         std::int64_t w) {
  std::int64_t lo = 0, hi = out;
  while (lo < out && lo * s - p + off < 0) ++lo;
  while (hi > lo && (hi - 1) * s - p + off >= w) --hi;
  return {lo, hi};
}

/// Caffe's im2col for one group: rows (c, ky, kx), columns (oy, ox).
inline void im2col(const float* src, std::int64_t channels, std::int64_t h, std::int64_t w,
                   const conv2d& c, std::int64_t ho, std::int64_t wo, float* col) {
  for (std::int64_t ch = 0; ch < channels; ++ch)
    for (std::int64_t ky = 0; ky < c.kernel.y; ++ky)
      for (std::int64_t kx = 0; kx < c.kernel.x; ++kx) {
        float* row = col + sz(((ch * c.kernel.y + ky) * c.kernel.x + kx) * ho * wo);
        for (std::int64_t oy = 0; oy < ho; ++oy) {
          const std::int64_t iy = oy * c.stride.y - c.padding.y + ky * c.dilation.y;
          float* dst = row + sz(oy * wo);
          if (iy < 0 || iy >= h) {
            std::fill(dst, dst + wo, 0.0f);
            continue;
          }
          // Columns whose input lies inside the row: copied (memcpy when stride 1); the
          // padding on either side: zeros. No per-element bounds test.
          const std::int64_t off = kx * c.dilation.x - c.padding.x;
          const auto [lo, hi] = valid_range(wo, c.stride.x, c.padding.x, kx * c.dilation.x, w);
          const float* line = src + sz((ch * h + iy) * w);
          std::fill(dst, dst + lo, 0.0f);
          if (c.stride.x == 1)
            std::memcpy(dst + lo, line + lo + off, sz(hi - lo) * sizeof(float));
          else
            for (std::int64_t ox = lo; ox < hi; ++ox) dst[ox] = line[ox * c.stride.x + off];
          std::fill(dst + hi, dst + wo, 0.0f);
        }
      }
}

}  // namespace detail

/// Scratch memory shared by the convolution kernels of a runner.
struct workspace {
  std::vector<float> col;
};

/// Dense or grouped convolution: im2col + GEMM per group, then bias.
inline void conv2d_forward(backend be, const conv2d& c, const layer_params& p, const tensor& in,
                           tensor& out, workspace& ws) {
  const std::int64_t g = c.groups, cg = c.input.z / g, mg = c.out_channels / g;
  const std::int64_t ho = out.shape.y, wo = out.shape.x, n = ho * wo,
                     k = cg * c.kernel.y * c.kernel.x;
  const bool direct = c.kernel.x == 1 && c.kernel.y == 1 && c.stride.x == 1 && c.stride.y == 1 &&
                      c.padding.x == 0 && c.padding.y == 0;
  if (!direct && ws.col.size() < detail::sz(k * n)) ws.col.resize(detail::sz(k * n));
  // The bias is written first and the GEMM accumulates onto it (β = 1): one pass over the
  // output instead of two.
  const bool bias = !p.bias.empty();
  if (bias)
    for (std::int64_t m = 0; m < c.out_channels; ++m)
      std::fill_n(out.data.data() + detail::sz(m * n), n, p.bias[detail::sz(m)]);
  for (std::int64_t gi = 0; gi < g; ++gi) {
    const float* src = in.data.data() + detail::sz(gi * cg * in.shape.y * in.shape.x);
    if (!direct) detail::im2col(src, cg, in.shape.y, in.shape.x, c, ho, wo, ws.col.data());
    gemm(be, static_cast<int>(mg), static_cast<int>(n), static_cast<int>(k),
         p.weights.data() + detail::sz(gi * mg * k), direct ? src : ws.col.data(),
         out.data.data() + detail::sz(gi * mg * n), bias);
  }
}

/// Depthwise convolution, direct: each kernel tap adds a shifted input row into the output
/// row (contiguous when stride is 1, so the compiler vectorises it).
inline void depthwise_conv2d_forward(const depthwise_conv2d& d, const layer_params& p,
                                     const tensor& in, tensor& out) {
  const std::int64_t h = in.shape.y, w = in.shape.x, ho = out.shape.y, wo = out.shape.x;
  for (std::int64_t oc = 0; oc < out.shape.z; ++oc) {
    const std::int64_t ic = oc / d.multiplier;
    float* o = out.data.data() + detail::sz(oc * ho * wo);
    std::fill(o, o + ho * wo, p.bias.empty() ? 0.0f : p.bias[detail::sz(oc)]);
    const float* src = in.data.data() + detail::sz(ic * h * w);
    const float* wk = p.weights.data() + detail::sz(oc * d.kernel.y * d.kernel.x);
    for (std::int64_t ky = 0; ky < d.kernel.y; ++ky)
      for (std::int64_t kx = 0; kx < d.kernel.x; ++kx) {
        const float wt = wk[ky * d.kernel.x + kx];
        const auto [lo, hi] =
            detail::valid_range(wo, d.stride.x, d.padding.x, kx * d.dilation.x, w);
        for (std::int64_t oy = 0; oy < ho; ++oy) {
          const std::int64_t iy = oy * d.stride.y - d.padding.y + ky * d.dilation.y;
          if (iy < 0 || iy >= h) continue;
          const float* line = src + detail::sz(iy * w - d.padding.x + kx * d.dilation.x);
          float* orow = o + detail::sz(oy * wo);
          if (d.stride.x == 1)
            for (std::int64_t ox = lo; ox < hi; ++ox) orow[ox] += wt * line[ox];
          else
            for (std::int64_t ox = lo; ox < hi; ++ox) orow[ox] += wt * line[ox * d.stride.x];
        }
      }
  }
}

/// Fully connected: GEMV of the flattened (CHW) input, then bias.
inline void fully_connected_forward(backend be, const fully_connected& f, const layer_params& p,
                                    const tensor& in, tensor& out) {
  gemv(be, static_cast<int>(f.outputs), static_cast<int>(in.shape.elements()), p.weights.data(),
       in.data.data(), out.data.data());
  if (!p.bias.empty())
    for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] += p.bias[i];
}

/// Max or average pooling with Caffe's window rules.
template <pool_kind Kind>
inline void pool2d_forward(const pool2d<Kind>& q, const tensor& in, tensor& out) {
  const extent2 k = q.effective_kernel();
  const extent2 s = q.global ? extent2{1, 1} : q.stride, pd = q.global ? extent2{0, 0} : q.padding;
  const std::int64_t h = in.shape.y, w = in.shape.x;
  for (std::int64_t c = 0; c < in.shape.z; ++c) {
    const float* src = in.data.data() + detail::sz(c * h * w);
    for (std::int64_t oy = 0; oy < out.shape.y; ++oy)
      for (std::int64_t ox = 0; ox < out.shape.x; ++ox) {
        std::int64_t y0 = oy * s.y - pd.y, x0 = ox * s.x - pd.x;
        std::int64_t y1 = std::min(y0 + k.y, h + pd.y), x1 = std::min(x0 + k.x, w + pd.x);
        const std::int64_t window = (y1 - y0) * (x1 - x0);  // Caffe: padded window size
        y0 = std::max<std::int64_t>(y0, 0);
        x0 = std::max<std::int64_t>(x0, 0);
        y1 = std::min(y1, h);
        x1 = std::min(x1, w);
        float acc = Kind == pool_kind::max ? -INFINITY : 0.0f;
        for (std::int64_t y = y0; y < y1; ++y)
          for (std::int64_t x = x0; x < x1; ++x) {
            const float v = src[y * w + x];
            acc = Kind == pool_kind::max ? std::max(acc, v) : acc + v;
          }
        out.at(ox, oy, c) = Kind == pool_kind::max ? acc : acc / static_cast<float>(window);
      }
  }
}

/// y = x · mul[c] + add[c] per channel (batch norm folded, scale).
inline void channel_affine_forward(const layer_params& p, const tensor& in, tensor& out) {
  const std::int64_t n = in.shape.x * in.shape.y;
  for (std::int64_t c = 0; c < in.shape.z; ++c) {
    const float m = p.mul[detail::sz(c)], a = p.add.empty() ? 0.0f : p.add[detail::sz(c)];
    const float* s = in.data.data() + detail::sz(c * n);
    float* o = out.data.data() + detail::sz(c * n);
    for (std::int64_t i = 0; i < n; ++i) o[i] = s[i] * m + a;
  }
}

/// Activations: relu, relu6 and clip ([0, 6]), leaky relu (slope 0.01), PReLU (per-channel
/// slope in `mul`), sigmoid, tanh.
inline void activation_forward(const activation& a, const layer_params& p, const tensor& in,
                               tensor& out) {
  const std::size_t n = in.data.size(), plane = detail::sz(in.shape.x * in.shape.y);
  const float* s = in.data.data();
  float* o = out.data.data();
  switch (a.kind) {
    case activation_kind::relu:
      for (std::size_t i = 0; i < n; ++i) o[i] = std::max(s[i], 0.0f);
      break;
    case activation_kind::relu6:
    case activation_kind::clip:
      for (std::size_t i = 0; i < n; ++i) o[i] = std::min(std::max(s[i], 0.0f), 6.0f);
      break;
    case activation_kind::leaky_relu:
      for (std::size_t i = 0; i < n; ++i) o[i] = s[i] > 0 ? s[i] : 0.01f * s[i];
      break;
    case activation_kind::prelu:
      for (std::size_t i = 0; i < n; ++i) o[i] = s[i] > 0 ? s[i] : p.mul[i / plane] * s[i];
      break;
    case activation_kind::sigmoid:
      for (std::size_t i = 0; i < n; ++i) o[i] = 1.0f / (1.0f + std::exp(-s[i]));
      break;
    case activation_kind::tanh:
      for (std::size_t i = 0; i < n; ++i) o[i] = std::tanh(s[i]);
      break;
  }
}

/// Caffe LRN: across channels, y = x · (k + α/n · Σ x²)^−β over n neighbouring channels;
/// within channel, the sum runs over an n × n spatial window (α/n²), zero-padded.
inline void lrn_forward(const lrn& l, const tensor& in, tensor& out) {
  constexpr float alpha = 1e-4f, beta = 0.75f, k = 1.0f;
  const std::int64_t X = in.shape.x, Y = in.shape.y, Z = in.shape.z, half = l.local_size / 2;
  if (l.region == lrn_region::across_channels) {
    const float a = alpha / static_cast<float>(l.local_size);
    for (std::int64_t z = 0; z < Z; ++z)
      for (std::int64_t i = 0; i < X * Y; ++i) {
        float sum = 0;
        for (std::int64_t c = std::max<std::int64_t>(0, z - half); c <= std::min(Z - 1, z + half);
             ++c) {
          const float v = in.data[detail::sz(c * X * Y + i)];
          sum += v * v;
        }
        out.data[detail::sz(z * X * Y + i)] =
            in.data[detail::sz(z * X * Y + i)] * std::pow(k + a * sum, -beta);
      }
    return;
  }
  const float a = alpha / static_cast<float>(l.local_size * l.local_size);
  for (std::int64_t z = 0; z < Z; ++z)
    for (std::int64_t y = 0; y < Y; ++y)
      for (std::int64_t x = 0; x < X; ++x) {
        float sum = 0;
        for (std::int64_t yy = std::max<std::int64_t>(0, y - half); yy <= std::min(Y - 1, y + half);
             ++yy)
          for (std::int64_t xx = std::max<std::int64_t>(0, x - half);
               xx <= std::min(X - 1, x + half); ++xx) {
            const float v = in.at(xx, yy, z);
            sum += v * v;
          }
        out.at(x, y, z) = in.at(x, y, z) * std::pow(k + a * sum, -beta);
      }
}

/// Element-wise sum, product or max of all inputs.
inline void eltwise_forward(const eltwise& e, std::span<const tensor* const> in, tensor& out) {
  std::copy(in[0]->data.begin(), in[0]->data.end(), out.data.begin());
  for (std::size_t j = 1; j < in.size(); ++j) {
    const float* s = in[j]->data.data();
    float* o = out.data.data();
    const std::size_t n = out.data.size();
    if (e.op == eltwise_op::sum)
      for (std::size_t i = 0; i < n; ++i) o[i] += s[i];
    else if (e.op == eltwise_op::prod)
      for (std::size_t i = 0; i < n; ++i) o[i] *= s[i];
    else
      for (std::size_t i = 0; i < n; ++i) o[i] = std::max(o[i], s[i]);
  }
}

/// Channel concatenation (contiguous in CHW).
inline void concat_forward(std::span<const tensor* const> in, tensor& out) {
  auto it = out.data.begin();
  for (const tensor* t : in) it = std::copy(t->data.begin(), t->data.end(), it);
}

/// Softmax over channels at every (x, y) (Caffe's axis 1), max-subtracted for stability.
inline void softmax_forward(const tensor& in, tensor& out) {
  const std::int64_t n = in.shape.x * in.shape.y, Z = in.shape.z;
  for (std::int64_t i = 0; i < n; ++i) {
    float mx = -INFINITY;
    for (std::int64_t z = 0; z < Z; ++z) mx = std::max(mx, in.data[detail::sz(z * n + i)]);
    float sum = 0;
    for (std::int64_t z = 0; z < Z; ++z)
      sum += out.data[detail::sz(z * n + i)] = std::exp(in.data[detail::sz(z * n + i)] - mx);
    for (std::int64_t z = 0; z < Z; ++z) out.data[detail::sz(z * n + i)] /= sum;
  }
}

}  // namespace synergy::run
