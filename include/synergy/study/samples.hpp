#pragma once
/// @file
/// From profiling records to what models are fitted and judged on: layer samples of one
/// backend, and the noise ceiling of the measurements (how well one half of the rounds
/// predicts the other — no model can beat it).

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/model/fit.hpp"
#include "synergy/model/metrics.hpp"
#include "synergy/run/profile.hpp"
#include "synergy/stats.hpp"
#include "synergy/units.hpp"

namespace synergy::study {

/// The noise ceiling of `be`: relative accuracy (Eq 8, mean ± sd over networks) of the median
/// network total over even rounds as a prediction of the median over odd rounds. Throws
/// std::invalid_argument when no network was profiled with `be` or one has fewer than 2 rounds.
[[nodiscard]] inline mean_sd noise_ceiling(const run::profile_result& r, run::backend be) {
  std::vector<double> a, b;
  for (const auto& n : r.networks) {
    if (n.be != be) continue;
    if (n.totals_s.size() < 2)
      throw std::invalid_argument("noise_ceiling: network '" + n.network + "' has " +
                                  std::to_string(n.totals_s.size()) + " rounds (needs 2)");
    std::vector<double> even, odd;
    for (std::size_t k = 0; k < n.totals_s.size(); ++k)
      (k % 2 ? odd : even).push_back(n.totals_s[k]);
    a.push_back(median(even));
    b.push_back(median(odd));
  }
  if (a.empty())
    throw std::invalid_argument(std::string("noise_ceiling: no networks profiled with ") +
                                run::to_string(be));
  return model::relative_accuracy(a, b);
}

namespace detail {
/// Where a record's measured Response is kept: the median time (s) or the median energy (J).
template <class Response>
struct record_value;
template <>
struct record_value<duration> {
  /// The layer's median time; always present.
  static std::optional<duration> of(const run::layer_record& l) {
    return duration::from_value(l.median_s);
  }
};
template <>
struct record_value<energy> {
  /// The layer's median energy; none when it was profiled without a power source.
  static std::optional<energy> of(const run::layer_record& l) {
    if (!l.energy_j) return std::nullopt;
    return energy::from_value(*l.energy_j);
  }
};
}  // namespace detail

/// Layer samples of one backend for model fitting, whose value is the Response of each layer:
/// `samples_of<duration>` the median time per layer, `samples_of<energy>` the median energy.
/// `nets` must be the profiled networks (the samples carry their layer descriptors). Throws
/// std::invalid_argument naming the network or layer when a record's network is not in `nets`
/// or (energy) a layer has no energy.
template <model::response_quantity Response>
[[nodiscard]] std::vector<model::layer_sample<Response>> samples_of(
    const run::profile_result& r, const std::vector<network>& nets, run::backend be) {
  std::map<std::string, const network*> by_name;
  for (const auto& n : nets) by_name[std::string(n.name())] = &n;
  std::vector<model::layer_sample<Response>> out;
  for (const auto& l : r.layers) {
    if (l.be != be) continue;
    const auto it = by_name.find(l.network);
    if (it == by_name.end())
      throw std::invalid_argument("samples_of: network '" + l.network + "' not given");
    const std::optional<Response> v = detail::record_value<Response>::of(l);
    if (!v)
      throw std::invalid_argument("samples_of: layer '" + l.layer + "' of '" + l.network +
                                  "' has no energy");
    out.push_back({l.network, l.layer, it->second->at(l.node), l.cost, *v});
  }
  return out;
}

}  // namespace synergy::study
