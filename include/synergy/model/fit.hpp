#pragma once
/// @file
/// Per-layer measurement samples and the fitting of network models (SyNERGY step 2).

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "synergy/model/metrics.hpp"
#include "synergy/model/network_model.hpp"
#include "synergy/model/nnls.hpp"
#include "synergy/units.hpp"

namespace synergy::model {

/// The response quantities a model is fitted to and estimates: synergy::energy (J) or
/// synergy::duration (s).
template <class T>
concept response_quantity = std::same_as<T, energy> || std::same_as<T, duration>;

/// One measured layer: the network it belongs to, its name, its descriptor and cost, and the
/// measured response as a quantity (energy or duration).
template <response_quantity Response>
struct layer_sample {
  using response_type = Response;  ///< what `value` measures
  std::string network;
  std::string layer_name;
  synergy::layer op;
  layer_cost cost;
  Response value{};
};

namespace detail {
/// Whether T is a layer_sample, and of which Response.
template <class T>
struct sample_traits {
  static constexpr bool is_sample = false;
};
template <class Response>
struct sample_traits<layer_sample<Response>> {
  static constexpr bool is_sample = true;
  using response = Response;
};
/// Something with std::data and std::size: a contiguous sequence.
template <class S>
concept contiguous_sequence = requires(const S& s) {
  std::data(s);
  std::size(s);
};
/// The element type of a contiguous sequence.
template <class S>
using element_of = std::remove_cvref_t<decltype(*std::data(std::declval<const S&>()))>;
}  // namespace detail

/// A contiguous sequence of layer samples of one response type (std::vector, std::span,
/// std::array of layer_sample<Response>): what fitting, features and validation take, so that
/// Response is deduced from the samples.
template <class S>
concept sample_range =
    detail::contiguous_sequence<S> && detail::sample_traits<detail::element_of<S>>::is_sample;

/// The response quantity of a sample range: `sample_response_t<std::vector<layer_sample<energy>>>`
/// is `energy`.
template <sample_range S>
using sample_response_t = typename detail::sample_traits<detail::element_of<S>>::response;

/// A sample range as a span (no copy).
template <sample_range S>
[[nodiscard]] std::span<const layer_sample<sample_response_t<S>>> sample_span(const S& s) {
  return {std::data(s), std::size(s)};
}

/// Samples of every layer of `net` (input node excluded, in node order) with the measured
/// `values`, a contiguous sequence of one quantity per layer (values[i] belongs to node i + 1;
/// energy or duration, which becomes the samples' Response). Throws std::invalid_argument for
/// a length mismatch or a non-finite or negative value. O(n).
template <detail::contiguous_sequence Values>
requires response_quantity<detail::element_of<Values>>
[[nodiscard]] std::vector<layer_sample<detail::element_of<Values>>> samples_of(
    const network& net, const Values& values) {
  using Response = detail::element_of<Values>;
  const std::span<const Response> v(std::data(values), std::size(values));
  if (v.size() + 1 != net.size())
    throw std::invalid_argument("samples_of: " + std::to_string(v.size()) + " values for the " +
                                std::to_string(net.size() - 1) + " layers of network '" +
                                std::string(net.name()) + "'");
  std::vector<layer_sample<Response>> out;
  out.reserve(v.size());
  for (node_id id = 1; id < net.size(); ++id) {
    const Response q = v[id - 1];
    if (!std::isfinite(q.value()) || q.value() < 0)
      throw std::invalid_argument("samples_of: layer '" + std::string(net.name(id)) +
                                  "' of network '" + std::string(net.name()) +
                                  "' has measured value " + std::to_string(q.value()) +
                                  " (must be finite and >= 0)");
    out.push_back(
        {std::string(net.name()), std::string(net.name(id)), net.at(id), net.cost(id), q});
  }
  return out;
}

/// Whether a sample is *unmeasured*: its measured value is exactly 0. No layer that is executed
/// takes zero time or energy at a nanosecond or nanojoule resolution, so a 0 means the
/// measurement did not record the layer: a profiler that attributes a module's time to another
/// node of the same scope (PyTorch forward hooks give an exported ReLU6's time to its `Clip`
/// constants, which are not layers) or a layer fused into another by the runtime. Such layers
/// are left out of every fit (fit_network_model, fit_fallback, fit_whole_network_model) and of
/// both sums of a validation (validate_predictor), and counted there, rather than taken as a
/// free layer or making relative weighting (1/y) fail.
template <class Response>
[[nodiscard]] constexpr bool is_unmeasured(const layer_sample<Response>& s) {
  return s.value.value() == 0;
}

/// How well one class model fits its training rows.
struct class_fit {
  layer_class cls{};
  std::size_t rows = 0;  ///< training rows (networks for layer_type_sum, layers otherwise)
  std::optional<double> r_squared;  ///< none when the rows' measurements are constant
  double relative_accuracy = 0;     ///< Eq 8 on the training rows with measured > 0
};

/// A fitted model and the fit of each class.
template <response_quantity Response>
struct fit_result {
  network_model<Response> model;
  std::vector<class_fit> classes;
  weighting weighting_used = weighting::absolute;  ///< absolute, relative or balanced
  std::size_t unmeasured = 0;  ///< samples measured 0, left out of the fit (is_unmeasured)
};

namespace detail {

/// Design rows of one class: one per network (layer_type_sum: Σ driver) or one per layer
/// (per_layer: driver, data volume, 1).
struct class_rows {
  std::vector<std::array<double, 3>> x;
  std::vector<double> y;
  std::vector<std::string> label;    ///< names the row in errors: network (and layer)
  std::vector<std::string> network;  ///< the row's network (balanced weighting counts its rows)
};

template <class Response>
std::map<layer_class, class_rows> design_rows(std::span<const layer_sample<Response>> samples,
                                              class_scheme scheme, model_family family) {
  std::map<layer_class, class_rows> rows;
  std::map<std::pair<layer_class, std::string>, std::size_t> network_row;
  for (const layer_sample<Response>& s : samples) {
    const layer_class c = classify(s.op, scheme);
    if (c == layer_class::no_cost || is_unmeasured(s)) continue;
    const auto d = static_cast<double>(driver_value(driver_of(c), s.cost));
    class_rows& r = rows[c];
    if (family == model_family::per_layer) {
      r.x.push_back({d, static_cast<double>(s.cost.data_volume), 1.0});
      r.y.push_back(s.value.value());
      r.label.push_back("layer '" + s.layer_name + "' of network '" + s.network + "'");
      r.network.push_back(s.network);
      continue;
    }
    const auto [it, inserted] = network_row.try_emplace({c, s.network}, r.y.size());
    if (inserted) {
      r.x.push_back({0, 0, 0});
      r.y.push_back(0);
      r.label.push_back("network '" + s.network + "' (sum of its " + std::string(to_string(c)) +
                        " layers)");
      r.network.push_back(s.network);
    }
    r.x[it->second][0] += d;
    r.y[it->second] += s.value.value();
  }
  return rows;
}

/// Scales each row of (x, y) by 1 / y (weighted least squares with weights 1/y²: minimises the
/// squared relative errors) for `weighting::relative`; by 1 / (y · √n) for `balanced`, n the
/// number of rows whose `network` is the row's (weights 1/(y² · n): each network's mean squared
/// relative error counts once); unchanged for `absolute`. `network` may be empty except under
/// `balanced` (then one name per row). Throws std::invalid_argument naming the row (`label[i]`,
/// `who`) when y ≤ 0 under relative or balanced weighting, or for `automatic` (resolved by
/// choose_fit_options before fitting).
inline void weigh_rows(Eigen::MatrixXd& x, Eigen::VectorXd& y,
                       const std::vector<std::string>& label, weighting w, const std::string& who,
                       const std::vector<std::string>& network = {}) {
  const auto relative = [&](const auto& row_weight) {
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      if (!(y(i) > 0))
        throw std::invalid_argument(who + ": " + label[static_cast<std::size_t>(i)] +
                                    " has measured value " + std::to_string(y(i)) + ": " +
                                    std::string(to_string(w)) +
                                    " weighting divides by it (needs > 0)");
      const double k = row_weight(static_cast<std::size_t>(i));
      x.row(i) *= k / y(i);
      y(i) = k;
    }
  };
  switch (w) {
    case weighting::absolute:
      return;
    case weighting::relative:
      return relative([](std::size_t) { return 1.0; });
    case weighting::balanced: {
      if (network.size() != static_cast<std::size_t>(y.size()))
        throw std::invalid_argument(who + ": balanced weighting needs the network of every row");
      std::map<std::string, std::size_t> rows;
      for (const auto& n : network) ++rows[n];
      return relative(
          [&](std::size_t i) { return 1.0 / std::sqrt(static_cast<double>(rows[network[i]])); });
    }
    case weighting::automatic:
      break;
  }
  throw std::invalid_argument(who +
                              ": weighting 'auto' is chosen by validation (choose_fit_options), "
                              "not by a single fit");
}

/// The factor k > 0 by which balanced weighting scales a class's fitted coefficients: per network
/// n of the rows (`network[i]` is row i's), P_n = Σ predicted and M_n = Σ measured over its rows,
/// T_n = `total` of n (its measured total, every class); k minimises Σ_n ((k·P_n − M_n) / T_n)²,
/// i.e. k = Σ P_n·M_n / T_n² / Σ P_n² / T_n². Why: the per-layer fit minimises relative errors of
/// single layers, which biases the sum of many small noisy layers low; what a network model must
/// get right is each network's total, so each class is scaled to the error it causes there, as a
/// share of that network's total. 1 when every prediction is 0 (nothing to scale).
inline double class_scale(const Eigen::VectorXd& predicted, const Eigen::VectorXd& measured,
                          const std::vector<std::string>& network,
                          const std::map<std::string, double>& total) {
  std::map<std::string, std::pair<double, double>> sums;  // network: P_n, M_n
  for (std::size_t i = 0; i < network.size(); ++i) {
    auto& t = sums[network[i]];
    t.first += predicted(static_cast<Eigen::Index>(i));
    t.second += measured(static_cast<Eigen::Index>(i));
  }
  double num = 0, den = 0;
  for (const auto& [name, t] : sums) {
    const auto it = total.find(name);
    const double tn = it == total.end() || !(it->second > 0) ? t.second : it->second;
    if (!(tn > 0)) continue;
    num += t.first * t.second / (tn * tn);
    den += t.first * t.first / (tn * tn);
  }
  return den > 0 && num > 0 ? num / den : 1.0;
}

/// NNLS without intercept on columns scaled to a maximum of 1 (keeps the active-set solver
/// well conditioned: MACs ~ 1e8, counts ~ 1); the coefficients in the original units.
inline Eigen::VectorXd scaled_nnls(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  Eigen::VectorXd scale = x.cwiseAbs().colwise().maxCoeff().transpose();
  for (Eigen::Index j = 0; j < scale.size(); ++j)
    if (scale(j) == 0) scale(j) = 1;  // an all-zero column (callers reject it) stays zero
  non_negative_least_squares<double> nnls(false);
  nnls.train(x * scale.cwiseInverse().asDiagonal(), y);
  return nnls.coefficients().cwiseQuotient(scale);
}

}  // namespace detail

/// Fits one model per layer class from per-layer samples (SyNERGY Eq 6), by non-negative least
/// squares without intercept (a cost per MAC, per element or per layer cannot be negative):
/// - layer_type_sum: one row per (network, class): Σ value = a · Σ driver (the paper's
///   MAC_sum model for conv and FC, op sums for pooling);
/// - per_layer: one row per layer: value = a · driver + b · data volume + c.
/// `w` weighs the rows: `absolute` (the paper's ordinary least squares) or `relative` (weights
/// 1/y², i.e. each row divided by its measured value, so a 1 ms layer's 10 % error counts as
/// much as a 100 ms layer's) or `balanced` (relative, each row also weighted by 1/n, n the rows
/// of its network in its class, so that every training network counts once per class; then the
/// class's coefficients are scaled by detail::class_scale, so that its per-network sums match
/// the measured ones relative to each network's total). Samples measured 0 (is_unmeasured) are
/// left out of every row and counted in `unmeasured`, so no row is 0 under relative weighting.
/// The model's Response is the samples' (`fit_network_model(energy_samples, ...)` gives a
/// fit_result<energy>); the regression itself runs on the SI values (J or s).
/// Throws std::invalid_argument for no samples, a negative or non-finite measured value (naming
/// network and layer), a class with fewer rows than coefficients, or a design column that is
/// all zero (naming the class). O(samples + classes · rows).
template <sample_range Samples>
[[nodiscard]] fit_result<sample_response_t<Samples>> fit_network_model(
    const Samples& sample_seq, class_scheme scheme, model_family family,
    weighting w = weighting::absolute) {
  using Response = sample_response_t<Samples>;
  const auto samples = sample_span(sample_seq);
  if (samples.empty()) throw std::invalid_argument("fit_network_model: no samples");
  for (const layer_sample<Response>& s : samples)
    if (!std::isfinite(s.value.value()) || s.value.value() < 0)
      throw std::invalid_argument("fit_network_model: layer '" + s.layer_name + "' of network '" +
                                  s.network + "' has measured value " +
                                  std::to_string(s.value.value()) + " (must be finite and >= 0)");
  fit_result<Response> result;
  result.model.scheme = scheme;
  result.model.family = family;
  result.weighting_used = w;
  for (const layer_sample<Response>& s : samples) result.unmeasured += is_unmeasured(s) ? 1 : 0;
  const Eigen::Index p = family == model_family::per_layer ? 3 : 1;
  std::map<std::string, double> network_total;  // measured, every modelled layer: balanced
  for (const layer_sample<Response>& s : samples)
    if (classify(s.op, scheme) != layer_class::no_cost) network_total[s.network] += s.value.value();
  for (const auto& [cls, rows] : detail::design_rows(samples, scheme, family)) {
    const auto n = static_cast<Eigen::Index>(rows.y.size());
    const std::string name(to_string(cls));
    if (n < p)
      throw std::invalid_argument("fit_network_model: class '" + name + "' has " +
                                  std::to_string(n) + " rows for " + std::to_string(p) +
                                  " coefficients");
    Eigen::MatrixXd x(n, p);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < p; ++j)
        x(i, j) = rows.x[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
      y(i) = rows.y[static_cast<std::size_t>(i)];
    }
    for (Eigen::Index j = 0; j < p; ++j)
      if (x.col(j).cwiseAbs().maxCoeff() == 0)
        throw std::invalid_argument("fit_network_model: class '" + name + "': feature " +
                                    std::to_string(j) + " is zero in every row");
    Eigen::MatrixXd xw = x;
    Eigen::VectorXd yw = y;
    detail::weigh_rows(xw, yw, rows.label, w, "fit_network_model", rows.network);
    Eigen::VectorXd b = detail::scaled_nnls(xw, yw);
    if (w == weighting::balanced) b *= detail::class_scale(x * b, y, rows.network, network_total);
    class_coefficients& k = result.model[cls];
    k.fitted = true;
    k.per_driver = b(0);
    if (p == 3) {
      k.per_element = b(1);
      k.per_layer = b(2);
    }
    const Eigen::VectorXd pred = x * b;
    class_fit f{cls, rows.y.size(), std::nullopt, 0};
    std::vector<double> pm, mm;
    for (Eigen::Index i = 0; i < n; ++i)
      if (y(i) > 0) {
        pm.push_back(pred(i));
        mm.push_back(y(i));
      }
    if (!mm.empty()) f.relative_accuracy = relative_accuracy(pm, mm).mean;
    if (n > 1 && (y.array() != y(0)).any())
      f.r_squared = r_squared(std::span<const double>(pred.data(), static_cast<std::size_t>(n)),
                              std::span<const double>(y.data(), static_cast<std::size_t>(n)));
    result.classes.push_back(f);
  }
  return result;
}

/// What fit_whole_network_model fits besides the class models: the row weighting (also used
/// for the fallback and the calibration), whether a calibration factor is fitted, and the
/// fallback's kind. `rows` and `scale` may not be `automatic` there (choose_fit_options
/// resolves them); `fallback` may: fit_whole_network_model resolves it by choose_fallback.
struct fit_options {
  weighting rows = weighting::absolute;
  calibration scale = calibration::none;
  fallback_kind fallback = fallback_kind::data_volume;  ///< the memory-bound one: the original
};

namespace detail {
/// Whether a sample is a cheap layer the fallback learns from: its class's driver (paper
/// scheme) is neither MACs nor none, and it moves data. Its class (paper scheme) in `cls`.
template <class Response>
bool is_cheap(const layer_sample<Response>& s, layer_class& cls) {
  cls = classify(s.op, class_scheme::layer_type);
  const driver d = driver_of(cls);
  return d != driver::macs && d != driver::none && s.cost.data_volume > 0;
}

/// NNLS without intercept of the measured values on the P `features(s)` of the samples for
/// which `use(s)` holds, weighted by `w` (relative: each row divided by its value); none when
/// fewer than P samples are used (too few rows for P coefficients). Labels for errors are built
/// only on error, since the choice of a fallback fits it many times. Throws std::invalid_argument
/// naming the layer for a value < 0 under relative weighting, and for `automatic`.
template <std::size_t P, class Response, class Use, class Features>
std::optional<Eigen::VectorXd> fit_rows(std::span<const layer_sample<Response>> samples,
                                        weighting w, Use use, Features features) {
  if (w == weighting::automatic)
    throw std::invalid_argument("fit_fallback: weighting 'auto' is chosen by validation");
  std::vector<std::array<double, P>> xs;
  std::vector<double> ys;
  for (const auto& s : samples) {
    if (!use(s) || is_unmeasured(s)) continue;  // nothing recorded: no row
    const double y = s.value.value();
    std::array<double, P> x = features(s);
    if (is_relative(w)) {  // balanced as relative: the fallback's rows mix classes
      if (!(y > 0))
        throw std::invalid_argument("fit_fallback: layer '" + s.layer_name + "' of network '" +
                                    s.network + "' has measured value " + std::to_string(y) +
                                    ": relative weighting divides by it (needs > 0)");
      for (double& v : x) v /= y;
    }
    xs.push_back(x);
    ys.push_back(is_relative(w) ? 1.0 : y);
  }
  if (xs.size() < P) return std::nullopt;
  const auto n = static_cast<Eigen::Index>(xs.size());
  Eigen::MatrixXd x(n, static_cast<Eigen::Index>(P));
  for (Eigen::Index i = 0; i < n; ++i)
    for (std::size_t j = 0; j < P; ++j)
      x(i, static_cast<Eigen::Index>(j)) = xs[static_cast<std::size_t>(i)][j];
  return scaled_nnls(x, Eigen::Map<const Eigen::VectorXd>(ys.data(), n));
}

/// fit_fallback on the samples whose class (paper scheme) is not `left_out` (none: all).
template <class Response>
fallback_model fit_fallback_without(std::span<const layer_sample<Response>> samples, weighting w,
                                    fallback_kind kind, std::optional<layer_class> left_out) {
  using sample = layer_sample<Response>;
  const auto cheap = [&](const sample& s, layer_class& c) {
    return is_cheap(s, c) && c != left_out;
  };
  const auto volume = [](const sample& s) {
    return std::array<double, 1>{static_cast<double>(s.cost.data_volume)};
  };
  const auto all_cheap = [&](const sample& s) {
    layer_class c{};
    return cheap(s, c);
  };
  const auto by_volume = fit_rows<1>(samples, w, all_cheap, volume);
  if (!by_volume) return {};
  fallback_model f{true, kind, 0, (*by_volume)(0)};
  switch (kind) {
    case fallback_kind::data_volume:
      return f;
    case fallback_kind::ops_and_data_volume: {
      const auto b = fit_rows<2>(samples, w, all_cheap, [](const sample& s) {
        return std::array<double, 2>{static_cast<double>(s.cost.ops),
                                     static_cast<double>(s.cost.data_volume)};
      });
      if (b) {  // one cheap layer cannot fit two coefficients: the data-volume fit stands
        f.per_op = (*b)(0);
        f.per_element = (*b)(1);
      }
      return f;
    }
    case fallback_kind::per_driver: {
      const auto of_driver = [&](driver d) {
        return [&cheap, d](const sample& s) {
          layer_class c{};
          return cheap(s, c) && driver_of(c) == d && (d != driver::ops || s.cost.ops > 0);
        };
      };
      const auto by_ops = fit_rows<1>(samples, w, of_driver(driver::ops), [](const sample& s) {
        return std::array<double, 1>{static_cast<double>(s.cost.ops)};
      });
      if (by_ops) f.per_op = (*by_ops)(0);
      // Without data-volume-driven training layers, the volume model of all cheap ones.
      if (const auto v = fit_rows<1>(samples, w, of_driver(driver::data_volume), volume))
        f.per_element = (*v)(0);
      return f;
    }
    case fallback_kind::automatic:
      break;
  }
  throw std::invalid_argument("fit_fallback: kind 'auto' is chosen by choose_fallback");
}
}  // namespace detail

/// The fallback for classes without coefficients, fitted by NNLS (rows weighted by `w`) on
/// every cheap layer of `samples` (class driver not MACs and not none: pooling, activations,
/// normalisations, element-wise, concat, ...; data volume > 0), of kind `kind`:
/// - data_volume (memory-bound): value = b · data volume, since a layer that does little
///   arithmetic per element costs about the time to move its data;
/// - ops_and_data_volume: value = a · ops + b · data volume, one NNLS on both columns (with a
///   single cheap layer, a = 0 and b as data_volume);
/// - per_driver: a · ops fitted on the ops-driven cheap layers (ops > 0) for ops-driven
///   classes, b · data volume fitted on the data-volume-driven ones (on all cheap ones when the
///   training data has none) for the others.
/// Layers measured 0 (is_unmeasured) are left out. Returns `fitted = false` when there is no
/// cheap layer. Throws std::invalid_argument for an `automatic` kind or weighting. O(n).
template <sample_range Samples>
[[nodiscard]] fallback_model fit_fallback(const Samples& sample_seq, weighting w,
                                          fallback_kind kind = fallback_kind::data_volume) {
  return detail::fit_fallback_without(sample_span(sample_seq), w, kind, std::nullopt);
}

/// The fallback kind choose_fallback picked and each candidate's score.
struct fallback_choice {
  fallback_kind chosen = fallback_kind::data_volume;
  /// (candidate, leave-class-out accuracy in %); empty when the kind was not automatic or the
  /// training data has fewer than 2 cheap classes
  std::vector<std::pair<fallback_kind, double>> scores;
};

/// Resolves fallback_kind::automatic on training samples alone, by what a fallback is for —
/// classes the training data lacks: each cheap class (paper scheme) of `samples` is left out in
/// turn, every candidate (data_volume, ops_and_data_volume, per_driver) is fitted on the other
/// cheap layers with weighting `w` and predicts the left-out class's layers; per network that
/// has the class, the score is 100 − 100 · |Σ predicted − Σ measured| / the network's measured
/// total (every layer counted), i.e. the whole-network accuracy the fallback costs, and the
/// candidate with the best mean wins (ties within 1e-9 go to the earlier: data_volume). A kind
/// other than automatic is returned as is; with fewer than 2 cheap classes, data_volume.
/// Call it on training networks only. Throws what fit_fallback throws. O(classes · n).
template <sample_range Samples>
[[nodiscard]] fallback_choice choose_fallback(const Samples& sample_seq, weighting w,
                                              fallback_kind requested = fallback_kind::automatic) {
  using Response = sample_response_t<Samples>;
  const auto samples = sample_span(sample_seq);
  fallback_choice out;
  if (requested != fallback_kind::automatic) {
    out.chosen = requested;
    return out;
  }
  std::map<std::string, double> network_total;
  std::set<layer_class> classes;
  for (const layer_sample<Response>& s : samples) {
    layer_class c{};
    if (detail::is_cheap(s, c)) classes.insert(c);
    if (c != layer_class::no_cost) network_total[s.network] += s.value.value();
  }
  if (classes.size() < 2) return out;
  double best = 0;
  for (const fallback_kind k : {fallback_kind::data_volume, fallback_kind::ops_and_data_volume,
                                fallback_kind::per_driver}) {
    std::vector<double> accuracy;
    for (const layer_class left_out : classes) {
      const fallback_model f = detail::fit_fallback_without(samples, w, k, left_out);
      std::map<std::string, std::pair<double, double>> sums;  // network: predicted, measured
      for (const layer_sample<Response>& s : samples) {
        layer_class c{};
        if (!detail::is_cheap(s, c) || c != left_out) continue;
        auto& t = sums[s.network];
        t.first += f.fitted ? f.estimate_si(c, s.cost) : 0.0;
        t.second += s.value.value();
      }
      for (const auto& [net, t] : sums)
        if (network_total[net] > 0)
          accuracy.push_back(100.0 - 100.0 * std::abs(t.first - t.second) / network_total[net]);
    }
    if (accuracy.empty()) continue;
    double mean = 0;
    for (const double a : accuracy) mean += a / static_cast<double>(accuracy.size());
    out.scores.emplace_back(k, mean);
    if (out.scores.size() == 1 || mean > best + 1e-9) {
      best = mean;
      out.chosen = k;
    }
  }
  return out;
}

/// The calibration factor k > 0 that best scales `predicted` network totals onto `measured`
/// ones: absolute weighting minimises Σ (k·p − m)² (k = Σ p·m / Σ p²), relative (and balanced:
/// one row per network) weighting Σ ((k·p − m) / m)² (k = Σ r / Σ r², r = p / m). Multiplicative,
/// not additive, because a platform's clock, cache and library shift every layer's cost in
/// proportion, and the per_layer family already has an additive constant per layer. Throws
/// std::invalid_argument for unequal or zero lengths, a measured total ≤ 0 or predictions that are
/// all 0.
[[nodiscard]] inline double calibration_factor(std::span<const double> predicted,
                                               std::span<const double> measured, weighting w) {
  detail::check_pairs(predicted, measured, "calibration_factor", true);
  double num = 0, den = 0;
  for (std::size_t i = 0; i < measured.size(); ++i) {
    const double p = is_relative(w) ? predicted[i] / measured[i] : predicted[i];
    num += is_relative(w) ? p : p * measured[i];
    den += p * p;
  }
  if (!(den > 0) || !(num > 0))
    throw std::invalid_argument("calibration_factor: the predicted totals give no positive factor");
  return num / den;
}

/// A whole-network model and how it was fitted.
template <response_quantity Response>
struct whole_fit_result {
  whole_network_model<Response> model;
  std::vector<class_fit> classes;
  fit_options options;             ///< as fitted (never automatic)
  std::size_t left_to_fallback{};  ///< training layers of classes with too few rows to fit
  fallback_choice fallback;        ///< how the fallback's kind was chosen
  std::size_t unmeasured{};        ///< training layers measured 0, left out (is_unmeasured)
};

namespace detail {
/// The samples whose class has at least as many rows as the family has coefficients (per_layer:
/// 3 layers; layer_type_sum: 1 network, so every sample); the others cannot be fitted.
template <class Response>
std::vector<layer_sample<Response>> fittable_samples(std::span<const layer_sample<Response>> train,
                                                     class_scheme scheme, model_family family) {
  if (family != model_family::per_layer) return {train.begin(), train.end()};
  std::map<layer_class, std::size_t> layers;
  for (const auto& s : train) ++layers[classify(s.op, scheme)];
  std::vector<layer_sample<Response>> out;
  for (const auto& s : train)
    if (layers[classify(s.op, scheme)] >= 3) out.push_back(s);  // a · driver + b · volume + c
  return out;
}
}  // namespace detail

/// Fits a whole_network_model on the measured samples (those that are not is_unmeasured; their
/// number in `unmeasured`): the class models (fit_network_model with `o.rows`; classes with
/// fewer rows than coefficients are left to the fallback), the fallback (fit_fallback of kind
/// `o.fallback`, resolved by choose_fallback on these samples when automatic) and, for `o.scale ==
/// calibration::platform`, the calibration factor of the training networks' totals (every layer
/// counted, calibration_factor with `o.rows`). The samples are one platform's, so the factor is
/// that platform's. Throws std::invalid_argument for an `automatic` weighting or calibration and
/// whatever fit_network_model throws. O(samples · log classes).
template <sample_range Samples>
[[nodiscard]] whole_fit_result<sample_response_t<Samples>> fit_whole_network_model(
    const Samples& sample_seq, class_scheme scheme, model_family family, fit_options o) {
  using Response = sample_response_t<Samples>;
  if (o.rows == weighting::automatic || o.scale == calibration::automatic)
    throw std::invalid_argument(
        "fit_whole_network_model: 'auto' weighting and calibration are chosen by validation "
        "(choose_fit_options)");
  std::vector<layer_sample<Response>> measured;
  for (const auto& s : sample_span(sample_seq))
    if (!is_unmeasured(s)) measured.push_back(s);
  const std::span<const layer_sample<Response>> samples(measured);
  const auto usable = detail::fittable_samples(samples, scheme, family);
  whole_fit_result<Response> r;
  r.options = o;
  r.unmeasured = std::size(sample_seq) - measured.size();
  r.left_to_fallback = samples.size() - usable.size();
  auto f = fit_network_model(usable, scheme, family, o.rows);
  r.model.model = f.model;
  r.model.fitted_with = o.rows;
  r.classes = std::move(f.classes);
  r.fallback = choose_fallback(samples, o.rows, o.fallback);
  r.options.fallback = r.fallback.chosen;
  r.model.fallback = fit_fallback(samples, o.rows, r.fallback.chosen);
  switch (o.scale) {
    case calibration::none:
    case calibration::automatic:
      return r;
    case calibration::platform:
      break;
  }
  std::map<std::string, std::pair<double, double>> totals;  // network: predicted, measured
  for (const auto& s : samples) {
    const layer_class c = classify(s.op, scheme);
    if (c == layer_class::no_cost) continue;
    auto& t = totals[s.network];
    t.first += r.model.estimate_layer(c, s.cost).value;
    t.second += s.value.value();
  }
  std::vector<double> p, m;
  for (const auto& [name, t] : totals)
    if (t.second > 0) {
      p.push_back(t.first);
      m.push_back(t.second);
    }
  r.model.calibration = calibration_factor(p, m, o.rows);
  return r;
}

}  // namespace synergy::model
