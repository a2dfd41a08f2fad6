#pragma once
/// @file
/// PMT dumps (Power Measurement Toolkit, `pmt::Dump`): a header `timestamp <ch>...` then rows
/// `<epoch s> <W>...`, interleaved with marker lines `M <t> "label"`. In real dumps the
/// sample times are absolute epoch seconds but marker times are *relative* (seconds since the
/// PMT object started), so marker positions in the file fix the offset: every marker lies
/// between the samples printed before and after it. The reader intersects those intervals
/// over all markers and places markers at the middle of the feasible offset range (the
/// remaining uncertainty is reported in `marker_offset_uncertainty_s`).

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/region.hpp"
#include "synergy/measure/trace.hpp"

namespace synergy::measure {

/// A PMT dump: its trace and its markers on the trace's clock.
struct pmt_dump {
  trace samples;
  std::vector<marker> markers;             ///< times on the samples' clock (s)
  double marker_offset_s = 0;              ///< sample clock − marker clock (s)
  double marker_offset_uncertainty_s = 0;  ///< ± half the feasible offset range (s)
};

/// Reads a PMT dump as an `instantaneous` trace. Throws `parse_error` naming file and line for
/// a bad header, a row of the wrong width, a value or time that is not a finite number (nan,
/// inf), a marker line without a quoted label, or markers whose order cannot match any single
/// clock offset.
[[nodiscard]] inline pmt_dump read_pmt_dump(const std::string& path) {
  const auto lines = synergy::detail::read_lines(path);
  pmt_dump d;
  std::size_t l = 0;
  while (l < lines.size() && synergy::detail::trim(lines[l]).empty()) ++l;
  if (l == lines.size()) synergy::detail::fail(path, 0, "empty file");
  const auto head = synergy::detail::tokens(lines[l]);
  if (head.size() < 2 || head[0] != "timestamp")
    synergy::detail::fail(path, l + 1, "expected header 'timestamp <channel>...'");
  d.samples.channels.assign(head.begin() + 1, head.end());
  d.samples.clock = sources::time_base::unix_epoch;
  struct pending {
    double t_rel;
    std::string label;
    std::size_t before;
  };  // samples before it
  std::vector<pending> raw;
  std::vector<double> row(d.samples.width());
  for (++l; l < lines.size(); ++l) {
    const auto line = synergy::detail::trim(lines[l]);
    if (line.empty()) continue;
    if (line.rfind("M ", 0) == 0) {
      const auto q1 = line.find('"'), q2 = line.rfind('"');
      if (q1 == std::string::npos || q2 == q1)
        synergy::detail::fail(path, l + 1, "marker without a quoted label");
      const std::string text(synergy::detail::trim(line.substr(2, q1 - 2)));
      const double t = detail::finite_or_fail(synergy::detail::to_double(text), path, l + 1,
                                              "marker time", text);
      raw.push_back({t, std::string(line.substr(q1 + 1, q2 - q1 - 1)), d.samples.size()});
      continue;
    }
    const auto tok = synergy::detail::tokens(line);
    if (tok.size() != row.size() + 1)
      synergy::detail::fail(
          path, l + 1,
          std::to_string(tok.size()) + " fields, header has " + std::to_string(row.size() + 1));
    const double t = detail::finite_or_fail(synergy::detail::to_double(tok[0]), path, l + 1,
                                            "timestamp", tok[0]);
    for (std::size_t c = 0; c < row.size(); ++c)
      row[c] = detail::finite_or_fail(synergy::detail::to_double(tok[c + 1]), path, l + 1,
                                      "power of '" + d.samples.channels[c] + "'", tok[c + 1]);
    if (d.samples.size() && t < d.samples.time_s.back())
      synergy::detail::fail(path, l + 1, "time goes backwards");
    d.samples.push(t, row);
  }
  if (d.samples.size() == 0) synergy::detail::fail(path, 0, "no samples");
  if (d.samples.size() > 1)
    d.samples.period_s = (d.samples.time_s.back() - d.samples.time_s.front()) /
                         static_cast<double>(d.samples.size() - 1);
  if (raw.empty()) return d;
  // Offset o with t_abs = t_rel + o: sample before ≤ t_rel + o ≤ sample after.
  double lo = -std::numeric_limits<double>::infinity(),
         hi = std::numeric_limits<double>::infinity();
  for (const auto& m : raw) {
    if (m.before > 0) lo = std::max(lo, d.samples.time_s[m.before - 1] - m.t_rel);
    if (m.before < d.samples.size()) hi = std::min(hi, d.samples.time_s[m.before] - m.t_rel);
  }
  if (lo > hi)
    synergy::detail::fail(path, 0, "marker times and positions fit no single clock offset");
  if (!std::isfinite(lo)) lo = hi;
  if (!std::isfinite(hi)) hi = lo;
  d.marker_offset_s = (lo + hi) / 2;
  d.marker_offset_uncertainty_s = (hi - lo) / 2;
  for (const auto& m : raw) d.markers.push_back({m.t_rel + d.marker_offset_s, m.label});
  return d;
}

}  // namespace synergy::measure
