#pragma once
// Rebuilding the networks of a dataset (fit, report): every dataset network must be a zoo
// network, whose layer descriptors the models need; rows must match their layers.
#include <set>
#include <synergy/study/dataset.hpp>

#include "common.hpp"

namespace synergy::cli {

inline std::vector<network> dataset_networks(const run::profile_result& r) {
  std::set<std::string> names;
  for (const auto& l : r.layers) names.insert(l.network);
  std::vector<network> nets;
  for (const auto& n : names) {
    try {
      nets.push_back(zoo::by_name(n));
    } catch (const std::invalid_argument&) {
      throw user_error("dataset network '" + n +
                       "' is not a zoo network: fitting needs its layer descriptors");
    }
  }
  for (const auto& l : r.layers) {
    const auto& net = *std::find_if(nets.begin(), nets.end(),
                                    [&](const network& x) { return x.name() == l.network; });
    if (l.node >= net.size() || net.name(l.node) != l.layer)
      throw user_error("dataset row " + l.network + "/" + l.layer + " (node " +
                       std::to_string(l.node) +
                       ") does not match the zoo network: profiled with another version?");
  }
  return nets;
}

/// Whether the dataset has rows and every row has an energy value.
inline bool has_energy(const run::profile_result& r) {
  for (const auto& l : r.layers)
    if (!l.energy_j) return false;
  return !r.layers.empty();
}

}  // namespace synergy::cli
