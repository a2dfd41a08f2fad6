#pragma once
/// @file
/// Counting passes: every layer of every network run once (batch 1, one round) with hardware
/// counters read around it, or its callgrind counts matched back to it, as rows of
/// `counters.csv` (measure/replay/perf_stat_counters.hpp). Timing stays with run/profile.hpp:
/// a counting pass is a separate round, so reading counters never perturbs the timed rounds.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "synergy/measure/replay/perf_stat_counters.hpp"
#include "synergy/network.hpp"
#include "synergy/run/callgrind_counters.hpp"
#include "synergy/run/profile.hpp"
#include "synergy/run/runner.hpp"
#include "synergy/sources/perf_counters.hpp"

namespace synergy::run {

namespace detail {

/// A row for layer `id` of `net` without counters.
inline measure::counter_row counter_row_of(const network& net, node_id id, backend be,
                                           const std::string& source) {
  measure::counter_row r;
  r.network = std::string(net.name());
  r.layer = std::string(net.name(id));
  r.region = r.network + "/" + r.layer;
  r.layer_type = std::string(to_string(type_of(net.at(id))));
  r.platform = to_string(be);
  r.counter_source = source;
  r.macs = net.cost(id).macs;
  r.data_volume = net.cost(id).data_volume;
  return r;
}

}  // namespace detail

/// Rows of a callgrind counting pass over `nets` on `be`, from its dumps (`counts`, in the
/// order of `callgrind_labels(nets)`): instructions = Ir, llc_misses = DLmr + DLmw + ILmr,
/// data_reads = Dr, data_writes = Dw; cycles, simd_ops and bus_accesses stay empty (callgrind
/// cannot measure them). Throws std::invalid_argument when `counts` has not one entry per
/// layer.
[[nodiscard]] inline std::vector<measure::counter_row> callgrind_counter_rows(
    const std::vector<network>& nets, backend be, const std::vector<callgrind_counts>& counts) {
  std::vector<measure::counter_row> rows;
  std::size_t k = 0;
  for (const auto& n : nets)
    for (node_id id = 1; id < n.size(); ++id, ++k) {
      if (k >= counts.size())
        throw std::invalid_argument("callgrind_counter_rows: " + std::to_string(counts.size()) +
                                    " counts for more layers");
      auto r = detail::counter_row_of(n, id, be, "callgrind");
      const auto& c = counts[k];
      r.counters[measure::counter_column("instructions")] = static_cast<double>(c.instructions);
      r.counters[measure::counter_column("llc_misses")] = static_cast<double>(c.llc_misses());
      r.counters[measure::counter_column("data_reads")] = static_cast<double>(c.data_reads);
      r.counters[measure::counter_column("data_writes")] = static_cast<double>(c.data_writes);
      rows.push_back(std::move(r));
    }
  if (k != counts.size())
    throw std::invalid_argument("callgrind_counter_rows: " + std::to_string(counts.size()) +
                                " counts for " + std::to_string(k) + " layers");
  return rows;
}

/// One counter column fed by the sum of events of a perf group: `column` (a name of
/// measure::counter_columns) = events `first` .. `first + count − 1` of the group.
struct perf_column {
  std::string column;
  std::size_t first = 0, count = 1;
};

/// A perf counting pass: every network of `nets` once on `be`, `group` read before and after
/// each layer; each `columns` entry sums its events' multiplexing-scaled counts (empty when
/// one of them was not counted); `running_fraction` is the group's share of the layer on the
/// PMU (< 1: multiplexed and scaled, as sources::scale_between reports). Enables the group
/// for the pass and disables it after. Throws sources::sensor_error when a read fails, and
/// std::invalid_argument for a column outside the group.
[[nodiscard]] inline std::vector<measure::counter_row> perf_count_pass(
    const std::vector<network>& nets, backend be, sources::perf_counter_group& group,
    const std::vector<perf_column>& columns, std::uint64_t seed = 1) {
  for (const auto& c : columns)
    if (c.count == 0 || c.first + c.count > group.events().size())
      throw std::invalid_argument("perf_count_pass: column " + c.column +
                                  " reads events outside the group");
  (void)configure_backends(1);
  std::vector<measure::counter_row> rows;
  group.enable();
  for (const auto& n : nets) {
    runner r(n, seed);
#if defined(__SSE__)
    const unsigned csr = _mm_getcsr();
    _mm_setcsr(csr | 0x8040);  // FTZ | DAZ, as the runner's timed runs
#endif
    for (node_id id = 1; id < n.size(); ++id) {
      const auto before = group.read();
      r.forward(be, id);
      const auto s = sources::scale_between(before, group.read());
      auto row = detail::counter_row_of(n, id, be, "perf");
      row.running_fraction = s.running_fraction;
      for (const auto& c : columns) {
        std::optional<double> sum = 0.0;
        for (std::size_t e = c.first; e < c.first + c.count; ++e)
          sum = sum && s.values[e] ? std::optional<double>(*sum + *s.values[e]) : std::nullopt;
        row.counters[measure::counter_column(c.column)] = sum;
      }
      rows.push_back(std::move(row));
    }
#if defined(__SSE__)
    _mm_setcsr(csr);
#endif
  }
  group.disable();
  return rows;
}

/// Copies the counters of a counting pass (`rows`) into the records of `r` with the same
/// network, layer and platform (= backend name), so that the dataset written from `r` carries
/// them as row features. A counter some layers of a (network, backend) lack (a perf group that
/// never ran during a short layer) is cleared on all its layers, since a network's sum with a
/// hole would be a wrong number; rows that match no record are skipped. Both are returned as
/// messages (one per (network, backend, counter), one per unmatched row), never silent.
[[nodiscard]] inline std::vector<std::string> attach_counters(
    profile_result& r, const std::vector<measure::counter_row>& rows) {
  std::vector<std::string> said;
  std::map<std::string, const measure::counter_row*> by_key;
  const auto key = [](const std::string& n, const std::string& l, const std::string& p) {
    return n + '\x1f' + l + '\x1f' + p;
  };
  for (const auto& c : rows) by_key[key(c.network, c.layer, c.platform)] = &c;
  std::size_t matched = 0;
  for (auto& l : r.layers) {
    const auto it = by_key.find(key(l.network, l.layer, to_string(l.be)));
    if (it == by_key.end()) continue;
    ++matched;
    for (std::size_t i = 0; i < measure::counter_column_count; ++i)
      l.counters[i] = it->second->counters[i];
  }
  if (matched < rows.size())
    said.push_back(std::to_string(rows.size() - matched) +
                   " counted layers match no profiled layer: not in the dataset");
  // Per (network, backend) and counter: how many layers have it, of how many.
  std::map<std::pair<std::string, std::string>,
           std::pair<std::size_t, std::array<std::size_t, measure::counter_column_count>>>
      have;
  for (const auto& l : r.layers) {
    auto& h = have[{l.network, to_string(l.be)}];
    ++h.first;
    for (std::size_t i = 0; i < measure::counter_column_count; ++i)
      h.second[i] += l.counters[i] ? 1 : 0;
  }
  for (const auto& [k, h] : have)
    for (std::size_t i = 0; i < measure::counter_column_count; ++i) {
      if (h.second[i] == 0 || h.second[i] == h.first) continue;
      said.push_back(std::string(measure::counter_columns[i]) + " counted on " +
                     std::to_string(h.second[i]) + " of the " + std::to_string(h.first) +
                     " layers of " + k.first + " on " + k.second +
                     ": left out of the dataset for that network");
      for (auto& l : r.layers)
        if (l.network == k.first && to_string(l.be) == k.second) l.counters[i].reset();
    }
  return said;
}

}  // namespace synergy::run
