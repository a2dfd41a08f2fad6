#pragma once
/// @file
/// Vectorised sigmoid, SiLU, hard sigmoid and hard swish of the reference runner (float32 arrays),
/// with the run-time instruction-set dispatch of cpu_features.hpp (AVX2 where the CPU has it, else
/// 4-float vectors: SSE2 on x86-64, NEON or scalar code elsewhere; tests call the latter as
/// detail::act::run_generic).
///
/// Why: with std::exp one element at a time, SiLU took 40 % of EfficientNet-B0's time in the
/// runner (issue 12: 31 of 73 ms, single thread). exp here is Cephes' expf (range reduction by
/// ln 2 in two parts, degree-6 polynomial, 2^n built in the exponent bits): relative error
/// below 2·10⁻⁷ on [−87.3, 88.7], inputs clamped to that range (at the top e^x may round to
/// +inf; σ and SiLU then give 0, within 10⁻³⁷ of the true value: they saturate there). Hard swish
/// (MobileNetV3) did not vectorise as a plain loop (~1 ns per element, 3.8 ns inside the network;
/// 38 % of MobileNetV3-L's time).

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "synergy/run/cpu_features.hpp"

namespace synergy::run {

namespace detail::act {

/// x = e^x for every lane of a vector V of floats (VI: the int32 vector of the same size). In
/// place, by reference: a function taking or returning a 32-byte vector by value changes the
/// ABI outside AVX code (GCC's -Wpsabi).
template <class V, class VI>
[[gnu::always_inline]] inline void exp_in_place(V& x) {
  x = x < 88.7228f ? x : V{} + 88.7228f;   // e^88.72 ≈ 3.4e38: largest finite float
  x = x > -87.3365f ? x : V{} - 87.3365f;  // e^−87.34 ≈ 1.2e−38: smallest normal float
  // n = round(x / ln 2): floor(x·log2(e) + 1/2), floor from truncation corrected below zero.
  const V fx = x * 1.44269504088896341f + 0.5f;
  V n = __builtin_convertvector(__builtin_convertvector(fx, VI), V);
  n -= __builtin_convertvector((n > fx) & 1, V);
  // r = x − n·ln 2, with ln 2 split so that n·C1 is exact.
  const V r = x - n * 0.693359375f + n * 2.12194440e-4f;
  V p = V{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const VI e = (__builtin_convertvector(n, VI) + 127) << 23;  // 2^n in the exponent bits
  V scale;
  std::memcpy(&scale, &e, sizeof scale);  // not std::bit_cast: it returns V by value
  x = p * scale;
}

/// The vectorised activations.
enum class op { sigmoid, silu, hard_sigmoid, hard_swish };

/// x = op(x) for every lane, in place: σ(x) = 1 / (1 + e^−x), silu = x·σ(x), hard_sigmoid =
/// min(max(x/6 + 1/2, 0), 1), hard_swish = x·hard_sigmoid(x).
template <class V, class VI, op Op>
[[gnu::always_inline]] inline void apply_in_place(V& x) {
  if constexpr (Op == op::hard_sigmoid || Op == op::hard_swish) {
    V h = x / 6.0f + 0.5f;
    h = h > 0.0f ? h : V{};
    h = h < 1.0f ? h : V{} + 1.0f;
    x = Op == op::hard_swish ? x * h : h;
  } else {
    V d = -x;
    exp_in_place<V, VI>(d);
    d = 1.0f + d;
    x = Op == op::silu ? x / d : 1.0f / d;
  }
}

/// o[i] = Op(s[i]) for n floats.
template <class V, class VI, int N, op Op>
[[gnu::always_inline]] inline void apply(const float* s, float* o, std::size_t n) {
  std::size_t i = 0;
  for (; i + N <= n; i += N) {
    V x;
    std::memcpy(&x, s + i, sizeof x);
    apply_in_place<V, VI, Op>(x);
    std::memcpy(o + i, &x, sizeof x);
  }
  if (i == n) return;
  // The last partial vector through a zero-padded lane buffer: the same formula as the rest.
  float lanes[N] = {};
  std::memcpy(lanes, s + i, (n - i) * sizeof(float));
  V x;
  std::memcpy(&x, lanes, sizeof x);
  apply_in_place<V, VI, Op>(x);
  std::memcpy(lanes, &x, sizeof x);
  std::memcpy(o + i, lanes, (n - i) * sizeof(float));
}

using v4 = float __attribute__((vector_size(16)));
using v4i = std::int32_t __attribute__((vector_size(16)));

/// The generic path: 4-float vectors.
template <op Op>
inline void run_generic(const float* s, float* o, std::size_t n) {
  apply<v4, v4i, 4, Op>(s, o, n);
}

#if defined(SYNERGY_RUN_X86_DISPATCH)
using v8 = float __attribute__((vector_size(32)));
using v8i = std::int32_t __attribute__((vector_size(32)));

/// 8-float vectors, compiled for AVX2 (run only where the CPU has it).
template <op Op>
[[gnu::target("avx2")]] inline void run_avx2(const float* s, float* o, std::size_t n) {
  apply<v8, v8i, 8, Op>(s, o, n);
}
#endif

/// o[i] = Op(s[i]) for n floats (o may be s), on 8-float vectors (AVX2) where the CPU has them,
/// else on 4-float ones (no AVX-512 path here).
template <op Op>
inline void dispatch(const float* s, float* o, std::size_t n) {
#if defined(SYNERGY_RUN_X86_DISPATCH)
  if (supported_width(8) == 8) return run_avx2<Op>(s, o, n);
#endif
  run_generic<Op>(s, o, n);
}

}  // namespace detail::act

/// Logistic sigmoid o[i] = 1 / (1 + e^−s[i]) of n floats (relative error < 10⁻⁶; o may be s).
inline void sigmoid_vectorised(const float* s, float* o, std::size_t n) {
  detail::act::dispatch<detail::act::op::sigmoid>(s, o, n);
}

/// SiLU (swish) o[i] = s[i] / (1 + e^−s[i]) of n floats (relative error < 10⁻⁶; o may be s).
inline void silu_vectorised(const float* s, float* o, std::size_t n) {
  detail::act::dispatch<detail::act::op::silu>(s, o, n);
}

/// Hard sigmoid o[i] = min(max(s[i]/6 + 1/2, 0), 1) (PyTorch's Hardsigmoid) of n floats.
inline void hard_sigmoid_vectorised(const float* s, float* o, std::size_t n) {
  detail::act::dispatch<detail::act::op::hard_sigmoid>(s, o, n);
}

/// Hard swish o[i] = s[i]·min(max(s[i]/6 + 1/2, 0), 1) (PyTorch's Hardswish) of n floats.
inline void hard_swish_vectorised(const float* s, float* o, std::size_t n) {
  detail::act::dispatch<detail::act::op::hard_swish>(s, o, n);
}

}  // namespace synergy::run
