// synergy predict MODEL.json NETWORK: per-layer-class and total estimates of a network, every
// layer counted (classes the model has no coefficients for by its fallback, whose share is shown).
// One unit per quantity, the model's own (time in s, energy in J), named in the JSON key and
// in the text header alike (`time_s`, `energy_J`), so the two outputs carry the same numbers.
#include <fmt/core.h>

#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <synergy/model/persistence.hpp>
#include <synergy/study/dataset.hpp>
#include <synergy/text.hpp>
#include <vector>

#include "common.hpp"
#include "fit_counters.hpp"

namespace synergy::cli {

namespace {

/// "time_s" or "energy_J": the quantity and the unit of the model's response.
template <class Response>
std::string value_key() {
  return std::string(model::response_traits<Response>::quantity) + "_" +
         model::response_traits<Response>::unit;
}

/// Prints the estimate of `net` (called `name`: a generic exporter name is replaced by the file
/// stem, as in datasets) by the model in `j`, every layer counted (classes without
/// coefficients by the model's fallback): as JSON {"network", "quantity", "by_class":
/// {"<class>": {"<key>": v}}, "total": {"<key>": v}, "from_fallback": {"<key>": v},
/// "fallback_share", "fallback_classes": [...], "fallback_kind" (null without a fallback),
/// "calibration"}, or as a text table headed by
/// the key. Throws what whole_network_model_from_json throws for a bad model, and
/// std::invalid_argument naming the class when neither the class nor a fallback has coefficients.
template <class Response>
void predict_with(const nlohmann::json& j, const network& net, const std::string& name, bool json) {
  const auto m = model::whole_network_model_from_json<Response>(j);
  const auto e = m.estimate(net);
  const auto& by = e.by_class;
  const double total = e.total.value(), fallback = e.from_fallback.value();
  const double share = total > 0 ? fallback / total : 0.0;
  std::vector<std::string> classes;
  for (std::size_t c = 0; c < e.fallback_classes.size(); ++c)
    if (e.fallback_classes[c])
      classes.emplace_back(model::to_string(static_cast<model::layer_class>(c)));
  const std::string key = value_key<Response>();
  if (json) {
    nlohmann::json out{
        {"network", name},
        {"quantity", model::response_traits<Response>::quantity},
        {"by_class", nlohmann::json::object()},
        {"total", {{key, total}}},
        {"from_fallback", {{key, fallback}}},
        {"fallback_share", share},
        {"fallback_classes", classes},
        {"fallback_kind",
         m.fallback.fitted ? nlohmann::json(model::to_string(m.fallback.kind)) : nlohmann::json()},
        {"calibration", m.calibration}};
    for (std::size_t c = 0; c < by.size(); ++c)
      if (by[c] != 0)
        out["by_class"][std::string(model::to_string(static_cast<model::layer_class>(c)))] = {
            {key, by[c]}};
    std::cout << out.dump(2) << '\n';
    return;
  }
  // Six decimals: µs and µJ, finer than any layer the runner or a sensor resolves.
  std::cout << fmt::format("{:<18} {:>14}\n", "layer class", key);
  for (std::size_t c = 0; c < by.size(); ++c)
    if (by[c] != 0)
      std::cout << fmt::format("{:<18} {:>14.6f}\n",
                               model::to_string(static_cast<model::layer_class>(c)), by[c]);
  std::cout << fmt::format("{:<18} {:>14.6f}\n", "total", total);
  std::string names;
  for (const auto& c : classes) names += (names.empty() ? "" : ", ") + c;
  std::cout << fmt::format(
      "{:<18} {:>14.6f}  ({:.1f} % of the total{}{})\n", "from fallback", fallback, 100.0 * share,
      names.empty() ? "" : ": " + names,
      m.fallback.fitted ? "; fallback " + std::string(model::to_string(m.fallback.kind)) : "");
}

/// The model file's response quantities and how to predict with each (a table, so a new
/// response type is one row).
struct quantity_handler {
  std::string_view quantity;
  void (*predict)(const nlohmann::json&, const network&, const std::string&, bool);
};
constexpr quantity_handler quantity_handlers[] = {
    {model::response_traits<duration>::quantity, &predict_with<duration>},
    {model::response_traits<energy>::quantity, &predict_with<energy>},
};

}  // namespace

void add_predict(CLI::App& app) {
  auto model_file = std::make_shared<std::string>(), what = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("predict",
                                 "estimate a network's time (s) or energy (J) per layer class and "
                                 "in total with a fitted model, every layer counted (the share "
                                 "predicted by the model's fallback shown)");
  cmd->add_option("model", *model_file, "model JSON written by `synergy fit`")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("network", *what, "zoo name, Caffe .prototxt or .onnx file")->required();
  cmd->add_flag("--json", *json, "machine-readable output (the same numbers and unit as the text)");
  cmd->callback([=] {
    std::ifstream in;
    try {
      in = synergy::open_for_reading(*model_file);  // says why: permission, a directory…
    } catch (const std::runtime_error& e) {
      throw user_error(e.what());
    }
    nlohmann::json j;
    try {
      in >> j;
    } catch (const nlohmann::json::exception& e) {
      throw user_error(*model_file + ": not JSON: " + e.what());
    }
    const network net = load_network(*what);
    if (is_counter_model(j)) {  // fit --features counters: MACs → counters → time or energy
      try {
        return predict_counter_model(j, net, study::dataset_network_name(net, *what), *json);
      } catch (const std::exception& e) {  // a missing or wrong field, named by the reader
        throw user_error(*model_file + ": " + e.what());
      }
    }
    const nlohmann::json* quantity = nullptr;
    if (j.is_object() && j.contains("response") && j["response"].is_object() &&
        j["response"].contains("quantity"))
      quantity = &j["response"]["quantity"];
    const std::string q = quantity && quantity->is_string() ? quantity->get<std::string>() : "";
    for (const auto& h : quantity_handlers) {
      if (h.quantity != q) continue;
      try {
        return h.predict(j, net, study::dataset_network_name(net, *what), *json);
      } catch (const std::invalid_argument& e) {  // a missing or wrong field, named by the reader
        throw user_error(*model_file + ": " + e.what());
      } catch (const nlohmann::json::exception& e) {  // a field of the wrong JSON type
        throw user_error(*model_file + ": " + e.what());
      }
    }
    throw user_error(*model_file + ": response.quantity is " +
                     (quantity ? quantity->dump() : "missing") +
                     ", expected \"time\" or \"energy\"");
  });
}

}  // namespace synergy::cli
