// synergy fit DATASET.csv -o MODEL.json: fit a whole-network model of time (or energy) on the
// rows of one platform of a dataset (docs/datasets.md), with its validation report
// (leave-network-out, the paper's held-out networks, every layer counted) and the noise
// ceiling; the weighting and calibration are chosen by validation (docs/modelling.md).
#include <fmt/core.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <synergy/model/features.hpp>
#include <synergy/model/persistence.hpp>
#include <synergy/model/selection.hpp>
#include <synergy/study/study.hpp>
#include <synergy/study/tables.hpp>

#include "dataset_networks.hpp"
#include "fit_counters.hpp"

namespace synergy::cli {

namespace {

struct fit_args {
  std::string dataset, out, platform, target = "time", model = "paper";
  std::string weighting = "auto", calibration = "auto", fallback = "auto", features = "costs";
  bool json = false;
};

nlohmann::json options_json(const model::fit_options& o) {
  return {{"weighting", std::string(model::to_string(o.rows))},
          {"calibration", std::string(model::to_string(o.scale))},
          {"fallback", std::string(model::to_string(o.fallback))}};
}

/// One validated network: measured and predicted totals (every layer counted but those measured
/// 0, whose number is given; SI units, the model's), Eq 8, the part predicted by a fallback and
/// its classes, and the fit's options.
template <class Response>
nlohmann::json network_json(const model::network_prediction<Response>& p,
                            const std::vector<model::fit_options>& fits) {
  const double m = p.measured.value(), pr = p.predicted.value();
  nlohmann::json classes = nlohmann::json::array();
  for (const auto c : p.fallback_classes) classes.push_back(std::string(model::to_string(c)));
  nlohmann::json j{{"network", p.network},
                   {"measured", m},
                   {"predicted", pr},
                   {"relative_accuracy", m > 0 ? 100.0 - std::abs(pr - m) / m * 100.0 : 0.0},
                   {"from_fallback", p.from_fallback.value()},
                   {"fallback_share", pr > 0 ? p.from_fallback.value() / pr : 0.0},
                   {"fallback_classes", classes},
                   {"unmodelled", p.unmodelled.value()},
                   {"unmeasured_layers", p.unmeasured_layers}};
  if (p.fold < fits.size()) j["fit"] = options_json(fits[p.fold]);
  return j;
}

/// The validation report: per network leaving each out, and the paper's held-out networks, with
/// the options every fit used; values in the model's SI unit ("unit").
template <class Response>
nlohmann::json report_json(const study::study_result<Response>& s) {
  auto acc = [](const mean_sd& m) { return nlohmann::json{{"mean", m.mean}, {"sd", m.sd}}; };
  nlohmann::json scores = nlohmann::json::array();
  for (const auto& [o, score] : s.choice.scores) {
    auto j = options_json(o);
    j["leave_network_out_accuracy"] = score;
    scores.push_back(j);
  }
  nlohmann::json fallback_scores = nlohmann::json::array();
  for (const auto& [k, score] : s.whole.fallback.scores)
    fallback_scores.push_back(
        {{"fallback", std::string(model::to_string(k))}, {"leave_class_out_accuracy", score}});
  nlohmann::json j{{"platform", s.platform},
                   {"model", s.spec.name},
                   {"unit", model::response_traits<Response>::unit},
                   {"requested", options_json(s.requested)},
                   {"chosen",
                    {{"weighting", std::string(model::to_string(s.choice.chosen.rows))},
                     {"calibration", std::string(model::to_string(s.choice.chosen.scale))},
                     {"calibration_factor", s.whole.model.calibration},
                     {"fallback", std::string(model::to_string(s.whole.options.fallback))},
                     {"fallback_candidates", fallback_scores},
                     {"candidates", scores},
                     {"skipped", s.choice.skipped}}},
                   {"leave_network_out", acc(s.leave_network_out.relative_accuracy)},
                   {"leave_network_out_networks", nlohmann::json::array()}};
  for (const auto& p : s.leave_network_out.networks)
    j["leave_network_out_networks"].push_back(network_json(p, s.leave_network_out_options));
  for (const auto& c : s.leave_network_out.by_class)
    j["leave_network_out_by_class"][std::string(model::to_string(c.cls))] =
        acc(c.relative_accuracy);
  if (!s.held_out.networks.empty()) j["held_out"] = acc(s.held_out.relative_accuracy);
  for (const auto& p : s.held_out.networks)
    j["held_out_networks"].push_back(network_json(p, s.held_out_options));
  return j;
}

/// Writes the whole-network model fitted on every network (options chosen on them) and prints
/// its classes' fit.
template <class Response>
void write_model(const fit_args& a, const study::study_result<Response>& s) {
  auto j = model::to_json(s.whole.model);
  j["fitted_on"] = {{"dataset", a.dataset},
                    {"platform", s.platform},
                    {"model", s.spec.name},
                    {"options", options_json(s.whole.options)}};
  std::ofstream out(a.out);
  if (!out) throw user_error(a.out + ": cannot write");
  out << j.dump(2) << '\n';
  std::ostream& os = a.json ? std::cerr : std::cout;
  os << fmt::format("{:<18} {:>8} {:>12}\n", "class", "rows", "R²");
  for (const auto& c : s.whole.classes)
    os << fmt::format("{:<18} {:>8} {:>12}\n", model::to_string(c.cls), c.rows,
                      c.r_squared ? fmt::format("{:.4f}", *c.r_squared) : "—");
  os << fmt::format("fit: {} weighting, calibration {} (factor {:.4f})",
                    model::to_string(s.choice.chosen.rows), model::to_string(s.choice.chosen.scale),
                    s.whole.model.calibration);
  const auto& fb = s.whole.model.fallback;
  const char* unit = model::response_traits<Response>::unit;
  if (fb.fitted)
    os << fmt::format("; fallback {}: {:.4g} {} per op, {:.4g} {} per element of data volume",
                      model::to_string(fb.kind), fb.per_op, unit, fb.per_element, unit);
  os << '\n';
  for (const auto& [k, score] : s.whole.fallback.scores)
    os << fmt::format("  fallback {:<24} leave-class-out {:.2f} %\n", model::to_string(k), score);
  for (const auto& [o, score] : s.choice.scores)
    os << fmt::format("  candidate {:<24} leave-network-out {:.1f} %\n", study::fit_label(o),
                      score);
  for (const auto& why : s.choice.skipped) os << "  not tried: " << why << '\n';
  if (s.whole.unmeasured > 0)
    os << fmt::format(
        "  {} layers measured 0 (not recorded by the measurement) are left out of the fit and of "
        "both sums of every validation\n",
        s.whole.unmeasured);
}

/// Per network, leaving it out: measured, predicted (every layer counted), Eq 8, fallback share.
template <class Response>
void print_networks(const study::study_result<Response>& s, std::ostream& os) {
  using tu = study::table_units<Response>;
  os << fmt::format(
      "| network | fit | measured {0} | predicted {0} | relative accuracy | from "
      "fallback (classes) |\n| --- | --- | --- | --- | --- | --- |\n",
      tu::unit);
  for (const auto& p : s.leave_network_out.networks) {
    const double m = p.measured.value(), pr = p.predicted.value();
    os << fmt::format("| {} | {} | {:.3f} | {:.3f} | {:.1f} % | {} |\n", p.network,
                      p.fold < s.leave_network_out_options.size()
                          ? study::fit_label(s.leave_network_out_options[p.fold])
                          : "",
                      tu::scaled(p.measured), tu::scaled(p.predicted),
                      100.0 - std::abs(pr - m) / m * 100.0, study::fallback_summary(p));
  }
}

/// The paper's feature selection: per layer type, the best subset of its per-layer features
/// (12 for convolutions) by BIC. Types whose features are constant or too few are reported as such.
template <class Response>
void print_selection(const std::vector<model::layer_sample<Response>>& samples, std::ostream& os) {
  os << "\nFeature selection per layer type (best subset by BIC, per-layer rows):\n";
  for (const auto t : {layer_type::conv2d, layer_type::fully_connected, layer_type::max_pool2d,
                       layer_type::avg_pool2d}) {
    try {
      const auto ds = model::layer_features(samples, t);
      const auto best = model::best_subset(ds.features, ds.response, model::criterion::bic);
      std::string names;
      for (const auto& n : best.names) names += (names.empty() ? "" : ", ") + n;
      os << fmt::format("  {:<16} {:>4} layers: {} (BIC {:.1f}, {} subsets scored)\n", to_string(t),
                        ds.response.size(), names, best.score, best.evaluated);
    } catch (const std::invalid_argument& e) {
      os << fmt::format("  {:<16} not selected: {}\n", to_string(t), e.what());
    }
  }
}

/// Everything after reading the dataset, for the Response chosen by --target.
template <class Response>
void fit_target(const fit_args& a, study::dataset d, const std::string& platform) {
  const auto& spec = study::study_models()[a.model == "paper" ? 0 : 1];
  const model::fit_options requested{*model::weighting_from_string(a.weighting),
                                     *model::calibration_from_string(a.calibration),
                                     *model::fallback_kind_from_string(a.fallback)};
  const auto samples = study::samples_of<Response>(d, platform);
  const auto usable = study::fittable(samples, spec);
  if (usable.size() < samples.size())
    std::cerr << samples.size() - usable.size()
              << " layers of classes with too few rows to fit are predicted by the fallback\n";
  std::erase_if(d.rows, [&](const auto& r) { return r.platform != platform; });
  const auto results = study::run_study<Response>(d, spec.name, requested);
  write_model(a, results.front());
  print_selection(samples, a.json ? std::cerr : std::cout);
  if (a.json) {
    std::cout << report_json(results.front()).dump(2) << '\n';
    return;
  }
  std::cout << "\nLeaving each network out (Table 7 style):\n";
  study::write_table7(std::cout, results);
  std::cout << "\nPer network, leaving it out (every layer counted):\n";
  print_networks(results.front(), std::cout);
  std::cout << "\nHeld-out GoogLeNet, AlexNet, VGG_CNN_S (Table 8 style):\n";
  study::write_table8(std::cout, results);
  std::cout << "(noise ceiling not available from a CSV dataset: see the profile summary or "
               "dataset.json)\n";
  std::cerr << "model written to " << a.out << '\n';
}

void fit_command(const fit_args& a) {
  auto d = load_dataset(a.dataset);
  // Without --platform, energies are checked over every row before a platform is chosen: a
  // dataset without energies says so first, whichever platform was meant.
  const std::string chosen = a.platform.empty() ? "" : choose_platform(d, a.platform);
  if (a.target == "energy" && !has_energy(d, chosen))
    throw user_error(a.dataset + (chosen.empty() ? "" : " (platform " + chosen + ")") +
                     " has no energy column values (measured without a power source)");
  const std::string platform = chosen.empty() ? choose_platform(d, "") : chosen;
  if (a.features == "counters")  // SyNERGY's counter model (fit_counters.hpp)
    return fit_counter_features(d, platform, a.target, a.dataset, a.out, a.json);
  if (a.target == "energy") {
    fit_target<synergy::energy>(a, std::move(d), platform);
  } else {
    fit_target<duration>(a, std::move(d), platform);
  }
}

}  // namespace

void add_fit(CLI::App& app) {
  auto a = std::make_shared<fit_args>();
  auto* cmd = app.add_subcommand(
      "fit", "fit a layer-type model on a profiling dataset and validate it on held-out networks");
  cmd->add_option("dataset", a->dataset,
                  "dataset CSV: written by `synergy profile`, or network,layer,time_s[,energy_J]"
                  "[,platform] rows (docs/datasets.md)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--out", a->out, "model JSON to write")->required();
  cmd->add_option("--platform,--backend", a->platform,
                  "the rows to fit: a platform label of the dataset (a profile's backend, e.g. "
                  "openblas); default: the dataset's only platform");
  cmd->add_option("--target", a->target, "time or energy")
      ->check(CLI::IsMember({"time", "energy"}))
      ->capture_default_str();
  cmd->add_option("--model", a->model, "paper (Σ MAC per layer type) or class-aware (per layer)")
      ->check(CLI::IsMember({"paper", "class-aware"}))
      ->capture_default_str();
  cmd->add_option("--weighting", a->weighting,
                  "rows' weighting: absolute (least squares), relative (weights 1/y²), balanced "
                  "(relative, every network counting once per layer class) or auto (the best "
                  "leaving networks out, chosen on the training networks)")
      ->check(CLI::IsMember({"absolute", "relative", "balanced", "auto"}))
      ->capture_default_str();
  cmd->add_option("--calibration", a->calibration,
                  "per-platform calibration factor: none, platform or auto (as --weighting)")
      ->check(CLI::IsMember({"none", "platform", "auto"}))
      ->capture_default_str();
  cmd->add_option("--fallback", a->fallback,
                  "model of layer classes no training network has: data_volume (memory-bound), "
                  "ops_and_data_volume, per_driver, or auto (the best predictor of training "
                  "classes left out in turn, chosen on the training networks)")
      ->check(CLI::IsMember({"data_volume", "ops_and_data_volume", "per_driver", "auto"}))
      ->capture_default_str();
  cmd->add_option("--features", a->features,
                  "costs (MACs, data volume: the layer-type models) or counters (SyNERGY's "
                  "counter model from the dataset's counter columns, docs/counters.md)")
      ->check(CLI::IsMember({"costs", "counters"}))
      ->capture_default_str();
  cmd->add_flag("--json", a->json,
                "print the validation report as JSON: per network leaving it out and held out "
                "(measured, predicted, relative accuracy, fallback share) and the fit's options");
  cmd->callback([a] { fit_command(*a); });
}

}  // namespace synergy::cli
