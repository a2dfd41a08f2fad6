#pragma once
/// @file
/// A network's per-layer table, per-layer-type sums and totals as JSON (nlohmann::json).

#include <nlohmann/json.hpp>
#include <string>

#include "synergy/report/layer_table.hpp"

namespace synergy {

/// JSON object of one cost record: {"macs", "ops", "weights", "biases", "params", "data_volume"}.
[[nodiscard]] inline nlohmann::json to_json(const layer_cost& c) {
  return {{"macs", c.macs},     {"ops", c.ops},         {"weights", c.weights},
          {"biases", c.biases}, {"params", c.params()}, {"data_volume", c.data_volume}};
}

/// JSON array [x, y, z] of a shape.
[[nodiscard]] inline nlohmann::json to_json(const shape3& s) { return {s.x, s.y, s.z}; }

/// The whole report of `net`:
/// {"network", "input": [x,y,z], "layers": [{"name", "type", "inputs": [[x,y,z]...],
///  "output": [x,y,z], cost fields...}], "by_layer_type": {"<type>": {"layers", cost...}},
///  "totals": {cost...}}. Counts per image; data volume in elements.
[[nodiscard]] inline nlohmann::json to_json(const network& net) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& r : layer_table(net)) {
    nlohmann::json row = to_json(r.cost);
    row["name"] = r.name;
    row["type"] = std::string(to_string(r.type));
    row["inputs"] = nlohmann::json::array();
    for (const auto& s : r.inputs) row["inputs"].push_back(to_json(s));
    row["output"] = to_json(r.output);
    layers.push_back(std::move(row));
  }
  nlohmann::json by_type = nlohmann::json::object();
  const auto sums = net.by_layer_type();
  for (std::size_t t = 1; t < layer_type_count; ++t) {
    if (sums.sums[t].layers == 0) continue;
    nlohmann::json s = to_json(sums.sums[t].cost);
    s["layers"] = sums.sums[t].layers;
    by_type[std::string(to_string(static_cast<layer_type>(t)))] = std::move(s);
  }
  return {{"network", std::string(net.name())},
          {"input", to_json(net.output(0))},
          {"layers", std::move(layers)},
          {"by_layer_type", std::move(by_type)},
          {"totals", to_json(net.totals())}};
}

}  // namespace synergy
