// synergy predict MODEL.json NETWORK: per-layer-class and total estimates of a network.
#include <fstream>
#include <iostream>

#include <fmt/core.h>
#include <synergy/model/persistence.hpp>

#include "common.hpp"

namespace synergy::cli {

namespace {

template <class Response>
void predict_with(const nlohmann::json& j, const network& net, bool json, const char* unit, double scale) {
  const auto m = model::network_model_from_json<Response>(j);
  const auto by = m.estimate_by_class(net);
  const double total = m.estimate(net).value();
  if (json) {
    nlohmann::json out{{"network", std::string(net.name())}, {"unit", model::response_traits<Response>::unit}, {"total", total}};
    for (std::size_t c = 0; c < by.size(); ++c)
      if (by[c] != 0) out["by_class"][std::string(model::to_string(static_cast<model::layer_class>(c)))] = by[c];
    std::cout << out.dump(2) << '\n';
    return;
  }
  for (std::size_t c = 0; c < by.size(); ++c)
    if (by[c] != 0) std::cout << fmt::format("{:<18} {:>12.4f} {}\n", model::to_string(static_cast<model::layer_class>(c)), by[c] * scale, unit);
  std::cout << fmt::format("{:<18} {:>12.4f} {}\n", "total", total * scale, unit);
}

}  // namespace

void add_predict(CLI::App& app) {
  auto model_file = std::make_shared<std::string>(), what = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("predict", "estimate a network's time or energy per layer class and in total with a fitted model");
  cmd->add_option("model", *model_file, "model JSON written by `synergy fit`")->required()->check(CLI::ExistingFile);
  cmd->add_option("network", *what, "zoo name, Caffe .prototxt or .onnx file")->required();
  cmd->add_flag("--json", *json, "machine-readable output");
  cmd->callback([=] {
    std::ifstream in(*model_file);
    nlohmann::json j;
    try {
      in >> j;
    } catch (const nlohmann::json::exception& e) {
      throw user_error(*model_file + ": not JSON: " + e.what());
    }
    const network net = load_network(*what);
    const std::string q = j.value("response", nlohmann::json::object()).value("quantity", "");
    if (q == "energy") predict_with<energy>(j, net, *json, "mJ", 1e3);
    else if (q == "time") predict_with<duration>(j, net, *json, "ms", 1e3);
    else throw user_error(*model_file + ": response.quantity is '" + q + "', expected time or energy");
  });
}

}  // namespace synergy::cli
