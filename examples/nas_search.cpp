// A NAS-style search: samples candidate CNNs (depth, per-layer widths and kernel sizes, input
// resolution), estimates each one's latency with a layer-class model, and ranks them.
//   nas_search [candidates] [model.json]
// The built-in model is illustrative: per-MAC times from the MAC rates measured on this
// project's development VM with PyTorch (3×3 conv ≈ 50 GMAC/s, 1×1 ≈ 14, depthwise ≈ 3.5,
// FC ≈ 1.5 GMAC/s), 1 ns per op and 0.5 ns per element moved. Pass a model fitted on your own
// board (saved by synergy::model::to_json) as the second argument.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <synergy/model.hpp>
#include <synergy/synergy.hpp>
#include <vector>

using namespace synergy;
using namespace synergy::model;

namespace {

// [docs]
constexpr network_model<duration> illustrative_latency_model() {
  network_model<duration> m{class_scheme::conv_shape, model_family::layer_type_sum, {}};
  m[layer_class::conv_kxk] = {true, 1 / 50e9, 0, 0};  // s per MAC
  m[layer_class::conv_1x1] = {true, 1 / 14e9, 0, 0};
  m[layer_class::conv_grouped] = {true, 1 / 10e9, 0, 0};
  m[layer_class::depthwise_conv] = {true, 1 / 3.5e9, 0, 0};
  m[layer_class::fully_connected] = {true, 1 / 1.5e9, 0, 0};
  for (layer_class c :
       {layer_class::pool, layer_class::batch_norm, layer_class::scale, layer_class::activation,
        layer_class::lrn, layer_class::eltwise, layer_class::softmax})
    m[c] = {true, 1e-9, 0, 0};  // s per op
  for (layer_class c : {layer_class::concat, layer_class::dropout}) m[c] = {true, 5e-10, 0, 0};
  return m;
}

/// One candidate: input resolution, and per stage a width, a kernel and whether it is a
/// depthwise-separable block; every stage halves the resolution.
struct candidate {
  std::int64_t resolution = 0;
  int stages = 0;
  std::array<std::int64_t, 6> width{};
  std::array<std::int64_t, 6> kernel{};
  std::array<bool, 6> separable{};
};

struct estimate_t {
  double seconds = 0;
  std::int64_t macs = 0;
};

/// Estimates a candidate layer by layer, without building a network object: each layer's
/// descriptor is counted (constexpr code) and fed to the model. No allocation.
estimate_t estimate_candidate(const network_model<duration>& m, const candidate& c) {
  estimate_t e;
  shape3 x{c.resolution, c.resolution, 3};
  const auto add = [&](const layer& l) {
    const layer_cost k = cost_of(l);
    e.seconds += m.estimate_si(classify(l, m.scheme), k);
    e.macs += k.macs;
    x = output_of(l);
  };
  for (int s = 0; s < c.stages; ++s) {
    const std::int64_t k = c.kernel[static_cast<std::size_t>(s)];
    if (c.separable[static_cast<std::size_t>(s)]) {
      add(depthwise_conv2d{
          .input = x, .kernel = square(k), .stride = {2, 2}, .padding = square(k / 2)});
      add(conv2d{
          .input = x, .out_channels = c.width[static_cast<std::size_t>(s)], .kernel = square(1)});
    } else {
      add(conv2d{.input = x,
                 .out_channels = c.width[static_cast<std::size_t>(s)],
                 .kernel = square(k),
                 .stride = {2, 2},
                 .padding = square(k / 2)});
    }
    add(activation{.input = x});
  }
  add(avg_pool2d{.input = x, .global = true});
  add(fully_connected{.input = x, .outputs = 1000});
  return e;
}
// [/docs]

candidate sample(std::mt19937_64& rng) {
  constexpr std::array<std::int64_t, 4> resolutions{128, 160, 192, 224};
  constexpr std::array<std::int64_t, 6> widths{16, 32, 64, 96, 128, 256};
  constexpr std::array<std::int64_t, 3> kernels{1, 3, 5};
  candidate c;
  c.resolution = resolutions[rng() % resolutions.size()];
  c.stages = 3 + static_cast<int>(rng() % 4);
  for (int s = 0; s < c.stages; ++s) {
    c.width[static_cast<std::size_t>(s)] = widths[rng() % widths.size()];
    c.kernel[static_cast<std::size_t>(s)] = kernels[rng() % kernels.size()];
    c.separable[static_cast<std::size_t>(s)] = rng() % 2 == 0;
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const long count = argc > 1 ? std::stol(argv[1]) : 1'000'000;
  network_model<duration> m = illustrative_latency_model();
  if (argc > 2) {
    std::ifstream in(argv[2]);
    if (!in) {
      std::cerr << "nas_search: cannot read " << argv[2] << '\n';
      return 1;
    }
    m = network_model_from_json<duration>(nlohmann::json::parse(in));
  }
  std::mt19937_64 rng(2026);
  struct ranked {
    candidate c;
    estimate_t e;
  };
  std::vector<ranked> best;  // fastest candidates with at least 100 M MACs (a capacity floor)
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    const candidate c = sample(rng);
    const estimate_t e = estimate_candidate(m, c);
    if (e.macs < 100'000'000) continue;
    if (best.size() < 5 || e.seconds < best.back().e.seconds) {
      best.push_back({c, e});
      std::sort(best.begin(), best.end(),
                [](const auto& a, const auto& b) { return a.e.seconds < b.e.seconds; });
      if (best.size() > 5) best.pop_back();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << count << " candidates estimated in " << seconds << " s: " << count / seconds / 1e6
            << " M candidates/s\nfastest with >= 100 M MACs:\n";
  for (const auto& r : best) {
    std::cout << "  " << r.e.seconds * 1e3 << " ms, " << r.e.macs / 1e6 << " M MACs, "
              << r.c.resolution << "px, stages:";
    for (int s = 0; s < r.c.stages; ++s)
      std::cout << ' ' << (r.c.separable[static_cast<std::size_t>(s)] ? "sep" : "conv")
                << r.c.kernel[static_cast<std::size_t>(s)] << "x"
                << r.c.width[static_cast<std::size_t>(s)];
    std::cout << '\n';
  }
  return best.empty() ? 1 : 0;
}
