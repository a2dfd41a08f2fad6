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
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/trace.hpp"

namespace synergy::measure {

/// One energy event of a totals block.
struct perf_energy_total {
  std::string event;              ///< "power/energy-pkg/", "rapl:pkg"
  std::optional<double> joules;   ///< nullopt for "<not supported>" / "<not counted>"
  std::optional<double> rsd_pct;  ///< "( +- x% )" relative standard deviation over -r runs
  std::size_t line = 0;           ///< 1-based line in the file
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
  if (d != std::string::npos && c != std::string::npos)
    return tok.rfind('.') > tok.rfind(',') ? '.' : ',';
  const auto p = d != std::string::npos ? d : c;
  if (p == std::string::npos) return std::nullopt;
  const char mark = tok[p];
  if (tok.find(mark, p + 1) != std::string::npos)
    return mark == '.' ? ',' : '.';  // repeated → grouping
  std::size_t digits = 0;
  for (std::size_t i = p + 1; i < tok.size() && std::isdigit(static_cast<unsigned char>(tok[i]));
       ++i)
    ++digits;
  if (digits != 3) return mark;
  return std::nullopt;  // "2.568" may be 2568 or 2.568
}

/// The "( +- x% )" relative standard deviation of `line` (%), if it has one; sets `decimal`
/// to the separator x proves, when unset.
inline std::optional<double> line_rsd(const std::string& line, std::optional<char>& decimal) {
  const auto p = line.find("( +-");
  if (p == std::string::npos) return std::nullopt;
  const auto e = line.find('%', p);
  if (e == std::string::npos) return std::nullopt;
  const std::string num(synergy::detail::trim(std::string_view(line).substr(p + 4, e - p - 4)));
  if (!decimal) decimal = decimal_of(num);
  return synergy::detail::to_double_locale(num, decimal.value_or('.'));
}

/// Whether `u` is an energy unit perf or pinpoint prints ("Joules", "J").
inline bool is_energy_unit(const std::string& u) { return u == "Joules" || u == "J"; }

/// One `perf stat -I` line: `joules` of `event` in the interval ending at `t` (s), from
/// 1-based `line`.
struct perf_interval_row {
  double t = 0;
  std::string event;
  double joules = 0;
  std::size_t line = 0;
};

/// The totals block being read. A count whose decimal separator neither its digits nor its
/// line prove waits in `undecided` until the block closes, when the block's evidence (or '.')
/// settles it: a later line of the same block may prove the separator.
struct perf_open_block {
  perf_stat_block block;
  std::optional<char> decimal;                                 ///< separator proved so far
  std::vector<std::pair<std::size_t, std::string>> undecided;  ///< event index, count text

  /// Settles the undecided counts, appends the block to `out` and starts an empty one.
  void close(std::vector<perf_stat_block>& out) {
    block.decimal = decimal.value_or('.');
    for (const auto& [i, text] : undecided)
      block.events[i].joules = synergy::detail::to_double_locale(text, block.decimal);
    undecided.clear();
    out.push_back(std::move(block));
    block = {};
    decimal.reset();
  }
};

/// Whether `line` opens a block ("Performance counter stats for …", pinpoint's "Energy
/// counter stats for …").
inline bool is_block_header(const std::string& line) {
  return line.find("counter stats for") != std::string::npos;
}

/// `<elapsed> seconds time elapsed` (also `<mean> +- <sd> seconds …` with -r): sets the open
/// block's elapsed time and closes it into `out`. Returns false when `line` is not one.
inline bool read_elapsed(const std::string& line, const std::vector<std::string>& tok,
                         std::optional<char> line_decimal, perf_open_block& open,
                         std::vector<perf_stat_block>& out) {
  if (line.find("seconds time elapsed") == std::string::npos || tok.empty()) return false;
  if (!line_decimal) line_decimal = decimal_of(tok[0]);
  if (!open.decimal) open.decimal = line_decimal;
  const char dec = line_decimal.value_or(open.decimal.value_or('.'));
  open.block.elapsed_s = synergy::detail::to_double_locale(tok[0], dec);
  open.close(out);
  return true;
}

/// `<time> <count> <unit> <event>` of `perf stat -I` (the time has a decimal mark, which also
/// decides the count's): the row, or nullopt when `tok` is not one. Throws `parse_error`
/// naming `path` and `line` for a count that is not a number.
inline std::optional<perf_interval_row> parse_interval(const std::vector<std::string>& tok,
                                                       const std::string& path, std::size_t line) {
  if (tok.size() < 4 || !is_energy_unit(tok[2]) || tok[0].find_first_of(".,") == std::string::npos)
    return std::nullopt;
  const char dec = decimal_of(tok[0]).value_or('.');
  const auto t = synergy::detail::to_double_locale(tok[0], dec);
  if (!t) return std::nullopt;
  const double time = finite_or_fail(t, path, line, "interval time", tok[0]);
  const double j = finite_or_fail(synergy::detail::to_double_locale(tok[1], dec), path, line,
                                  "energy count", tok[1]);
  return perf_interval_row{time, tok[3], j, line};
}

/// `<count> <unit> <event>` or `<not supported> <unit> <event>` (an event names a PMU, "/", or
/// a pinpoint source, ":"): appends the event to the open block and returns true; false when
/// `tok` is not one. The count's separator: its own digits, else `line_decimal` (from the
/// line's "( +- x% )"), else the block's, else decided when the block closes. Throws
/// `parse_error` naming `path` and `line` for a count that is not a number.
inline bool read_total(const std::vector<std::string>& tok, std::optional<double> rsd,
                       std::optional<char> line_decimal, perf_open_block& open,
                       const std::string& path, std::size_t line) {
  const bool unsupported = tok.size() >= 4 && tok[0].front() == '<' && tok[1].back() == '>';
  if (!unsupported && tok.size() < 3) return false;
  const std::size_t unit = unsupported ? 2 : 1;  // "<not supported>" is two tokens
  if (!is_energy_unit(tok[unit]) || unit + 1 >= tok.size()) return false;
  const std::string& event = tok[unit + 1];
  if (event.find('/') == std::string::npos && event.find(':') == std::string::npos) return false;
  std::optional<double> joules;  // stays empty for "<not supported>" / "<not counted>": never 0
  if (!unsupported) {
    const auto own = decimal_of(tok[0]);
    const auto dec = own ? own : (line_decimal ? line_decimal : open.decimal);
    if (!open.decimal && (own || line_decimal)) open.decimal = own ? own : line_decimal;
    joules = finite_or_fail(synergy::detail::to_double_locale(tok[0], dec.value_or('.')), path,
                            line, "energy count", tok[0]);
    if (!dec) open.undecided.emplace_back(open.block.events.size(), tok[0]);
  }
  open.block.events.push_back({event, joules, rsd, line});
  return true;
}

/// Interval rows (time-ordered, as perf prints them) → an `interval_mean` trace with one
/// channel per event in order of first appearance, clock `relative` (perf's start, 0 s). Each
/// interval (t_{k−1}, t_k] becomes the sample at its end t_k holding its mean power,
/// J / interval length; sample 0 at 0 s marks where the first interval begins (it repeats the
/// first interval's mean). Throws `parse_error` naming `path` and the line for an interval
/// lacking an event or whose time goes backwards.
inline trace intervals_to_trace(const std::vector<perf_interval_row>& rows,
                                const std::string& path) {
  trace tr;
  tr.clock = sources::time_base::relative;
  tr.kind = sources::sample_kind::interval_mean;  // joules per interval: a counter difference
  for (const auto& r : rows)
    if (std::find(tr.channels.begin(), tr.channels.end(), r.event) == tr.channels.end())
      tr.channels.push_back(r.event);
  std::vector<double> w(tr.width(), 0.0);
  std::vector<bool> seen(tr.width(), false);
  double prev_end = 0, t = rows.front().t;
  auto flush = [&](std::size_t line) {
    for (std::size_t c = 0; c < w.size(); ++c)
      if (!seen[c])
        synergy::detail::fail(
            path, line,
            "interval ending at " + std::to_string(t) + " s lacks event " + tr.channels[c]);
    if (t <= prev_end) synergy::detail::fail(path, line, "interval time goes backwards");
    for (auto& v : w) v /= (t - prev_end);
    if (tr.size() == 0) tr.push(prev_end, w);  // marks the start of the first interval
    tr.push(t, w);                             // the interval's mean power, over (prev_end, t]
    prev_end = t;
    std::fill(w.begin(), w.end(), 0.0);
    std::fill(seen.begin(), seen.end(), false);
  };
  for (const auto& r : rows) {
    if (r.t != t) {
      flush(r.line);
      t = r.t;
    }
    const auto c = static_cast<std::size_t>(
        std::find(tr.channels.begin(), tr.channels.end(), r.event) - tr.channels.begin());
    w[c] = r.joules;
    seen[c] = true;
  }
  flush(rows.back().line);
  if (tr.size() > 1) tr.period_s = tr.time_s[1] - tr.time_s[0];  // the first interval (-I)
  return tr;
}

}  // namespace detail

/// Reads perf stat / pinpoint energy output. Throws `parse_error` naming the line for
/// an energy count that is not a number, and for interval lines whose time goes backwards.
/// Each line is a block header, an elapsed-time line (closes the block), an interval line or
/// a total line, tried in that order; anything else is other output and skipped.
[[nodiscard]] inline perf_stat_output read_perf_stat(const std::string& path) {
  const auto lines = synergy::detail::read_lines(path);
  perf_stat_output out;
  detail::perf_open_block open;
  std::vector<detail::perf_interval_row> rows;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const auto& line = lines[l];
    const auto tok = synergy::detail::tokens(line);
    std::optional<char> line_decimal;
    const auto rsd = detail::line_rsd(line, line_decimal);
    if (rsd && !std::isfinite(*rsd))
      synergy::detail::fail(path, l + 1, "relative deviation is not a finite number");
    if (detail::is_block_header(line)) {
      if (!open.block.events.empty()) open.close(out.blocks);
      continue;
    }
    if (detail::read_elapsed(line, tok, line_decimal, open, out.blocks)) {
      const auto& e = out.blocks.back().elapsed_s;
      if (e && !std::isfinite(*e))
        synergy::detail::fail(path, l + 1, "elapsed time '" + tok[0] + "' is not a finite number");
      continue;
    }
    if (auto row = detail::parse_interval(tok, path, l + 1)) {
      rows.push_back(std::move(*row));
      continue;
    }
    (void)detail::read_total(tok, rsd, line_decimal, open, path, l + 1);
  }
  if (!open.block.events.empty()) open.close(out.blocks);
  if (!rows.empty()) out.intervals = detail::intervals_to_trace(rows, path);
  return out;
}

}  // namespace synergy::measure
