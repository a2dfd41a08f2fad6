// Importing the Caffe ResNet-50 deploy file (goal: < 50 ms). Needs ../shared/data.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <synergy/io/caffe.hpp>

namespace {

void import_resnet50_prototxt(benchmark::State& state) {
  const auto file =
      std::filesystem::path(SYNERGY_SHARED_DATA) / "prototxt" / "ResNet-50-deploy.prototxt";
  if (!std::filesystem::exists(file)) {
    state.SkipWithError("no ../shared/data/prototxt/ResNet-50-deploy.prototxt");
    return;
  }
  for (auto _ : state) {
    auto r = synergy::io::import_caffe(file);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(import_resnet50_prototxt)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
