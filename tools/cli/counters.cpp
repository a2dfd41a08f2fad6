// synergy fit-counters: SyNERGY's counter model (PDPTA'18) on a counters.csv written by
// `synergy profile --counters`: the sub-models counter ≈ a·MAC (+ c·data volume) per network
// and per layer type, leave-network-out, beside the paper's figures; with --dataset, the
// counter model of time (or energy) and the chained MAC-only model.
#include <fmt/core.h>

#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <synergy/measure/replay/perf_stat_counters.hpp>
#include <synergy/model/counter_model.hpp>
#include <synergy/study/dataset.hpp>
#include <vector>

#include "common.hpp"

namespace synergy::cli {

namespace {

struct fit_counters_args {
  std::string counters, dataset, target = "time_s";
  bool intercept = false;
};

/// counters.csv rows as model cases; with a dataset, each case also gets the layer's
/// `time_s` (median) and `energy_J` by (network, layer, platform). Throws user_error for a
/// counter row without a dataset row.
std::vector<model::counter_case> cases_of(const std::vector<measure::counter_row>& rows,
                                          const std::optional<study::dataset>& d) {
  std::map<std::string, const study::dataset_row*> by_key;
  if (d)
    for (const auto& r : d->rows) by_key[r.source + '\x1f' + r.layer + '\x1f' + r.platform] = &r;
  std::vector<model::counter_case> out;
  for (const auto& r : rows) {
    model::counter_case c{r.network,
                          r.layer_type,
                          static_cast<double>(r.macs),
                          static_cast<double>(r.data_volume),
                          {}};
    for (std::size_t i = 0; i < measure::counter_column_count; ++i)
      if (r.counters[i]) c.values[measure::counter_columns[i]] = *r.counters[i];
    if (d) {
      const auto it = by_key.find(r.network + '\x1f' + r.layer + '\x1f' + r.platform);
      if (it == by_key.end())
        throw user_error("--dataset " + d->file + ": no row for " + r.region + " on " + r.platform +
                         " (counted in " + r.counter_source + ")");
      c.values["time_s"] = it->second->time_s;
      if (it->second->energy_j) c.values["energy_J"] = *it->second->energy_j;
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string error_text(const model::sub_model_error& e) {
  return e.error ? fmt::format("{:7.2f} ± {:6.2f} %", e.error->mean, e.error->sd)
                 : "not fitted: " + e.why_not;
}

void fit_counters_command(const fit_counters_args& a) {
  const auto rows = measure::read_counter_csv(a.counters);
  if (rows.empty()) throw user_error(a.counters + ": no rows");
  std::optional<study::dataset> d;
  if (!a.dataset.empty()) d = study::read_dataset_csv(a.dataset);
  const auto layers = cases_of(rows, d);
  const auto has = [&](const std::string& name) {
    return std::all_of(layers.begin(), layers.end(),
                       [&](const auto& c) { return c.values.count(name) > 0; });
  };
  // The paper's two counters, or their stand-ins: SIMD ← simd_ops, else instructions; bus ←
  // bus_accesses, else llc_misses (callgrind has neither SIMD nor bus counts).
  const std::string simd = has("simd_ops") ? "simd_ops" : "instructions";
  const std::string bus = has("bus_accesses") ? "bus_accesses" : "llc_misses";
  using paper = model::paper_counter_figures;
  std::cout << fmt::format(
      "{} layers of {} networks from {} ({}); leave-network-out relative error, mean ± sd "
      "over networks\n",
      rows.size(), model::aggregate(layers, model::counter_aggregation::network).size(), a.counters,
      rows.front().counter_source);
  std::cout << fmt::format(
      "paper (PDPTA'18, Jetson TX1): SIMD from MAC {} ± {} %, bus accesses "
      "from MAC {} ± {} %\n",
      paper::simd_from_mac_mean, paper::simd_from_mac_sd, paper::bus_from_mac_mean,
      paper::bus_from_mac_sd);
  std::cout << fmt::format("{:<14} {:<22} {:<18} {:>5}  {}\n", "counter", "model", "cases of",
                           "cases", "error");
  for (const auto& [counter, volume] :
       std::vector<std::pair<std::string, bool>>{{simd, false}, {bus, false}, {bus, true}}) {
    if (!has(counter)) {
      std::cout << fmt::format("{:<14} not in {}\n", counter, a.counters);
      continue;
    }
    for (const auto& e : model::sub_model_errors(layers, counter, volume, a.intercept))
      std::cout << fmt::format(
          "{:<14} {:<22} {:<18} {:>5}  {}\n", counter,
          std::string(volume ? "a·MAC + c·volume" : "a·MAC") + (a.intercept ? " + b" : ""),
          e.layer_type.empty() ? "networks" : e.layer_type, e.cases, error_text(e));
  }
  if (!d) return;
  if (!has(a.target))
    throw user_error("--target " + a.target + ": not in every row of " + a.dataset +
                     " (time_s, or energy_J when measured)");
  const auto nets = model::aggregate(layers, model::counter_aggregation::network);
  const auto direct = model::leave_network_out_error(nets, a.target, {bus, simd}, true);
  const auto chained =
      model::chained_leave_network_out_error(nets, a.target, bus, simd, true, a.intercept, true);
  std::cout << fmt::format(
      "{} ≈ x1·{} + x2·{} + c (networks): {:.2f} ± {:.2f} %  (paper, energy: "
      "{} ± {} %)\n",
      a.target, bus, simd, direct.mean, direct.sd, paper::energy_from_counters_mean,
      paper::energy_from_counters_sd);
  std::cout << fmt::format(
      "{} from MACs via both sub-models (chained): {:.2f} ± {:.2f} %  "
      "(paper, energy: {} ± {} %)\n",
      a.target, chained.mean, chained.sd, paper::energy_from_mac_mean, paper::energy_from_mac_sd);
}

}  // namespace

void add_fit_counters(CLI::App& app) {
  auto a = std::make_shared<fit_counters_args>();
  auto* cmd = app.add_subcommand(
      "fit-counters",
      "SyNERGY's counter model: counters from MACs (sub-models) and time/energy from counters, "
      "leave-network-out, beside the paper's figures");
  cmd->add_option("counters", a->counters, "counters.csv written by profile --counters")
      ->required();
  cmd->add_option("--dataset", a->dataset,
                  "dataset.csv of the same profile: adds the counter model of --target");
  cmd->add_option("--target", a->target, "time_s or energy_J")->capture_default_str();
  cmd->add_flag("--intercept", a->intercept, "sub-models with an intercept (a·MAC + b)");
  cmd->callback([a] { fit_counters_command(*a); });
}

}  // namespace synergy::cli
