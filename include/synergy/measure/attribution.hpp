#pragma once
/// @file
/// Energy of each region by integrating a power trace over it (SyNERGY step 1).
///   - rectangle rule, the paper's Eq 5: E = Σ P_k · Δt_k over the samples taken inside the
///     region (t0 ≤ t_k < t1), each sample held until the next (the last for `period_s`);
///   - trapezoid rule with exact edges: the integral of the piecewise-linear interpolation of
///     the samples from t0 to t1, interpolating the power at both edges.
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

/// Settings of `attribute`.
struct attribution_options {
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
};

namespace detail {

/// Summed power of the chosen channels at sample k.
inline double summed(const trace& tr, std::size_t k, std::span<const std::size_t> ch) {
  double p = 0;
  for (auto c : ch) p += tr.at(k, c);
  return p;
}

}  // namespace detail

/// Integrates `tr` over every region. Throws `std::invalid_argument` for an empty trace, a
/// bad channel, a region with t1 < t0, or (trapezoid) a region outside the trace's span —
/// naming the region.
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
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const auto& r = regions[i];
    if (!(r.t1_s >= r.t0_s))
      throw std::invalid_argument("attribute: region '" + r.name + "' ends before it starts");
    if (opt.rule == integration_rule::trapezoid && (r.t0_s < t_first || r.t1_s > t_last))
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
  // Sweep: k = number of samples with t_k < e; rect = Σ_{j<k} P_j Δt_j; trap = ∫ to t_{k−1}.
  std::size_t k = 0;
  double rect = 0, trap = 0, p_prev = 0;  // p_prev: summed power of sample k − 1
  for (const auto& e : edges) {
    while (k < n && tr.time_s[k] < e.t) {
      const double p = detail::summed(tr, k, ch);
      const double dt = k + 1 < n ? tr.time_s[k + 1] - tr.time_s[k] : last_dt;
      rect += p * dt;
      if (k > 0) trap += 0.5 * (p_prev + p) * (tr.time_s[k] - tr.time_s[k - 1]);
      p_prev = p;
      ++k;
    }
    double value = rect;
    if (opt.rule == integration_rule::trapezoid) {
      value = trap;  // ∫ to t_{k−1}; add the partial segment up to e
      if (k > 0 && k < n) {
        const double t0 = tr.time_s[k - 1], t1 = tr.time_s[k];
        const double p0 = p_prev, p1 = detail::summed(tr, k, ch);
        const double pe = t1 > t0 ? p0 + (p1 - p0) * (e.t - t0) / (t1 - t0) : p1;
        value += 0.5 * (p0 + pe) * (e.t - t0);
      }
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
    re.no_samples = opt.rule == integration_rule::rectangle && re.samples == 0;
    out.push_back(std::move(re));
  }
  return out;
}

/// Mean power of the chosen channels over [t0, t1] (trapezoid), e.g. an idle baseline
/// recorded before the runs. Throws like `attribute`.
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
