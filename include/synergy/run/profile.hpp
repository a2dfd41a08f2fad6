#pragma once
/// @file
/// Profiling protocol of the reference runner, built against this VM's noise (its speed is
/// bimodal: a third of identical GEMM calls run > 25 % slower than the median):
///   1. warm-up rounds (caches, page faults, OpenBLAS buffers) that are not recorded;
///   2. then R rounds, round-robin over all networks and backends (never N back-to-back runs
///      of one network, so that slow phases of the machine spread over every network);
///   3. per layer: every round's time, min, median, mean, sd;
///   4. the noise ceiling: how well one half of the rounds predicts the other (Eq 8 on network
///      totals, even rounds' medians against odd rounds' medians) — no model can beat it.
/// Each layer is wrapped in an annotation ("<network>/<layer>") when an annotator is given,
/// so a sampler's power trace can be attributed to layers afterwards.

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "synergy/measure/annotation.hpp"
#include "synergy/model/fit.hpp"
#include "synergy/model/metrics.hpp"
#include "synergy/run/runner.hpp"

namespace synergy::run {

/// Settings of `profile`.
struct profile_options {
  int warmup_rounds = 1;
  int rounds = 20;
  std::vector<backend> backends{backend::openblas, backend::eigen};
  std::uint64_t seed = 1;
  measure::annotator* marks = nullptr;              ///< regions per layer and run, if given
  std::function<void(int done, int total)> progress;  ///< called after every round
};

/// One layer of one network on one backend over all rounds.
struct layer_record {
  std::string network, layer, layer_type;
  node_id node = 0;
  layer_cost cost;
  backend be = backend::openblas;
  std::vector<double> times_s;  ///< one per round
  double min_s = 0, median_s = 0, mean_s = 0, sd_s = 0;
  std::optional<double> energy_j;  ///< median energy per run, when a power source was sampled
};

/// Totals of one network on one backend, per round (s).
struct network_record {
  std::string network;
  backend be = backend::openblas;
  std::vector<double> totals_s;
};

/// What `profile` measured.
struct profile_result {
  backend_config config;
  int rounds = 0;
  std::vector<layer_record> layers;
  std::vector<network_record> networks;
};

namespace detail {
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
}  // namespace detail

/// Runs the protocol on `nets` (each built into a runner once). Throws std::invalid_argument
/// for no networks, no backend or fewer than 2 rounds.
[[nodiscard]] inline profile_result profile(const std::vector<network>& nets, const profile_options& opt) {
  if (nets.empty() || opt.backends.empty() || opt.rounds < 2)
    throw std::invalid_argument("profile: need networks, a backend and at least 2 rounds");
  profile_result res;
  res.config = configure_backends(1);
  res.rounds = opt.rounds;
  std::vector<runner> runners;
  runners.reserve(nets.size());
  for (const auto& n : nets) runners.emplace_back(n, opt.seed);
  // records[(net, be)] → one layer_record per node ≥ 1
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> first;
  for (std::size_t b = 0; b < opt.backends.size(); ++b)
    for (std::size_t i = 0; i < nets.size(); ++i) {
      first[{i, b}] = res.layers.size();
      const network& n = nets[i];
      for (node_id id = 1; id < n.size(); ++id)
        res.layers.push_back({std::string(n.name()), std::string(n.name(id)), std::string(to_string(type_of(n.at(id)))), id,
                              n.cost(id), opt.backends[b], {}, 0, 0, 0, 0, std::nullopt});
      res.networks.push_back({std::string(n.name()), opt.backends[b], {}});
    }
  const int total = opt.warmup_rounds + opt.rounds;
  for (int r = 0; r < total; ++r) {
    const bool record = r >= opt.warmup_rounds;
    for (std::size_t i = 0; i < nets.size(); ++i)
      for (std::size_t b = 0; b < opt.backends.size(); ++b) {
        runners[i].run(opt.backends[b], record ? opt.marks : nullptr);
        if (!record) continue;
        const auto t = runners[i].layer_times();
        const std::size_t f = first[{i, b}];
        double sum = 0;
        for (node_id id = 1; id < nets[i].size(); ++id) {
          res.layers[f + id - 1].times_s.push_back(t[id]);
          sum += t[id];
        }
        res.networks[b * nets.size() + i].totals_s.push_back(sum);
      }
    if (opt.progress) opt.progress(r + 1, total);
  }
  for (auto& l : res.layers) {
    l.min_s = *std::min_element(l.times_s.begin(), l.times_s.end());
    l.median_s = detail::median(l.times_s);
    const auto s = model::summarise(l.times_s);
    l.mean_s = s.mean;
    l.sd_s = s.sd;
  }
  return res;
}

/// The noise ceiling of `be`: relative accuracy (Eq 8, mean ± sd over networks) of the median
/// network total over even rounds as a prediction of the median over odd rounds.
[[nodiscard]] inline model::mean_sd noise_ceiling(const profile_result& r, backend be) {
  std::vector<double> a, b;
  for (const auto& n : r.networks) {
    if (n.be != be) continue;
    std::vector<double> even, odd;
    for (std::size_t k = 0; k < n.totals_s.size(); ++k) (k % 2 ? odd : even).push_back(n.totals_s[k]);
    a.push_back(detail::median(even));
    b.push_back(detail::median(odd));
  }
  if (a.empty()) throw std::invalid_argument(std::string("noise_ceiling: no networks profiled with ") + to_string(be));
  return model::relative_accuracy(a, b);
}

/// Layer samples of one backend for model fitting: value = median time (s) per layer, or the
/// median energy (J) when `energy` and every layer has one. `nets` must be the profiled
/// networks (the samples carry their layer descriptors).
[[nodiscard]] inline std::vector<model::layer_sample> samples_of(const profile_result& r, const std::vector<network>& nets,
                                                                 backend be, bool energy = false) {
  std::map<std::string, const network*> by_name;
  for (const auto& n : nets) by_name[std::string(n.name())] = &n;
  std::vector<model::layer_sample> out;
  for (const auto& l : r.layers) {
    if (l.be != be) continue;
    const auto it = by_name.find(l.network);
    if (it == by_name.end()) throw std::invalid_argument("samples_of: network '" + l.network + "' not given");
    if (energy && !l.energy_j) throw std::invalid_argument("samples_of: layer '" + l.layer + "' of '" + l.network + "' has no energy");
    out.push_back({l.network, l.layer, it->second->at(l.node), l.cost, energy ? *l.energy_j : l.median_s});
  }
  return out;
}

}  // namespace synergy::run
