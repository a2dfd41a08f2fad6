#pragma once
// The `synergy` program's side of SyNERGY's counter model (PDPTA'18): `fit --features
// counters` prints and saves the model that study::fit_counter_model fits, `predict` prints a
// network's prediction by such a model. The modelling is in model/counter_model_file.hpp and
// study/counter_study.hpp; docs/counters.md.
#include <fmt/core.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <synergy/model/counter_model_file.hpp>
#include <synergy/study/counter_study.hpp>
#include <synergy/study/dataset.hpp>

#include "common.hpp"

namespace synergy::cli {

using model::is_counter_model;

/// `synergy fit --features counters`: fits the chain per layer type (types with MACs) and over
/// whole networks on `platform`'s rows of the resolved `d`, prints the leave-network-out
/// errors beside the paper's (as JSON with `json`), and writes the model file to `out`.
/// Throws user_error when the rows carry no counters or the chain cannot be fit.
inline void fit_counter_features(const study::dataset& d, const std::string& platform,
                                 const std::string& quantity, const std::string& dataset_path,
                                 const std::string& out, bool json) {
  study::fitted_counter_model m;
  try {
    m = study::fit_counter_model(d, platform, quantity, dataset_path);
  } catch (const std::invalid_argument& e) {
    throw user_error("--features counters: " + std::string(e.what()));
  }
  {
    std::ofstream f(out);
    if (!f) throw user_error(out + ": cannot write");
    f << m.file.dump(2) << '\n';
  }
  if (json) {
    std::cout << m.file.dump(2) << '\n';
  } else {
    const std::string target = quantity == "energy" ? "energy_J" : "time_s";
    std::cout << fmt::format(
        "counter model of {} on {} ({} layers of {} networks with counters; SIMD: {}, bus: {})\n\n",
        target, platform, m.layers, m.networks, m.counters.simd, m.counters.bus);
    study::write_counter_comparison(std::cout, m.errors, m.counters, target, m.networks);
    const auto whole = model::counter_chain_from_json(m.file.at("network"), "network");
    std::cout << fmt::format(
        "\nwhole networks: {} ≈ {:.4g}·MAC; {} ≈ {:.4g}·MAC + {:.4g}·data volume\n",
        m.counters.simd, whole.simd_from_macs.coefficients[0], m.counters.bus,
        whole.bus_from_macs.coefficients[0], whole.bus_from_macs.coefficients[1]);
    for (const auto& [t, w] : m.file.at("not_modelled").items())
      std::cout << "layer type " << t << " not modelled: " << w.get<std::string>() << '\n';
  }
  std::cerr << "counter model written to " << out << '\n';
}

/// `synergy predict` with a counter model: prints `net`'s (called `name`) prediction through
/// the chain, as JSON with `json`. Throws std::invalid_argument naming a bad field.
inline void predict_counter_model(const nlohmann::json& j, const network& net,
                                  const std::string& name, bool json) {
  const auto p = model::predict_with_counter_model(j, net);
  if (json) {
    nlohmann::json by_type = nlohmann::json::object();
    for (const auto& [t, v] : p.by_layer_type) by_type[t] = {{p.key, v}};
    std::cout << nlohmann::json{{"network", name},
                                {"quantity", p.quantity},
                                {"model", "counter chain: MACs → counters → " + p.quantity},
                                {"macs", p.macs},
                                {"data_volume", p.data_volume},
                                {"predicted_counters",
                                 {{p.simd, p.simd_count}, {p.bus, p.bus_count}}},
                                {"total", {{p.key, p.total}}},
                                {"by_layer_type", by_type}}
                     .dump(2)
              << '\n';
    return;
  }
  std::cout << fmt::format(
      "counter model (SyNERGY PDPTA'18 chain): {} from MACs through the predicted counters\n"
      "{:<18} {:>16.6g}\n{:<18} {:>16.6g}\n{:<18} {:>16.6g}  (predicted from MACs)\n"
      "{:<18} {:>16.6g}  (predicted from MACs and data volume)\n{:<18} {:>16.6f}\n",
      p.key, "MACs", p.macs, "data volume", p.data_volume, p.simd, p.simd_count, p.bus, p.bus_count,
      "total " + p.key, p.total);
  for (const auto& [t, v] : p.by_layer_type)
    std::cout << fmt::format("  {:<16} {:>16.6f}  (its layer type's own chain)\n", t, v);
}

}  // namespace synergy::cli
