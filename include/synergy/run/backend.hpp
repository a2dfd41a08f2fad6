#pragma once
/// @file
/// The two GEMM backends of the reference runner, as in the paper's Jetson TX1 setup: OpenBLAS
/// (`cblas_sgemm`, what Caffe calls) and Eigen (what Caffe2 used), and the record of what was
/// measured — OpenBLAS's build configuration and the kernel ("core") it chose at run time,
/// its thread count, Eigen's SIMD instruction sets, the compiler and its flags.
///
/// OpenBLAS picks its kernel from the CPU at start-up (DYNAMIC_ARCH builds, as Debian's); an
/// unknown CPU gets a generic one (e.g. SSE3 "Prescott", far slower). Choose it with
/// `OPENBLAS_CORETYPE=Haswell` (or SkylakeX, Cooperlake, Zen…) in the environment before the
/// program starts; `backend_config::openblas_core` shows what ran.

#include <cblas.h>

#include <Eigen/Core>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace synergy::run {

/// Which library multiplies matrices.
enum class backend { openblas, eigen };

/// "openblas" or "eigen".
[[nodiscard]] inline const char* to_string(backend b) {
  return b == backend::openblas ? "openblas" : "eigen";
}

/// Parses "openblas" / "eigen"; throws std::invalid_argument naming the text.
[[nodiscard]] inline backend backend_from_string(const std::string& s) {
  if (s == "openblas") return backend::openblas;
  if (s == "eigen") return backend::eigen;
  throw std::invalid_argument("unknown backend '" + s + "' (openblas, eigen)");
}

/// What a measurement ran on; written into every dataset.
struct backend_config {
  std::string openblas_build;  ///< openblas_get_config(): version, DYNAMIC_ARCH, …
  std::string openblas_core;   ///< openblas_get_corename(): the kernel in use
  int openblas_threads = 1;
  std::string eigen_simd;  ///< Eigen::SimdInstructionSetsInUse()
  int eigen_threads = 1;
  std::string compiler;      ///< compiler and version
  std::string flags;         ///< optimisation and ISA macros seen at compile time
  std::string coretype_env;  ///< OPENBLAS_CORETYPE as set, "" when unset
};

/// Pins both libraries to `threads` threads (OpenBLAS ignores OMP_NUM_THREADS in its pthread
/// build, so the runner sets it itself) and returns the configuration.
inline backend_config configure_backends(int threads = 1) {
  openblas_set_num_threads(threads);
  Eigen::setNbThreads(threads);
  backend_config c;
  c.openblas_build = openblas_get_config();
  c.openblas_core = openblas_get_corename();
  c.openblas_threads = openblas_get_num_threads();
  c.eigen_simd = Eigen::SimdInstructionSetsInUse();
  c.eigen_threads = Eigen::nbThreads();
#if defined(__clang__)
  c.compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  c.compiler = "g++ " __VERSION__;
#endif
#if defined(__OPTIMIZE__)
  c.flags += "optimised";
#else
  c.flags += "not optimised (-O0)";
#endif
#if defined(NDEBUG)
  c.flags += " NDEBUG";
#endif
#if defined(__AVX512F__)
  c.flags += " AVX512F";
#elif defined(__AVX2__)
  c.flags += " AVX2";
#elif defined(__AVX__)
  c.flags += " AVX";
#elif defined(__SSE2__)
  c.flags += " SSE2";
#endif
#if defined(__FMA__)
  c.flags += " FMA";
#endif
  const char* env = std::getenv("OPENBLAS_CORETYPE");
  c.coretype_env = env ? env : "";
  return c;
}

/// C = A · B (or C += A · B when `accumulate`) for row-major float matrices (A: m×k, B: k×n,
/// C: m×n, leading dimensions equal to the column counts), with the chosen backend.
inline void gemm(backend b, int m, int n, int k, const float* a, const float* bm, float* c,
                 bool accumulate = false) {
  if (b == backend::openblas) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, bm, n,
                accumulate ? 1.0f : 0.0f, c, n);
    return;
  }
  using mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const mat> A(a, m, k), B(bm, k, n);
  Eigen::Map<mat> C(c, m, n);
  if (accumulate)
    C.noalias() += A * B;
  else
    C.noalias() = A * B;
}

/// y = W · x (or y += W · x when `accumulate`) for a row-major m×k matrix, with the chosen
/// backend.
inline void gemv(backend b, int m, int k, const float* w, const float* x, float* y,
                 bool accumulate = false) {
  if (b == backend::openblas) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, m, k, 1.0f, w, k, x, 1, accumulate ? 1.0f : 0.0f, y,
                1);
    return;
  }
  using mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const mat> W(w, m, k);
  Eigen::Map<const Eigen::VectorXf> X(x, k);
  Eigen::Map<Eigen::VectorXf> Y(y, m);
  if (accumulate)
    Y.noalias() += W * X;
  else
    Y.noalias() = W * X;
}

}  // namespace synergy::run
