#pragma once
/// @file
/// nvidia-smi CSV logs (`nvidia-smi --query-gpu=timestamp,power.draw --format=csv -lms N`):
/// header `timestamp, ..., power.draw [W]` (also `power.draw.instant [W]` and
/// `power.draw.average [W]` of newer drivers), values like `22.89 W`, timestamps
/// `YYYY/MM/DD HH:MM:SS.mmm` in local time. `[N/A]`/`[Not Supported]` readings are skipped
/// and counted in `notes`, never read as 0. The driver refreshes power about every 100 ms,
/// so faster logs repeat values (declared by `period_s` being the logging period only).

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/trace.hpp"

namespace synergy::measure {

namespace detail {
/// Seconds since the epoch of "YYYY/MM/DD HH:MM:SS.mmm" (as written; zone not applied).
inline std::optional<double> parse_smi_timestamp(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double sec = 0;
  char buf[16] = {};
  if (std::sscanf(s.c_str(), "%d/%d/%d %d:%d:%15s", &y, &mo, &d, &h, &mi, buf) != 6)
    return std::nullopt;
  const auto v = synergy::detail::to_double(buf);
  if (!v || !std::isfinite(*v)) return std::nullopt;  // "inf" seconds is no time of day
  sec = *v;
  return synergy::detail::civil_seconds(y, static_cast<unsigned>(mo), static_cast<unsigned>(d),
                                        static_cast<unsigned>(h), static_cast<unsigned>(mi), sec);
}
}  // namespace detail

/// Reads the power column (`column`, default the first of power.draw.instant, power.draw,
/// power.draw.average) of an nvidia-smi CSV log of one GPU as an `instantaneous` trace
/// (`power.draw.average` declares its 1 s window in `averaging_window_s`). Throws
/// `parse_error` naming file and line for a missing column, a bad timestamp or value
/// (nan and inf included), or rows of several GPUs (filter the log with `--id`).
[[nodiscard]] inline trace read_nvidia_smi_csv(const std::string& path, std::string column = "") {
  const auto lines = synergy::detail::read_lines(path);
  if (lines.empty()) synergy::detail::fail(path, 0, "empty file");
  const auto header = synergy::detail::split(lines[0], ',');
  auto find = [&](const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    return std::nullopt;
  };
  std::optional<std::size_t> pcol;
  if (!column.empty())
    pcol = find(column);
  else
    for (const char* c : {"power.draw.instant [W]", "power.draw [W]", "power.draw.average [W]"})
      if ((pcol = find(c))) {
        column = c;
        break;
      }
  if (!pcol)
    synergy::detail::fail(
        path, 1,
        "no power column '" + (column.empty() ? std::string("power.draw [W]") : column) + "'");
  const auto tcol = find("timestamp");
  if (!tcol) synergy::detail::fail(path, 1, "no 'timestamp' column");
  const auto gpu_col = find("uuid") ? find("uuid") : find("index");
  std::string gpu;
  trace tr;
  tr.channels = {column.substr(0, column.find(' '))};
  tr.clock = sources::time_base::local_wall;
  tr.kind = sources::sample_kind::instantaneous;
  // nvidia-smi's documentation: power.draw.average is averaged over 1 s; the others are not.
  tr.averaging_window_s = column == "power.draw.average [W]" ? 1.0 : 0.0;
  std::size_t skipped = 0;
  for (std::size_t l = 1; l < lines.size(); ++l) {
    if (synergy::detail::trim(lines[l]).empty()) continue;
    const auto cells = synergy::detail::split(lines[l], ',');
    if (cells.size() != header.size())
      synergy::detail::fail(
          path, l + 1,
          std::to_string(cells.size()) + " fields, header has " + std::to_string(header.size()));
    if (gpu_col) {
      if (gpu.empty())
        gpu = cells[*gpu_col];
      else if (cells[*gpu_col] != gpu)
        synergy::detail::fail(path, l + 1,
                              "rows of more than one GPU (" + gpu + ", " + cells[*gpu_col] +
                                  "); log one GPU with --id");
    }
    const auto t = detail::parse_smi_timestamp(cells[*tcol]);
    if (!t) synergy::detail::fail(path, l + 1, "bad timestamp '" + cells[*tcol] + "'");
    std::string v = cells[*pcol];
    if (v.front() == '[') {
      ++skipped;
      continue;
    }
    if (v.size() > 2 && v.substr(v.size() - 2) == " W") v.resize(v.size() - 2);
    const auto w = synergy::detail::to_double(v);
    if (!w || !std::isfinite(*w))
      synergy::detail::fail(path, l + 1,
                            "bad power value '" + cells[*pcol] + "' (not a finite number)");
    if (tr.size() && *t < tr.time_s.back())
      synergy::detail::fail(path, l + 1, "time goes backwards");
    const double p = *w;
    tr.push(*t, std::span<const double>(&p, 1));
  }
  if (skipped)
    tr.notes.push_back(std::to_string(skipped) +
                       " rows without a power reading ([N/A] or [Not Supported]) skipped");
  if (tr.size() == 0) synergy::detail::fail(path, 1, "no power readings");
  if (tr.size() > 1)
    tr.period_s = (tr.time_s.back() - tr.time_s.front()) / static_cast<double>(tr.size() - 1);
  return tr;
}

}  // namespace synergy::measure
