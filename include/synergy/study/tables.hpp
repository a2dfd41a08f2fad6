#pragma once
/// @file
/// The study's tables as Markdown: Table 7 (relative accuracy per layer class, leaving each
/// network out) and Table 8 (held-out networks: measured and predicted totals).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "synergy/study/study.hpp"

namespace synergy::study {

/// How the tables name and scale a Response: what it measures, the name of the measured
/// quantity in Table 8's left-out column, and the printed unit (milli of the SI unit).
template <class Response>
struct table_units;
template <>
struct table_units<duration> {
  static constexpr const char* what = "latency";
  static constexpr const char* quantity = "time";
  static constexpr const char* unit = "ms";
  /// The value in ms.
  static double scaled(duration d) { return d.value() * 1e3; }
};
template <>
struct table_units<energy> {
  static constexpr const char* what = "energy";
  static constexpr const char* quantity = "energy";
  static constexpr const char* unit = "mJ";
  /// The value in mJ.
  static double scaled(energy e) { return e.value() * 1e3; }
};

/// How a fit was weighted and calibrated and which fallback it used, for tables and reports:
/// "relative", "relative, calibrated" or "absolute, fallback per_driver" (absolute/relative;
/// the memory-bound data_volume fallback, the original, is not named; `automatic` options
/// print as "auto").
[[nodiscard]] inline std::string fit_label(const model::fit_options& o) {
  std::string s(model::to_string(o.rows));
  switch (o.scale) {
    case model::calibration::none:
      break;
    case model::calibration::platform:
      s += ", calibrated";
      break;
    case model::calibration::automatic:
      s += ", calibration auto";
      break;
  }
  if (o.fallback != model::fallback_kind::data_volume)
    s += ", fallback " + std::string(model::to_string(o.fallback));
  return s;
}

/// The fits' options with how many fits chose each: "relative ×10, absolute ×2" (most first,
/// then by name); "—" for none.
[[nodiscard]] inline std::string options_summary(const std::vector<model::fit_options>& fits) {
  std::map<std::string, std::size_t> count;
  for (const auto& o : fits) ++count[fit_label(o)];
  std::vector<std::pair<std::size_t, std::string>> order;
  for (const auto& [label, n] : count) order.emplace_back(n, label);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  for (const auto& [n, label] : order)
    out += (out.empty() ? "" : ", ") + label + " ×" + std::to_string(n);
  return out.empty() ? "—" : out;
}

/// "12.3 % (lrn, concat)": the share of a network's prediction that came from a fallback and
/// the classes that used it; "0.0 %" without fallback.
template <class Response>
[[nodiscard]] std::string fallback_summary(const model::network_prediction<Response>& p) {
  char buf[32];
  const double predicted = p.predicted.value();
  std::snprintf(buf, sizeof buf, "%.1f %%",
                predicted > 0 ? 100.0 * p.from_fallback.value() / predicted : 0.0);
  std::string out = buf;
  std::string classes;
  for (const auto c : p.fallback_classes)
    classes += (classes.empty() ? "" : ", ") + std::string(model::to_string(c));
  return classes.empty() ? out : out + " (" + classes + ")";
}

/// Table 7 as Markdown: relative accuracy (Eq 8, mean ± sd over held-out networks) per layer
/// class, one column per (platform, model), leaving each network out in turn; the closing note
/// says what was modelled (latency or energy, from Response).
template <model::response_quantity Response>
void write_table7(std::ostream& os, const std::vector<study_result<Response>>& rs) {
  const char* what = table_units<Response>::what;
  os << "| layer class |";
  for (const auto& r : rs)
    os << ' ' << r.platform << ", "
       << (r.spec.family == model::model_family::layer_type_sum ? "paper" : "class-aware") << " |";
  os << "\n| --- |";
  for (std::size_t i = 0; i < rs.size(); ++i) os << " --- |";
  os << '\n';
  std::set<std::string> classes;
  for (const auto& r : rs)
    for (const auto& c : r.leave_network_out.by_class)
      classes.insert(std::string(model::to_string(c.cls)));
  char buf[64];
  for (const auto& cls : classes) {
    os << "| " << cls << " |";
    for (const auto& r : rs) {
      std::string cell = " ";
      for (const auto& c : r.leave_network_out.by_class)
        if (model::to_string(c.cls) == cls) {
          std::snprintf(buf, sizeof buf, "%.1f ± %.1f %% (%zu)", c.relative_accuracy.mean,
                        c.relative_accuracy.sd, c.networks);
          cell = buf;
        }
      os << ' ' << cell << " |";
    }
    os << '\n';
  }
  os << "| **whole network** |";
  for (const auto& r : rs) {
    std::snprintf(buf, sizeof buf, "**%.1f ± %.1f %%**", r.leave_network_out.relative_accuracy.mean,
                  r.leave_network_out.relative_accuracy.sd);
    os << ' ' << buf << " |";
  }
  os << "\n| noise ceiling |";
  for (const auto& r : rs) {
    if (r.noise_ceiling)
      std::snprintf(buf, sizeof buf, "%.1f ± %.1f %%", r.noise_ceiling->mean, r.noise_ceiling->sd);
    else
      std::snprintf(buf, sizeof buf, "n/a (no per-round times)");
    os << ' ' << buf << " |";
  }
  os << "\n| fits (weighting, calibration) |";
  for (const auto& r : rs) os << ' ' << options_summary(r.leave_network_out_options) << " |";
  os << "\n\n(" << what << "; in parentheses: networks that have the class)\n";
}

/// Table 8 as Markdown: measured and predicted totals of the held-out networks (ms for
/// latency, mJ for energy: from Response), every layer counted, with the relative accuracy,
/// the fit's weighting and calibration, and the share of the prediction that came from a
/// fallback (with its classes), per (platform, model); layers no model covered (none when a
/// fallback was fitted) are named as left out. One line saying why when the held-out
/// validation was not run.
template <model::response_quantity Response>
void write_table8(std::ostream& os, const std::vector<study_result<Response>>& rs) {
  using tu = table_units<Response>;
  bool any = false;
  for (const auto& r : rs) any = any || !r.held_out.networks.empty();
  if (!any) {  // a header over no rows reads as if the validation ran and found nothing
    os << "(not run: the dataset lacks at least one of the held-out networks";
    for (const auto& n : paper_held_out()) os << ' ' << n;
    os << ")\n";
    return;
  }
  const char* unit = tu::unit;
  os << "| platform | model | fit | network | measured " << unit << " | predicted " << unit
     << " | relative accuracy | from fallback (classes) |\n| --- | --- | --- | --- | --- | --- | "
        "--- | --- |\n";
  char buf[160];
  for (const auto& r : rs) {
    const char* m = r.spec.family == model::model_family::layer_type_sum ? "paper" : "class-aware";
    for (const auto& p : r.held_out.networks) {
      const double measured = p.measured.value(), predicted = p.predicted.value();
      const std::string fit = p.fold < r.held_out_options.size()
                                  ? fit_label(r.held_out_options[p.fold])
                                  : fit_label(r.requested);
      // Labels are free text of any length: streamed, only the numbers go through buf.
      os << "| " << r.platform << " | " << m << " | " << fit << " | " << p.network << " |";
      std::snprintf(buf, sizeof buf, " %.2f | %.2f | %.1f %% |", tu::scaled(p.measured),
                    tu::scaled(p.predicted),
                    100.0 * (1.0 - std::abs(predicted - measured) / measured));
      os << buf << ' ' << fallback_summary(p);
      if (p.unmodelled.value() > 0) {
        std::snprintf(buf, sizeof buf, "; left out: %.1f %% of the measured %s",
                      100.0 * p.unmodelled.value() / (measured + p.unmodelled.value()),
                      tu::quantity);
        os << buf;
      }
      os << " |\n";
    }
    if (!r.held_out.networks.empty()) {
      char ceiling[48] = "ceiling n/a";
      if (r.noise_ceiling)
        std::snprintf(ceiling, sizeof ceiling, "ceiling %.1f %%", r.noise_ceiling->mean);
      os << "| " << r.platform << " | " << m << " | |";
      std::snprintf(buf, sizeof buf, " **mean ± sd** | | | **%.1f ± %.1f %%** (%s) | |\n",
                    r.held_out.relative_accuracy.mean, r.held_out.relative_accuracy.sd, ceiling);
      os << buf;
    }
  }
}

}  // namespace synergy::study
