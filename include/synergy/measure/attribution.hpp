#pragma once
/// @file
/// Energy of each region by integrating a power trace over it (SyNERGY step 1). How depends
/// first on what the samples mean (`trace::kind`):
///   - interval-mean samples (energy counters): the exact integral of the step function —
///     sample k's mean power holds over (t_{k−1}, t_k] — so a region from one sample time to
///     another gets exactly the counter difference, and a region inside one interval gets its
///     time share of that interval's energy; the user's rule does not apply;
///   - instantaneous samples, by the user's rule:
///     - rectangle rule, the paper's Eq 5: E = Σ P_k · Δt_k over the samples taken inside the
///       region (t0 ≤ t_k < t1), each sample held until the next (the last for `period_s`);
///     - trapezoid rule with exact edges: the integral of the piecewise-linear interpolation
///       of the samples from t0 to t1, interpolating the power at both edges.
/// Optional idle baseline: E − P_idle · (t1 − t0) (may be negative: it is reported, not
/// clamped). A region shorter than the sensor's update period, or with no sample inside
/// for the rectangle rule, is flagged — never a silent zero.
/// Complexity: O(n + m log m) for n samples and m regions (one sweep, no per-sample storage).

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/measure/region.hpp"
#include "synergy/measure/trace.hpp"
#include "synergy/stats.hpp"
#include "synergy/units.hpp"

namespace synergy::measure {

/// How a region's energy is integrated.
enum class integration_rule {
  rectangle,  ///< Eq 5 of the paper: Σ P_k Δt_k over samples inside
  trapezoid,  ///< linear interpolation, exact at the region's edges
};

/// How `attribute` integrates a trace whose samples are of `kind` when the user asked for
/// `rule`; the rule applies to instantaneous samples only.
enum class integration_method {
  rectangle,  ///< instantaneous samples, Eq 5
  trapezoid,  ///< instantaneous samples, linear interpolation
  step,       ///< interval-mean samples: exact step-function integral (counter differences)
};

/// The method used for samples of `kind` under `rule` (table: kind first, then rule).
[[nodiscard]] constexpr integration_method integration_for(sources::sample_kind kind,
                                                           integration_rule rule) noexcept {
  switch (kind) {
    case sources::sample_kind::interval_mean:
      return integration_method::step;
    case sources::sample_kind::instantaneous:
      break;
  }
  switch (rule) {
    case integration_rule::rectangle:
      return integration_method::rectangle;
    case integration_rule::trapezoid:
      return integration_method::trapezoid;
  }
  return integration_method::trapezoid;  // unreachable for valid enumerators
}

/// A sentence naming the method, for output (e.g. the CLI's "integration: …" line).
[[nodiscard]] constexpr std::string_view describe(integration_method m) noexcept {
  switch (m) {
    case integration_method::rectangle:
      return "rectangle rule (Eq 5) over instantaneous power samples";
    case integration_method::trapezoid:
      return "trapezoid rule over instantaneous power samples";
    case integration_method::step:
      return "exact step integral of interval-mean power (energy counter differences)";
  }
  return "?";
}

/// Settings of `attribute`.
struct attribution_options {
  /// Rule for instantaneous samples; interval-mean traces are always integrated exactly.
  integration_rule rule = integration_rule::trapezoid;
  /// Channels whose power is summed (e.g. `source_info::top_level_channels()`); empty: the
  /// trace must have exactly one channel (never a silent sum that counts twice).
  std::vector<std::size_t> channels;
  std::optional<power> idle_power;              ///< subtracted over each region's duration
  duration update_period{0.0 * units::second};  ///< sensor refresh; shorter regions are flagged
};

/// The energy of one region.
struct region_energy {
  region where;
  energy value{0.0 * units::joule};  ///< after baseline subtraction if asked
  duration length{0.0 * units::second};
  std::size_t samples = 0;           ///< samples with t0 ≤ t_k < t1
  bool below_update_period = false;  ///< shorter than the sensor's update period
  bool no_samples = false;  ///< rectangle rule: no sample inside (value 0 is not a measurement)
  integration_method method = integration_method::trapezoid;  ///< how `value` was integrated
};

namespace detail {

/// Summed power of the chosen channels at sample k.
inline double summed(const trace& tr, std::size_t k, std::span<const std::size_t> ch) {
  double p = 0;
  for (auto c : ch) p += tr.at(k, c);
  return p;
}

}  // namespace detail

/// Integrates `tr` over every region, by `integration_for(tr.kind, opt.rule)`. Throws
/// `std::invalid_argument` naming the region for an empty trace, a bad channel, a region with
/// a time that is not finite or with t1 < t0, or (trapezoid and step) a region outside the
/// trace's span.
[[nodiscard]] inline std::vector<region_energy> attribute(const trace& tr,
                                                          const std::vector<region>& regions,
                                                          const attribution_options& opt = {}) {
  if (tr.size() == 0) throw std::invalid_argument("attribute: empty trace");
  std::vector<std::size_t> ch = opt.channels;
  if (ch.empty()) {
    if (tr.width() != 1)
      throw std::invalid_argument("attribute: trace has " + std::to_string(tr.width()) +
                                  " channels; say which to sum (attribution_options::channels)");
    ch = {0};
  }
  for (auto c : ch)
    if (c >= tr.width())
      throw std::invalid_argument("attribute: channel " + std::to_string(c) + " out of range");
  const std::size_t n = tr.size();
  const double t_first = tr.time_s.front(), t_last = tr.time_s.back();
  const double last_dt =
      tr.period_s > 0 ? tr.period_s : (n > 1 ? tr.time_s[n - 1] - tr.time_s[n - 2] : 0.0);
  // Edges sorted by time; each gets the cumulative integral there.
  struct edge {
    double t;
    std::size_t region;
    bool end;
  };
  std::vector<edge> edges;
  edges.reserve(2 * regions.size());
  const integration_method method = integration_for(tr.kind, opt.rule);
  bool needs_span = false;  // methods that interpolate cannot extrapolate beyond the samples
  switch (method) {
    case integration_method::rectangle:
      break;
    case integration_method::trapezoid:
    case integration_method::step:
      needs_span = true;
      break;
  }
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const auto& r = regions[i];
    if (!std::isfinite(r.t0_s) || !std::isfinite(r.t1_s))
      throw std::invalid_argument("attribute: region '" + r.name + "' (run " +
                                  std::to_string(r.run) + ") has a time that is not finite");
    if (!(r.t1_s >= r.t0_s))
      throw std::invalid_argument("attribute: region '" + r.name + "' ends before it starts");
    if (needs_span && (r.t0_s < t_first || r.t1_s > t_last))
      throw std::invalid_argument("attribute: region '" + r.name + "' (run " +
                                  std::to_string(r.run) + ") [" + std::to_string(r.t0_s) + ", " +
                                  std::to_string(r.t1_s) + "] s lies outside the trace [" +
                                  std::to_string(t_first) + ", " + std::to_string(t_last) + "] s");
    edges.push_back({r.t0_s, i, false});
    edges.push_back({r.t1_s, i, true});
  }
  std::sort(edges.begin(), edges.end(), [](const edge& a, const edge& b) { return a.t < b.t; });
  std::vector<double> at_begin(regions.size()), at_end(regions.size());
  std::vector<std::size_t> count_begin(regions.size()), count_end(regions.size());
  // Sweep: k = number of samples with t_k < e; rect = Σ_{j<k} P_j Δt_j; trap = ∫ to t_{k−1};
  // step = Σ_{1≤j<k} P_j (t_j − t_{j−1}), the step integral from t_0 to t_{k−1}.
  std::size_t k = 0;
  double rect = 0, trap = 0, step = 0, p_prev = 0;  // p_prev: summed power of sample k − 1
  for (const auto& e : edges) {
    while (k < n && tr.time_s[k] < e.t) {
      const double p = detail::summed(tr, k, ch);
      const double dt = k + 1 < n ? tr.time_s[k + 1] - tr.time_s[k] : last_dt;
      rect += p * dt;
      if (k > 0) {
        trap += 0.5 * (p_prev + p) * (tr.time_s[k] - tr.time_s[k - 1]);
        step += p * (tr.time_s[k] - tr.time_s[k - 1]);
      }
      p_prev = p;
      ++k;
    }
    double value = 0;
    switch (method) {
      case integration_method::rectangle:
        value = rect;
        break;
      case integration_method::trapezoid:
        value = trap;  // ∫ to t_{k−1}; add the partial segment up to e
        if (k > 0 && k < n) {
          const double t0 = tr.time_s[k - 1], t1 = tr.time_s[k];
          const double p0 = p_prev, p1 = detail::summed(tr, k, ch);
          const double pe = t1 > t0 ? p0 + (p1 - p0) * (e.t - t0) / (t1 - t0) : p1;
          value += 0.5 * (p0 + pe) * (e.t - t0);
        }
        break;
      case integration_method::step:
        // t_{k−1} < e ≤ t_k: sample k's mean power holds over the part (t_{k−1}, e] of its
        // interval. k = 0 means e = t_0, where the integral starts (0).
        value = step;
        if (k > 0 && k < n) value += detail::summed(tr, k, ch) * (e.t - tr.time_s[k - 1]);
        break;
    }
    (e.end ? at_end : at_begin)[e.region] = value;
    (e.end ? count_end : count_begin)[e.region] = k;
  }
  const double min_len = std::max(opt.update_period.value(), 0.0);
  std::vector<region_energy> out;
  out.reserve(regions.size());
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const auto& r = regions[i];
    region_energy re;
    re.where = r;
    re.length = duration::from_value(r.t1_s - r.t0_s);
    re.samples = count_end[i] - count_begin[i];
    double j = at_end[i] - at_begin[i];
    if (opt.idle_power) j -= opt.idle_power->value() * (r.t1_s - r.t0_s);
    re.value = energy::from_value(j);
    re.below_update_period = (r.t1_s - r.t0_s) < min_len;
    re.no_samples = method == integration_method::rectangle && re.samples == 0;
    re.method = method;
    out.push_back(std::move(re));
  }
  return out;
}

/// Mean power of the chosen channels over [t0, t1] (trapezoid for instantaneous samples, the
/// exact step integral for interval-mean ones), e.g. an idle baseline recorded before the
/// runs. Throws like `attribute`.
[[nodiscard]] inline power mean_power(const trace& tr, double t0, double t1,
                                      std::vector<std::size_t> channels = {}) {
  if (!(t1 > t0)) throw std::invalid_argument("mean_power: empty interval");
  attribution_options o;
  o.channels = std::move(channels);
  const auto e = attribute(tr, {region{"idle", "", t0, t1, 0, std::nullopt}}, o);
  return power::from_value(e.front().value.value() / (t1 - t0));
}

/// Energy and time of one layer over its runs.
struct layer_energy_summary {
  std::string name;     ///< the regions' name
  std::string op_type;  ///< the regions' op type (free text, `region::op_type`)
  std::size_t runs = 0;
  mean_sd energy_j;         ///< mean ± sd over runs (J)
  mean_sd duration_s;       ///< mean ± sd over runs (s)
  std::size_t flagged = 0;  ///< runs flagged below the update period or without samples
};

/// Per-layer mean ± sd over runs, in order of first appearance.
[[nodiscard]] inline std::vector<layer_energy_summary> summarise_runs(
    const std::vector<region_energy>& es) {
  std::vector<layer_energy_summary> out;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  std::vector<std::vector<double>> e, d;
  for (const auto& x : es) {
    const auto key = std::make_pair(x.where.name, x.where.op_type);
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh) {
      out.push_back({x.where.name, x.where.op_type, 0, {}, {}, 0});
      e.emplace_back();
      d.emplace_back();
    }
    auto& s = out[it->second];
    ++s.runs;
    s.flagged += x.below_update_period || x.no_samples;
    e[it->second].push_back(x.value.value());
    d[it->second].push_back(x.length.value());
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].energy_j = summarise(e[i]);
    out[i].duration_s = summarise(d[i]);
  }
  return out;
}

/// Sum of the per-layer mean energies by op type (J), e.g. {"Convolution": 1.2, …}; regions
/// without an op type sum under "".
[[nodiscard]] inline std::map<std::string, double> energy_by_op_type(
    const std::vector<layer_energy_summary>& layers) {
  std::map<std::string, double> out;
  for (const auto& l : layers) out[l.op_type] += l.energy_j.mean;
  return out;
}

}  // namespace synergy::measure
