#pragma once
/// @file
/// SyNERGY's counter model (PDPTA'18) on a dataset whose rows carry counters (`synergy profile
/// --counters`): the per-layer cases of one platform, the model fitted on them, and the
/// Markdown table of its leave-network-out errors beside the paper's (`synergy report`'s
/// counter_model.md, `synergy fit --features counters`). docs/counters.md.

#include <fmt/core.h>

#include <algorithm>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "synergy/model/counter_model.hpp"
#include "synergy/model/counter_model_file.hpp"
#include "synergy/study/dataset.hpp"

namespace synergy::study {

/// The per-layer cases of `platform`'s rows of the resolved dataset `d` that carry counters:
/// MACs and data volume from the source, the row's counters, `time_s` and (when measured)
/// `energy_J` as values. Rows without any counter are left out (another platform's, or a
/// network profiled without --counters). O(rows).
[[nodiscard]] inline std::vector<model::counter_case> counter_layer_cases(
    const dataset& d, const std::string& platform) {
  std::vector<model::counter_case> out;
  for (const auto& r : d.rows) {
    if (r.platform != platform ||
        std::none_of(r.counters.begin(), r.counters.end(), [](const auto& c) { return c; }))
      continue;
    const auto cost = d.net_of(r).cost(*r.node);
    model::counter_case c{r.network,
                          std::string(to_string(type_of(d.net_of(r).at(*r.node)))),
                          static_cast<double>(cost.macs),
                          static_cast<double>(cost.data_volume),
                          {}};
    for (std::size_t i = 0; i < measure::counter_column_count; ++i)
      if (r.counters[i]) c.values[measure::counter_columns[i]] = *r.counters[i];
    c.values["time_s"] = r.time_s;
    if (r.energy_j) c.values["energy_J"] = *r.energy_j;
    out.push_back(std::move(c));
  }
  return out;
}

/// A counter model fitted on one platform of a dataset.
struct fitted_counter_model {
  model::counter_pair counters;  ///< the two counters used
  std::size_t layers = 0;        ///< layers with counters
  std::size_t networks = 0;      ///< networks they belong to
  model::counter_errors errors;  ///< leave-network-out errors over whole networks
  nlohmann::json file;           ///< the model file (model::counter_model_json + "fitted_on")
};

/// Fits the counter model of `quantity` ("latency" → time_s, "energy" → energy_J) on
/// `platform`'s rows of the resolved dataset `d` (read from `dataset_path`, named in the file's
/// "fitted_on"). Throws std::invalid_argument naming the dataset and platform when the rows
/// carry no usable counter pair, and as model::counter_model_json.
[[nodiscard]] inline fitted_counter_model fit_counter_model(const dataset& d,
                                                            const std::string& platform,
                                                            const std::string& quantity,
                                                            const std::string& dataset_path) {
  const std::string target = quantity == "energy" ? "energy_J" : "time_s";
  const auto layers = counter_layer_cases(d, platform);
  std::string why;
  const auto p = model::choose_counter_pair(layers, why);
  if (!p) throw std::invalid_argument(dataset_path + " on " + platform + ": " + why);
  fitted_counter_model f;
  f.counters = *p;
  f.layers = layers.size();
  f.networks = model::aggregate(layers, model::counter_aggregation::network).size();
  f.errors = model::counter_model_errors(layers, *p, target);
  f.file = model::counter_model_json(layers, *p, target, quantity, f.errors);
  f.file["fitted_on"] = {
      {"dataset", dataset_path}, {"platform", platform}, {"networks", f.networks}};
  return f;
}

/// Writes the errors `e` of `target` with counters `p` over `networks` networks beside the
/// paper's figures (PDPTA'18, Jetson TX1) as a Markdown table.
inline void write_counter_comparison(std::ostream& os, const model::counter_errors& e,
                                     const model::counter_pair& p, const std::string& target,
                                     std::size_t networks) {
  using paper = model::paper_counter_figures;
  const auto cell = [](const std::optional<mean_sd>& m) {
    return m ? fmt::format("{:.2f} ± {:.2f} %", m->mean, m->sd) : std::string("not fitted");
  };
  os << fmt::format(
      "| model | here ({} networks, leave-network-out) | paper (PDPTA'18, Jetson TX1, energy) |\n"
      "| --- | --- | --- |\n",
      networks);
  os << fmt::format("| {} ≈ x₁·{} + x₂·{} + c | {} | {:.2f} ± {:.2f} % |\n", target, p.bus, p.simd,
                    cell(e.direct), paper::energy_from_counters_mean,
                    paper::energy_from_counters_sd);
  os << fmt::format("| {} ≈ a·MAC | {} | SIMD: {:.2f} ± {:.2f} % |\n", p.simd, cell(e.simd_sub),
                    paper::simd_from_mac_mean, paper::simd_from_mac_sd);
  os << fmt::format("| {} ≈ b·MAC | {} | bus: {:.2f} ± {:.2f} % |\n", p.bus, cell(e.bus_sub),
                    paper::bus_from_mac_mean, paper::bus_from_mac_sd);
  os << fmt::format("| {} ≈ b·MAC + c·data volume | {} | — |\n", p.bus, cell(e.bus_volume_sub));
  os << fmt::format("| {} from MACs through both sub-models (chained) | {} | {:.2f} ± {:.2f} % |\n",
                    target, cell(e.chained), paper::energy_from_mac_mean,
                    paper::energy_from_mac_sd);
  if (!e.why_not.empty()) os << "\nnot fitted: " << e.why_not << '\n';
}

/// `synergy report`'s counter-model section: per platform of the resolved `d`, the
/// leave-network-out errors of time (and of energy, when every layer has it) beside the
/// paper's, or a line saying why there are none (no counter columns: profiled without
/// --counters).
inline void write_counter_report(std::ostream& os, const dataset& d) {
  for (const auto& platform : d.platforms()) {
    const auto layers = counter_layer_cases(d, platform);
    std::string why;
    const auto p = model::choose_counter_pair(layers, why);
    if (!p) {
      os << "Platform " << platform << ": no counter model: " << why << ".\n\n";
      continue;
    }
    const std::size_t n = model::aggregate(layers, model::counter_aggregation::network).size();
    for (const std::string target : {"time_s", "energy_J"}) {
      if (target == "energy_J" && !std::all_of(layers.begin(), layers.end(), [](const auto& c) {
            return c.values.count("energy_J") > 0;
          }))
        continue;
      os << "Platform " << platform << ", " << target << " (SIMD: " << p->simd
         << ", bus: " << p->bus << "):\n\n";
      write_counter_comparison(os, model::counter_model_errors(layers, *p, target), *p, target, n);
      os << '\n';
    }
  }
}

}  // namespace synergy::study
