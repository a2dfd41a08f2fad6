#pragma once
/// @file
/// One line of NVIDIA's `tegrastats` output, in all four known shapes:
///   1. no rails at all (TX1, L4T 28: `cpu [..]@f EMC .. GR3D ..`) — power must come from the
///      INA3221 sysfs files instead;
///   2. `NAME cur/avg` without unit, mW (TX2/Xavier/Nano on JetPack ≤ 4: `VDD_IN 3566/3566`,
///      `POM_5V_IN 2746/2911`, bare `GPU 463/463` on AGX Xavier JP 4.2);
///   3. `NAME curmW/avgmW`, lines prefixed by `MM-DD-YYYY HH:MM:SS` (JetPack 5/6 --logfile);
///   4. `NAME curmW/avgmW/maxmW` (JetPack 7).
/// A rail is a token starting with a letter followed by `cur/avg[/max]` numbers without a unit
/// or with `mW` (RAM and SWAP carry MB/kB and are not rails). Used by the live source
/// (`tegrastats_live.hpp`) and the log reader (`measure/replay/tegrastats.hpp`) alike.
///
/// The parser is a single forward scan without regular expressions or recursion, so its time
/// and stack are O(line) whatever the line holds (a 30,000-digit token included).

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/detail/text.hpp"

namespace synergy::sources {

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
  std::optional<double>
      time_s;  ///< from the `MM-DD-YYYY HH:MM:SS` prefix (epoch s, local time as logged)
  std::vector<tegrastats_rail> rails;
  tegrastats_format format = tegrastats_format::no_rails;
};

namespace detail {

/// The values of a `cur/avg[/max]` token, each `digits[.digits]` with an optional `mW`.
struct tegrastats_values {
  double v[3] = {0, 0, 0};
  int count = 0;
  bool milliwatt = false;
};

/// Parses `digits[.digits]` at the front of `s`, advancing it; nullopt when `s` does not start
/// with a digit. Throws std::invalid_argument when the number is not a finite double.
inline std::optional<double> tegrastats_number(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
  if (n == 0) return std::nullopt;
  if (n < s.size() && s[n] == '.') {
    std::size_t m = n + 1;
    while (m < s.size() && std::isdigit(static_cast<unsigned char>(s[m]))) ++m;
    if (m == n + 1) return std::nullopt;  // "12." is not a number here
    n = m;
  }
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + n, v);
  if (ec != std::errc{} || p != s.data() + n || !std::isfinite(v))
    throw std::invalid_argument("tegrastats value '" +
                                std::string(s.substr(0, std::min<std::size_t>(n, 40))) +
                                (n > 40 ? "…" : "") + "' is out of range");
  s.remove_prefix(n);
  return v;
}

/// `cur/avg[/max]` with an optional `mW` after each number; nullopt for any other token.
inline std::optional<tegrastats_values> tegrastats_value_token(std::string_view s) {
  tegrastats_values out;
  for (;;) {
    const auto v = tegrastats_number(s);
    if (!v) return std::nullopt;
    out.v[out.count++] = *v;
    if (s.substr(0, 2) == "mW") {
      out.milliwatt = true;
      s.remove_prefix(2);
    }
    if (s.empty()) break;
    if (s.front() != '/' || out.count == 3) return std::nullopt;
    s.remove_prefix(1);
  }
  if (out.count < 2) return std::nullopt;
  return out;
}

/// Epoch seconds of a `MM-DD-YYYY` `HH:MM:SS` pair, nullopt when the tokens are not that.
inline std::optional<double> tegrastats_timestamp(const std::string& date,
                                                  const std::string& time) {
  int mo = 0, d = 0, y = 0, h = 0, mi = 0, s = 0;
  char tail = 0;
  if (std::sscanf(date.c_str(), "%2d-%2d-%4d%c", &mo, &d, &y, &tail) != 3 ||
      std::sscanf(time.c_str(), "%2d:%2d:%2d%c", &h, &mi, &s, &tail) != 3)
    return std::nullopt;
  return synergy::detail::civil_seconds(y, static_cast<unsigned>(mo), static_cast<unsigned>(d),
                                        static_cast<unsigned>(h), static_cast<unsigned>(mi), s);
}

}  // namespace detail

/// Parses one line; nullopt when it is not a tegrastats record (no `RAM` field). Throws
/// std::invalid_argument naming the token when a rail's value is out of the range of a double
/// (callers add the file and line). O(line length), no recursion.
[[nodiscard]] inline std::optional<tegrastats_record> parse_tegrastats_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const auto tok = synergy::detail::tokens(line);
  std::size_t i = 0;
  tegrastats_record r;
  if (tok.size() >= 2)
    if (const auto t = detail::tegrastats_timestamp(tok[0], tok[1])) {
      r.time_s = t;
      i = 2;
    }
  if (i >= tok.size() || tok[i] != "RAM") return std::nullopt;
  for (std::size_t k = i + 1; k + 1 < tok.size(); ++k) {
    if (!std::isalpha(static_cast<unsigned char>(tok[k][0]))) continue;
    const auto v = detail::tegrastats_value_token(tok[k + 1]);
    if (!v) continue;
    tegrastats_rail rail{tok[k], v->v[0], v->v[1], std::nullopt};
    if (v->count == 3) rail.max_mw = v->v[2];
    r.format = v->count == 3  ? tegrastats_format::mw_cur_avg_max
               : v->milliwatt ? tegrastats_format::mw_cur_avg
                              : tegrastats_format::unitless_cur_avg;
    r.rails.push_back(std::move(rail));
    ++k;
  }
  return r;
}

}  // namespace synergy::sources
