// Modelling speed goals: exhaustive best subset over the paper's 12 conv features on 1,000
// layers (< 200 ms), 10-fold leave-network-out CV of a MAC_sum model (< 1 ms), the run-time
// call of a network model's estimate for a 50-layer network (< 200 ns).
#include <benchmark/benchmark.h>

#include <cmath>
#include <synergy/model.hpp>
#include <synergy/synergy.hpp>

#include "chain_network.hpp"

namespace {

using namespace synergy;

// prefix + number, by append (g++ 12 -O3 warns falsely on "literal" + std::to_string(...),
// GCC bug 105329).
std::string numbered(const char* prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}
using namespace synergy::model;

// 1,000 conv layers of varied shapes with a synthetic time of 20 ps per MAC plus 0.1 ns per
// element moved and a deterministic ±5 % wiggle.
std::vector<layer_sample<duration>> conv_samples(int layers_per_net, int nets) {
  std::vector<layer_sample<duration>> s;
  for (int n = 0; n < nets; ++n) {
    network net(numbered("net", n), {56, 56, 16 + 8 * (n % 5)});
    for (int i = 0; i < layers_per_net; ++i)
      net.add(numbered("c", i), conv2d{.out_channels = 16 + 8 * ((i + n) % 7),
                                       .kernel = square(1 + 2 * (i % 3)),
                                       .stride = square(1 + (i + n) % 2),
                                       .padding = square(i % 3)});
    for (node_id id = 1; id < net.size(); ++id) {
      const auto c = net.cost(id);
      const double t =
          (2e-11 * static_cast<double>(c.macs) + 1e-10 * static_cast<double>(c.data_volume)) *
          (1 + 0.05 * std::sin(id * 1.7 + n));
      s.push_back({std::string(net.name()), std::string(net.name(id)), net.at(id), c,
                   duration::from_value(t)});
    }
  }
  return s;
}

void best_subset_12_features_1000_layers(benchmark::State& state) {
  const auto samples = conv_samples(50, 20);
  const auto ds = layer_features(samples, layer_type::conv2d);
  for (auto _ : state) {
    auto r = best_subset(ds.features, ds.response, criterion::bic);
    benchmark::DoNotOptimize(r);
  }
  state.counters["subsets"] = 4095;
}
BENCHMARK(best_subset_12_features_1000_layers)->Unit(benchmark::kMillisecond);

void ten_fold_cv_mac_sum_model(benchmark::State& state) {
  const auto samples = conv_samples(10, 20);  // 20 networks, 200 layers
  std::vector<std::string> nets;
  for (int n = 0; n < 20; ++n) nets.push_back(numbered("net", n));
  std::vector<std::vector<std::string>> folds;
  for (const auto& f : group_k_fold(nets, 10, 1)) {
    folds.emplace_back();
    for (auto i : f.test) folds.back().push_back(nets[i]);
  }
  for (auto _ : state) {
    auto r =
        validate_by_network(samples, class_scheme::layer_type, model_family::layer_type_sum, folds);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(ten_fold_cv_mac_sum_model)->Unit(benchmark::kMicrosecond);

constexpr network_model<duration> time_model() {
  network_model<duration> m{class_scheme::layer_type, model_family::layer_type_sum, {}};
  m[layer_class::conv] = {true, 2e-11, 0, 0};
  m[layer_class::batch_norm] = {true, 1e-9, 0, 0};
  m[layer_class::activation] = {true, 1e-9, 0, 0};
  return m;
}

void estimate_50_layer_network(benchmark::State& state) {
  constexpr network_model<duration> m = time_model();
  const network net = bench::chain_network(50);
  for (auto _ : state) {
    benchmark::DoNotOptimize(&net);
    auto e = m.estimate(net);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(estimate_50_layer_network);

}  // namespace

BENCHMARK_MAIN();
