#pragma once
// Printing per-layer and per-op-type energy (shared by `attribute` and `record`). The op type
// is the free text the program marked its regions with (`region::op_type`), not
// synergy::layer_type, so the columns and keys say op_type.
#include <fmt/core.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <synergy/measure/attribution.hpp>

namespace synergy::cli {

// `integration` (measure::describe of the method used; "" = not said) is printed as the first
// line of text output and as the "integration" key of JSON; CSV rows stay as they are (the
// caller says it on stderr).
inline void print_attribution(const std::vector<measure::region_energy>& es,
                              const std::string& format, std::ostream& os,
                              std::string_view integration = {}) {
  const auto layers = measure::summarise_runs(es);
  const auto types = measure::energy_by_op_type(layers);
  if (format == "json") {
    nlohmann::json j;
    if (!integration.empty()) j["integration"] = std::string(integration);
    for (const auto& l : layers)
      j["layers"].push_back({{"name", l.name},
                             {"op_type", l.op_type},
                             {"runs", l.runs},
                             {"energy_J_mean", l.energy_j.mean},
                             {"energy_J_sd", l.energy_j.sd},
                             {"duration_s_mean", l.duration_s.mean},
                             {"duration_s_sd", l.duration_s.sd},
                             {"flagged_runs", l.flagged}});
    for (const auto& [t, e] : types) j["op_types"][t.empty() ? "(none)" : t] = e;
    os << j.dump(2) << '\n';
    return;
  }
  if (format == "csv") {
    os << "name,op_type,runs,energy_J_mean,energy_J_sd,duration_s_mean,duration_s_sd,flagged_"
          "runs\n";
    for (const auto& l : layers)
      os << fmt::format("{},{},{},{:.9g},{:.9g},{:.9g},{:.9g},{}\n", l.name, l.op_type, l.runs,
                        l.energy_j.mean, l.energy_j.sd, l.duration_s.mean, l.duration_s.sd,
                        l.flagged);
    return;
  }
  if (!integration.empty()) os << "integration: " << integration << "\n\n";
  os << fmt::format("{:<32} {:<16} {:>5} {:>14} {:>14} {}\n", "region", "op type", "runs",
                    "energy mJ", "time ms", "");
  std::size_t flagged = 0;
  for (const auto& l : layers) {
    os << fmt::format("{:<32} {:<16} {:>5} {:>8.3f} ±{:<5.3f} {:>8.3f} ±{:<5.3f}{}\n", l.name,
                      l.op_type, l.runs, l.energy_j.mean * 1e3, l.energy_j.sd * 1e3,
                      l.duration_s.mean * 1e3, l.duration_s.sd * 1e3, l.flagged ? "  *" : "");
    flagged += l.flagged;
  }
  os << "\nper op type (sum of per-layer means):\n";
  for (const auto& [t, e] : types)
    os << fmt::format("  {:<20} {:>10.3f} mJ\n", t.empty() ? "(none)" : t, e * 1e3);
  if (flagged)
    os << "* runs shorter than the sensor's update period or without a sample inside: not a "
          "measurement, read with care\n";
}

/// Regions shorter than this are flagged: the trace's sampling period (all a trace file tells),
/// or a longer update period the source declares (a 1 s NVML average read at 1 kHz).
inline duration shortest_measurable(const measure::trace& tr,
                                    duration declared = duration::from_value(0.0)) {
  return duration::from_value(std::max(tr.period_s, declared.value()));
}

/// Attributes `tr` to `regions` with `o` and prints the result in `format`, saying which
/// integration the numbers come from: counter traces (RAPL, perf stat -I, CSV energy columns)
/// are integrated exactly whatever `o.rule` says (first line of text, "integration" key of
/// JSON; on standard error for CSV, whose rows have no place for it). Shared by `attribute`
/// and `record` so both flag and integrate alike.
inline void attribute_and_print(const measure::trace& tr,
                                const std::vector<measure::region>& regions,
                                const measure::attribution_options& o, const std::string& format,
                                std::ostream& os) {
  const std::string_view integration = measure::describe(measure::integration_for(tr.kind, o.rule));
  if (format == "csv") std::cerr << "note: integration: " << integration << '\n';
  print_attribution(measure::attribute(tr, regions, o), format, os, integration);
}

}  // namespace synergy::cli
