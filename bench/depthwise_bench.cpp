// Depthwise speed (issue 12): GMAC/s of the runner's depthwise kernel on MobileNet v1's
// depthwise layers (3×3, padding 1), single thread, before (the former direct loop,
// run::depthwise_conv2d_direct) and after (run::depthwise_conv2d_vectorised on each vector
// width the CPU has: 4 = generic/SSE2, 8 = AVX2, 16 = AVX-512F; "auto" = what the runner
// uses). Goal: >= 8 GMAC/s on 112x112x32 and 14x14x512 (stride 1). Each figure is the median
// of `repetitions` timed calls (after one warm-up call); "min" is the fastest.
//   usage: depthwise_bench [repetitions=30]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <synergy/run/runner.hpp>
#include <vector>

using namespace synergy;

namespace {

/// Median and minimum of `reps` timed calls of f, in seconds.
template <class F>
std::pair<double, double> median_min(int reps, F&& f) {
  f();  // warm-up: caches, page faults, the scratch plane's allocation
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const double t0 = synergy::now_s();
    f();
    t.push_back(synergy::now_s() - t0);
  }
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t.front()};
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 30;
  std::printf(
      "runner's vector width: %d floats, AVX-512F: %s; %d repetitions, median (min) "
      "GMAC/s\n",
      run::supported_width(8), run::this_cpu().avx512f ? "yes" : "no", reps);
  struct dw_layer {
    shape3 in;
    std::int64_t stride;
  };
  // MobileNet v1 (224×224): every depthwise layer shape once (14×14×512 stride 1 occurs 5×).
  const dw_layer layers[] = {{{112, 112, 32}, 1}, {{112, 112, 64}, 2}, {{56, 56, 128}, 1},
                             {{56, 56, 128}, 2},  {{28, 28, 256}, 1},  {{28, 28, 256}, 2},
                             {{14, 14, 512}, 1},  {{14, 14, 512}, 2},  {{7, 7, 1024}, 1}};
  std::printf("%-22s %15s %15s %15s %15s %15s\n", "layer", "direct(before)", "w4", "w8", "w16",
              "auto");
  // FTZ/DAZ as the runner sets them (no denormals in these random data anyway).
  for (const auto& l : layers) {
    network n("dw", l.in);
    n.add("dw",
          depthwise_conv2d{.kernel = square(3), .stride = {l.stride, l.stride}, .padding = {1, 1}});
    run::runner r(n, 1);
    const auto& d = std::get<depthwise_conv2d>(r.net().at(1));
    const double macs = static_cast<double>(r.net().cost(1).macs);
    run::tensor out(r.net().output(1));
    std::vector<float> scratch;
    const auto& p = r.params(1);
    char name[64];
    std::snprintf(name, sizeof name, "%lldx%lldx%lld s%lld", static_cast<long long>(l.in.x),
                  static_cast<long long>(l.in.y), static_cast<long long>(l.in.z),
                  static_cast<long long>(l.stride));
    std::printf("%-22s", name);
    const auto show = [&](std::pair<double, double> t) {
      std::printf(" %7.2f (%5.2f)", macs / t.first * 1e-9, macs / t.second * 1e-9);
    };
    show(median_min(reps, [&] { run::depthwise_conv2d_direct(d, p, r.input(), out); }));
    for (int width : {4, 8, 16, 0}) {
      if (width > 0 && run::supported_width(width) != width) {
        std::printf(" %15s", "n/a");
        continue;
      }
      show(median_min(reps, [&] {
        run::depthwise_conv2d_vectorised(d, p.weights.data(), p.bias.data(), r.input(), out,
                                         scratch, width);
      }));
    }
    std::printf("\n");
  }
  return 0;
}
