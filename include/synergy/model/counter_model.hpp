#pragma once
/// @file
/// SyNERGY's counter model (Rodrigues, Riley, Luján, PDPTA'18, on a Jetson TX1): energy (or
/// latency) of a network or a layer type from two hardware counters,
///   E ≈ x₁·bus_accesses + x₂·SIMD (+ c),                          (8.04 ± 5.96 % error)
/// and each counter from the MAC count alone (sub-models),
///   SIMD ≈ a·MAC,  bus ≈ b·MAC (+ c·data volume),                  (0.81 ± 0.77 %, 17.09 ± 13 %)
/// chained into a MAC-only energy model (7.0 ± 6.0 %). Cases are sums over the layers of one
/// network (per network) or of one layer type within one network (per layer type, the MAC_sum
/// of design §1). Errors are relative errors |p − m| / m · 100 of held-out networks
/// (leave-one-network-out), mean ± sd over the networks, i.e. 100 − relative accuracy (Eq 8).
/// Counter names are free text: "simd_ops", "bus_accesses", "instructions", "llc_misses", …

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "synergy/model/cross_validation.hpp"
#include "synergy/model/least_squares.hpp"
#include "synergy/model/metrics.hpp"

namespace synergy::model {

/// One case: a layer, a (network, layer type) sum or a whole network, with its counts and the
/// values measured on it (counters, energy J, latency s) by name.
struct counter_case {
  std::string network;                   ///< the group of leave-network-out
  std::string layer_type;                ///< "" for a whole network
  double macs = 0;                       ///< multiply-accumulates (Eqs 1, 3)
  double data_volume = 0;                ///< elements (Eq 2)
  std::map<std::string, double> values;  ///< measured quantities; absent = not measured

  /// The value called `name`; throws std::invalid_argument naming the case when absent.
  [[nodiscard]] double value(const std::string& name) const {
    const auto it = values.find(name);
    if (it == values.end())
      throw std::invalid_argument("counter model: " + network +
                                  (layer_type.empty() ? "" : " " + layer_type) + " has no '" +
                                  name + "'");
    return it->second;
  }
};

/// How per-layer cases are summed before fitting.
enum class counter_aggregation {
  layer,       ///< no summing: one case per layer
  layer_type,  ///< one case per (network, layer type): MAC_sum, counter sums
  network,     ///< one case per network
};

/// Sums `layers` per `how`. A value is kept in a sum only when every summed case has it (a
/// sum with a hole would be a wrong number). Order: first appearance.
[[nodiscard]] inline std::vector<counter_case> aggregate(const std::vector<counter_case>& layers,
                                                         counter_aggregation how) {
  if (how == counter_aggregation::layer) return layers;
  std::vector<counter_case> out;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  std::vector<std::map<std::string, std::size_t>> present;  // per output case: name → count
  std::vector<std::size_t> members;
  for (const auto& l : layers) {
    const std::string type = how == counter_aggregation::network ? "" : l.layer_type;
    const auto [it, fresh] = index.try_emplace({l.network, type}, out.size());
    if (fresh) {
      out.push_back({l.network, type, 0, 0, {}});
      present.emplace_back();
      members.push_back(0);
    }
    auto& c = out[it->second];
    c.macs += l.macs;
    c.data_volume += l.data_volume;
    for (const auto& [name, v] : l.values) {
      c.values[name] += v;
      ++present[it->second][name];
    }
    ++members[it->second];
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    for (const auto& [name, n] : present[i])
      if (n != members[i]) out[i].values.erase(name);
  return out;
}

/// The MAC_sum cases of `layers` (aggregate by layer type) grouped by layer type: one entry per
/// type, with every network's case of that type. Order: first appearance of the type, then of
/// the network. O(n · types).
[[nodiscard]] inline std::vector<std::pair<std::string, std::vector<counter_case>>>
cases_by_layer_type(const std::vector<counter_case>& layers) {
  std::vector<std::pair<std::string, std::vector<counter_case>>> out;
  for (counter_case& c : aggregate(layers, counter_aggregation::layer_type)) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const auto& group) { return group.first == c.layer_type; });
    if (it == out.end()) it = out.insert(out.end(), {c.layer_type, {}});
    it->second.push_back(std::move(c));
  }
  return out;
}

/// Ordinary least squares on columns scaled to unit maximum (MACs ~1e9 beside counts ~1e3
/// would otherwise make the QR's rank decision depend on units); coefficients are returned
/// in the original units. Models `regressor`.
class scaled_least_squares {
 public:
  explicit scaled_least_squares(bool intercept = true) : ls_(intercept) {}
  /// As least_squares::train; throws std::invalid_argument for an all-zero column too.
  void train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    scale_ = x.cwiseAbs().colwise().maxCoeff().transpose();
    for (Eigen::Index j = 0; j < scale_.size(); ++j)
      if (!(scale_(j) > 0))
        throw std::invalid_argument("counter model: feature column " + std::to_string(j) +
                                    " is zero in every training case");
    ls_.train(x * scale_.cwiseInverse().asDiagonal(), y);
  }
  [[nodiscard]] Eigen::VectorXd predict(const Eigen::MatrixXd& x) const {
    return ls_.predict(x * scale_.cwiseInverse().asDiagonal());
  }
  /// Coefficients per original feature unit.
  [[nodiscard]] Eigen::VectorXd coefficients() const {
    return ls_.coefficients().cwiseQuotient(scale_);
  }
  [[nodiscard]] double intercept() const { return ls_.intercept(); }

 private:
  least_squares<double> ls_;
  Eigen::VectorXd scale_;
};

/// A fitted linear model target ≈ Σ coefficient·feature (+ intercept).
struct counter_fit {
  std::string target;
  std::vector<std::string> features;  ///< "macs", "data_volume" or value names
  std::vector<double> coefficients;   ///< one per feature
  double intercept = 0;
};

namespace detail {

/// Feature `name` of a case: "macs", "data_volume", or one of its values.
inline double feature_of(const counter_case& c, const std::string& name) {
  if (name == "macs") return c.macs;
  if (name == "data_volume") return c.data_volume;
  return c.value(name);
}

inline Eigen::MatrixXd design(const std::vector<counter_case>& cases,
                              const std::vector<std::string>& features) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(cases.size()),
                    static_cast<Eigen::Index>(features.size()));
  for (std::size_t i = 0; i < cases.size(); ++i)
    for (std::size_t j = 0; j < features.size(); ++j)
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          feature_of(cases[i], features[j]);
  return x;
}

inline Eigen::VectorXd targets(const std::vector<counter_case>& cases, const std::string& t) {
  Eigen::VectorXd y(static_cast<Eigen::Index>(cases.size()));
  for (std::size_t i = 0; i < cases.size(); ++i)
    y(static_cast<Eigen::Index>(i)) = feature_of(cases[i], t);
  return y;
}

inline std::vector<std::string> groups(const std::vector<counter_case>& cases) {
  std::vector<std::string> g;
  for (const auto& c : cases) g.push_back(c.network);
  return g;
}

}  // namespace detail

/// Fits `target` ≈ features (+ intercept) on all `cases`. Throws std::invalid_argument naming
/// a case without a feature or the target, and as least_squares (too few cases, collinear).
[[nodiscard]] inline counter_fit fit_counter_model(const std::vector<counter_case>& cases,
                                                   const std::string& target,
                                                   const std::vector<std::string>& features,
                                                   bool intercept) {
  scaled_least_squares r(intercept);
  r.train(detail::design(cases, features), detail::targets(cases, target));
  const Eigen::VectorXd b = r.coefficients();
  return {target, features, std::vector<double>(b.data(), b.data() + b.size()), r.intercept()};
}

/// Leave-one-network-out relative error (%) of `target` ≈ features (+ intercept): for every
/// network, fit on the others and predict its cases; mean ± sd over the networks of the
/// per-network mean error. Throws std::invalid_argument for fewer than 2 networks, a missing
/// value, a measured target ≤ 0, or a failing fit.
[[nodiscard]] inline mean_sd leave_network_out_error(const std::vector<counter_case>& cases,
                                                     const std::string& target,
                                                     const std::vector<std::string>& features,
                                                     bool intercept) {
  const auto rep = cross_validate([&] { return scaled_least_squares(intercept); },
                                  detail::design(cases, features), detail::targets(cases, target),
                                  leave_one_group_out(detail::groups(cases)));
  std::vector<double> err;
  for (double a : rep.fold_accuracy) err.push_back(100.0 - a);
  return summarise(err);
}

/// The chained MAC-only model as one regressor. Its design has the columns
/// [macs, data_volume, counter₁, counter₂]: `train` fits counter_k ≈ a_k·macs (+ c_k·data
/// volume when `bus_volume` and k = 1) (+ intercepts when `sub_intercept`), then target ≈
/// x₁·counter₁ + x₂·counter₂ (+ c); `predict` reads macs and data_volume only, predicting the
/// counters first. Models `regressor`.
class chained_counter_regressor {
 public:
  chained_counter_regressor(bool bus_volume, bool sub_intercept, bool intercept)
      : bus_volume_(bus_volume), sub1_(sub_intercept), sub2_(sub_intercept), top_(intercept) {}
  void train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    sub1_.train(inputs(x, bus_volume_), x.col(2));
    sub2_.train(inputs(x, false), x.col(3));
    top_.train(x.rightCols(2), y);
  }
  [[nodiscard]] Eigen::VectorXd predict(const Eigen::MatrixXd& x) const {
    Eigen::MatrixXd c(x.rows(), 2);
    c.col(0) = sub1_.predict(inputs(x, bus_volume_));
    c.col(1) = sub2_.predict(inputs(x, false));
    return top_.predict(c);
  }

 private:
  static Eigen::MatrixXd inputs(const Eigen::MatrixXd& x, bool volume) {
    return volume ? Eigen::MatrixXd(x.leftCols(2)) : Eigen::MatrixXd(x.leftCols(1));
  }
  bool bus_volume_;
  scaled_least_squares sub1_, sub2_, top_;
};

/// Leave-one-network-out error (%) of the chained MAC-only model of `target` from `bus` (the
/// first counter, optionally with data volume) and `simd`. Same errors as
/// leave_network_out_error.
[[nodiscard]] inline mean_sd chained_leave_network_out_error(
    const std::vector<counter_case>& cases, const std::string& target, const std::string& bus,
    const std::string& simd, bool bus_volume, bool sub_intercept, bool intercept) {
  const auto rep = cross_validate(
      [&] { return chained_counter_regressor(bus_volume, sub_intercept, intercept); },
      detail::design(cases, {"macs", "data_volume", bus, simd}), detail::targets(cases, target),
      leave_one_group_out(detail::groups(cases)));
  std::vector<double> err;
  for (double a : rep.fold_accuracy) err.push_back(100.0 - a);
  return summarise(err);
}

/// The paper's figures (PDPTA'18, Jetson TX1), relative error mean ± sd (%), for reports.
struct paper_counter_figures {
  static constexpr double energy_from_counters_mean = 8.04, energy_from_counters_sd = 5.96;
  static constexpr double simd_from_mac_mean = 0.81, simd_from_mac_sd = 0.77;
  static constexpr double bus_from_mac_mean = 17.09, bus_from_mac_sd = 13.0;
  static constexpr double energy_from_mac_mean = 7.0, energy_from_mac_sd = 6.0;
};

/// One line of a sub-model report: `counter` ≈ a·MAC (+ c·data volume) for the cases of one
/// layer type ("" = whole networks).
struct sub_model_error {
  std::string layer_type;  ///< "" = per network
  std::string counter;
  bool with_volume = false;
  std::size_t cases = 0;
  std::optional<mean_sd> error;    ///< leave-network-out relative error (%), when it could be fit
  std::string why_not;             ///< why not, otherwise
  std::optional<counter_fit> fit;  ///< fitted on all cases
};

/// Sub-model errors of `counter` from MACs (and, when `with_volume`, data volume) per network
/// and per layer type, from per-layer cases. Layer types whose cases cannot be fit (no MACs,
/// fewer than 2 networks, a zero count, collinear) get `why_not` instead of an error. Never
/// throws for such cases.
[[nodiscard]] inline std::vector<sub_model_error> sub_model_errors(
    const std::vector<counter_case>& layers, const std::string& counter, bool with_volume,
    bool intercept = false) {
  std::vector<sub_model_error> out;
  const std::vector<std::string> features = with_volume
                                                ? std::vector<std::string>{"macs", "data_volume"}
                                                : std::vector<std::string>{"macs"};
  const auto one = [&](const std::string& type, std::vector<counter_case> cases) {
    sub_model_error e{type, counter, with_volume, cases.size(), std::nullopt, "", std::nullopt};
    if (std::all_of(cases.begin(), cases.end(), [](const auto& c) { return c.macs == 0; })) {
      e.why_not = "no MACs in these cases (a MAC sub-model applies to conv and FC layers)";
      out.push_back(std::move(e));
      return;
    }
    try {
      e.fit = fit_counter_model(cases, counter, features, intercept);
      e.error = leave_network_out_error(cases, counter, features, intercept);
    } catch (const std::invalid_argument& ex) {
      e.why_not = ex.what();
    }
    out.push_back(std::move(e));
  };
  one("", aggregate(layers, counter_aggregation::network));
  for (auto& [type, cases] : cases_by_layer_type(layers)) one(type, std::move(cases));
  return out;
}

/// The value of fit `f` on case `c`: Σ coefficient·feature + intercept. Throws
/// std::invalid_argument naming the case when it lacks a feature.
[[nodiscard]] inline double evaluate(const counter_fit& f, const counter_case& c) {
  double v = f.intercept;
  for (std::size_t k = 0; k < f.features.size() && k < f.coefficients.size(); ++k)
    v += f.coefficients[k] * detail::feature_of(c, f.features[k]);
  return v;
}

/// The chained counter model of one kind of case (whole networks, or one layer type summed
/// per network): the sub-models simd ≈ a·MAC and bus ≈ b·MAC (+ c·data volume), and
/// target ≈ x₁·bus + x₂·simd (+ c), so that a network's target follows from its MACs (and
/// data volume) alone.
struct counter_chain {
  counter_fit simd_from_macs;        ///< simd counter ≈ a·macs
  counter_fit bus_from_macs;         ///< bus counter ≈ b·macs (+ c·data_volume)
  counter_fit target_from_counters;  ///< target ≈ x₁·bus + x₂·simd (+ c)

  /// The two counters predicted from `macs` and `data_volume` (elements): {bus, simd}.
  [[nodiscard]] std::pair<double, double> counters(double macs, double data_volume) const {
    const counter_case c{"", "", macs, data_volume, {}};
    return {evaluate(bus_from_macs, c), evaluate(simd_from_macs, c)};
  }
  /// The target (the response's SI unit: s or J) predicted from `macs` and `data_volume`
  /// through both sub-models.
  [[nodiscard]] double predict(double macs, double data_volume) const {
    const auto [bus, simd] = counters(macs, data_volume);
    counter_case c{"", "", macs, data_volume, {}};
    c.values[bus_from_macs.target] = bus;
    c.values[simd_from_macs.target] = simd;
    return evaluate(target_from_counters, c);
  }
};

/// Fits the chain of `target` on `cases` (already summed: per network or per layer type):
/// `simd` ≈ a·MAC, `bus` ≈ b·MAC (+ c·data volume when `bus_volume`), both with intercepts
/// when `sub_intercept`, and `target` ≈ x₁·bus + x₂·simd (+ c when `intercept`). Throws as
/// fit_counter_model.
[[nodiscard]] inline counter_chain fit_counter_chain(const std::vector<counter_case>& cases,
                                                     const std::string& target,
                                                     const std::string& bus,
                                                     const std::string& simd, bool bus_volume,
                                                     bool sub_intercept, bool intercept) {
  return {fit_counter_model(cases, simd, {"macs"}, sub_intercept),
          fit_counter_model(cases, bus,
                            bus_volume ? std::vector<std::string>{"macs", "data_volume"}
                                       : std::vector<std::string>{"macs"},
                            sub_intercept),
          fit_counter_model(cases, target, {bus, simd}, intercept)};
}

/// A fit as JSON: {"target", "features": [...], "coefficients": [...], "intercept"}.
[[nodiscard]] inline nlohmann::json to_json(const counter_fit& f) {
  return {{"target", f.target},
          {"features", f.features},
          {"coefficients", f.coefficients},
          {"intercept", f.intercept}};
}

/// A fit from `to_json`'s form; throws std::invalid_argument naming `where` and the field
/// that is missing, of the wrong type, or not finite, or when the coefficients do not match
/// the features one to one.
[[nodiscard]] inline counter_fit counter_fit_from_json(const nlohmann::json& j,
                                                       const std::string& where) {
  const auto bad = [&](const std::string& why) { throw std::invalid_argument(where + ": " + why); };
  if (!j.is_object()) bad("not an object");
  counter_fit f;
  try {
    f.target = j.at("target").get<std::string>();
    f.features = j.at("features").get<std::vector<std::string>>();
    f.coefficients = j.at("coefficients").get<std::vector<double>>();
    f.intercept = j.at("intercept").get<double>();
  } catch (const nlohmann::json::exception& e) {
    bad(e.what());
  }
  if (f.features.size() != f.coefficients.size())
    bad(std::to_string(f.features.size()) + " features, " + std::to_string(f.coefficients.size()) +
        " coefficients");
  for (double c : f.coefficients)
    if (!std::isfinite(c)) bad("a coefficient is not finite");
  if (!std::isfinite(f.intercept)) bad("intercept is not finite");
  return f;
}

/// A chain as JSON: {"simd_from_macs", "bus_from_macs", "target_from_counters"}, each a fit.
[[nodiscard]] inline nlohmann::json to_json(const counter_chain& c) {
  return {{"simd_from_macs", to_json(c.simd_from_macs)},
          {"bus_from_macs", to_json(c.bus_from_macs)},
          {"target_from_counters", to_json(c.target_from_counters)}};
}

/// A chain from `to_json`'s form; throws std::invalid_argument naming `where` and the field,
/// and when the top fit's features are not the two sub-models' counters.
[[nodiscard]] inline counter_chain counter_chain_from_json(const nlohmann::json& j,
                                                           const std::string& where) {
  if (!j.is_object()) throw std::invalid_argument(where + ": not an object");
  const auto field = [&](const char* name) {
    if (!j.contains(name)) throw std::invalid_argument(where + ": no '" + name + "'");
    return counter_fit_from_json(j.at(name), where + "." + name);
  };
  counter_chain c{field("simd_from_macs"), field("bus_from_macs"), field("target_from_counters")};
  for (const auto& f : c.target_from_counters.features)
    if (f != c.simd_from_macs.target && f != c.bus_from_macs.target)
      throw std::invalid_argument(where + ".target_from_counters: feature '" + f +
                                  "' is not predicted by a sub-model");
  for (const auto& f : c.simd_from_macs.features)
    if (f != "macs" && f != "data_volume")
      throw std::invalid_argument(where + ".simd_from_macs: feature '" + f +
                                  "' is neither macs nor data_volume");
  for (const auto& f : c.bus_from_macs.features)
    if (f != "macs" && f != "data_volume")
      throw std::invalid_argument(where + ".bus_from_macs: feature '" + f +
                                  "' is neither macs nor data_volume");
  return c;
}

}  // namespace synergy::model
