// Run-time cost of counting: totals of a 50-layer network (goal < 1 µs), per-type sums, network
// construction, and a single descriptor. Reports time per call; items/s = layers per second.
#include <benchmark/benchmark.h>

#include <synergy/synergy.hpp>

#include "chain_network.hpp"

namespace {

void totals_50_layers(benchmark::State& state) {
  const synergy::network net = bench::chain_network(50);
  for (auto _ : state) {
    benchmark::DoNotOptimize(&net);
    auto t = net.totals();
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(totals_50_layers);

void by_layer_type_50_layers(benchmark::State& state) {
  const synergy::network net = bench::chain_network(50);
  for (auto _ : state) {
    benchmark::DoNotOptimize(&net);
    auto t = net.by_layer_type();
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(by_layer_type_50_layers);

void build_50_layers(benchmark::State& state) {
  for (auto _ : state) {
    auto net = bench::chain_network(50);
    benchmark::DoNotOptimize(net);
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(build_50_layers);

void totals_mobilenet_v1(benchmark::State& state) {
  const synergy::network net = synergy::zoo::mobilenet_v1();
  for (auto _ : state) {
    benchmark::DoNotOptimize(&net);
    auto t = net.totals();
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(net.size() - 1));
}
BENCHMARK(totals_mobilenet_v1);

void conv2d_cost(benchmark::State& state) {
  synergy::conv2d c{
      .input = {56, 56, 64}, .out_channels = 64, .kernel = synergy::square(3), .padding = {1, 1}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(c);
    auto cost = c.cost();
    benchmark::DoNotOptimize(cost);
  }
}
BENCHMARK(conv2d_cost);

}  // namespace

BENCHMARK_MAIN();
