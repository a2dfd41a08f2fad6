// Measurement speed goals (issue 4): one annotation begin + end < 100 ns; attribution of 10⁸
// samples over 10⁵ regions < 1 s on one thread. (The sampler's rate and CPU use are measured
// by sampler_load, which needs wall-clock seconds, not a micro-benchmark.)
#include <benchmark/benchmark.h>

#include <synergy/measure/annotation.hpp>
#include <synergy/measure/attribution.hpp>

namespace m = synergy::measure;

static void annotation_begin_end(benchmark::State& st) {
  m::annotator a(1 << 24);
  const auto id = a.region("conv1", "Convolution");
  for (auto _ : st) {
    a.begin(id);
    a.end(id);
    if (a.size() > (1 << 23)) {  // keep memory bounded over long runs
      st.PauseTiming();
      a.clear();
      st.ResumeTiming();
    }
  }
}
BENCHMARK(annotation_begin_end);

static void attribution_1e8_samples_1e5_regions(benchmark::State& st) {
  const std::size_t n = 100'000'000, regions = 100'000;
  m::trace tr;
  tr.channels = {"p"};
  tr.period_s = 1e-4;  // 10 kHz for 10⁴ s
  tr.time_s.resize(n);
  tr.watts.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    tr.time_s[k] = static_cast<double>(k) * 1e-4;
    tr.watts[k] = 5.0 + static_cast<double>(k % 97) * 0.01;
  }
  std::vector<m::region> rs(regions);
  const double span = tr.time_s.back();
  for (std::size_t i = 0; i < regions; ++i) {
    const double t0 = span * static_cast<double>(i) / regions;
    rs[i] = {"layer", "conv", t0, t0 + 0.6 * span / regions, 0, std::nullopt};
  }
  for (auto _ : st) benchmark::DoNotOptimize(m::attribute(tr, rs));
}
BENCHMARK(attribution_1e8_samples_1e5_regions)->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK_MAIN();
