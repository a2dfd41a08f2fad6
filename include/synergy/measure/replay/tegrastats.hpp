#pragma once
/// @file
/// tegrastats output of NVIDIA Jetson boards, in all four known shapes:
///   1. no rails at all (TX1, L4T 28: `cpu [..]@f EMC .. GR3D ..`) — power must come from the
///      INA3221 sysfs files instead, and reading such a log for power is an error saying so;
///   2. `NAME cur/avg` without unit, mW (TX2/Xavier/Nano on JetPack ≤ 4: `VDD_IN 3566/3566`,
///      `POM_5V_IN 2746/2911`, bare `GPU 463/463` on AGX Xavier JP 4.2);
///   3. `NAME curmW/avgmW`, lines prefixed by `MM-DD-YYYY HH:MM:SS` (JetPack 5/6 --logfile);
///   4. `NAME curmW/avgmW/maxmW` (JetPack 7).
/// A rail is a token followed by `cur/avg[/max]` numbers without a unit or with `mW` (RAM and
/// SWAP carry MB/kB and are not rails). Lines that are not tegrastats records (shell and sudo
/// prompts, blank lines) are skipped and counted in the trace's notes.

#include <cctype>
#include <cstdio>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/measure/replay/detail/text.hpp"
#include "synergy/measure/trace.hpp"

namespace synergy::measure {

/// Which of the four shapes a record has.
enum class tegrastats_format { no_rails, unitless_cur_avg, mw_cur_avg, mw_cur_avg_max };

/// One rail of a record (mW).
struct tegrastats_rail {
  std::string name;
  double cur_mw = 0;
  double avg_mw = 0;
  std::optional<double> max_mw;  ///< JetPack 7 only
};

/// One parsed tegrastats line.
struct tegrastats_record {
  std::optional<double> time_s;  ///< from the `MM-DD-YYYY HH:MM:SS` prefix (epoch s, local time as logged)
  std::vector<tegrastats_rail> rails;
  tegrastats_format format = tegrastats_format::no_rails;
};

/// Parses one line; nullopt when it is not a tegrastats record (no `RAM` field). O(line).
[[nodiscard]] inline std::optional<tegrastats_record> parse_tegrastats_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const auto tok = detail::tokens(line);
  std::size_t i = 0;
  tegrastats_record r;
  if (tok.size() >= 2) {
    int mo = 0, d = 0, y = 0, h = 0, mi = 0, s = 0;
    char tail = 0;
    if (std::sscanf(tok[0].c_str(), "%2d-%2d-%4d%c", &mo, &d, &y, &tail) == 3 &&
        std::sscanf(tok[1].c_str(), "%2d:%2d:%2d%c", &h, &mi, &s, &tail) == 3) {
      r.time_s = detail::civil_seconds(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), static_cast<unsigned>(h), static_cast<unsigned>(mi), s);
      i = 2;
    }
  }
  if (i >= tok.size() || tok[i] != "RAM") return std::nullopt;
  static const std::regex value(R"(^(\d+(?:\.\d+)?)(mW)?/(\d+(?:\.\d+)?)(mW)?(?:/(\d+(?:\.\d+)?)(mW)?)?$)");
  std::smatch m;
  for (std::size_t k = i + 1; k + 1 < tok.size(); ++k) {
    if (!std::regex_match(tok[k + 1], m, value)) continue;
    if (!std::isalpha(static_cast<unsigned char>(tok[k][0]))) continue;
    tegrastats_rail rail{tok[k], std::stod(m[1]), std::stod(m[3]), std::nullopt};
    if (m[5].matched) rail.max_mw = std::stod(m[5]);
    r.format = m[5].matched ? tegrastats_format::mw_cur_avg_max
               : m[2].matched ? tegrastats_format::mw_cur_avg
                              : tegrastats_format::unitless_cur_avg;
    r.rails.push_back(std::move(rail));
    ++k;
  }
  return r;
}

/// Reads a tegrastats log as a trace of every rail's present (`cur`) power in W. Sample times
/// come from the line prefixes when present (gaps kept as logged), else k · `interval_s`
/// (tegrastats' `--interval`, 1 s by default). Throws `sources::parse_error` naming file and
/// line when the log has no rails (TX1: read INA3221 sysfs instead), a record's rails differ
/// from the first record's, or time goes backwards.
[[nodiscard]] inline trace read_tegrastats_log(const std::string& path, double interval_s = 1.0) {
  const auto lines = detail::read_lines(path);
  trace tr;
  std::size_t skipped = 0, records = 0;
  std::optional<std::size_t> first_line;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const auto r = parse_tegrastats_line(lines[l]);
    if (!r) {
      if (!detail::trim(lines[l]).empty()) ++skipped;
      continue;
    }
    if (r->rails.empty())
      detail::fail(path, l + 1, "tegrastats record without power rails (as on TX1 / L4T 28): read the INA3221 "
                                "sysfs files (jetson_iio_source / hwmon_source) instead");
    if (!first_line) {
      first_line = l + 1;
      for (const auto& rail : r->rails) tr.channels.push_back(rail.name);
      tr.clock = r->time_s ? "wall (local time as logged)" : "relative";
    }
    if (r->rails.size() != tr.width())
      detail::fail(path, l + 1, std::to_string(r->rails.size()) + " rails, line " + std::to_string(*first_line) + " has " + std::to_string(tr.width()));
    std::vector<double> w(tr.width());
    for (std::size_t c = 0; c < w.size(); ++c) {
      if (r->rails[c].name != tr.channels[c]) detail::fail(path, l + 1, "rail '" + r->rails[c].name + "' where '" + tr.channels[c] + "' was expected");
      w[c] = r->rails[c].cur_mw * 1e-3;
    }
    const double t = r->time_s ? *r->time_s : static_cast<double>(records) * interval_s;
    if (tr.size() && t < tr.time_s.back()) detail::fail(path, l + 1, "time goes backwards");
    tr.push(t, w);
    ++records;
  }
  if (!first_line) detail::fail(path, 0, "no tegrastats record (no line with a RAM field)");
  tr.period_s = interval_s;
  if (skipped) tr.notes.push_back(std::to_string(skipped) + " non-record lines skipped (prompts, other output)");
  std::size_t gaps = 0;
  for (std::size_t k = 1; k < tr.size(); ++k) gaps += tr.time_s[k] - tr.time_s[k - 1] > 1.5 * interval_s;
  if (gaps) tr.notes.push_back(std::to_string(gaps) + " gaps longer than 1.5 intervals (samples tegrastats did not print)");
  return tr;
}

}  // namespace synergy::measure
