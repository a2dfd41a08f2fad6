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
/// When an annotator is given, every (network, backend, layer) is registered as a region of
/// its own ("<network>/<layer>" of the layer's type) and its id kept in the layer's record, so
/// that a sampler's power trace can be attributed to records by id afterwards (study/energy.hpp).
/// The noise ceiling, samples for fitting and the study live in study/, above this stage.

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "synergy/measure/annotation.hpp"
#include "synergy/measure/replay/perf_stat_counters.hpp"
#include "synergy/run/runner.hpp"
#include "synergy/stats.hpp"

namespace synergy::run {

/// Settings of `profile`.
struct profile_options {
  int warmup_rounds = 1;
  int rounds = 20;
  std::vector<backend> backends{backend::openblas, backend::eigen};
  std::uint64_t seed = 1;
  measure::annotator* marks = nullptr;                ///< regions per layer and run, if given
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
  std::optional<measure::region_id>
      region;                      ///< its annotation region, when profiled with an annotator
  std::optional<double> energy_j;  ///< median energy per run (J), filled by study::attach_energy
  /// Hardware counters of the layer (a counting pass, run::attach_counters), in
  /// `measure::counter_columns` order; nullopt = not measured.
  std::array<std::optional<double>, measure::counter_column_count> counters{};
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

/// Runs the protocol on `nets` (each built into a runner once). Throws std::invalid_argument
/// for no networks, no backend or fewer than 2 rounds.
[[nodiscard]] inline profile_result profile(const std::vector<network>& nets,
                                            const profile_options& opt) {
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
        res.layers.push_back({std::string(n.name()),
                              std::string(n.name(id)),
                              std::string(to_string(type_of(n.at(id)))),
                              id,
                              n.cost(id),
                              opt.backends[b],
                              {},
                              0,
                              0,
                              0,
                              0,
                              std::nullopt,
                              std::nullopt,
                              {}});
      res.networks.push_back({std::string(n.name()), opt.backends[b], {}});
    }
  // One region per (network, backend, layer): the runner marks these ids, never names.
  std::vector<std::vector<measure::region_id>> ids(
      res.layers.size() ? nets.size() * opt.backends.size() : 0);
  if (opt.marks)
    for (std::size_t b = 0; b < opt.backends.size(); ++b)
      for (std::size_t i = 0; i < nets.size(); ++i) {
        auto& v = ids[b * nets.size() + i];
        v.resize(nets[i].size());
        for (node_id id = 1; id < nets[i].size(); ++id) {
          auto& rec = res.layers[first[{i, b}] + id - 1];
          v[id] = opt.marks->add_region(rec.network + "/" + rec.layer, rec.layer_type);
          rec.region = v[id];
        }
      }
  const int total = opt.warmup_rounds + opt.rounds;
  for (int r = 0; r < total; ++r) {
    const bool record = r >= opt.warmup_rounds;
    for (std::size_t i = 0; i < nets.size(); ++i)
      for (std::size_t b = 0; b < opt.backends.size(); ++b) {
        if (record && opt.marks)
          runners[i].run(opt.backends[b], *opt.marks, ids[b * nets.size() + i]);
        else
          runners[i].run(opt.backends[b]);
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
    l.median_s = median(l.times_s);
    const auto s = summarise(l.times_s);
    l.mean_s = s.mean;
    l.sd_s = s.sd;
  }
  return res;
}

}  // namespace synergy::run
