#pragma once
/// @file
/// From datasets and profiling records to what models are fitted and judged on: layer samples
/// of one platform, and the noise ceiling of the measurements (how well one half of the rounds
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
#include "synergy/study/dataset.hpp"
#include "synergy/units.hpp"

namespace synergy::study {

/// The noise ceiling of `platform`: relative accuracy (Eq 8, mean ± sd over networks) of the
/// median network total over even rounds as a prediction of the median over odd rounds.
/// Throws std::invalid_argument when no network of `totals` is on `platform` or one has fewer
/// than 2 rounds.
[[nodiscard]] inline mean_sd noise_ceiling(const std::vector<network_totals>& totals,
                                           const std::string& platform) {
  std::vector<double> a, b;
  for (const auto& n : totals) {
    if (n.platform != platform) continue;
    if (n.totals_s.size() < 2)
      throw std::invalid_argument("noise_ceiling: network '" + n.network + "' has " +
                                  std::to_string(n.totals_s.size()) + " rounds (needs 2)");
    std::vector<double> even, odd;
    for (std::size_t k = 0; k < n.totals_s.size(); ++k)
      (k % 2 ? odd : even).push_back(n.totals_s[k]);
    a.push_back(median(even));
    b.push_back(median(odd));
  }
  if (a.empty()) throw std::invalid_argument("noise_ceiling: no networks profiled on " + platform);
  return model::relative_accuracy(a, b);
}

/// The noise ceiling of backend `be` in a profile (see the overload on network totals).
[[nodiscard]] inline mean_sd noise_ceiling(const run::profile_result& r, run::backend be) {
  std::vector<network_totals> totals;
  for (const auto& n : r.networks) totals.push_back({n.network, run::to_string(n.be), n.totals_s});
  return noise_ceiling(totals, run::to_string(be));
}

namespace detail {
/// Where a row's measured Response is kept: its time (s) or its energy (J).
template <class Response>
struct row_value;
template <>
struct row_value<duration> {
  /// The layer's time; always present.
  static std::optional<duration> of(const dataset_row& r) { return duration::from_value(r.time_s); }
};
template <>
struct row_value<energy> {
  /// The layer's energy; none when it was measured without a power source.
  static std::optional<energy> of(const dataset_row& r) {
    if (!r.energy_j) return std::nullopt;
    return energy::from_value(*r.energy_j);
  }
};
}  // namespace detail

/// Layer samples of one platform of a resolved dataset for model fitting, whose value is the
/// Response of each layer: `samples_of<duration>` the time per layer, `samples_of<energy>` the
/// energy; descriptor and cost come from the row's network. Throws std::invalid_argument
/// naming the layer when (energy) a row has no energy, or when `d` is not resolved.
template <model::response_quantity Response>
[[nodiscard]] std::vector<model::layer_sample<Response>> samples_of(const dataset& d,
                                                                    const std::string& platform) {
  std::vector<model::layer_sample<Response>> out;
  for (const auto& r : d.rows) {
    if (r.platform != platform) continue;
    if (!r.node || r.network_index >= d.networks.size())
      throw std::invalid_argument("samples_of: row of layer '" + r.layer +
                                  "' is not resolved (resolve_dataset)");
    const std::optional<Response> v = detail::row_value<Response>::of(r);
    if (!v)
      throw std::invalid_argument("samples_of: layer '" + r.layer + "' of '" + r.network +
                                  "' has no energy");
    const network& net = d.net_of(r);
    out.push_back({r.network, r.layer, net.at(*r.node), net.cost(*r.node), *v});
  }
  return out;
}

/// Layer samples of backend `be` of a profile (`samples_of(to_dataset(r, nets), be)`): `nets`
/// must be the profiled networks. Throws std::invalid_argument naming the network or layer
/// when a record's network is not in `nets` or (energy) a layer has no energy.
template <model::response_quantity Response>
[[nodiscard]] std::vector<model::layer_sample<Response>> samples_of(
    const run::profile_result& r, const std::vector<network>& nets, run::backend be) {
  return samples_of<Response>(to_dataset(r, nets), run::to_string(be));
}

}  // namespace synergy::study
