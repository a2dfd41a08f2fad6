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
/// per-layer model (convolutions split into k×k, 1×1, grouped and depthwise, pooling into max
/// and average; per layer value = a · driver + b · data volume + c). Both are fitted as
/// whole-network models (model::whole_network_model): every layer of a held-out network is
/// predicted. A refined conv class no training network has (AlexNet is the only one with
/// grouped convolutions) is predicted with the k×k class; any other class no training network has
/// (LRN when GoogLeNet, AlexNet and VGG_CNN_S — the only networks with LRN — are all held out) by
/// the fallback fitted on the training networks' cheap layers (model::fallback_kind: memory-bound
/// by default, or chosen per training set by model::choose_fallback); each network's result says
/// how much of its prediction came from a fallback and for which classes. Row weighting (absolute,
/// relative, balanced or auto) and per-platform calibration are chosen per fit by
/// model::fit_options, `automatic` ones on each training set alone (model::choose_fit_options).

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
  model::fit_result<Response> fit_all;  ///< class models fitted on every network (chosen weighting)
  model::whole_fit_result<Response> whole;  ///< whole-network model fitted on every network
  model::fit_choice choice;                 ///< how `whole`'s options were chosen
  model::fit_options requested;             ///< the options asked for (may be automatic)
  /// options of each leave-network-out fit, indexed by network_prediction::fold
  std::vector<model::fit_options> leave_network_out_options;
  std::vector<model::fit_options> held_out_options;  ///< of the held-out fit (none if not run)
  /// Measurement halves of the network times (see profile.hpp; a property of the timing, the
  /// same for either Response); absent when the per-round times are not known (a dataset read
  /// from CSV alone), so that tables say so instead of printing 0.
  std::optional<mean_sd> noise_ceiling;
};

/// The samples of `train` whose class has at least as many rows as the model has
/// coefficients (layers for per_layer, networks for layer_type_sum); the others cannot be
/// fitted, so a whole-network model predicts their layers by its fallback rather than failing
/// the whole fit. Response deduced from `train`. O(n log k).
template <model::sample_range Samples>
[[nodiscard]] std::vector<model::layer_sample<model::sample_response_t<Samples>>> fittable(
    const Samples& samples, const model_spec& spec) {
  return model::detail::fittable_samples(model::sample_span(samples), spec.scheme, spec.family);
}

/// Runs the study of a Response (`run_study<duration>`: latency, `run_study<energy>`: energy;
/// every row then needs an energy) on a resolved dataset, for every platform in `d` and both
/// models (or only the one named `only_model`), fitting with `options` (default: the paper's
/// absolute weighting, no calibration; `automatic` ones are chosen inside every training set).
/// The held-out validation is skipped (empty report) when one of the held-out networks is not
/// in the dataset; the noise ceiling is computed when `d.totals` is not empty. Throws what
/// samples_of, noise_ceiling, the fits and the validation throw.
template <model::response_quantity Response>
[[nodiscard]] std::vector<study_result<Response>> run_study(const dataset& d,
                                                            const std::string& only_model = "",
                                                            model::fit_options options = {}) {
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
      s.requested = options;
      std::vector<std::vector<std::string>> each;
      for (const auto& n : names) each.push_back({n});
      s.leave_network_out = model::validate_predictor(
          samples, spec.scheme, each,
          model::whole_network_predictor<Response>(spec.scheme, spec.family, options,
                                                   s.leave_network_out_options));
      bool all_there = true;
      for (const auto& n : paper_held_out()) all_there = all_there && names.count(n);
      if (all_there)
        s.held_out =
            model::validate_predictor(samples, spec.scheme, {paper_held_out()},
                                      model::whole_network_predictor<Response>(
                                          spec.scheme, spec.family, options, s.held_out_options));
      s.choice = model::choose_fit_options(samples, spec.scheme, spec.family, options);
      s.whole = model::fit_whole_network_model(samples, spec.scheme, spec.family, s.choice.chosen);
      s.fit_all = model::fit_network_model(fittable(samples, spec), spec.scheme, spec.family,
                                           s.choice.chosen.rows);
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
