#pragma once
// Printing per-layer and per-layer-type energy (shared by `attribute` and `record`).
#include <iostream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <synergy/measure/attribution.hpp>

namespace synergy::cli {

inline void print_attribution(const std::vector<measure::region_energy>& es, const std::string& format, std::ostream& os) {
  const auto layers = measure::summarise_runs(es);
  const auto types = measure::energy_by_layer_type(layers);
  if (format == "json") {
    nlohmann::json j;
    for (const auto& l : layers)
      j["layers"].push_back({{"name", l.name}, {"layer_type", l.layer_type}, {"runs", l.runs}, {"energy_J_mean", l.energy_j.mean},
                             {"energy_J_sd", l.energy_j.sd}, {"duration_s_mean", l.duration_s.mean}, {"duration_s_sd", l.duration_s.sd},
                             {"flagged_runs", l.flagged}});
    for (const auto& [t, e] : types) j["layer_types"][t.empty() ? "(none)" : t] = e;
    os << j.dump(2) << '\n';
    return;
  }
  if (format == "csv") {
    os << "name,layer_type,runs,energy_J_mean,energy_J_sd,duration_s_mean,duration_s_sd,flagged_runs\n";
    for (const auto& l : layers)
      os << fmt::format("{},{},{},{:.9g},{:.9g},{:.9g},{:.9g},{}\n", l.name, l.layer_type, l.runs, l.energy_j.mean, l.energy_j.sd,
                        l.duration_s.mean, l.duration_s.sd, l.flagged);
    return;
  }
  os << fmt::format("{:<32} {:<16} {:>5} {:>14} {:>14} {}\n", "region", "layer type", "runs", "energy mJ", "time ms", "");
  std::size_t flagged = 0;
  for (const auto& l : layers) {
    os << fmt::format("{:<32} {:<16} {:>5} {:>8.3f} ±{:<5.3f} {:>8.3f} ±{:<5.3f}{}\n", l.name, l.layer_type, l.runs, l.energy_j.mean * 1e3,
                      l.energy_j.sd * 1e3, l.duration_s.mean * 1e3, l.duration_s.sd * 1e3, l.flagged ? "  *" : "");
    flagged += l.flagged;
  }
  os << "\nper layer type (sum of per-layer means):\n";
  for (const auto& [t, e] : types) os << fmt::format("  {:<20} {:>10.3f} mJ\n", t.empty() ? "(none)" : t, e * 1e3);
  if (flagged) os << "* runs shorter than the sensor's update period or without a sample inside: not a measurement, read with care\n";
}

}  // namespace synergy::cli
