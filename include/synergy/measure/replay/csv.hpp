#pragma once
/// @file
/// Generic CSV traces: a time column and power or cumulative-energy columns, units in the
/// header — `name [unit]` or `name_unit` (e.g. `time [s]`, `time_ms`, `VDD_IN [mW]`,
/// `power_W`, `energy [uJ]`). Time units s, ms, us/µs, ns; power W, mW, uW/µW; energy J,
/// mJ, uJ/µJ. Power columns give an `instantaneous` trace. Cumulative energy columns give an
/// `interval_mean` trace: the sample at t_k holds (E_k − E_{k−1}) / (t_k − t_{k−1}), the mean
/// power over (t_{k−1}, t_k], and sample 0 (at the first reading) repeats sample 1's value,
/// so attribution reproduces every ΔE exactly. What `write_csv(trace)` and a streaming
/// sampler write reads back with the same kind and integrals.

#include <cmath>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/trace.hpp"

namespace synergy::measure {

namespace detail {

struct csv_column {
  std::string name;
  std::string kind;  // "time", "power", "energy"
  double scale = 1;  // to s, W or J
};

/// Splits a header cell into name and unit: "a [mW]" → {a, mW}; "a_mW" → {a, mW}.
inline std::pair<std::string, std::string> name_and_unit(const std::string& cell) {
  const auto lb = cell.find('[');
  if (lb != std::string::npos && cell.back() == ']')
    return {std::string(synergy::detail::trim(cell.substr(0, lb))),
            cell.substr(lb + 1, cell.size() - lb - 2)};
  const auto us = cell.rfind('_');
  if (us != std::string::npos) return {cell.substr(0, us), cell.substr(us + 1)};
  return {cell, ""};
}

inline std::optional<csv_column> classify(const std::string& cell) {
  auto [name, unit] = name_and_unit(cell);
  if (unit == "µs") unit = "us";
  if (unit == "µW") unit = "uW";
  if (unit == "µJ") unit = "uJ";
  static const std::pair<const char*, double> time_units[] = {
      {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
  static const std::pair<const char*, double> power_units[] = {
      {"W", 1}, {"mW", 1e-3}, {"uW", 1e-6}};
  static const std::pair<const char*, double> energy_units[] = {
      {"J", 1}, {"mJ", 1e-3}, {"uJ", 1e-6}};
  const bool timeish = name.rfind("time", 0) == 0 || name == "t" || name == "timestamp";
  for (auto [u, f] : time_units)
    if (unit == u && timeish) return csv_column{name, "time", f};
  for (auto [u, f] : power_units)
    if (unit == u) return csv_column{name, "power", f};
  for (auto [u, f] : energy_units)
    if (unit == u) return csv_column{name, "energy", f};
  return std::nullopt;
}

}  // namespace detail

/// Reads a generic CSV trace. Throws `parse_error` naming file and line for a header
/// without a time column or without any power/energy column, a cell that is not a finite
/// number (nan, inf), a row of the wrong width, time going backwards, or (energy) fewer than
/// two readings, two readings at one time, or a decreasing energy. Empty lines are skipped.
[[nodiscard]] inline trace read_csv_trace(const std::string& path) {
  const auto lines = synergy::detail::read_lines(path);
  std::size_t h = 0;
  while (h < lines.size() && synergy::detail::trim(lines[h]).empty()) ++h;
  if (h == lines.size()) synergy::detail::fail(path, 0, "empty file");
  const auto header = synergy::detail::split(lines[h], ',');
  std::optional<std::size_t> time_col;
  std::vector<std::pair<std::size_t, detail::csv_column>> cols;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto c = detail::classify(header[i]);
    if (!c) continue;
    if (c->kind == "time" && !time_col)
      time_col = i, cols.insert(cols.begin(), {i, *c});
    else if (c->kind != "time")
      cols.push_back({i, *c});
  }
  if (!time_col)
    synergy::detail::fail(path, h + 1, "no time column with a unit (e.g. 'time [s]', 'time_ms')");
  if (cols.size() < 2)
    synergy::detail::fail(
        path, h + 1, "no power or energy column with a unit (e.g. 'VDD_IN [mW]', 'energy_uJ')");
  const double tscale = cols.front().second.scale;
  const bool energy = cols[1].second.kind == "energy";
  trace tr;
  for (std::size_t j = 1; j < cols.size(); ++j) {
    if ((cols[j].second.kind == "energy") != energy)
      synergy::detail::fail(path, h + 1, "mixes power and energy columns");
    tr.channels.push_back(cols[j].second.name);
  }
  tr.kind = energy ? sources::sample_kind::interval_mean : sources::sample_kind::instantaneous;
  std::vector<double> row(tr.width()), prev_e(tr.width());
  double prev_t = 0;
  bool first = true;
  for (std::size_t l = h + 1; l < lines.size(); ++l) {
    if (synergy::detail::trim(lines[l]).empty()) continue;
    const auto cells = synergy::detail::split(lines[l], ',');
    if (cells.size() != header.size())
      synergy::detail::fail(
          path, l + 1,
          std::to_string(cells.size()) + " fields, header has " + std::to_string(header.size()));
    auto num = [&](std::size_t col) {
      const auto v = synergy::detail::to_double(cells[col]);
      if (!v || !std::isfinite(*v))
        synergy::detail::fail(
            path, l + 1, "column '" + header[col] + "': not a finite number: '" + cells[col] + "'");
      return *v;
    };
    const double t = num(*time_col) * tscale;
    for (std::size_t j = 1; j < cols.size(); ++j)
      row[j - 1] = num(cols[j].first) * cols[j].second.scale;
    if (!first && t < prev_t) synergy::detail::fail(path, l + 1, "time goes backwards");
    if (energy) {
      if (!first) {
        if (t == prev_t) synergy::detail::fail(path, l + 1, "two energy readings at the same time");
        std::vector<double> p(tr.width());
        for (std::size_t c = 0; c < p.size(); ++c) {
          if (row[c] < prev_e[c])
            synergy::detail::fail(path, l + 1,
                                  "cumulative energy decreases in '" + tr.channels[c] +
                                      "' (wrapped counter? unwrap it first)");
          p[c] = (row[c] - prev_e[c]) / (t - prev_t);
        }
        // Sample 0 only marks where the first interval begins; giving it the first interval's
        // mean keeps plots honest (attribution never reads it).
        if (tr.size() == 0) tr.push(prev_t, p);
        tr.push(t, p);  // the mean over (prev_t, t]
      }
      prev_e = row;
    } else {
      tr.push(t, row);
    }
    prev_t = t;
    first = false;
  }
  if (tr.size() == 0)
    synergy::detail::fail(path, h + 1,
                          energy ? "fewer than two energy readings (no interval)" : "no samples");
  if (energy)
    tr.notes.push_back("energy columns converted to mean power per interval (interval_mean)");
  if (tr.size() > 1)
    tr.period_s = (tr.time_s.back() - tr.time_s.front()) / static_cast<double>(tr.size() - 1);
  tr.clock =
      sources::time_base::device;  // the file's time column as written: its origin is unknown
  return tr;
}

}  // namespace synergy::measure
