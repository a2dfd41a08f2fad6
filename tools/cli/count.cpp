// synergy count <zoo name | file.prototxt | file.onnx>: per-layer table and totals.
#include <iostream>

#include <synergy/report/json.hpp>
#include <synergy/report/layer_table.hpp>

#include "common.hpp"

namespace synergy::cli {

void add_count(CLI::App& app) {
  auto* cmd = app.add_subcommand("count", "per-layer MACs, ops, parameters and data volume of a network, and totals");
  auto what = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto json = std::make_shared<bool>(false);
  cmd->add_option("network", *what, "zoo name (e.g. alexnet), Caffe .prototxt or .onnx file")->required();
  cmd->add_option("--format", *format, "text, csv or json")->check(CLI::IsMember({"text", "csv", "json"}));
  cmd->add_flag("--json", *json, "same as --format json");
  cmd->callback([=] {
    const network net = load_network(*what);
    const std::string f = *json ? "json" : *format;
    if (f == "json") std::cout << to_json(net).dump(2) << '\n';
    else if (f == "csv") write_csv(std::cout, net);
    else write_text(std::cout, net);
  });
}

}  // namespace synergy::cli
