#pragma once
/// @file
/// Vectorised depthwise convolution of the reference runner (CHW float32, batch 1; see
/// tensor.hpp), any kernel, stride, padding, dilation and multiplier.
///
/// Why: the direct loop (one kernel tap at a time over whole output rows) ran MobileNet v2's
/// depthwise layers at ~2 GMAC/s, 38 % of the network's time (issue 12). Here each input
/// channel is first copied once into a zero-padded scratch plane whose columns are split by
/// phase (column c goes to phase c mod stride.x), so that for every tap the inputs of
/// consecutive output columns are contiguous whatever the stride, and the inner loop has no
/// bounds tests; the padding is zeroed once per layer, only the input positions are rewritten
/// per channel. The output is then computed in blocks of 4 rows × 1 vector held in registers
/// (register blocking over rows: 4 independent accumulators hide the add latency even on maps
/// one vector wide), all taps accumulated before the block is stored once; 3×3 and 5×5 kernels
/// have their tap loop unrolled with the weights broadcast once per block of rows.
///
/// Instruction sets: the library is built for baseline x86-64 (SSE2), so the block code is one
/// template on a GCC/clang vector-extension type, instantiated for 4 floats (SSE2 on x86, NEON
/// or scalar code elsewhere: the generic path), 8 floats inside a function compiled with
/// `target("avx2")` and 16 floats inside one compiled with `target("avx512f")`; the CPU's
/// features are read once at run time (cpu_features.hpp; a CPU without AVX2 runs the generic
/// path), and the width is chosen per layer (see depthwise_conv2d_vectorised). The code writes
/// acc += w · x; the compilers contract it to an FMA inside the AVX-512F function (AVX-512F
/// implies FMA; GCC contracts by default outside strict ISO mode, clang within an expression),
/// so that path rounds once per tap where the others round twice: all stay within float
/// rounding of the definition (tests).
///
/// Accumulation order per output: bias, then taps in (ky, kx) order, in float — the result
/// equals the naive double-precision definition within float rounding (tests/runner_test.cpp).

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "synergy/layers/layer.hpp"
#include "synergy/run/cpu_features.hpp"
#include "synergy/run/tensor.hpp"

namespace synergy::run {

namespace detail::dw {

inline std::size_t usz(std::int64_t v) { return static_cast<std::size_t>(v); }

/// Geometry of one depthwise layer on one input map, in padded coordinates.
struct geometry {
  std::int64_t h, w, ho, wo;      ///< input and output height, width
  std::int64_t kx, ky, sx, sy;    ///< kernel, stride
  std::int64_t px, py, dx, dy;    ///< padding, dilation
  std::int64_t rows;              ///< padded rows read: (ho − 1)·sy + (ky − 1)·dy + 1
  std::int64_t phase_width;       ///< floats per (row, phase), a multiple of 16, with slack
  std::vector<std::int64_t> tap;  ///< per tap (ky, kx): its offset in the plane from the block
  /// Per phase q < sx: the phase columns [j0, j1) that hold input (the rest is padding).
  std::vector<std::int64_t> j0, j1;
};

/// The geometry of `d` from input shape (w, h) to output (wo, ho).
inline geometry make_geometry(const depthwise_conv2d& d, std::int64_t w, std::int64_t h,
                              std::int64_t wo, std::int64_t ho) {
  geometry g{.h = h,
             .w = w,
             .ho = ho,
             .wo = wo,
             .kx = d.kernel.x,
             .ky = d.kernel.y,
             .sx = d.stride.x,
             .sy = d.stride.y,
             .px = d.padding.x,
             .py = d.padding.y,
             .dx = d.dilation.x,
             .dy = d.dilation.y,
             .rows = (ho - 1) * d.stride.y + (d.kernel.y - 1) * d.dilation.y + 1,
             .phase_width = 0,
             .tap = {},
             .j0 = {},
             .j1 = {}};
  // Output columns are processed in whole vectors of up to 16 floats, so a block may read up
  // to 15 columns past the last output; the widest tap adds (kx − 1)·dx / sx more.
  const std::int64_t need = (wo + 15) / 16 * 16 + (g.kx - 1) * g.dx / g.sx + 1;
  g.phase_width = (need + 15) / 16 * 16;
  // Tap (ky, kx) of output (ox, oy) reads padded row oy·sy + ky·dy, padded column
  // ox·sx + kx·dx = (ox + kx·dx / sx)·sx + kx·dx mod sx: phase kx·dx mod sx, index
  // ox + kx·dx / sx. Computed once here, so the inner loops divide nothing.
  for (std::int64_t ky = 0; ky < g.ky; ++ky)
    for (std::int64_t kx = 0; kx < g.kx; ++kx) {
      const std::int64_t off = kx * g.dx;
      g.tap.push_back((ky * g.dy * g.sx + off % g.sx) * g.phase_width + off / g.sx);
    }
  // Phase q holds padded columns j·sx + q, i.e. input columns ix = j·sx + q − px: the j with
  // 0 <= ix < w (and inside the phase row) are [j0, j1). Once per layer: these 64-bit
  // divisions, done per row, took 8 % of a 112×112 stride-2 layer's time (perf).
  for (std::int64_t q = 0; q < g.sx; ++q) {
    const std::int64_t j0 = std::max<std::int64_t>(0, (g.px - q + g.sx - 1) / g.sx);
    g.j0.push_back(j0);
    g.j1.push_back(std::clamp<std::int64_t>((g.w + g.px - q + g.sx - 1) / g.sx, j0, g.phase_width));
  }
  return g;
}

/// even = lanes 0, 2, 4, … and odd = lanes 1, 3, 5, … of the 2N floats a, b (a first).
template <class V, std::size_t... I>
[[gnu::always_inline]] inline void deinterleave(const V& a, const V& b, V& even, V& odd,
                                                std::index_sequence<I...>) {
  even = __builtin_shufflevector(a, b, static_cast<int>(2 * I)...);
  odd = __builtin_shufflevector(a, b, static_cast<int>(2 * I + 1)...);
}

/// even[k] = line[2k], odd[k] = line[2k + 1] for k < pairs, on vectors of N floats, the last
/// one moved back to end at `pairs` (overlapping the one before: it rewrites the same values).
/// Precondition: pairs >= N.
template <class V, int N>
[[gnu::always_inline]] inline void split_pairs(const float* line, float* even, float* odd,
                                               std::int64_t pairs) {
  for (std::int64_t next = 0; next < pairs; next += N) {
    const std::int64_t k = next + N > pairs ? pairs - N : next;
    V a, b, e, o;
    std::memcpy(&a, line + 2 * k, sizeof a);
    std::memcpy(&b, line + 2 * k + N, sizeof b);
    deinterleave(a, b, e, o, std::make_index_sequence<N>{});
    std::memcpy(even + k, &e, sizeof e);
    std::memcpy(odd + k, &o, sizeof o);
  }
}

/// Copies input channel `src` (h × w) into the padded, phase-split plane `buf`:
/// buf[(r·sx + q)·phase_width + j] = input(x = j·sx + q − px, y = r − py). Writes only the
/// positions that hold input: the padding lies at the same positions for every channel, so
/// the caller zeroes the plane once per layer. Always inlined, so that the copy loops are
/// vectorised with the caller's instruction set (V: N floats).
///
/// Stride 2 (every stride-2 layer of the MobileNets and EfficientNets) splits each input row in
/// one pass: 2N consecutive inputs are loaded as two vectors and their even and odd lanes go to
/// the two phases (a strided loop per phase compiled to permutes with run-time alias checks and
/// a scalar tail per row, and ran stride-2 layers at a third of stride 1's speed).
template <class V, int N>
[[gnu::always_inline]] inline void fill_plane(const geometry& g, const float* src, float* buf) {
  const std::int64_t r0 = std::max<std::int64_t>(0, g.py), r1 = std::min(g.rows, g.h + g.py);
  // Stride 2: input column ix goes to phase (ix + px) mod 2, index (ix + px) div 2; for even ix
  // that is phase pe = px mod 2, index ix/2 + ⌊px/2⌋, and ix + 1 goes to phase 1 − pe, index
  // ix/2 + ⌊(px + 1)/2⌋. The first `pairs` pairs (both stores inside the phase row) go through
  // vectors of N floats, or of 4 when the row is shorter than N pairs; the rest one by one.
  const std::int64_t pe = g.px % 2, se = g.px / 2, so = (g.px + 1) / 2;
  const std::int64_t pairs =
      g.sx != 2 ? 0 : std::max<std::int64_t>(0, std::min(g.w / 2, g.phase_width - so));
  using v4 = float __attribute__((vector_size(16)));
  for (std::int64_t r = r0; r < r1; ++r) {
    const float* line = src + usz((r - g.py) * g.w);
    float* row = buf + usz(r * g.sx * g.phase_width);
    if (g.sx == 1) {
      std::memcpy(row + g.j0[0], line + (g.j0[0] - g.px), usz(g.j1[0] - g.j0[0]) * sizeof(float));
      continue;
    }
    if (g.sx == 2) {
      float* even = row + pe * g.phase_width + se;
      float* odd = row + (1 - pe) * g.phase_width + so;
      std::int64_t done = 0;
      if (pairs >= N)
        split_pairs<V, N>(line, even, odd, pairs), done = pairs;
      else if (pairs >= 4)
        split_pairs<v4, 4>(line, even, odd, pairs), done = pairs;
      for (std::int64_t ix = 2 * done; ix < g.w; ++ix) {
        const std::int64_t j = (ix + g.px) / 2;
        if (j < g.phase_width) row[((ix + g.px) % 2) * g.phase_width + j] = line[ix];
      }
      continue;
    }
    for (std::int64_t q = 0; q < g.sx; ++q) {
      float* dst = row + q * g.phase_width;
      const float* s = line + (g.j0[usz(q)] * g.sx + q - g.px);
      for (std::int64_t j = 0; j < g.j1[usz(q)] - g.j0[usz(q)]; ++j)
        dst[g.j0[usz(q)] + j] = s[j * g.sx];
    }
  }
}

/// Rows [oy0, oy0 + Rows) of the output plane `out`, one vector of N columns at a time (the
/// last one partial: the padded plane has the slack to read a whole vector), with Rows
/// independent accumulators (register blocking over rows: the adds of one tap do not wait for
/// each other, and a map only a vector or two wide still fills the pipeline).
///
/// A map at least one vector wide ends with a whole vector too: the last one is moved back to
/// end at the row's end, overlapping the one before, whose columns it recomputes with the same
/// operations in the same order, hence to the same values (storing the last partial vector
/// float by float through a lane buffer cost a quarter of a 28-wide row's time).
///
/// A map narrower than one vector (its only vector is partial) is stored whole when the store
/// stays inside the output tensor (`end`): the floats past the row's end belong to later rows
/// or to the next channels' planes, which are written later (rows, blocks and channels go in
/// increasing order), so they get their own values then. Only a tensor's last rows are stored
/// float by float. (Storing the 14-wide rows of MobileNet's 14×14 maps float by float cost
/// about as much as their 9 taps.)
template <class V, int N, int Taps, int Rows>
[[gnu::always_inline]] inline void row_block(const geometry& g, const float* buf, const float* wk,
                                             float b, float* out, std::int64_t oy0,
                                             const float* end) {
  // Taps > 0: the weights, broadcast once, and the tap offsets stay in registers (9 weights and
  // 4 accumulators fit AVX2's 16 registers) and the tap loop unrolls.
  constexpr int max_taps = Taps > 0 ? Taps : 1;
  const std::int64_t taps = Taps > 0 ? Taps : g.kx * g.ky;
  V wv[max_taps];
  std::int64_t off[max_taps];
  if constexpr (Taps > 0)
    for (int t = 0; t < Taps; ++t) wv[t] = V{} + wk[t], off[t] = g.tap[usz(t)];
  const std::int64_t row_step = g.sy * g.sx * g.phase_width;
  const float* base = buf + usz(oy0 * row_step);
  for (std::int64_t next = 0; next < g.wo; next += N) {
    const std::int64_t ox = next + N > g.wo && g.wo >= N ? g.wo - N : next;  // see above
    V acc[Rows];
    for (auto& a : acc) a = V{} + b;
#pragma GCC unroll 25
    for (std::int64_t t = 0; t < taps; ++t) {
      const V wt = Taps > 0 ? wv[t] : V{} + wk[t];
      const float* in = base + (Taps > 0 ? off[t] : g.tap[usz(t)]) + ox;
#pragma GCC unroll 4
      for (int r = 0; r < Rows; ++r) {
        V x;
        std::memcpy(&x, in + r * row_step, sizeof x);
        acc[r] += wt * x;
      }
    }
    float* o = out + usz(oy0 * g.wo + ox);
    if (ox + N <= g.wo) {
      for (int r = 0; r < Rows; ++r) std::memcpy(o + r * g.wo, &acc[r], sizeof(V));
      continue;
    }
    // A map narrower than a vector: whole where the tensor has room (see above), else
    // element by element (a memcpy of variable length is a byte loop).
    for (int r = 0; r < Rows; ++r) {
      if (o + r * g.wo + N <= end) {
        std::memcpy(o + r * g.wo, &acc[r], sizeof(V));
        continue;
      }
      float lane[N];
      std::memcpy(lane, &acc[r], sizeof lane);
      for (std::int64_t i = 0; i < g.wo - ox; ++i) o[r * g.wo + i] = lane[i];
    }
  }
}

/// Output channel plane `out` (ho × wo) from the padded plane `buf`, with weights `wk`
/// (ky × kx) and bias `b`, on vectors of type V (N floats); `Taps` is kx·ky when known at
/// compile time (the tap loop then unrolls), 0 otherwise. Always inlined, so that it is
/// compiled with the instruction set of the dispatching function that calls it.
template <class V, int N, int Taps>
[[gnu::always_inline]] inline void channel(const geometry& g, const float* buf, const float* wk,
                                           float b, float* out, const float* end) {
  constexpr int rows = 4;
  std::int64_t oy = 0;
  for (; oy + rows <= g.ho; oy += rows) row_block<V, N, Taps, rows>(g, buf, wk, b, out, oy, end);
  // The last 1 to 3 rows: a pair together (14- and 7-row maps end so), then a single row.
  if (oy + 2 <= g.ho) row_block<V, N, Taps, 2>(g, buf, wk, b, out, oy, end), oy += 2;
  if (oy < g.ho) row_block<V, N, Taps, 1>(g, buf, wk, b, out, oy, end);
}

/// All channels: for each input channel, fill the plane once and compute its `mult` outputs.
template <class V, int N>
[[gnu::always_inline]] inline void all_channels(const geometry& g, std::int64_t channels,
                                                std::int64_t mult, const float* in,
                                                const float* weights, const float* bias, float* out,
                                                float* buf) {
  const std::int64_t taps = g.kx * g.ky;
  const float* end = out + usz(channels * mult * g.ho * g.wo);     // the output tensor's end
  std::fill(buf, buf + usz(g.rows * g.sx * g.phase_width), 0.0f);  // the padding, once
  for (std::int64_t ic = 0; ic < channels; ++ic) {
    fill_plane<V, N>(g, in + usz(ic * g.h * g.w), buf);
    for (std::int64_t m = 0; m < mult; ++m) {
      const std::int64_t oc = ic * mult + m;
      const float b = bias ? bias[oc] : 0.0f;
      float* o = out + usz(oc * g.ho * g.wo);
      // 3×3 (MobileNets) and 5×5 (EfficientNet, MnasNet) with the tap loop unrolled.
      if (taps == 9)
        channel<V, N, 9>(g, buf, weights + usz(oc * taps), b, o, end);
      else if (taps == 25)
        channel<V, N, 25>(g, buf, weights + usz(oc * taps), b, o, end);
      else
        channel<V, N, 0>(g, buf, weights + usz(oc * taps), b, o, end);
    }
  }
}

using v4 = float __attribute__((vector_size(16)));

/// The generic path: 4-float vectors (SSE2 on x86-64, NEON on AArch64, scalar elsewhere).
inline void run_generic(const geometry& g, std::int64_t channels, std::int64_t mult,
                        const float* in, const float* weights, const float* bias, float* out,
                        float* buf) {
  all_channels<v4, 4>(g, channels, mult, in, weights, bias, out, buf);
}

#if defined(SYNERGY_RUN_X86_DISPATCH)
using v8 = float __attribute__((vector_size(32)));
using v16 = float __attribute__((vector_size(64)));

/// 8-float vectors, compiled for AVX2 (run only where the CPU has it).
[[gnu::target("avx2")]] inline void run_avx2(const geometry& g, std::int64_t channels,
                                             std::int64_t mult, const float* in,
                                             const float* weights, const float* bias, float* out,
                                             float* buf) {
  all_channels<v8, 8>(g, channels, mult, in, weights, bias, out, buf);
}

/// 16-float vectors, compiled for AVX-512F (run only where the CPU has it).
[[gnu::target("avx512f")]] inline void run_avx512(const geometry& g, std::int64_t channels,
                                                  std::int64_t mult, const float* in,
                                                  const float* weights, const float* bias,
                                                  float* out, float* buf) {
  all_channels<v16, 16>(g, channels, mult, in, weights, bias, out, buf);
}
#endif

}  // namespace detail::dw

/// Depthwise convolution of `in` (shape d.input) into `out` (shape d's output) with weights
/// `weights` (C·mult × Ky × Kx) and `bias` (C·mult values, or nullptr for none), on vectors of
/// `width` floats (16: AVX-512F, 8: AVX2, 4: generic; 0: the runner's choice, 16 for maps at
/// least 14 wide where the CPU has AVX-512F, else 8 where it has AVX2; a width the CPU lacks
/// falls back to a narrower one). `scratch` is resized to the padded
/// plane (one input channel).
inline void depthwise_conv2d_vectorised(const depthwise_conv2d& d, const float* weights,
                                        const float* bias, const tensor& in, tensor& out,
                                        std::vector<float>& scratch, int width = 0) {
  namespace dw = detail::dw;
  const dw::geometry g = dw::make_geometry(d, in.shape.x, in.shape.y, out.shape.x, out.shape.y);
  const std::size_t plane = dw::usz(g.rows * g.sx * g.phase_width);
  if (scratch.size() < plane) scratch.resize(plane);
  // The runner's choice: AVX-512 for maps at least 14 wide (up to 1.4× faster on MobileNet's
  // stride-1 layers, bench/depthwise_bench.cpp), AVX2 for narrower ones (a 16-float vector
  // would be mostly padding: 7-wide maps ran 15 % slower).
  if (width <= 0) width = out.shape.x >= 14 ? 16 : 8;
  switch (supported_width(width)) {
#if defined(SYNERGY_RUN_X86_DISPATCH)
    case 16:
      return dw::run_avx512(g, in.shape.z, d.multiplier, in.data.data(), weights, bias,
                            out.data.data(), scratch.data());
    case 8:
      return dw::run_avx2(g, in.shape.z, d.multiplier, in.data.data(), weights, bias,
                          out.data.data(), scratch.data());
#endif
    default:
      return dw::run_generic(g, in.shape.z, d.multiplier, in.data.data(), weights, bias,
                             out.data.data(), scratch.data());
  }
}

}  // namespace synergy::run
