#pragma once
/// @file
/// Validation of network models on networks the fit never saw (leave-network-out), reported
/// as the SyNERGY paper does: per layer type (Table 7) and per whole network (Table 8).

#include <array>
#include <concepts>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "synergy/model/fit.hpp"

namespace synergy::model {

/// Measured and predicted totals of one held-out network, overall and per class, as
/// quantities of the samples' Response (energy or duration).
template <response_quantity Response>
struct network_prediction {
  std::string network;
  Response measured{};
  Response predicted{};
  /// measured value of layers the predictor had no model for (left out of both sums)
  Response unmodelled{};
  /// layers measured exactly 0 (left out of both sums: see is_unmeasured)
  std::size_t unmeasured_layers = 0;
  std::array<Response, layer_class_count> measured_by_class{};
  std::array<Response, layer_class_count> predicted_by_class{};
  Response from_fallback{};  ///< the part of `predicted` that a fallback predicted
  std::vector<layer_class> fallback_classes{};  ///< classes predicted by a fallback, ascending
  std::size_t fold = 0;                         ///< index of the test set that held it out
};

/// A layer's prediction that says whether a fallback made it (see whole_network_model).
template <response_quantity Response>
struct predicted_layer {
  Response value{};
  bool fallback = false;
};

/// Accuracy of one class's summed predictions over the held-out networks that contain it.
struct class_accuracy {
  layer_class cls{};
  std::size_t networks = 0;
  mean_sd relative_accuracy;  ///< Eq 8 over (network, class) cases with measured > 0
};

/// The result of validating on held-out networks.
template <response_quantity Response>
struct validation_report {
  std::vector<network_prediction<Response>> networks;  ///< one per held-out network (and fold)
  mean_sd relative_accuracy;                           ///< Eq 8 over the held-out networks
  double rmspe = 0;                                    ///< over the held-out networks (percent)
  std::vector<class_accuracy> by_class;
};

namespace detail {
/// What a predictor returns for one layer: Response or predicted_layer<Response>, or either in
/// a std::optional when it may have no model for a layer.
template <class P, class Response>
concept layer_prediction = std::same_as<P, Response> || std::same_as<P, std::optional<Response>> ||
    std::same_as<P, predicted_layer<Response>> ||
    std::same_as<P, std::optional<predicted_layer<Response>>>;

/// Any layer_prediction as an optional predicted_layer.
template <class Response>
std::optional<predicted_layer<Response>> normalised(const Response& r) {
  return predicted_layer<Response>{r, false};
}
template <class Response>
std::optional<predicted_layer<Response>> normalised(const predicted_layer<Response>& r) {
  return r;
}
template <class Response, class P>
std::optional<predicted_layer<Response>> normalised(const std::optional<P>& r) {
  if (!r) return std::nullopt;
  return normalised<Response>(*r);
}
}  // namespace detail

/// Validates any per-layer predictor on held-out networks: for each test set, `fit(train)`
/// (a `std::span<const layer_sample<Response>>` of the samples of all other networks) returns
/// a callable taking a `const layer_sample<Response>&` and giving the layer's prediction as a
/// `Response` (or `std::optional<Response>`, nullopt for a layer it cannot predict: that layer
/// is left out of both sums and counted in `unmodelled`). A held-out layer measured exactly 0
/// (is_unmeasured: its time was not recorded, so the measured total lacks it) is left out of
/// both sums too and counted in `unmeasured_layers`. The held-out networks' layers are
/// summed per network and per class (`scheme` only groups the report). Response is deduced
/// from `samples`. Every test-set name must occur in `samples`, and a test set may not take
/// every network (std::invalid_argument).
template <sample_range Samples, class Fit>
[[nodiscard]] validation_report<sample_response_t<Samples>> validate_predictor(
    const Samples& sample_seq, class_scheme scheme,
    const std::vector<std::vector<std::string>>& test_sets, Fit fit) {
  using Response = sample_response_t<Samples>;
  using sample = layer_sample<Response>;
  const auto samples = sample_span(sample_seq);
  std::set<std::string> all;
  for (const auto& s : samples) all.insert(s.network);
  validation_report<Response> rep;
  for (std::size_t fold = 0; fold < test_sets.size(); ++fold) {
    const auto& test = test_sets[fold];
    const std::set<std::string> held(test.begin(), test.end());
    for (const auto& n : held)
      if (!all.count(n))
        throw std::invalid_argument("validation: no samples of network '" + n + "'");
    if (held.size() >= all.size() || held.empty())
      throw std::invalid_argument("validation: a test set leaves no training network");
    std::vector<sample> train;
    for (const auto& s : samples)
      if (!held.count(s.network)) train.push_back(s);
    const auto predict = fit(std::span<const sample>(train));
    using prediction_t = std::decay_t<decltype(predict(std::declval<const sample&>()))>;
    static_assert(detail::layer_prediction<prediction_t, Response>,
                  "validate_predictor: the predictor must return the samples' Response "
                  "(or std::optional<Response>, or predicted_layer<Response>)");
    for (const auto& name : held) {
      network_prediction<Response> p{name};
      p.fold = fold;
      std::set<layer_class> fallback_classes;
      for (const auto& s : samples) {
        if (s.network != name) continue;
        const layer_class c = classify(s.op, scheme);
        if (c == layer_class::no_cost) continue;
        if (is_unmeasured(s)) {  // not in the measured total: compare like with like
          ++p.unmeasured_layers;
          continue;
        }
        const auto prediction = detail::normalised<Response>(predict(s));
        if (!prediction) {  // the predictor has no model for this layer: left out, and said so
          p.unmodelled += s.value;
          continue;
        }
        const Response e = prediction->value;
        if (prediction->fallback) {
          p.from_fallback += e;
          fallback_classes.insert(c);
        }
        p.predicted += e;
        p.measured += s.value;
        p.predicted_by_class[static_cast<std::size_t>(c)] += e;
        p.measured_by_class[static_cast<std::size_t>(c)] += s.value;
      }
      p.fallback_classes.assign(fallback_classes.begin(), fallback_classes.end());
      rep.networks.push_back(p);
    }
  }
  std::vector<double> pred, meas;
  for (const auto& p : rep.networks) {
    pred.push_back(p.predicted.value());
    meas.push_back(p.measured.value());
  }
  rep.relative_accuracy = relative_accuracy(pred, meas);
  rep.rmspe = rmspe(pred, meas);
  for (std::size_t c = 0; c < layer_class_count; ++c) {
    std::vector<double> pc, mc;
    for (const auto& p : rep.networks)
      if (p.measured_by_class[c].value() > 0) {
        pc.push_back(p.predicted_by_class[c].value());
        mc.push_back(p.measured_by_class[c].value());
      }
    if (!mc.empty())
      rep.by_class.push_back({static_cast<layer_class>(c), mc.size(), relative_accuracy(pc, mc)});
  }
  return rep;
}

namespace detail {
/// One test set per network of `samples` (sorted by name).
template <class Samples>
std::vector<std::vector<std::string>> each_network(const Samples& samples) {
  std::set<std::string> all;
  for (const auto& s : sample_span(samples)) all.insert(s.network);
  std::vector<std::vector<std::string>> sets;
  for (const auto& n : all) sets.push_back({n});
  return sets;
}
}  // namespace detail

template <class Response>
auto whole_network_predictor(class_scheme scheme, model_family family, fit_options requested,
                             std::vector<fit_options>& chosen);

/// The options choose_fit_options picked and the score of every candidate it tried.
struct fit_choice {
  fit_options chosen;
  /// (candidate, mean relative accuracy leaving each training network out); empty when
  /// nothing was automatic or there were fewer than 3 training networks
  std::vector<std::pair<fit_options, double>> scores;
  std::vector<std::string> skipped;  ///< candidates that could not be fitted, and why
};

/// Resolves `automatic` weighting and calibration on `train` alone (the fallback kind is passed
/// through: fit_whole_network_model resolves it by choose_fallback): every candidate (absolute,
/// relative and, for the per_layer family, balanced weighting for `weighting::automatic`; none and
/// platform for `calibration::automatic`)
/// is validated leaving each network of `train` out in turn (a whole_network_model per inner fold),
/// and the one with the best mean relative accuracy (Eq 8, every layer counted) wins; ties
/// (within 1e-9 percentage points) go to the earlier candidate (absolute, then none: the paper's).
/// With fewer than 3 training networks (an inner fold would train on one) `automatic` means
/// absolute and none. A candidate whose fit throws std::invalid_argument (relative weighting of a
/// layer measured 0) is listed in `skipped` with the error; when every candidate throws, the last
/// error is rethrown. Call it on a training set only, never with a held-out network in it.
template <sample_range Samples>
[[nodiscard]] fit_choice choose_fit_options(const Samples& sample_seq, class_scheme scheme,
                                            model_family family, fit_options requested) {
  using Response = sample_response_t<Samples>;
  std::vector<weighting> ws{requested.rows};
  if (requested.rows == weighting::automatic) {
    ws = {weighting::absolute, weighting::relative};
    // Balanced evens out networks' row counts within a class; layer_type_sum has one row per
    // network and class already, so there it is only tried when asked for.
    if (family == model_family::per_layer) ws.push_back(weighting::balanced);
  }
  std::vector<calibration> cs{requested.scale};
  if (requested.scale == calibration::automatic) cs = {calibration::none, calibration::platform};
  fit_choice out;
  out.chosen = {ws.front(), cs.front(), requested.fallback};
  const auto sets = detail::each_network(sample_seq);
  if (ws.size() * cs.size() == 1 || sets.size() < 3) return out;
  double best = 0;
  for (const weighting w : ws)
    for (const calibration c : cs) {
      const fit_options o{w, c, requested.fallback};
      std::vector<fit_options> unused;
      validation_report<Response> rep;
      try {
        rep = validate_predictor(sample_seq, scheme, sets,
                                 whole_network_predictor<Response>(scheme, family, o, unused));
      } catch (const std::invalid_argument& e) {
        // A candidate that cannot be fitted on these data (relative weighting of a row measured
        // 0) is passed over and said so; when no candidate can, the error stands.
        if (w == ws.back() && c == cs.back() && out.scores.empty()) throw;
        out.skipped.push_back(std::string(to_string(w)) + " weighting, calibration " +
                              std::string(to_string(c)) + ": " + e.what());
        continue;
      }
      out.scores.emplace_back(o, rep.relative_accuracy.mean);
      // Better by more than rounding: a tie (exact data fit by both) keeps the earlier one.
      if (out.scores.size() == 1 || rep.relative_accuracy.mean > best + 1e-9) {
        best = rep.relative_accuracy.mean;
        out.chosen = o;
      }
    }
  return out;
}

/// Fits a network model (fit_network_model) on all networks except each test set in turn and
/// predicts the held-out networks (Response deduced from `samples`). Besides
/// validate_predictor's errors, throws std::invalid_argument when a held-out network has a
/// layer class absent from its training networks (the message names network and class).
template <sample_range Samples>
[[nodiscard]] validation_report<sample_response_t<Samples>> validate_by_network(
    const Samples& samples, class_scheme scheme, model_family family,
    const std::vector<std::vector<std::string>>& test_sets, weighting w = weighting::absolute) {
  using Response = sample_response_t<Samples>;
  return validate_predictor(
      samples, scheme, test_sets, [&](std::span<const layer_sample<Response>> train) {
        return [model = fit_network_model(train, scheme, family, w).model](
                   const layer_sample<Response>& s) {
          const layer_class c = classify(s.op, model.scheme);
          if (!model[model.coefficients_of(c)].fitted)
            throw std::invalid_argument("validation: network '" + s.network +
                                        "' has layer class '" + std::string(to_string(c)) +
                                        "', which no training network has");
          return Response::from_value(model.estimate_si(c, s.cost));
        };
      });
}

/// Leave-one-network-out: every network of `samples` is held out once (Response deduced).
template <sample_range Samples>
[[nodiscard]] validation_report<sample_response_t<Samples>> leave_network_out(
    const Samples& samples, class_scheme scheme, model_family family,
    weighting w = weighting::absolute) {
  return validate_by_network(samples, scheme, family, detail::each_network(samples), w);
}

/// A predictor for validate_predictor that fits a whole_network_model on each training set —
/// with `requested` options, where `automatic` ones are chosen by choose_fit_options (weighting,
/// calibration) and choose_fallback (fallback kind) on that training set alone — and predicts every
/// layer (fallbacks flagged; a layer that neither its class nor a fallback covers is unmodelled).
/// Each fit's options are appended to `chosen` (one per test set, in order:
/// network_prediction::fold indexes them).
template <class Response>
auto whole_network_predictor(class_scheme scheme, model_family family, fit_options requested,
                             std::vector<fit_options>& chosen) {
  return [=, &chosen](std::span<const layer_sample<Response>> train) {
    auto fitted = fit_whole_network_model(
        train, scheme, family, choose_fit_options(train, scheme, family, requested).chosen);
    chosen.push_back(fitted.options);  // with the fallback kind resolved on `train`
    return [m = std::move(fitted.model)](
               const layer_sample<Response>& s) -> std::optional<predicted_layer<Response>> {
      const layer_class c = classify(s.op, m.model.scheme);
      try {
        const layer_estimate e = m.estimate_layer(c, s.cost);
        return predicted_layer<Response>{Response::from_value(e.value), e.fallback};
      } catch (const std::invalid_argument&) {  // neither the class nor a fallback: unmodelled
        return std::nullopt;
      }
    };
  };
}

}  // namespace synergy::model
