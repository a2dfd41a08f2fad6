#pragma once
/// @file
/// Line-oriented text helpers shared by every stage that reads text (replay readers, markers,
/// datasets, sysfs): trimming, splitting, locale-aware number parsing (decimal comma or point),
/// civil dates, and `fail` for a `parse_error` naming file and line.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/errors.hpp"
#include "synergy/text.hpp"

namespace synergy::detail {

using synergy::read_lines;

/// `s` without leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Splits on `sep`, trimming each field.
inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  return out;
}

/// Whitespace-separated tokens.
inline std::vector<std::string> tokens(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > b) out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

/// Parses a whole field as a double; nullopt unless all of it is a number.
inline std::optional<double> to_double(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

/// The largest count `to_count` accepts by default: below 2^63 and exactly a double.
inline constexpr double count_limit = 9.0e18;

/// Parses a whole field as a count: a whole number in [0, `max`], written as an integer or in
/// floating-point notation ("1e6", "1000.0"); nullopt otherwise (2.5, -1, nan, 1e30). Never a
/// cast of an out-of-range double, which is undefined behaviour. Precondition: `max` is a whole
/// number in [0, count_limit].
inline std::optional<std::int64_t> to_count(std::string_view s, double max = count_limit) {
  const auto v = to_double(s);
  if (!v || !(*v >= 0 && *v <= max && *v == std::floor(*v))) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

/// Parses a number printed in a locale whose decimal separator is `decimal` ('.' or ','):
/// the other character is a thousands separator and is dropped ("2.568,14" with ',' →
/// 2568.14; "1,990,524" with '.' → 1990524). nullopt when not a number.
inline std::optional<double> to_double_locale(std::string_view s, char decimal) {
  const char thousands = decimal == ',' ? '.' : ',';
  std::string clean;
  for (char c : trim(s)) {
    if (c == thousands) continue;
    clean.push_back(c == decimal ? '.' : c);
  }
  return to_double(clean);
}

/// Throws a `parse_error` "<file>:<line>: <reason>".
[[noreturn]] inline void fail(const std::string& file, std::size_t line,
                              const std::string& reason) {
  throw parse_error(file, line, reason);
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-date algorithm).
constexpr long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

/// Seconds since the epoch of a wall-clock date and time (time zone as written, not applied).
constexpr double civil_seconds(long long y, unsigned mo, unsigned d, unsigned h, unsigned mi,
                               double s) {
  return static_cast<double>(days_from_civil(y, mo, d)) * 86400.0 + h * 3600.0 + mi * 60.0 + s;
}

}  // namespace synergy::detail
