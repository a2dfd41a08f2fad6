#pragma once
/// @file
/// tegrastats logs of NVIDIA Jetson boards as traces, in all four shapes of the line parser
/// (`sources/tegrastats_line.hpp`); a log without rails (TX1) is an error saying so. Lines that
/// are not tegrastats records (shell and sudo prompts, blank lines) are skipped and counted in
/// the trace's notes.

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/trace.hpp"
#include "synergy/sources/tegrastats_line.hpp"

namespace synergy::measure {

using sources::parse_tegrastats_line;
using sources::tegrastats_format;
using sources::tegrastats_rail;
using sources::tegrastats_record;

/// Reads a tegrastats log as a trace of every rail's present (`cur`) power in W. Sample times
/// come from the line prefixes when present (gaps kept as logged), else k · `interval_s`
/// (tegrastats' `--interval`, 1 s by default). Throws `parse_error` naming file and
/// line when the log has no rails (TX1: read INA3221 sysfs instead), a record's rails differ
/// from the first record's, a power or time is not a finite number, or time goes backwards;
/// `std::invalid_argument` for an `interval_s` that is not a finite number > 0.
[[nodiscard]] inline trace read_tegrastats_log(const std::string& path, double interval_s = 1.0) {
  if (!(interval_s > 0) || !std::isfinite(interval_s))
    throw std::invalid_argument("read_tegrastats_log: interval must be a finite number > 0 s");
  const auto lines = synergy::detail::read_lines(path);
  trace tr;
  tr.kind = sources::sample_kind::instantaneous;  // `cur` is the rail's present power
  std::size_t skipped = 0, records = 0;
  std::optional<std::size_t> first_line;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    std::optional<tegrastats_record> r;
    try {
      r = parse_tegrastats_line(lines[l]);
    } catch (const std::invalid_argument& e) {
      synergy::detail::fail(path, l + 1, e.what());
    }
    if (!r) {
      if (!synergy::detail::trim(lines[l]).empty()) ++skipped;
      continue;
    }
    if (r->rails.empty())
      synergy::detail::fail(
          path, l + 1,
          "tegrastats record without power rails (as on TX1 / L4T 28): read the INA3221 "
          "sysfs files (jetson_iio_source / hwmon_source) instead");
    if (!first_line) {
      first_line = l + 1;
      for (const auto& rail : r->rails) tr.channels.push_back(rail.name);
      tr.clock = r->time_s ? sources::time_base::local_wall : sources::time_base::relative;
    }
    if (r->rails.size() != tr.width())
      synergy::detail::fail(path, l + 1,
                            std::to_string(r->rails.size()) + " rails, line " +
                                std::to_string(*first_line) + " has " + std::to_string(tr.width()));
    std::vector<double> w(tr.width());
    for (std::size_t c = 0; c < w.size(); ++c) {
      if (r->rails[c].name != tr.channels[c])
        synergy::detail::fail(
            path, l + 1,
            "rail '" + r->rails[c].name + "' where '" + tr.channels[c] + "' was expected");
      w[c] = r->rails[c].cur_mw * 1e-3;
      if (!std::isfinite(w[c]))
        synergy::detail::fail(path, l + 1,
                              "rail '" + tr.channels[c] + "' power is not a finite number");
    }
    const double t = r->time_s ? *r->time_s : static_cast<double>(records) * interval_s;
    if (!std::isfinite(t)) synergy::detail::fail(path, l + 1, "time is not a finite number");
    if (tr.size() && t < tr.time_s.back())
      synergy::detail::fail(path, l + 1, "time goes backwards");
    tr.push(t, w);
    ++records;
  }
  if (!first_line)
    synergy::detail::fail(path, 0, "no tegrastats record (no line with a RAM field)");
  tr.period_s = interval_s;
  if (skipped)
    tr.notes.push_back(std::to_string(skipped) +
                       " non-record lines skipped (prompts, other output)");
  std::size_t gaps = 0;
  for (std::size_t k = 1; k < tr.size(); ++k)
    gaps += tr.time_s[k] - tr.time_s[k - 1] > 1.5 * interval_s;
  if (gaps)
    tr.notes.push_back(std::to_string(gaps) +
                       " gaps longer than 1.5 intervals (samples tegrastats did not print)");
  return tr;
}

}  // namespace synergy::measure
