// synergy count <zoo name | file.prototxt | file.onnx>: per-layer table and totals.
#include <iomanip>
#include <iostream>
#include <synergy/report/json.hpp>
#include <synergy/report/layer_table.hpp>

#include "common.hpp"

namespace synergy::cli {

void add_count(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "count", "per-layer MACs, ops, parameters and data volume of a network, and totals");
  auto what = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto json = std::make_shared<bool>(false);
  auto input = std::make_shared<std::string>();
  auto zero = std::make_shared<bool>(false);
  cmd->add_option("network", *what, "zoo name (e.g. alexnet), Caffe .prototxt or .onnx file")
      ->required();
  cmd->add_option("--format", *format, "text, csv or json")
      ->check(CLI::IsMember({"text", "csv", "json"}));
  cmd->add_flag("--json", *json, "same as --format json");
  cmd->add_option("--input", *input,
                  "Caffe: input WIDTHxHEIGHTxCHANNELS for files fed by Data layers (train_val), or "
                  "to override the declared input");
  cmd->add_flag("--zero-cost-unsupported", *zero,
                "count unsupported layers or ops as zero-cost pass-throughs instead of failing "
                "(they are listed as notes)");
  cmd->callback([=] {
    import_settings opt;
    if (!input->empty()) opt.input = parse_shape(*input);
    opt.unsupported_as_zero_cost = *zero;
    const auto [net, notes] = load_network_with_notes(*what, opt);
    const std::string f = *json ? "json" : *format;
    if (f == "json") {
      auto j = to_json(net);
      j["import_notes"] = nlohmann::json::array();
      for (const auto& n : notes)
        j["import_notes"].push_back({{"layer", n.layer}, {"type", n.type}, {"note", n.note}});
      // Streamed (nlohmann writes to the stream as it goes): j.dump(2) would first build the
      // whole text, a second copy of a report that is about 1 kB a layer.
      std::cout << std::setw(2) << j << '\n';
      return;
    }
    if (f == "csv")
      write_csv(std::cout, net);
    else
      write_text(std::cout, net);
    // Standard output is only the result (a caller may parse the table); what the importer
    // noted goes to standard error in every format (JSON carries it as import_notes instead).
    for (const auto& n : notes)
      std::cerr << "note: " << n.layer << " (" << n.type << "): " << n.note << '\n';
  });
}

}  // namespace synergy::cli
