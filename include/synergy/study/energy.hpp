#pragma once
/// @file
/// Joining measured energy to profiling records: every record profiled with an annotator
/// carries the id of its own region (one per network, backend and layer), and every attributed
/// region carries the annotator id it was measured under, so energy attaches by id — never by
/// rebuilding names or decoding the order of runs.

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/measure/attribution.hpp"
#include "synergy/run/profile.hpp"
#include "synergy/stats.hpp"

namespace synergy::study {

/// Sets `energy_j` of every record of `r` to the median energy (J) of its region's runs in
/// `energies` (from `measure::attribute` over the annotator the profile marked). Records
/// without a region id or without any attributed run keep no energy. Returns the number of
/// records that got one. Throws std::invalid_argument when an attributed region has no
/// annotation id (it was read from a file, so it cannot be joined by id). O(n log n).
inline std::size_t attach_energy(run::profile_result& r,
                                 const std::vector<measure::region_energy>& energies) {
  std::map<std::uint32_t, std::vector<double>> per_region;
  for (const auto& e : energies) {
    if (!e.where.annotation)
      throw std::invalid_argument("attach_energy: region '" + e.where.name +
                                  "' has no annotation id (read from a file?)");
    per_region[*e.where.annotation].push_back(e.value.value());
  }
  std::size_t attached = 0;
  for (auto& l : r.layers) {
    if (!l.region) continue;
    const auto it = per_region.find(l.region->value);
    if (it == per_region.end()) continue;
    l.energy_j = median(it->second);
    ++attached;
  }
  return attached;
}

}  // namespace synergy::study
