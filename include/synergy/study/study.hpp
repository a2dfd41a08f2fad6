#pragma once
/// @file
/// The paper's study on a dataset (study/dataset.hpp: rows of any platform): fit layer-type models
/// of latency or energy (the Response type, synergy::duration or synergy::energy), validate them
/// leaving whole networks out (Table 7: accuracy per layer type) and on the paper's held-out
/// networks GoogLeNet, AlexNet and VGG_CNN_S (Table 8), next to the noise ceiling of the
/// measurements. Printing the tables is `study/tables.hpp`.
///
/// Two models: the paper's (classes = layer types, all convolutions one class; per class
/// Σ value = a · Σ MAC, or Σ ops for pooling and the like — Eq 6/7) and a class-aware
/// per-layer model (convolutions split into k×k, 1×1, grouped and depthwise; per layer
/// value = a · driver + b · data volume + c). A held-out network whose refined conv class no
/// training network has (AlexNet is the only one with grouped convolutions) is predicted with
/// the k×k class, and the report counts such fallbacks. A layer whose class no training
/// network has at all (LRN when GoogLeNet, AlexNet and VGG_CNN_S — the only networks with
/// LRN — are all held out) is left out of both the measured and the predicted total, and
/// Table 8 states the share of measured time so left out.

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "synergy/model/fit.hpp"
#include "synergy/model/validation.hpp"
#include "synergy/run/profile.hpp"
#include "synergy/study/dataset.hpp"
#include "synergy/study/samples.hpp"
#include "synergy/units.hpp"

namespace synergy::study {

/// A model to fit: its name, class scheme and family.
struct model_spec {
  std::string name;
  model::class_scheme scheme;
  model::model_family family;
};

/// The study's two models.
inline const std::vector<model_spec>& study_models() {
  static const std::vector<model_spec> m{
      {"paper: per layer type, sum of MACs", model::class_scheme::layer_type,
       model::model_family::layer_type_sum},
      {"class-aware: per layer, MACs + data volume + constant", model::class_scheme::conv_shape,
       model::model_family::per_layer}};
  return m;
}

/// The paper's held-out networks (Table 8).
inline const std::vector<std::string>& paper_held_out() {
  static const std::vector<std::string> n{"googlenet", "alexnet", "vgg_cnn_s"};
  return n;
}

/// Results of one (platform, model) for a Response (energy or duration).
template <model::response_quantity Response>
struct study_result {
  std::string platform;  ///< the rows' platform label (a profile's backend: "openblas")
  model_spec spec;
  model::validation_report<Response> leave_network_out;  ///< every network held out once
  model::validation_report<Response> held_out;  ///< the paper's three held-out networks at once
  model::fit_result<Response> fit_all;          ///< fitted on every network
  /// Measurement halves of the network times (see profile.hpp; a property of the timing, the
  /// same for either Response); absent when the per-round times are not known (a dataset read
  /// from CSV alone), so that tables say so instead of printing 0.
  std::optional<mean_sd> noise_ceiling;
  std::size_t fallbacks = 0;  ///< layers predicted with a fallback class
};

/// The samples of `train` whose class has at least as many rows as the model has
/// coefficients (layers for per_layer, networks for layer_type_sum); the others cannot be
/// fitted, so their layers stay unmodelled rather than failing the whole fit. Response deduced
/// from `train`. O(n log k).
template <model::sample_range Samples>
[[nodiscard]] std::vector<model::layer_sample<model::sample_response_t<Samples>>> fittable(
    const Samples& samples, const model_spec& spec) {
  const auto train = model::sample_span(samples);
  // layer_type_sum has one coefficient, and every class present has at least one network.
  if (spec.family != model::model_family::per_layer) return {train.begin(), train.end()};
  std::map<model::layer_class, std::size_t> layers;
  for (const auto& s : train) ++layers[model::classify(s.op, spec.scheme)];
  std::vector<model::layer_sample<model::sample_response_t<Samples>>> out;
  for (const auto& s : train)
    if (layers[model::classify(s.op, spec.scheme)] >= 3)
      out.push_back(s);  // a · driver + b · volume + c
  return out;
}

namespace detail {

/// Fit on `train`, predict a layer; unseen refined conv classes fall back to conv_kxk.
template <class Response>
auto fallback_predictor(const model_spec& spec, std::size_t& fallbacks) {
  return [&spec, &fallbacks](std::span<const model::layer_sample<Response>> train) {
    const auto usable = fittable(train, spec);
    const auto m = model::fit_network_model(usable, spec.scheme, spec.family).model;
    return [m, &fallbacks](const model::layer_sample<Response>& s) {
      model::layer_class c = model::classify(s.op, m.scheme);
      if (!m[c].fitted &&
          (c == model::layer_class::conv_grouped || c == model::layer_class::depthwise_conv ||
           c == model::layer_class::conv_1x1) &&
          m[model::layer_class::conv_kxk].fitted) {
        c = model::layer_class::conv_kxk;
        ++fallbacks;
      }
      if (!m[c].fitted) return std::optional<Response>{};  // no training network has this class
      return std::optional<Response>(Response::from_value(m.estimate_si(c, s.cost)));
    };
  };
}

}  // namespace detail

/// Runs the study of a Response (`run_study<duration>`: latency, `run_study<energy>`: energy;
/// every row then needs an energy) on a resolved dataset, for every platform in `d` and both
/// models (or only the one named `only_model`). The held-out validation is skipped (empty
/// report) when one of the held-out networks is not in the dataset; the noise ceiling is
/// computed when `d.totals` is not empty. Throws what samples_of, noise_ceiling and the
/// validation throw.
template <model::response_quantity Response>
[[nodiscard]] std::vector<study_result<Response>> run_study(const dataset& d,
                                                            const std::string& only_model = "") {
  std::vector<study_result<Response>> out;
  for (const auto& platform : d.platforms()) {
    const auto samples = samples_of<Response>(d, platform);
    std::set<std::string> names;
    for (const auto& s : samples) names.insert(s.network);
    for (const auto& spec : study_models()) {
      if (!only_model.empty() && spec.name != only_model) continue;
      study_result<Response> s;
      s.platform = platform;
      s.spec = spec;
      std::vector<std::vector<std::string>> each;
      for (const auto& n : names) each.push_back({n});
      s.leave_network_out = model::validate_predictor(
          samples, spec.scheme, each, detail::fallback_predictor<Response>(spec, s.fallbacks));
      bool all_there = true;
      for (const auto& n : paper_held_out()) all_there = all_there && names.count(n);
      if (all_there)
        s.held_out =
            model::validate_predictor(samples, spec.scheme, {paper_held_out()},
                                      detail::fallback_predictor<Response>(spec, s.fallbacks));
      s.fit_all = model::fit_network_model(fittable(samples, spec), spec.scheme, spec.family);
      if (!d.totals.empty()) s.noise_ceiling = noise_ceiling(d.totals, platform);
      out.push_back(std::move(s));
    }
  }
  return out;
}

/// The study on a profile (`run_study(to_dataset(r, nets), only_model)`): `nets` are the
/// profiled networks, each backend a platform.
template <model::response_quantity Response>
[[nodiscard]] std::vector<study_result<Response>> run_study(const run::profile_result& r,
                                                            const std::vector<network>& nets,
                                                            const std::string& only_model = "") {
  return run_study<Response>(to_dataset(r, nets), only_model);
}

}  // namespace synergy::study
