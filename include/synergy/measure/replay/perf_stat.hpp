#pragma once
/// @file
/// Energy read from `perf stat` text output (and pinpoint's look-alike summaries):
///   - totals: `  43.26 Joules power/energy-pkg/  ( +- 1,78% )`, `<not supported> Joules …`,
///     closed by `1.001041336 seconds time elapsed` (or `313,96 +- 3,06 seconds time
///     elapsed` with -r); pinpoint prints `2716.59 J rapl:pkg`;
///   - intervals (`perf stat -I ms`): `  1.000214717   3.07 Joules power/energy-pkg/`.
/// Numbers follow the printing locale: "2.568,14" (German) and "2,568.14" (English) are both
/// 2568.14. The decimal separator is decided per number where the digits say so (both marks
/// present; a mark repeated; not exactly three digits after it), otherwise by the same
/// line's "( +- x% )", otherwise by the block, otherwise '.'. Other program output between
/// blocks is ignored.

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/trace.hpp"

namespace synergy::measure {

/// One energy event of a totals block.
struct perf_energy_total {
  std::string event;            ///< "power/energy-pkg/", "rapl:pkg"
  std::optional<double> joules; ///< nullopt for "<not supported>" / "<not counted>"
  std::optional<double> rsd_pct;///< "( +- x% )" relative standard deviation over -r runs
  std::size_t line = 0;         ///< 1-based line in the file
};

/// Events up to and including one "seconds time elapsed" line.
struct perf_stat_block {
  std::vector<perf_energy_total> events;
  std::optional<double> elapsed_s;  ///< mean elapsed time (s)
  char decimal = '.';               ///< separator this block was printed with
};

/// Everything energy-related in a perf-stat-like text file.
struct perf_stat_output {
  std::vector<perf_stat_block> blocks;  ///< totals (perf stat without -I, pinpoint)
  trace intervals;                      ///< -I output: mean power (W) per event per interval
};

namespace detail {

/// Decimal separator a number token proves, if it proves one.
inline std::optional<char> decimal_of(const std::string& tok) {
  const auto d = tok.find('.'), c = tok.find(',');
  if (d != std::string::npos && c != std::string::npos) return tok.rfind('.') > tok.rfind(',') ? '.' : ',';
  const auto p = d != std::string::npos ? d : c;
  if (p == std::string::npos) return std::nullopt;
  const char mark = tok[p];
  if (tok.find(mark, p + 1) != std::string::npos) return mark == '.' ? ',' : '.';  // repeated → grouping
  std::size_t digits = 0;
  for (std::size_t i = p + 1; i < tok.size() && std::isdigit(static_cast<unsigned char>(tok[i])); ++i) ++digits;
  if (digits != 3) return mark;
  return std::nullopt;  // "2.568" may be 2568 or 2.568
}

inline std::optional<double> line_rsd(const std::string& line, std::optional<char>& decimal) {
  const auto p = line.find("( +-");
  if (p == std::string::npos) return std::nullopt;
  const auto e = line.find('%', p);
  if (e == std::string::npos) return std::nullopt;
  const std::string num(synergy::detail::trim(std::string_view(line).substr(p + 4, e - p - 4)));
  if (!decimal) decimal = decimal_of(num);
  return synergy::detail::to_double_locale(num, decimal.value_or('.'));
}

inline bool is_energy_unit(const std::string& u) { return u == "Joules" || u == "J"; }

}  // namespace detail

/// Reads perf stat / pinpoint energy output. Throws `parse_error` naming the line for
/// an energy count that is not a number, and for interval lines whose time goes backwards.
[[nodiscard]] inline perf_stat_output read_perf_stat(const std::string& path) {
  const auto lines = synergy::detail::read_lines(path);
  perf_stat_output out;
  perf_stat_block block;
  std::optional<char> block_decimal;
  struct interval_row { double t; std::string event; double joules; std::size_t line; };
  std::vector<interval_row> rows;
  std::vector<std::pair<std::size_t, std::string>> undecided;  // event index, count text
  auto close_block = [&]() {
    block.decimal = block_decimal.value_or('.');
    for (const auto& [i, text] : undecided) block.events[i].joules = synergy::detail::to_double_locale(text, block.decimal);
    undecided.clear();
    out.blocks.push_back(std::move(block));
    block = {};
    block_decimal.reset();
  };
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const auto tok = synergy::detail::tokens(lines[l]);
    std::optional<char> line_decimal;
    const auto rsd = detail::line_rsd(lines[l], line_decimal);
    const bool header = lines[l].find("counter stats for") != std::string::npos;  // perf and pinpoint
    if (header && !block.events.empty()) close_block();
    if (header) continue;
    if (lines[l].find("seconds time elapsed") != std::string::npos && !tok.empty()) {
      if (!line_decimal) line_decimal = detail::decimal_of(tok[0]);
      if (!block_decimal) block_decimal = line_decimal;
      const char dec = line_decimal.value_or(block_decimal.value_or('.'));
      block.elapsed_s = synergy::detail::to_double_locale(tok[0], dec);
      close_block();
      continue;
    }
    // Interval: <time> <count> <unit> <event>
    if (tok.size() >= 4 && detail::is_energy_unit(tok[2]) && tok[0].find_first_of(".,") != std::string::npos &&
        synergy::detail::to_double_locale(tok[0], detail::decimal_of(tok[0]).value_or('.'))) {
      const char dec = detail::decimal_of(tok[0]).value_or('.');
      const auto t = synergy::detail::to_double_locale(tok[0], dec);
      const auto j = synergy::detail::to_double_locale(tok[1], dec);
      if (!j) synergy::detail::fail(path, l + 1, "energy count '" + tok[1] + "' is not a number");
      rows.push_back({*t, tok[3], *j, l + 1});
      continue;
    }
    // Total: <count> <unit> <event>  or  <not supported> <unit> <event>
    std::size_t i = 0;
    std::optional<double> joules;
    bool unsupported = false;
    if (tok.size() >= 4 && tok[0].front() == '<' && tok[1].back() == '>') {
      unsupported = true;
      i = 2;
    } else if (tok.size() >= 3) {
      i = 1;
    } else {
      continue;
    }
    if (!detail::is_energy_unit(tok[i]) || i + 1 >= tok.size()) continue;
    const std::string& event = tok[i + 1];
    if (event.find('/') == std::string::npos && event.find(':') == std::string::npos) continue;
    if (!unsupported) {
      auto dec = detail::decimal_of(tok[0]);
      if (!dec) dec = line_decimal ? line_decimal : block_decimal;
      if (!block_decimal && (detail::decimal_of(tok[0]) || line_decimal)) block_decimal = detail::decimal_of(tok[0]) ? detail::decimal_of(tok[0]) : line_decimal;
      joules = synergy::detail::to_double_locale(tok[0], dec.value_or('.'));
      if (!joules) synergy::detail::fail(path, l + 1, "energy count '" + tok[0] + "' is not a number");
      if (!dec) undecided.emplace_back(block.events.size(), tok[0]);  // settled when the block closes
    }
    block.events.push_back({event, joules, rsd, l + 1});
  }
  if (!block.events.empty()) close_block();
  // Intervals → trace: one channel per event, mean power = J / interval length.
  if (!rows.empty()) {
    trace& tr = out.intervals;
    tr.clock = "relative";
    for (const auto& r : rows)
      if (std::find(tr.channels.begin(), tr.channels.end(), r.event) == tr.channels.end()) tr.channels.push_back(r.event);
    std::vector<double> w(tr.width(), 0.0);
    std::vector<bool> seen(tr.width(), false);
    double prev_end = 0, t = rows.front().t;
    auto flush = [&](std::size_t line) {
      for (std::size_t c = 0; c < w.size(); ++c)
        if (!seen[c]) synergy::detail::fail(path, line, "interval ending at " + std::to_string(t) + " s lacks event " + tr.channels[c]);
      if (t <= prev_end) synergy::detail::fail(path, line, "interval time goes backwards");
      for (auto& v : w) v /= (t - prev_end);
      tr.push(prev_end, w);  // the interval's mean power, held from its start
      prev_end = t;
      std::fill(w.begin(), w.end(), 0.0);
      std::fill(seen.begin(), seen.end(), false);
    };
    for (const auto& r : rows) {
      if (r.t != t) {
        flush(r.line);
        t = r.t;
      }
      const auto c = static_cast<std::size_t>(std::find(tr.channels.begin(), tr.channels.end(), r.event) - tr.channels.begin());
      w[c] = r.joules;
      seen[c] = true;
    }
    flush(rows.back().line);
    if (tr.size() > 1) tr.period_s = tr.time_s[1] - tr.time_s[0];
  }
  return out;
}

}  // namespace synergy::measure
