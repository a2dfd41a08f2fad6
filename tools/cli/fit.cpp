// synergy fit DATASET.csv -o MODEL.json: fit a layer-type model of time (or energy) on the
// rows of one platform of a dataset (docs/datasets.md), with its validation report
// (leave-network-out, the paper's held-out networks) and the noise ceiling.
#include <fmt/core.h>

#include <fstream>
#include <iostream>
#include <synergy/model/features.hpp>
#include <synergy/model/persistence.hpp>
#include <synergy/model/selection.hpp>
#include <synergy/study/study.hpp>
#include <synergy/study/tables.hpp>

#include "dataset_networks.hpp"

namespace synergy::cli {

namespace {

struct fit_args {
  std::string dataset, out, platform, target = "time", model = "paper";
  bool json = false;
};

template <class Response>
nlohmann::json report_json(const study::study_result<Response>& s) {
  auto acc = [](const mean_sd& m) { return nlohmann::json{{"mean", m.mean}, {"sd", m.sd}}; };
  nlohmann::json j{{"platform", s.platform},
                   {"model", s.spec.name},
                   {"leave_network_out", acc(s.leave_network_out.relative_accuracy)}};
  for (const auto& c : s.leave_network_out.by_class)
    j["leave_network_out_by_class"][std::string(model::to_string(c.cls))] =
        acc(c.relative_accuracy);
  if (!s.held_out.networks.empty()) j["held_out"] = acc(s.held_out.relative_accuracy);
  for (const auto& p : s.held_out.networks)
    j["held_out_networks"].push_back({{"network", p.network},
                                      {"measured", p.measured.value()},
                                      {"predicted", p.predicted.value()},
                                      {"unmodelled", p.unmodelled.value()}});
  return j;
}

template <class Response>
void write_model(const fit_args& a, const std::string& platform,
                 const std::vector<model::layer_sample<Response>>& samples,
                 const study::model_spec& spec) {
  const auto f = model::fit_network_model(samples, spec.scheme, spec.family);
  auto j = model::to_json(f.model);
  j["fitted_on"] = {{"dataset", a.dataset}, {"platform", platform}, {"model", spec.name}};
  std::ofstream out(a.out);
  if (!out) throw user_error(a.out + ": cannot write");
  out << j.dump(2) << '\n';
  std::ostream& os = a.json ? std::cerr : std::cout;
  os << fmt::format("{:<18} {:>8} {:>12}\n", "class", "rows", "R²");
  for (const auto& c : f.classes)
    os << fmt::format("{:<18} {:>8} {:>12}\n", model::to_string(c.cls), c.rows,
                      c.r_squared ? fmt::format("{:.4f}", *c.r_squared) : "—");
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
  const auto samples = study::samples_of<Response>(d, platform);
  const auto usable = study::fittable(samples, spec);
  if (usable.size() < samples.size())
    std::cerr << samples.size() - usable.size()
              << " layers of classes with too few rows to fit are left out of the model\n";
  write_model(a, platform, usable, spec);
  std::erase_if(d.rows, [&](const auto& r) { return r.platform != platform; });
  print_selection(samples, a.json ? std::cerr : std::cout);
  const auto results = study::run_study<Response>(d, spec.name);
  if (a.json) {
    std::cout << report_json(results.front()).dump(2) << '\n';
    return;
  }
  std::cout << "\nLeaving each network out (Table 7 style):\n";
  study::write_table7(std::cout, results);
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
  cmd->add_flag("--json", a->json, "print the validation report as JSON");
  cmd->callback([a] { fit_command(*a); });
}

}  // namespace synergy::cli
