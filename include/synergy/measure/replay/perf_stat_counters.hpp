#pragma once
/// @file
/// Recorded hardware counters: `perf stat -I <ms> -x<sep> -e <events>` output (several events
/// per interval), and the project's own per-region counter file `counters.csv` (written by
/// `synergy profile --counters`, read by the counter model).
///
/// perf's CSV fields (tools/perf/Documentation/perf-stat.txt, "CSV FORMAT"), in order:
/// interval time (s, with -I), an optional aggregation id (`CPU3` with -A; `S0` / `S0-D0` /
/// `S0-D0-C1` / `N0` followed by the number of CPUs aggregated with --per-socket/-die/-core/
/// -node), the counter value, its unit (often empty), the event name, the counter's run time
/// (ns), the percentage of the measurement time it ran, then optional variance and metric
/// fields (ignored here). The value is `<not counted>` or `<not supported>` when there is no
/// count: read as "no value", never 0. perf already scales multiplexed values by
/// enabled / running; the percentage says by how much (< 100: multiplexed).
/// Locales: perf prints the time with '.', but values and percentages with the locale's
/// decimal mark, so a decimal-comma locale needs another separator (-x';', as the man page
/// recommends); the separator is taken from the first data line, and the decimal mark is ','
/// when the separator is not ',' and a number shows it, else '.'.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/errors.hpp"

namespace synergy::measure {

/// One event in one interval of `perf stat -I -x`.
struct perf_counter_value {
  std::optional<double> value;  ///< scaled count; nullopt for `<not counted>`/`<not supported>`
  std::string status;           ///< "" when counted, else "not counted" / "not supported"
  double running_pct = 0;       ///< % of the interval the counter ran (< 100: multiplexed)
  std::string unit;             ///< perf's unit field (often empty; "msec" for task-clock)
};

/// One interval (of one aggregation id) with a value for every event.
struct perf_counter_interval {
  double t_s = 0;                          ///< end of the interval, s since perf started
  std::string where;                       ///< aggregation id ("CPU3", "S0"); "" without one
  std::vector<perf_counter_value> values;  ///< one per `perf_stat_counters::events`
  std::size_t line = 0;                    ///< 1-based line of the interval's first row
};

/// A whole `perf stat -I -x` file.
struct perf_stat_counters {
  std::vector<std::string> events;  ///< in order of first appearance ("instructions:u")
  std::vector<perf_counter_interval> intervals;  ///< in file order
  char separator = ',';
  char decimal = '.';
  /// Index of `event`; throws std::out_of_range listing the events.
  [[nodiscard]] std::size_t index_of(const std::string& event) const {
    for (std::size_t i = 0; i < events.size(); ++i)
      if (events[i] == event) return i;
    std::string known;
    for (const auto& e : events) known += (known.empty() ? "" : ", ") + e;
    throw std::out_of_range("perf stat counters: no event '" + event + "' (events: " + known + ")");
  }
};

namespace detail {

/// Whether `f` is an aggregation id followed by a CPU count (S0, S0-D0, S0-D0-C1, N0).
inline bool is_aggregate_id(const std::string& f) {
  return f.size() >= 2 && (f[0] == 'S' || f[0] == 'N') &&
         std::isdigit(static_cast<unsigned char>(f[1]));
}
/// Whether `f` is a per-CPU id (CPU3) of -A.
inline bool is_cpu_id(const std::string& f) {
  return f.size() > 3 && f.rfind("CPU", 0) == 0 && std::isdigit(static_cast<unsigned char>(f[3]));
}

}  // namespace detail

/// Reads `perf stat -I <ms> -x<sep>` output. Lines that are empty or start with '#' (perf's
/// "# started on …") are skipped. Throws `parse_error` naming the file and line for: a line
/// with fewer than 6 fields or no interval time (not -I -x output), a value or percentage that
/// is not a number, an event missing from an interval or given twice in it, a time that goes
/// backwards, and a file without any counter line.
[[nodiscard]] inline perf_stat_counters read_perf_stat_counters(const std::string& path) {
  const auto lines = synergy::read_lines(path);
  perf_stat_counters out;
  bool have_sep = false;
  // Rows first, then intervals: an interval is every row with the same (time, where).
  struct row {
    double t;
    std::string where, event;
    perf_counter_value v;
    std::size_t line;
  };
  std::vector<row> rows;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const std::string_view text = synergy::detail::trim(lines[l]);
    if (text.empty() || text.front() == '#') continue;
    if (!have_sep) {
      // The separator follows the interval time "  1.000395052": the first char after it
      // that is not a digit or '.'.
      std::size_t i = 0;
      while (i < text.size() &&
             (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
      if (i == 0 || i >= text.size())
        synergy::detail::fail(path, l + 1,
                              "not perf stat -I -x output: expected an interval time, then a "
                              "separator");
      out.separator = text[i];
      have_sep = true;
    }
    auto f = synergy::detail::split(text, out.separator);
    const auto t = synergy::detail::to_double(f[0]);
    if (!t || f[0].find('.') == std::string::npos)
      synergy::detail::fail(
          path, l + 1, "first field '" + f[0] + "' is not an interval time (use perf stat -I)");
    std::size_t k = 1;
    std::string where;
    if (f.size() > k && detail::is_cpu_id(f[k]))
      where = f[k++];
    else if (f.size() > k + 1 && detail::is_aggregate_id(f[k])) {
      where = f[k];
      k += 2;  // the id and its CPU count
    }
    if (f.size() < k + 5)
      synergy::detail::fail(path, l + 1,
                            std::to_string(f.size()) +
                                " fields: expected time, value, unit, event, run time, percentage");
    row r{*t, where, f[k + 2], {}, l + 1};
    if (r.event.empty()) synergy::detail::fail(path, l + 1, "empty event name");
    const std::string& value = f[k];
    r.v.unit = f[k + 1];
    const auto number = [&](const std::string& s, const char* what) {
      if (out.separator != ',' && s.find(',') != std::string::npos) out.decimal = ',';
      const auto v = synergy::detail::to_double_locale(s, out.decimal);
      if (!v || !std::isfinite(*v))
        synergy::detail::fail(path, l + 1, std::string(what) + " '" + s + "' is not a number");
      return *v;
    };
    if (value == "<not counted>" || value == "<not supported>") {
      r.v.status = value.substr(1, value.size() - 2);
      r.v.running_pct = f[k + 4].empty() ? 0.0 : number(f[k + 4], "percentage");
    } else {
      r.v.value = number(value, "counter value");
      r.v.running_pct = number(f[k + 4], "percentage");
    }
    rows.push_back(std::move(r));
  }
  if (rows.empty()) synergy::detail::fail(path, 0, "no counter line (perf stat -I -x output?)");
  for (const auto& r : rows)
    if (std::find(out.events.begin(), out.events.end(), r.event) == out.events.end())
      out.events.push_back(r.event);
  std::map<std::string, std::size_t> open;  // where → index of its current interval
  for (const auto& r : rows) {
    const auto e = static_cast<std::size_t>(
        std::find(out.events.begin(), out.events.end(), r.event) - out.events.begin());
    auto it = open.find(r.where);
    if (it == open.end() || out.intervals[it->second].t_s != r.t) {
      if (it != open.end() && r.t < out.intervals[it->second].t_s)
        synergy::detail::fail(path, r.line, "interval time goes backwards");
      out.intervals.push_back(
          {r.t, r.where, std::vector<perf_counter_value>(out.events.size()), r.line});
      for (auto& v : out.intervals.back().values) v.status = "missing";
      open[r.where] = out.intervals.size() - 1;
      it = open.find(r.where);
    }
    auto& slot = out.intervals[it->second].values[e];
    if (slot.status != "missing")
      synergy::detail::fail(path, r.line, "event " + r.event + " given twice in one interval");
    slot = r.v;
  }
  for (const auto& iv : out.intervals)
    for (std::size_t e = 0; e < out.events.size(); ++e)
      if (iv.values[e].status == "missing")
        synergy::detail::fail(
            path, iv.line,
            "interval ending at " + std::to_string(iv.t_s) + " s lacks event " + out.events[e]);
  return out;
}

/// The counter columns of `counters.csv`, in file order. `instructions`: instructions retired
/// (perf) or executed (callgrind Ir); `cycles`; `simd_ops`: SIMD/FP instructions (Arm
/// ASE_SPEC + VFP_SPEC, x86 fp_arith_inst_retired.*); `llc_misses`: last-level misses (perf
/// cache-misses, callgrind DLmr + DLmw + ILmr); `bus_accesses` (Arm BUS_ACCESS); `data_reads`,
/// `data_writes` (callgrind Dr, Dw).
inline constexpr const char* counter_columns[] = {"instructions", "cycles",       "simd_ops",
                                                  "llc_misses",   "bus_accesses", "data_reads",
                                                  "data_writes"};
/// Number of counter columns.
inline constexpr std::size_t counter_column_count = std::size(counter_columns);

/// One row of `counters.csv`: one layer of one network counted once.
/// File format (header line, then one row per region, ',' separated, '.' decimal, no quoting;
/// names must not contain ',' or newlines):
///   `region,network,layer,layer_type,platform,counter_source,macs,data_volume,` + the
///   `counter_columns` + `,running_fraction`.
/// `region` is the annotation region's name "<network>/<layer>"; `platform` the backend it ran
/// on ("openblas"); `counter_source` "callgrind" (simulated) or "perf" (hardware); `macs` and
/// `data_volume` (elements) the layer's counts (Eqs 1–3); an empty counter cell = not measured
/// (a counter the source lacks, or `<not counted>`), never 0; `running_fraction` the share of
/// the region the perf group ran (1 for callgrind; < 1: multiplexed and scaled).
struct counter_row {
  std::string region, network, layer, layer_type, platform, counter_source;
  std::int64_t macs = 0, data_volume = 0;
  std::optional<double> counters[counter_column_count];  ///< in `counter_columns` order
  double running_fraction = 1.0;
};

/// Index of the counter column `name` in `counter_columns`; throws std::out_of_range listing
/// them.
[[nodiscard]] inline std::size_t counter_column(const std::string& name) {
  for (std::size_t i = 0; i < counter_column_count; ++i)
    if (name == counter_columns[i]) return i;
  std::string known;
  for (const char* c : counter_columns) known += (known.empty() ? "" : ", ") + std::string(c);
  throw std::out_of_range("no counter column '" + name + "' (columns: " + known + ")");
}

/// Writes `rows` in the `counters.csv` format (see `counter_row`). Throws
/// std::invalid_argument naming the row when a name holds ',' or a newline.
inline void write_counter_csv(std::ostream& os, const std::vector<counter_row>& rows) {
  os << "region,network,layer,layer_type,platform,counter_source,macs,data_volume";
  for (const char* c : counter_columns) os << ',' << c;
  os << ",running_fraction\n";
  os.precision(17);
  for (const auto& r : rows) {
    for (const auto* s :
         {&r.region, &r.network, &r.layer, &r.layer_type, &r.platform, &r.counter_source})
      if (s->find_first_of(",\n\r") != std::string::npos)
        throw std::invalid_argument("counters.csv: '" + *s + "' holds ',' or a newline");
    os << r.region << ',' << r.network << ',' << r.layer << ',' << r.layer_type << ',' << r.platform
       << ',' << r.counter_source << ',' << r.macs << ',' << r.data_volume;
    for (const auto& c : r.counters) {
      os << ',';
      if (c) os << *c;
    }
    os << ',' << r.running_fraction << '\n';
  }
}

/// Reads a `counters.csv` (columns found by name, any order; unknown columns ignored). Throws
/// `parse_error` naming the file and line for a missing column, a row with another number of
/// fields than the header, a number that does not parse or is negative, and MACs or a data
/// volume that are not whole numbers in [0, 9·10^18].
[[nodiscard]] inline std::vector<counter_row> read_counter_csv(const std::string& path) {
  const auto lines = synergy::read_lines(path);
  if (lines.empty()) synergy::detail::fail(path, 0, "empty file (no header)");
  const auto header = synergy::detail::split(lines[0], ',');
  const auto col = [&](const std::string& name) -> std::optional<std::size_t> {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) return std::nullopt;
    return static_cast<std::size_t>(it - header.begin());
  };
  const auto need = [&](const std::string& name) {
    const auto c = col(name);
    if (!c) synergy::detail::fail(path, 1, "no column '" + name + "'");
    return *c;
  };
  const std::size_t c_region = need("region"), c_net = need("network"), c_layer = need("layer"),
                    c_type = need("layer_type"), c_platform = need("platform"),
                    c_macs = need("macs"), c_volume = need("data_volume");
  const auto c_source = col("counter_source"), c_running = col("running_fraction");
  std::optional<std::size_t> c_counter[counter_column_count];
  for (std::size_t i = 0; i < counter_column_count; ++i) c_counter[i] = col(counter_columns[i]);
  std::vector<counter_row> out;
  for (std::size_t l = 1; l < lines.size(); ++l) {
    if (synergy::detail::trim(lines[l]).empty()) continue;
    const auto f = synergy::detail::split(lines[l], ',');
    if (f.size() != header.size())
      synergy::detail::fail(
          path, l + 1,
          std::to_string(f.size()) + " fields for " + std::to_string(header.size()) + " columns");
    const auto number = [&](std::size_t c) {
      const auto v = synergy::detail::to_double(f[c]);
      if (!v || !std::isfinite(*v) || *v < 0)
        synergy::detail::fail(
            path, l + 1, "column '" + header[c] + "': '" + f[c] + "' is not a non-negative number");
      return *v;
    };
    // MACs and data volume are counts: whole, and held by an int64 (a cast of 1e30 would be
    // undefined behaviour, 2.5 no count).
    const auto count = [&](std::size_t c) {
      const auto v = synergy::detail::to_count(f[c]);
      if (!v)
        synergy::detail::fail(
            path, l + 1,
            "column '" + header[c] + "': '" + f[c] + "' is not a whole number in [0, " +
                std::to_string(static_cast<std::int64_t>(synergy::detail::count_limit)) + "]");
      return *v;
    };
    counter_row r;
    r.region = f[c_region];
    r.network = f[c_net];
    r.layer = f[c_layer];
    r.layer_type = f[c_type];
    r.platform = f[c_platform];
    r.counter_source = c_source ? f[*c_source] : "";
    r.macs = count(c_macs);
    r.data_volume = count(c_volume);
    for (std::size_t i = 0; i < counter_column_count; ++i)
      if (c_counter[i] && !f[*c_counter[i]].empty()) r.counters[i] = number(*c_counter[i]);
    if (c_running && !f[*c_running].empty()) r.running_fraction = number(*c_running);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace synergy::measure
