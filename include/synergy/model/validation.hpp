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
  std::array<Response, layer_class_count> measured_by_class{};
  std::array<Response, layer_class_count> predicted_by_class{};
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
/// What a predictor returns for one layer: Response, or std::optional<Response> when it may
/// have no model for a layer.
template <class P, class Response>
concept layer_prediction = std::same_as<P, Response> || std::same_as<P, std::optional<Response>>;
}  // namespace detail

/// Validates any per-layer predictor on held-out networks: for each test set, `fit(train)`
/// (a `std::span<const layer_sample<Response>>` of the samples of all other networks) returns
/// a callable taking a `const layer_sample<Response>&` and giving the layer's prediction as a
/// `Response` (or `std::optional<Response>`, nullopt for a layer it cannot predict: that layer
/// is left out of both sums and counted in `unmodelled`). The held-out networks' layers are
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
  for (const auto& test : test_sets) {
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
                  "(or std::optional<Response>)");
    for (const auto& name : held) {
      network_prediction<Response> p{name};
      for (const auto& s : samples) {
        if (s.network != name) continue;
        const layer_class c = classify(s.op, scheme);
        if (c == layer_class::no_cost) continue;
        const prediction_t prediction = predict(s);
        Response e{};
        if constexpr (std::is_same_v<prediction_t, std::optional<Response>>) {
          if (!prediction) {  // the predictor has no model for this layer: left out, and said so
            p.unmodelled += s.value;
            continue;
          }
          e = *prediction;
        } else {
          e = prediction;
        }
        p.predicted += e;
        p.measured += s.value;
        p.predicted_by_class[static_cast<std::size_t>(c)] += e;
        p.measured_by_class[static_cast<std::size_t>(c)] += s.value;
      }
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

/// Fits a network model (fit_network_model) on all networks except each test set in turn and
/// predicts the held-out networks (Response deduced from `samples`). Besides
/// validate_predictor's errors, throws std::invalid_argument when a held-out network has a
/// layer class absent from its training networks (the message names network and class).
template <sample_range Samples>
[[nodiscard]] validation_report<sample_response_t<Samples>> validate_by_network(
    const Samples& samples, class_scheme scheme, model_family family,
    const std::vector<std::vector<std::string>>& test_sets) {
  using Response = sample_response_t<Samples>;
  return validate_predictor(
      samples, scheme, test_sets, [&](std::span<const layer_sample<Response>> train) {
        return [model = fit_network_model(train, scheme, family).model](
                   const layer_sample<Response>& s) {
          const layer_class c = classify(s.op, model.scheme);
          if (!model[c].fitted)
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
    const Samples& samples, class_scheme scheme, model_family family) {
  std::set<std::string> all;
  for (const auto& s : sample_span(samples)) all.insert(s.network);
  std::vector<std::vector<std::string>> sets;
  for (const auto& n : all) sets.push_back({n});
  return validate_by_network(samples, scheme, family, sets);
}

}  // namespace synergy::model
