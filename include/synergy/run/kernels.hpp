#pragma once
/// @file
/// Forward kernels of the reference runner, one per layer kind, batch 1, CHW float32 (see
/// tensor.hpp). Convolution is im2col + GEMM, as Caffe does (1×1 stride-1 unpadded
/// convolutions skip im2col, as Caffe does); depthwise convolution is direct and vectorised
/// with run-time instruction-set dispatch (depthwise_kernel.hpp; through im2col it runs at well
/// under 1 GMAC/s); fully connected is GEMV. Pooling follows Caffe:
/// windows start at o·stride − pad, max ignores padding, average divides by the window
/// clipped to the padded map (so padding counts), global pooling covers the whole map.
/// LRN uses Caffe's defaults (α = 1e−4, β = 0.75, k = 1), which the descriptor does not carry
/// (they change no count). Batch norm is the inference form with ε = 1e−5; layer norm uses
/// ε = 1e−6, ConvNeXt's (PyTorch's default is 1e−5; ViT's 1e−6). Eltwise broadcasts 1×1×z
/// inputs over x and y. The data-movement kernels (channel shuffle, slice, transpose, pad)
/// copy; pad writes zeros.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <span>
#include <utility>
#include <vector>

#include "synergy/layers/layer.hpp"
#include "synergy/run/activation_kernel.hpp"
#include "synergy/run/backend.hpp"
#include "synergy/run/depthwise_kernel.hpp"
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

/// Address of element (x, y, z) of a CHW map (see tensor.hpp).
inline const float* element(const tensor& t, std::int64_t x, std::int64_t y, std::int64_t z) {
  return t.data.data() + sz((z * t.shape.y + y) * t.shape.x + x);
}

/// Output columns ox with 0 <= ox·s − p + k·d < w, as [lo, hi).
inline std::pair<std::int64_t, std::int64_t> valid_range(std::int64_t out, std::int64_t s,
                                                         std::int64_t p, std::int64_t off,
                                                         std::int64_t w) {
  std::int64_t lo = 0, hi = out;
  while (lo < out && lo * s - p + off < 0) ++lo;
  while (hi > lo && (hi - 1) * s - p + off >= w) --hi;
  return {lo, hi};
}

/// dst[ox] = line[2·ox + off] for lo <= ox < hi (a row of w floats): 4 outputs from two 4-float
/// vectors' even lanes while both stay inside the row, the rest one by one. The strided loop
/// did not vectorise; it was a third of the stride-2 first convolution of the MobileNets
/// (224×224×3, 3×3).
inline void stride2_columns(const float* line, std::int64_t w, std::int64_t off, std::int64_t lo,
                            std::int64_t hi, float* dst) {
  using v4 = float __attribute__((vector_size(16)));
  std::int64_t ox = lo;
  for (; ox + 4 <= hi && 2 * ox + off + 8 <= w; ox += 4) {
    v4 a, b, even, odd;
    std::memcpy(&a, line + 2 * ox + off, sizeof a);
    std::memcpy(&b, line + 2 * ox + off + 4, sizeof b);
    dw::deinterleave(a, b, even, odd, std::make_index_sequence<4>{});
    std::memcpy(dst + ox, &even, sizeof even);
  }
  for (; ox < hi; ++ox) dst[ox] = line[2 * ox + off];
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
          else if (c.stride.x == 2)
            stride2_columns(line, w, off, lo, hi, dst);
          else
            for (std::int64_t ox = lo; ox < hi; ++ox) dst[ox] = line[ox * c.stride.x + off];
          std::fill(dst + hi, dst + wo, 0.0f);
        }
      }
}

}  // namespace detail

/// Scratch memory shared by the convolution kernels of a runner.
struct workspace {
  std::vector<float> col;       ///< im2col matrix of conv2d
  std::vector<float> dw_plane;  ///< padded input plane of depthwise_conv2d
};

/// Dense or grouped convolution: im2col + GEMM per group onto the bias (GEMV for a 1×1 output
/// map).
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
    const float* w = p.weights.data() + detail::sz(gi * mg * k);
    const float* b = direct ? src : ws.col.data();
    float* o = out.data.data() + detail::sz(gi * mg * n);
    // A 1×1 output map (the squeeze-and-excitation convolutions) is a matrix-vector product;
    // OpenBLAS 0.3.21's sgemm with one column took 2–34 % longer than its sgemv on the SE
    // shapes of MobileNetV3-L (960×240: 11.2 against 8.4 µs, weights in cache; 72×24: 0.77
    // against 0.15). Inside the network these layers are bound by reading their weights.
    if (n == 1)
      gemv(be, static_cast<int>(mg), static_cast<int>(k), w, b, o, bias);
    else
      gemm(be, static_cast<int>(mg), static_cast<int>(n), static_cast<int>(k), w, b, o, bias);
  }
}

/// Depthwise convolution (see depthwise_kernel.hpp: padded plane per channel, register-blocked
/// rows, AVX-512 / AVX2 / generic vectors chosen at run time).
inline void depthwise_conv2d_forward(const depthwise_conv2d& d, const layer_params& p,
                                     const tensor& in, tensor& out, workspace& ws) {
  depthwise_conv2d_vectorised(d, p.weights.data(), p.bias.empty() ? nullptr : p.bias.data(), in,
                              out, ws.dw_plane);
}

/// Depthwise convolution, the former direct loop: each kernel tap adds a shifted input row
/// into the output row (~2 GMAC/s on MobileNet's layers). Kept as the "before" of
/// bench/depthwise_bench.cpp; the runner uses depthwise_conv2d_forward.
inline void depthwise_conv2d_direct(const depthwise_conv2d& d, const layer_params& p,
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

/// Fully connected: GEMV of the flattened (CHW) input onto the bias.
inline void fully_connected_forward(backend be, const fully_connected& f, const layer_params& p,
                                    const tensor& in, tensor& out) {
  // The bias first and the GEMV accumulating onto it (β = 1): one pass over the output.
  const bool bias = !p.bias.empty();
  if (bias) std::copy(p.bias.begin(), p.bias.end(), out.data.begin());
  gemv(be, static_cast<int>(f.outputs), static_cast<int>(in.shape.elements()), p.weights.data(),
       in.data.data(), out.data.data(), bias);
}

namespace detail {
/// Sum (Kind avg) or maximum (Kind max) of the n floats at s, in 8 interleaved partial results
/// combined at the end, so that the loop vectorises without reassociation flags (with one
/// serial chain of adds MobileNetV3-L's 9 global pools took 0.29 ms, now 0.06). The sum's
/// rounding differs from a serial sum's by float rounding only; the maximum is the same.
template <pool_kind Kind>
inline float reduce_plane(const float* s, std::size_t n) {
  constexpr std::size_t lanes = 8;
  float part[lanes];
  std::fill_n(part, lanes, Kind == pool_kind::max ? -INFINITY : 0.0f);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes)
    for (std::size_t j = 0; j < lanes; ++j)
      part[j] = Kind == pool_kind::max ? std::max(part[j], s[i + j]) : part[j] + s[i + j];
  for (std::size_t j = 0; i < n; ++i, ++j)
    part[j] = Kind == pool_kind::max ? std::max(part[j], s[i]) : part[j] + s[i];
  float r = part[0];
  for (std::size_t j = 1; j < lanes; ++j)
    r = Kind == pool_kind::max ? std::max(r, part[j]) : r + part[j];
  return r;
}
}  // namespace detail

/// Max or average pooling with Caffe's window rules. Global pooling (the window is the whole
/// map, no padding) reduces each channel's plane in one vectorised pass.
template <pool_kind Kind>
inline void pool2d_forward(const pool2d<Kind>& q, const tensor& in, tensor& out) {
  if (q.global) {
    const std::size_t plane = detail::sz(in.shape.x * in.shape.y);
    for (std::int64_t c = 0; c < in.shape.z; ++c) {
      const float r = detail::reduce_plane<Kind>(in.data.data() + detail::sz(c) * plane, plane);
      out.data[detail::sz(c)] = Kind == pool_kind::max ? r : r / static_cast<float>(plane);
    }
    return;
  }
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
/// slope in `mul`), sigmoid, tanh; hard_sigmoid = max(0, min(1, x/6 + 1/2)) (PyTorch
/// Hardsigmoid), hard_swish = x·hard_sigmoid(x), silu = x·σ(x), gelu = x·Φ(x) =
/// x/2·(1 + erf(x/√2)) (PyTorch's default, exact GELU). Sigmoid, SiLU, hard sigmoid and hard swish
/// are vectorised (activation_kernel.hpp).
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
      sigmoid_vectorised(s, o, n);
      break;
    case activation_kind::tanh:
      for (std::size_t i = 0; i < n; ++i) o[i] = std::tanh(s[i]);
      break;
    case activation_kind::hard_sigmoid:
      hard_sigmoid_vectorised(s, o, n);
      break;
    case activation_kind::hard_swish:
      hard_swish_vectorised(s, o, n);
      break;
    case activation_kind::silu:
      silu_vectorised(s, o, n);
      break;
    case activation_kind::gelu: {
      constexpr float inv_sqrt2 = 0.70710678118654752f;
      for (std::size_t i = 0; i < n; ++i) o[i] = 0.5f * s[i] * (1.0f + std::erf(s[i] * inv_sqrt2));
      break;
    }
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

namespace detail {
/// o[i] = o[i] ∘ s[i·step] for i < n (step 1: element by element; step 0: one broadcast value).
inline void combine(eltwise_op op, float* o, const float* s, std::size_t n, std::size_t step) {
  switch (op) {
    case eltwise_op::sum:
      for (std::size_t i = 0; i < n; ++i) o[i] += s[i * step];
      break;
    case eltwise_op::prod:
      for (std::size_t i = 0; i < n; ++i) o[i] *= s[i * step];
      break;
    case eltwise_op::max:
      for (std::size_t i = 0; i < n; ++i) o[i] = std::max(o[i], s[i * step]);
      break;
  }
}

/// o[i] = a[i·sa] ∘ b[i·sb] for i < n, with sa, sb in {0, 1} (0: one broadcast value), f the
/// operation; one loop per case so that each vectorises.
template <class F>
inline void combine_into(float* o, const float* a, std::size_t sa, const float* b, std::size_t sb,
                         std::size_t n, F f) {
  if (sa == 0 && sb == 0) {
    std::fill_n(o, n, f(a[0], b[0]));
  } else if (sa == 0) {
    const float x = a[0];
    for (std::size_t i = 0; i < n; ++i) o[i] = f(x, b[i]);
  } else if (sb == 0) {
    const float y = b[0];
    for (std::size_t i = 0; i < n; ++i) o[i] = f(a[i], y);
  } else {
    for (std::size_t i = 0; i < n; ++i) o[i] = f(a[i], b[i]);
  }
}

/// combine_into with the function of `op` (exhaustive over eltwise_op).
inline void combine_into(eltwise_op op, float* o, const float* a, std::size_t sa, const float* b,
                         std::size_t sb, std::size_t n) {
  switch (op) {
    case eltwise_op::sum:
      return combine_into(o, a, sa, b, sb, n, [](float x, float y) { return x + y; });
    case eltwise_op::prod:
      return combine_into(o, a, sa, b, sb, n, [](float x, float y) { return x * y; });
    case eltwise_op::max:
      return combine_into(o, a, sa, b, sb, n, [](float x, float y) { return std::max(x, y); });
  }
}
}  // namespace detail

/// Element-wise sum, product or max of all inputs; an input of shape 1×1×z (the squeeze-and-
/// excitation gate) is broadcast over x and y, whatever its position among the inputs. The
/// first two inputs are combined in one pass over the output (copying the first and then
/// combining the second into it wrote the output twice and read it once: MobileNetV3-L's SE
/// gates 0.57 → 0.44 ms); further inputs are combined into it in order, so the rounding is that
/// of ((in0 ∘ in1) ∘ in2) ∘ ….
inline void eltwise_forward(const eltwise& e, std::span<const tensor* const> in, tensor& out) {
  const std::size_t n = out.data.size(), plane = detail::sz(out.shape.x * out.shape.y);
  float* o = out.data.data();
  const auto broadcast = [&](const tensor& t) { return t.data.size() != n; };
  const bool b0 = broadcast(*in[0]);
  if (in.size() == 1) {
    if (b0)
      for (std::size_t c = 0; c < in[0]->data.size(); ++c)
        std::fill_n(o + c * plane, plane, in[0]->data[c]);
    else
      std::copy(in[0]->data.begin(), in[0]->data.end(), o);
    return;
  }
  const bool b1 = broadcast(*in[1]);
  const float *s0 = in[0]->data.data(), *s1 = in[1]->data.data();
  if (!b0 && !b1)
    detail::combine_into(e.op, o, s0, 1, s1, 1, n);
  else  // per channel: the broadcast input's value, the other's plane
    for (std::size_t c = 0; c < n / plane; ++c)
      detail::combine_into(e.op, o + c * plane, b0 ? s0 + c : s0 + c * plane, b0 ? 0 : 1,
                           b1 ? s1 + c : s1 + c * plane, b1 ? 0 : 1, plane);
  for (std::size_t j = 2; j < in.size(); ++j) {
    const float* s = in[j]->data.data();
    if (!broadcast(*in[j])) {
      detail::combine(e.op, o, s, n, 1);
      continue;
    }
    for (std::size_t c = 0; c < in[j]->data.size(); ++c)
      detail::combine(e.op, o + c * plane, s + c, plane, 0);
  }
}

/// Channel concatenation (contiguous in CHW).
inline void concat_forward(std::span<const tensor* const> in, tensor& out) {
  auto it = out.data.begin();
  for (const tensor* t : in) it = std::copy(t->data.begin(), t->data.end(), it);
}

/// Layer normalisation over the channels at every (x, y): (v − μ)/√(σ² + ε) · γ_c + β_c with
/// the biased variance (PyTorch LayerNorm), ε = 1e−6 (ConvNeXt's); γ in `mul`, β in `add`
/// (both empty without affine). Statistics accumulate in double.
inline void layer_norm_forward(const layer_params& p, const tensor& in, tensor& out) {
  constexpr double eps = 1e-6;
  const std::int64_t n = in.shape.x * in.shape.y, Z = in.shape.z;
  const bool affine = !p.mul.empty();
  for (std::int64_t i = 0; i < n; ++i) {
    double sum = 0, sq = 0;
    for (std::int64_t z = 0; z < Z; ++z) sum += in.data[detail::sz(z * n + i)];
    const double mean = sum / static_cast<double>(Z);
    for (std::int64_t z = 0; z < Z; ++z) {
      const double d = in.data[detail::sz(z * n + i)] - mean;
      sq += d * d;
    }
    const double inv = 1.0 / std::sqrt(sq / static_cast<double>(Z) + eps);
    for (std::int64_t z = 0; z < Z; ++z) {
      auto v = static_cast<float>((in.data[detail::sz(z * n + i)] - mean) * inv);
      if (affine) v = v * p.mul[detail::sz(z)] + p.add[detail::sz(z)];
      out.data[detail::sz(z * n + i)] = v;
    }
  }
}

/// Channel shuffle (torchvision's channel_shuffle): channels viewed as groups × (z/groups),
/// transposed and flattened, so output channel i·groups + j is input channel j·(z/groups) + i.
inline void channel_shuffle_forward(const channel_shuffle& d, const tensor& in, tensor& out) {
  const std::int64_t plane = in.shape.x * in.shape.y, per = in.shape.z / d.groups;
  for (std::int64_t j = 0; j < d.groups; ++j)
    for (std::int64_t i = 0; i < per; ++i) {
      const float* s = in.data.data() + detail::sz((j * per + i) * plane);
      std::copy(s, s + plane, out.data.data() + detail::sz((i * d.groups + j) * plane));
    }
}

/// Slice: out(x, y, z) = in(x + dx, y + dy, z + dz), the offset `begin` along the sliced axis.
inline void slice_forward(const slice& d, const tensor& in, tensor& out) {
  std::array<std::int64_t, 3> off{0, 0, 0};
  off[static_cast<std::size_t>(d.axis)] = d.begin;
  for (std::int64_t z = 0; z < out.shape.z; ++z)
    for (std::int64_t y = 0; y < out.shape.y; ++y) {
      const float* s = detail::element(in, off[0], y + off[1], z + off[2]);
      std::copy(s, s + out.shape.x, &out.at(0, y, z));
    }
}

/// Transpose: output axis i is input axis perm[i]; the identity permutation (a layout change
/// in the counts) is a plain copy of the CHW map here.
inline void transpose_forward(const transpose& d, const tensor& in, tensor& out) {
  std::array<std::int64_t, 3> at{};  // input coordinates, indexed by input axis
  for (std::int64_t c = 0; c < out.shape.z; ++c)
    for (std::int64_t b = 0; b < out.shape.y; ++b)
      for (std::int64_t a = 0; a < out.shape.x; ++a) {
        at[static_cast<std::size_t>(d.perm[0])] = a;
        at[static_cast<std::size_t>(d.perm[1])] = b;
        at[static_cast<std::size_t>(d.perm[2])] = c;
        out.at(a, b, c) = in.at(at[0], at[1], at[2]);
      }
}

/// Zero padding: the input map placed at (begin.x, begin.y) of a zeroed output.
inline void pad_forward(const pad& d, const tensor& in, tensor& out) {
  std::fill(out.data.begin(), out.data.end(), 0.0f);
  for (std::int64_t z = 0; z < in.shape.z; ++z)
    for (std::int64_t y = 0; y < in.shape.y; ++y) {
      const float* s = detail::element(in, 0, y, z);
      std::copy(s, s + in.shape.x, &out.at(d.begin.x, y + d.begin.y, z));
    }
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
