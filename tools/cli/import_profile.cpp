// synergy import-profile TRACE --network SOURCE --platform NAME -o DATASET.csv: another
// runtime's per-layer profile (PyTorch profiler trace, ONNX Runtime profiling JSON) as a
// dataset CSV that `synergy fit` reads unchanged (docs/datasets.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <synergy/measure/runtime_trace.hpp>
#include <synergy/study/runtime_profile.hpp>

#include "common.hpp"

namespace synergy::cli {

namespace {

struct import_profile_args {
  std::string trace, format = "auto", network, platform, output, events = "annotations", prefix;
};

/// `source` as the dataset at `output` must name it: a file path relative to the dataset's
/// folder (read_dataset_csv resolves it from there), a zoo name as it is.
std::string source_relative_to(const std::string& source, const std::string& output) {
  const std::filesystem::path p(source);
  const std::string ext = p.extension().string();
  if (ext != ".onnx" && ext != ".prototxt") return source;
  const auto dir = std::filesystem::absolute(output).parent_path();
  return std::filesystem::absolute(p).lexically_normal().lexically_relative(dir).generic_string();
}

void import_profile_command(const import_profile_args& a) {
  // Kinds by table, not by if-chains: the option's words and what they stand for.
  static const std::map<std::string, std::optional<measure::runtime_trace_format>> formats{
      {"auto", std::nullopt},
      {"pytorch", measure::runtime_trace_format::pytorch},
      {"onnxruntime", measure::runtime_trace_format::onnxruntime}};
  static const std::map<std::string, measure::pytorch_layer_events> events{
      {"annotations", measure::pytorch_layer_events::annotations},
      {"operators", measure::pytorch_layer_events::operators}};
  measure::runtime_trace_options o;
  o.format = formats.at(a.format);
  o.pytorch = events.at(a.events);
  o.prefix = a.prefix;
  const auto trace = measure::read_runtime_trace(a.trace, o);
  const network net = load_network(a.network);
  const auto p = study::profile_to_rows(trace, net);
  std::cerr << a.trace << ": " << to_string(trace.format) << ", " << trace.layers.size()
            << " layer events: " << p.matched << " matched, " << p.folded
            << " of modules folded away at export (added to the layer before), "
            << p.unmatched_events << " unmatched\n";
  std::size_t shown = 0;
  for (const auto& [name, n] : p.unmatched)
    if (++shown <= 10) std::cerr << "  unmatched: '" << name << "' (" << n << " events)\n";
  if (p.unmatched.size() > 10)
    std::cerr << "  ... and " << p.unmatched.size() - 10 << " more unmatched names\n";
  if (!p.missing.empty()) {
    std::cerr << p.missing.size() << " of " << p.rows.size()
              << " layers have no event and get time 0:";
    for (std::size_t i = 0; i < p.missing.size() && i < 10; ++i)
      std::cerr << " '" << p.missing[i] << "'";
    std::cerr << (p.missing.size() > 10 ? " ...\n" : "\n");
  }
  if (p.matched == 0)
    throw user_error(a.trace + ": no event names a layer of " + a.network +
                     " (node names, or PyTorch module paths)");
  std::ofstream out(a.output);
  if (!out) throw user_error(a.output + ": cannot write");
  study::write_profile_dataset_csv(out, p, source_relative_to(a.network, a.output), a.platform);
  if (!out.flush()) throw user_error(a.output + ": write failed");
}

}  // namespace

void add_import_profile(CLI::App& app) {
  auto a = std::make_shared<import_profile_args>();
  auto* cmd = app.add_subcommand(
      "import-profile",
      "another runtime's per-layer profile (PyTorch trace, ONNX Runtime JSON) as a dataset CSV");
  cmd->add_option("trace", a->trace, "the profile: PyTorch's export_chrome_trace or ONNX Runtime's")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", a->format, "auto (by content), pytorch or onnxruntime")
      ->check(CLI::IsMember({"auto", "pytorch", "onnxruntime"}))
      ->capture_default_str();
  cmd->add_option("--network", a->network,
                  "the network the profile ran: .onnx file (or .prototxt, zoo name)")
      ->required();
  cmd->add_option("--platform", a->platform, "platform label, e.g. pytorch-1.13/cpu-1t")
      ->required();
  cmd->add_option("-o,--output", a->output, "dataset CSV to write")->required();
  cmd->add_option("--events", a->events,
                  "PyTorch: which events are layers: annotations (record_function) or operators")
      ->check(CLI::IsMember({"annotations", "operators"}))
      ->capture_default_str();
  cmd->add_option("--prefix", a->prefix,
                  "only events whose name starts with this are layers (removed from the name)");
  cmd->callback([a] { import_profile_command(*a); });
}

}  // namespace synergy::cli
