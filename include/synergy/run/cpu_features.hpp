#pragma once
/// @file
/// Run-time CPU feature detection for the runner's vectorised kernels (depthwise_kernel.hpp,
/// activation_kernel.hpp, kernels.hpp): which vector widths may run on this CPU, and the width
/// a kernel uses when asked for one.
///
/// Why run-time dispatch: the library is header-only and built for baseline x86-64 (SSE2; no
/// `-march`, so a binary runs on every x86-64 CPU). A kernel is therefore one template on a
/// GCC/clang vector-extension type, instantiated for 4 floats (the generic path: SSE2 on
/// x86-64, NEON on AArch64, scalar code elsewhere), 8 floats inside a function marked
/// `[[gnu::target("avx2")]]` and 16 floats inside one marked `[[gnu::target("avx512f")]]`, both
/// declared only where `SYNERGY_RUN_X86_DISPATCH` is defined; the CPU's features are read once
/// (`__builtin_cpu_supports`), and a CPU without AVX2 runs the generic path.
///
/// A kernel that takes a `width` argument (floats per vector: 16, 8, 4; 0 for its own choice)
/// lets tests and benches run every path the CPU has; `supported_width` maps a requested width
/// to the widest one that may run here.

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
/// Defined where the AVX2 and AVX-512F kernels are compiled (x86 with GCC or clang): only there
/// do `[[gnu::target("avx2")]]` and `__builtin_cpu_supports` exist.
#define SYNERGY_RUN_X86_DISPATCH 1
#endif

namespace synergy::run {

/// The instruction sets of this CPU that the runner's kernels use (read once, at first call).
struct cpu_features {
  bool avx2 = false;     ///< 8-float vectors (AVX2)
  bool avx512f = false;  ///< 16-float vectors (AVX-512 Foundation)
};

/// The features of the CPU this runs on; both false where SYNERGY_RUN_X86_DISPATCH is not
/// defined (the generic 4-float path runs there).
[[nodiscard]] inline const cpu_features& this_cpu() {
#if defined(SYNERGY_RUN_X86_DISPATCH)
  static const cpu_features f{.avx2 = __builtin_cpu_supports("avx2") != 0,
                              .avx512f = __builtin_cpu_supports("avx512f") != 0};
#else
  static const cpu_features f{};
#endif
  return f;
}

/// The widest vector this CPU runs, in floats: 16 (AVX-512F), 8 (AVX2) or 4 (generic).
[[nodiscard]] inline int widest_vector_floats() {
  const cpu_features& f = this_cpu();
  return f.avx512f ? 16 : f.avx2 ? 8 : 4;
}

/// The vector width in floats that a kernel asked for `requested` floats runs here: the widest
/// of 16, 8 and 4 that is at most `requested` and that this CPU has (4, the generic path, for
/// any request below 8); `requested` <= 0 means "the widest", widest_vector_floats().
[[nodiscard]] inline int supported_width(int requested) {
  const cpu_features& f = this_cpu();
  if (requested <= 0) return widest_vector_floats();
  if (requested >= 16 && f.avx512f) return 16;
  if (requested >= 8 && f.avx2) return 8;
  return 4;
}

}  // namespace synergy::run
