#pragma once
/// @file
/// Marker files: reading and writing regions as timestamped labels.
///   - SyNERGY's convention: `start` before a run, `<name>___<OpType>` before each layer,
///     `end` after the last layer; a layer lasts until the next marker. Text lines
///     `<time_s> <label>` (or `<time_s>,<label>`).
///   - The library's own CSV: header `time [s],event,name,op_type`, rows with `begin` or
///     `end`; regions may nest or overlap (several threads). Files written before the
///     region field was renamed call the last column `layer_type`; they read the same.
///   - Other runtimes' per-layer profiles (measure/runtime_trace.hpp): PyTorch's profiler trace
///     and ONNX Runtime's profiling JSON, events with `ts`/`dur` in µs.
/// `read_marker_file` recognises all of them by content; times are seconds on the steady clock
/// of the machine that recorded them (the same clock as the sampler's trace), except a runtime
/// profile without an anchor, whose time base `runtime_trace::time_base` names (give an offset).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/annotation.hpp"
#include "synergy/measure/region.hpp"
#include "synergy/measure/runtime_trace.hpp"

namespace synergy::measure {

/// Separator between layer name and op type in SyNERGY's labels.
inline constexpr const char* synergy_marker_separator = "___";

/// Header line of the library's marker CSV, as `write_region_csv` writes it.
inline constexpr std::string_view region_csv_header = "time [s],event,name,op_type";

namespace detail {

/// Names of the marker CSV's fourth column that `read_marker_file` accepts: `op_type`, and
/// `layer_type`, as the library wrote it before — recordings made then stay readable.
inline constexpr std::array<std::string_view, 2> region_csv_op_type_columns{"op_type",
                                                                            "layer_type"};

/// Whether `fields` (a split header line) is a marker CSV header the reader knows.
inline bool is_region_csv_header(const std::vector<std::string>& fields) {
  if (fields.size() != 4 || fields[0] != "time [s]" || fields[1] != "event" || fields[2] != "name")
    return false;
  return std::find(region_csv_op_type_columns.begin(), region_csv_op_type_columns.end(),
                   fields[3]) != region_csv_op_type_columns.end();
}

}  // namespace detail

/// Regions of SyNERGY-convention markers: each `start` opens a run (runs numbered from 0);
/// `<name>___<type>` starts a layer that ends at the next marker; `end` closes the run.
/// Throws `std::invalid_argument` naming the marker for a layer marker outside start/end, a
/// label without `___`, a time that is not finite or goes backwards, or a run never ended.
[[nodiscard]] inline std::vector<region> regions_from_synergy_markers(
    const std::vector<marker>& ms) {
  std::vector<region> out;
  bool in_run = false;
  int run = -1;
  std::optional<region> cur;
  double prev_t = -1e300;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const auto& m = ms[i];
    const std::string where = "marker " + std::to_string(i + 1) + " '" + m.label + "'";
    if (!std::isfinite(m.t_s)) throw std::invalid_argument(where + ": time is not a finite number");
    if (m.t_s < prev_t) throw std::invalid_argument(where + ": time goes backwards");
    prev_t = m.t_s;
    if (cur) {
      cur->t1_s = m.t_s;
      out.push_back(*cur);
      cur.reset();
    }
    if (m.label == "start") {
      if (in_run) throw std::invalid_argument(where + ": start inside a run (missing end)");
      in_run = true;
      ++run;
    } else if (m.label == "end") {
      if (!in_run) throw std::invalid_argument(where + ": end without start");
      in_run = false;
    } else {
      if (!in_run) throw std::invalid_argument(where + ": layer marker outside start/end");
      const auto p = m.label.rfind(synergy_marker_separator);
      if (p == std::string::npos)
        throw std::invalid_argument(where + ": expected '<name>___<OpType>'");
      cur = region{m.label.substr(0, p), m.label.substr(p + 3), m.t_s, m.t_s, run, std::nullopt};
    }
  }
  if (in_run) throw std::invalid_argument("markers: last run has no 'end'");
  return out;
}

/// SyNERGY-convention markers of sequential regions (one run = consecutive regions of the
/// same `run`): `start` at the first begin, a label at each begin, `end` at the last end.
/// Throws `std::invalid_argument` when regions of a run overlap (the convention cannot say so).
[[nodiscard]] inline std::vector<marker> synergy_markers_from_regions(
    const std::vector<region>& rs) {
  std::vector<marker> out;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const bool first = i == 0 || rs[i].run != rs[i - 1].run;
    if (!first && rs[i].t0_s < rs[i - 1].t1_s)
      throw std::invalid_argument("region '" + rs[i].name + "' overlaps '" + rs[i - 1].name +
                                  "': SyNERGY markers need sequential layers");
    if (first) {
      if (i) out.push_back({rs[i - 1].t1_s, "end"});
      out.push_back({rs[i].t0_s, "start"});
    }
    out.push_back({rs[i].t0_s, rs[i].name + synergy_marker_separator + rs[i].op_type});
  }
  if (!rs.empty()) out.push_back({rs.back().t1_s, "end"});
  return out;
}

/// Writes markers as `<time_s> <label>` lines (ns resolution).
inline void write_synergy_markers(std::ostream& out, const std::vector<marker>& ms) {
  char buf[32];
  for (const auto& m : ms) {
    std::snprintf(buf, sizeof buf, "%.9f", m.t_s);
    out << buf << ' ' << m.label << '\n';
  }
}

/// Writes regions in the library's CSV (`region_csv_header`, then begin and end rows,
/// time-ordered).
inline void write_region_csv(std::ostream& out, const std::vector<region>& rs) {
  struct row {
    double t;
    bool begin;
    const region* r;
  };
  std::vector<row> rows;
  for (const auto& r : rs) rows.push_back({r.t0_s, true, &r}), rows.push_back({r.t1_s, false, &r});
  std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return a.t < b.t; });
  out << region_csv_header << '\n';
  char buf[32];
  for (const auto& x : rows) {
    std::snprintf(buf, sizeof buf, "%.9f", x.t);
    out << buf << ',' << (x.begin ? "begin" : "end") << ',' << x.r->name << ',' << x.r->op_type
        << '\n';
  }
}

/// Reads a marker file of any kind into regions: text starting with `[` or `{` is a runtime
/// profile (`read_runtime_trace` with `runtime`: its layer events, times as that function
/// documents); a first line starting `time [s],event,name` makes it the library's CSV, with
/// `op_type` or the older `layer_type` as the last column; anything else SyNERGY's convention.
/// Throws `parse_error` naming file and line for an unknown CSV header, a malformed row, a
/// time that is not a finite number (nan, inf), the errors of
/// `regions_from_synergy_markers` / pairing, and those of `parse_runtime_trace`.
[[nodiscard]] inline std::vector<region> read_marker_file(
    const std::string& path, const runtime_trace_options& runtime = {}) {
  const auto lines = synergy::detail::read_lines(path);
  std::size_t l = 0;
  while (l < lines.size() && synergy::detail::trim(lines[l]).empty()) ++l;
  if (l == lines.size()) synergy::detail::fail(path, 0, "no markers");
  if (looks_like_runtime_trace(lines[l])) return read_runtime_trace(path, runtime).layers;
  if (lines[l].rfind("time [s],event,name", 0) == 0) {
    if (!detail::is_region_csv_header(synergy::detail::split(lines[l], ',')))
      synergy::detail::fail(path, l + 1,
                            "marker CSV header '" + lines[l] + "': expected '" +
                                std::string(region_csv_header) +
                                "' (or its older form ending in 'layer_type')");
    annotator a(lines.size());
    for (++l; l < lines.size(); ++l) {
      if (synergy::detail::trim(lines[l]).empty()) continue;
      const auto f = synergy::detail::split(lines[l], ',');
      if (f.size() != 4 || (f[1] != "begin" && f[1] != "end"))
        synergy::detail::fail(path, l + 1, "expected 'time,begin|end,name,op_type'");
      const auto t = synergy::detail::to_double(f[0]);
      if (!t || !std::isfinite(*t))
        synergy::detail::fail(path, l + 1, "time '" + f[0] + "' is not a finite number");
      a.record(a.region(f[2], f[3]), f[1] == "begin", *t);
    }
    try {
      return a.regions();
    } catch (const std::logic_error& e) {
      synergy::detail::fail(path, 0, e.what());
    }
  }
  std::vector<marker> ms;
  for (; l < lines.size(); ++l) {
    const auto line = synergy::detail::trim(lines[l]);
    if (line.empty() || line.front() == '#') continue;
    const auto p = line.find_first_of(" ,\t");
    const auto t =
        p == std::string::npos ? std::nullopt : synergy::detail::to_double(line.substr(0, p));
    if (!t) synergy::detail::fail(path, l + 1, "expected '<time_s> <label>'");
    if (!std::isfinite(*t))
      synergy::detail::fail(path, l + 1,
                            "time '" + std::string(line.substr(0, p)) + "' is not a finite number");
    ms.push_back({*t, std::string(synergy::detail::trim(line.substr(p + 1)))});
  }
  try {
    return regions_from_synergy_markers(ms);
  } catch (const std::invalid_argument& e) {
    synergy::detail::fail(path, 0, e.what());
  }
}

}  // namespace synergy::measure
