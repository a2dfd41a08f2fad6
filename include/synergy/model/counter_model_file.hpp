#pragma once
/// @file
/// SyNERGY's counter model (PDPTA'18) as a saved model: the choice of the two counters, the
/// leave-network-out errors of every part of the chain, the model file written by
/// `synergy fit --features counters`, and a network's prediction through the chain (MACs and
/// data volume → predicted counters → time or energy). The fitting itself is
/// counter_model.hpp's; docs/counters.md describes the file.

#include <algorithm>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "synergy/model/counter_model.hpp"
#include "synergy/network.hpp"
#include "synergy/stats.hpp"

namespace synergy::model {

/// The two counters the chain uses, as case value names: the paper's SIMD count and bus
/// accesses, or their stand-ins.
struct counter_pair {
  std::string simd;  ///< "simd_ops", else "instructions"
  std::string bus;   ///< "bus_accesses", else "llc_misses"
};

/// The paper's two counters or their stand-ins, as columns every case of `cases` has:
/// SIMD ← simd_ops, else instructions; bus ← bus_accesses, else llc_misses (callgrind counts
/// neither SIMD nor bus accesses: docs/counters.md). Nullopt, with the reason in `why`, when
/// there are no cases or no such pair. O(cases).
[[nodiscard]] inline std::optional<counter_pair> choose_counter_pair(
    const std::vector<counter_case>& cases, std::string& why) {
  if (cases.empty()) {
    why = "no row has counter columns (profile with --counters callgrind or perf)";
    return std::nullopt;
  }
  const auto has = [&](const char* name) {
    return std::all_of(cases.begin(), cases.end(),
                       [&](const counter_case& c) { return c.values.count(name) > 0; });
  };
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

/// Leave-network-out relative errors (%) of the parts of the counter model over whole
/// networks; each is empty when it could not be fit.
struct counter_errors {
  std::optional<mean_sd> direct;          ///< target ≈ x₁·bus + x₂·simd + c
  std::optional<mean_sd> simd_sub;        ///< simd ≈ a·MAC
  std::optional<mean_sd> bus_sub;         ///< bus ≈ b·MAC
  std::optional<mean_sd> bus_volume_sub;  ///< bus ≈ b·MAC + c·data volume
  std::optional<mean_sd> chained;         ///< target from MACs (and data volume) through both
  std::string why_not;                    ///< the first reason a part could not be fit
};

/// The errors of `target` ("time_s" or "energy_J") from the per-layer cases `layers` (summed
/// per network here) with the counters `p`. The chain uses the bus sub-model with data volume,
/// sub-models without intercepts and a top model with one (docs/counters.md). Never throws for
/// a part that cannot be fit: its error stays empty and `why_not` says why.
[[nodiscard]] inline counter_errors counter_model_errors(const std::vector<counter_case>& layers,
                                                         const counter_pair& p,
                                                         const std::string& target) {
  counter_errors e;
  const auto nets = aggregate(layers, counter_aggregation::network);
  const auto attempt = [&](std::optional<mean_sd>& out, auto&& f) {
    try {
      out = f();
    } catch (const std::exception& ex) {
      if (e.why_not.empty()) e.why_not = ex.what();
    }
  };
  attempt(e.direct, [&] { return leave_network_out_error(nets, target, {p.bus, p.simd}, true); });
  attempt(e.simd_sub, [&] { return leave_network_out_error(nets, p.simd, {"macs"}, false); });
  attempt(e.bus_sub, [&] { return leave_network_out_error(nets, p.bus, {"macs"}, false); });
  attempt(e.bus_volume_sub, [&] {
    return leave_network_out_error(nets, p.bus, {"macs", "data_volume"}, false);
  });
  attempt(e.chained, [&] {
    return chained_leave_network_out_error(nets, target, p.bus, p.simd, true, false, true);
  });
  return e;
}

/// The `kind` field that marks a model file as a counter model.
inline constexpr const char* counter_model_kind = "synergy counter model";

/// Whether the model JSON `j` is a counter model file.
[[nodiscard]] inline bool is_counter_model(const nlohmann::json& j) {
  return j.is_object() && j.contains("kind") && j["kind"] == counter_model_kind;
}

/// The counter model of `target` ("time_s" or "energy_J"; `quantity` "latency" or "energy")
/// as a model file: {"kind", "response": {"quantity", "unit"}, "counters": {"simd", "bus"},
/// "network": the chain over whole networks, "layer_types": {type: chain over that type's
/// per-network sums}, "not_modelled": {type: why}, "leave_network_out": `errors`}. A layer type
/// without MACs, or whose chain cannot be fit, goes to "not_modelled". Throws
/// std::invalid_argument when the chain over whole networks cannot be fit (too few networks,
/// a missing value, collinear counters). O(layers + types · networks).
[[nodiscard]] inline nlohmann::json counter_model_json(const std::vector<counter_case>& layers,
                                                       const counter_pair& p,
                                                       const std::string& target,
                                                       const std::string& quantity,
                                                       const counter_errors& errors) {
  const auto nets = aggregate(layers, counter_aggregation::network);
  counter_chain whole;
  try {
    whole = fit_counter_chain(nets, target, p.bus, p.simd, true, false, true);
  } catch (const std::exception& e) {
    throw std::invalid_argument("the counter chain over whole networks cannot be fit: " +
                                std::string(e.what()));
  }
  nlohmann::json j{
      {"kind", counter_model_kind},
      {"response", {{"quantity", quantity}, {"unit", target == "energy_J" ? "J" : "s"}}},
      {"counters", {{"simd", p.simd}, {"bus", p.bus}}},
      {"network", to_json(whole)},
      {"layer_types", nlohmann::json::object()},
      {"not_modelled", nlohmann::json::object()}};
  const auto err_json = [](const std::optional<mean_sd>& m) {
    return m ? nlohmann::json{{"mean", m->mean}, {"sd", m->sd}} : nlohmann::json();
  };
  j["leave_network_out"] = {{"target_from_counters", err_json(errors.direct)},
                            {"simd_from_macs", err_json(errors.simd_sub)},
                            {"bus_from_macs", err_json(errors.bus_sub)},
                            {"bus_from_macs_and_volume", err_json(errors.bus_volume_sub)},
                            {"chained", err_json(errors.chained)}};
  // Per layer type: MAC_sum cases (one per network that has the type).
  for (const auto& [t, cases] : cases_by_layer_type(layers)) {
    if (std::all_of(cases.begin(), cases.end(),
                    [](const counter_case& c) { return c.macs == 0; })) {
      j["not_modelled"][t] = "no MACs: the chain starts from MACs";
      continue;
    }
    try {
      j["layer_types"][t] =
          to_json(fit_counter_chain(cases, target, p.bus, p.simd, true, false, true));
    } catch (const std::exception& e) {
      j["not_modelled"][t] = e.what();
    }
  }
  return j;
}

/// A network's prediction by a counter model file.
struct counter_prediction {
  std::string quantity;    ///< "latency" or "energy"
  std::string key;         ///< "time_s" or "energy_J"
  double macs = 0;         ///< the network's MACs (Eqs 1, 3)
  double data_volume = 0;  ///< its data volume (elements, Eq 2)
  std::string simd, bus;   ///< the counters' names
  double simd_count = 0;   ///< the SIMD counter predicted from MACs
  double bus_count = 0;    ///< the bus counter predicted from MACs and data volume
  double total = 0;        ///< the target (s or J) through the chain over whole networks
  std::map<std::string, double> by_layer_type;  ///< per layer type that has its own chain
};

/// Predicts `net` with the counter model file `j` (`counter_model_json`'s form): its MACs
/// and data volume (all layers but the input) through the chain over whole networks, and each
/// layer type with MACs that has its own chain through that chain. Throws
/// std::invalid_argument naming the missing or bad field. O(layers).
[[nodiscard]] inline counter_prediction predict_with_counter_model(const nlohmann::json& j,
                                                                   const network& net) {
  if (!j.is_object() || !j.contains("network"))
    throw std::invalid_argument("counter model: no 'network' chain");
  if (!j.contains("response") || !j.at("response").is_object() ||
      !j.at("response").contains("quantity") || !j.at("response").at("quantity").is_string())
    throw std::invalid_argument("counter model: no 'response.quantity'");
  const auto whole = counter_chain_from_json(j.at("network"), "network");
  counter_prediction p;
  p.quantity = j.at("response").at("quantity").get<std::string>();
  p.key = p.quantity == "energy" ? "energy_J" : "time_s";
  std::map<std::string, std::pair<double, double>> per_type;  // type → (MACs, data volume)
  for (node_id id = 1; id < net.size(); ++id) {
    const auto c = net.cost(id);
    p.macs += static_cast<double>(c.macs);
    p.data_volume += static_cast<double>(c.data_volume);
    auto& t = per_type[std::string(to_string(type_of(net.at(id))))];
    t.first += static_cast<double>(c.macs);
    t.second += static_cast<double>(c.data_volume);
  }
  std::tie(p.bus_count, p.simd_count) = whole.counters(p.macs, p.data_volume);
  p.total = whole.predict(p.macs, p.data_volume);
  p.simd = whole.simd_from_macs.target;
  p.bus = whole.bus_from_macs.target;
  if (j.contains("layer_types") && j.at("layer_types").is_object()) {
    const auto& types = j.at("layer_types");
    for (const auto& [t, mv] : per_type)
      if (types.contains(t) && mv.first > 0)
        p.by_layer_type[t] =
            counter_chain_from_json(types.at(t), "layer_types." + t).predict(mv.first, mv.second);
  }
  return p;
}

}  // namespace synergy::model
