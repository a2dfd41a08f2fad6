#pragma once
// SyNERGY's counter model (PDPTA'18) on a dataset whose rows carry counters (`synergy profile
// --counters`): `synergy fit --features counters` fits and saves it, `synergy report` shows
// its leave-network-out errors beside the paper's, `synergy predict` predicts a new network
// from its MACs (and data volume) through the chain. docs/counters.md.
#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <synergy/model/counter_model.hpp>
#include <synergy/study/dataset.hpp>
#include <utility>
#include <vector>

#include "common.hpp"

namespace synergy::cli {

/// The per-layer cases of `platform`'s rows of the resolved dataset `d` that carry counters:
/// MACs and data volume from the source, the row's counters, `time_s` and (when measured)
/// `energy_J` as values. Rows without any counter are left out (another platform's, or a
/// network profiled without --counters).
inline std::vector<model::counter_case> counter_layer_cases(const study::dataset& d,
                                                            const std::string& platform) {
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

/// The paper's two counters or their stand-ins, as columns every case has: SIMD ← simd_ops,
/// else instructions; bus ← bus_accesses, else llc_misses (callgrind measures neither SIMD
/// nor bus accesses: docs/counters.md). Nullopt, with `why`, when a pair is not there.
struct counter_pair {
  std::string simd, bus;
};
inline std::optional<counter_pair> choose_counter_pair(const std::vector<model::counter_case>& c,
                                                       std::string& why) {
  const auto has = [&](const char* name) {
    return !c.empty() &&
           std::all_of(c.begin(), c.end(), [&](const auto& x) { return x.values.count(name) > 0; });
  };
  if (c.empty()) {
    why = "no row has counter columns (profile with --counters callgrind or perf)";
    return std::nullopt;
  }
  const char* simd = has("simd_ops") ? "simd_ops" : has("instructions") ? "instructions" : nullptr;
  const char* bus = has("bus_accesses") ? "bus_accesses"
                    : has("llc_misses") ? "llc_misses"
                                        : nullptr;
  if (!simd || !bus) {
    why = std::string("the rows lack ") + (simd ? "" : "simd_ops and instructions") +
          (!simd && !bus ? "; " : "") + (bus ? "" : "bus_accesses and llc_misses");
    return std::nullopt;
  }
  return counter_pair{simd, bus};
}

/// Leave-network-out errors of the counter model over whole networks, each with why it could
/// not be had.
struct counter_errors {
  std::optional<mean_sd> direct, simd_sub, bus_sub, bus_volume_sub, chained;
  std::string why_not;  ///< when any is missing: the first reason
};

/// The errors of `target` (time_s or energy_J) on the per-layer `layers` with counters `p`:
/// target ≈ x₁·bus + x₂·simd + c; simd ≈ a·MAC; bus ≈ b·MAC; bus ≈ b·MAC + c·volume; and the
/// chain (bus with volume, sub-models without intercepts, top with one). Never throws for a
/// failing fit: the error stays empty and `why_not` says why.
inline counter_errors counter_model_errors(const std::vector<model::counter_case>& layers,
                                           const counter_pair& p, const std::string& target) {
  counter_errors e;
  const auto nets = model::aggregate(layers, model::counter_aggregation::network);
  const auto attempt = [&](std::optional<mean_sd>& out, auto&& f) {
    try {
      out = f();
    } catch (const std::exception& ex) {
      if (e.why_not.empty()) e.why_not = ex.what();
    }
  };
  attempt(e.direct, [&] {
    return model::leave_network_out_error(nets, target, {p.bus, p.simd}, true);
  });
  attempt(e.simd_sub,
          [&] { return model::leave_network_out_error(nets, p.simd, {"macs"}, false); });
  attempt(e.bus_sub, [&] { return model::leave_network_out_error(nets, p.bus, {"macs"}, false); });
  attempt(e.bus_volume_sub, [&] {
    return model::leave_network_out_error(nets, p.bus, {"macs", "data_volume"}, false);
  });
  attempt(e.chained, [&] {
    return model::chained_leave_network_out_error(nets, target, p.bus, p.simd, true, false, true);
  });
  return e;
}

/// Writes the errors beside the paper's figures as a Markdown table.
inline void write_counter_comparison(std::ostream& os, const counter_errors& e,
                                     const counter_pair& p, const std::string& target,
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

/// `synergy report`'s counter-model section: per platform of `d` (resolved), the
/// leave-network-out errors of time (and energy, when measured) beside the paper's, or a line
/// saying why there are none (no counter columns: profiled without --counters).
inline void write_counter_report(std::ostream& os, const study::dataset& d) {
  for (const auto& platform : d.platforms()) {
    const auto layers = counter_layer_cases(d, platform);
    std::string why;
    const auto p = choose_counter_pair(layers, why);
    if (!p) {
      os << "Platform " << platform << ": no counter model: " << why << ".\n\n";
      continue;
    }
    const std::size_t n = model::aggregate(layers, model::counter_aggregation::network).size();
    for (const char* target : {"time_s", "energy_J"}) {
      if (std::string(target) == "energy_J" &&
          !std::all_of(layers.begin(), layers.end(),
                       [](const auto& c) { return c.values.count("energy_J") > 0; }))
        continue;
      os << "Platform " << platform << ", " << target << " (SIMD: " << p->simd
         << ", bus: " << p->bus << "):\n\n";
      write_counter_comparison(os, counter_model_errors(layers, *p, target), *p, target, n);
      os << '\n';
    }
  }
}

/// The counter model's JSON key saying what a model file is.
inline constexpr const char* counter_model_kind = "synergy counter model";

/// `synergy fit --features counters`: fits the chain per layer type (types with MACs) and over
/// whole networks on `platform`'s rows of the resolved `d`, prints the leave-network-out
/// errors beside the paper's (as JSON with `json`), and writes the model to `out`:
/// {"kind", "response": {"quantity", "unit"}, "counters": {"simd", "bus"}, "network": chain,
/// "layer_types": {type: chain}, "not_modelled": {type: why}, "leave_network_out": {...},
/// "fitted_on"}. Throws user_error when the rows carry no counters or the chain cannot be fit.
inline void fit_counter_features(const study::dataset& d, const std::string& platform,
                                 const std::string& quantity, const std::string& dataset_path,
                                 const std::string& out, bool json) {
  const std::string target = quantity == "energy" ? "energy_J" : "time_s";
  const auto layers = counter_layer_cases(d, platform);
  std::string why;
  const auto p = choose_counter_pair(layers, why);
  if (!p) throw user_error("--features counters: " + dataset_path + " on " + platform + ": " + why);
  const auto nets = model::aggregate(layers, model::counter_aggregation::network);
  const auto errors = counter_model_errors(layers, *p, target);
  model::counter_chain whole;
  try {
    whole = model::fit_counter_chain(nets, target, p->bus, p->simd, true, false, true);
  } catch (const std::exception& e) {
    throw user_error("--features counters: the chain over whole networks cannot be fit: " +
                     std::string(e.what()));
  }
  nlohmann::json j{
      {"kind", counter_model_kind},
      {"response", {{"quantity", quantity}, {"unit", quantity == "energy" ? "J" : "s"}}},
      {"counters", {{"simd", p->simd}, {"bus", p->bus}}},
      {"network", model::to_json(whole)},
      {"layer_types", nlohmann::json::object()},
      {"not_modelled", nlohmann::json::object()},
      {"fitted_on",
       {{"dataset", dataset_path}, {"platform", platform}, {"networks", nets.size()}}}};
  const auto err_json = [](const std::optional<mean_sd>& m) {
    return m ? nlohmann::json{{"mean", m->mean}, {"sd", m->sd}} : nlohmann::json();
  };
  j["leave_network_out"] = {{"target_from_counters", err_json(errors.direct)},
                            {"simd_from_macs", err_json(errors.simd_sub)},
                            {"bus_from_macs", err_json(errors.bus_sub)},
                            {"bus_from_macs_and_volume", err_json(errors.bus_volume_sub)},
                            {"chained", err_json(errors.chained)}};
  // Per layer type: MAC_sum cases (one per network that has the type).
  const auto by_type = model::aggregate(layers, model::counter_aggregation::layer_type);
  std::vector<std::string> types;
  for (const auto& c : by_type)
    if (std::find(types.begin(), types.end(), c.layer_type) == types.end())
      types.push_back(c.layer_type);
  for (const auto& t : types) {
    std::vector<model::counter_case> cases;
    std::copy_if(by_type.begin(), by_type.end(), std::back_inserter(cases),
                 [&](const auto& c) { return c.layer_type == t; });
    if (std::all_of(cases.begin(), cases.end(), [](const auto& c) { return c.macs == 0; })) {
      j["not_modelled"][t] = "no MACs: the chain starts from MACs";
      continue;
    }
    try {
      j["layer_types"][t] = model::to_json(
          model::fit_counter_chain(cases, target, p->bus, p->simd, true, false, true));
    } catch (const std::exception& e) {
      j["not_modelled"][t] = e.what();
    }
  }
  {
    std::ofstream f(out);
    if (!f) throw user_error(out + ": cannot write");
    f << j.dump(2) << '\n';
  }
  if (json) {
    std::cout << j.dump(2) << '\n';
  } else {
    std::cout << fmt::format(
        "counter model of {} on {} ({} layers of {} networks with counters; SIMD: {}, bus: {})\n\n",
        target, platform, layers.size(), nets.size(), p->simd, p->bus);
    write_counter_comparison(std::cout, errors, *p, target, nets.size());
    std::cout << fmt::format(
        "\nwhole networks: {} ≈ {:.4g}·MAC; {} ≈ {:.4g}·MAC + {:.4g}·data volume\n", p->simd,
        whole.simd_from_macs.coefficients[0], p->bus, whole.bus_from_macs.coefficients[0],
        whole.bus_from_macs.coefficients[1]);
    for (const auto& [t, w] : j["not_modelled"].items())
      std::cout << "layer type " << t << " not modelled: " << w.get<std::string>() << '\n';
  }
  std::cerr << "counter model written to " << out << '\n';
}

/// Whether the model JSON `j` is a counter model (`fit --features counters`).
inline bool is_counter_model(const nlohmann::json& j) {
  return j.is_object() && j.contains("kind") && j["kind"] == counter_model_kind;
}

/// `synergy predict` with a counter model: the network's target from its MACs and data volume
/// through the chain over whole networks (and per layer type where the model has that type's
/// chain), saying so; as JSON with `json`. Throws std::invalid_argument naming a bad field.
inline void predict_counter_model(const nlohmann::json& j, const network& net,
                                  const std::string& name, bool json) {
  if (!j.contains("network")) throw std::invalid_argument("counter model: no 'network' chain");
  const auto whole = model::counter_chain_from_json(j.at("network"), "network");
  const std::string quantity = j.at("response").at("quantity").get<std::string>();
  const std::string key = quantity == "energy" ? "energy_J" : "time_s";
  double macs = 0, volume = 0;
  std::map<std::string, std::pair<double, double>> per_type;  // type → (MACs, data volume)
  for (node_id id = 1; id < net.size(); ++id) {
    const auto c = net.cost(id);
    macs += static_cast<double>(c.macs);
    volume += static_cast<double>(c.data_volume);
    auto& t = per_type[std::string(to_string(type_of(net.at(id))))];
    t.first += static_cast<double>(c.macs);
    t.second += static_cast<double>(c.data_volume);
  }
  const auto [bus, simd] = whole.counters(macs, volume);
  const double total = whole.predict(macs, volume);
  nlohmann::json by_type = nlohmann::json::object();
  const auto& types = j.contains("layer_types") ? j.at("layer_types") : nlohmann::json::object();
  for (const auto& [t, mv] : per_type)
    if (types.contains(t) && mv.first > 0)
      by_type[t] = {{key, model::counter_chain_from_json(types.at(t), "layer_types." + t)
                              .predict(mv.first, mv.second)}};
  const std::string& simd_name = whole.simd_from_macs.target;
  const std::string& bus_name = whole.bus_from_macs.target;
  if (json) {
    std::cout << nlohmann::json{{"network", name},
                                {"quantity", quantity},
                                {"model", "counter chain: MACs → counters → " + quantity},
                                {"macs", macs},
                                {"data_volume", volume},
                                {"predicted_counters", {{simd_name, simd}, {bus_name, bus}}},
                                {"total", {{key, total}}},
                                {"by_layer_type", by_type}}
                     .dump(2)
              << '\n';
    return;
  }
  std::cout << fmt::format(
      "counter model (SyNERGY PDPTA'18 chain): {} from MACs through the predicted counters\n"
      "{:<18} {:>16.6g}\n{:<18} {:>16.6g}\n{:<18} {:>16.6g}  (predicted from MACs)\n"
      "{:<18} {:>16.6g}  (predicted from MACs and data volume)\n{:<18} {:>16.6f}\n",
      key, "MACs", macs, "data volume", volume, simd_name, simd, bus_name, bus, "total " + key,
      total);
  for (const auto& [t, v] : by_type.items())
    std::cout << fmt::format("  {:<16} {:>16.6f}  (its layer type's own chain)\n", t,
                             v.at(key).get<double>());
}

}  // namespace synergy::cli
