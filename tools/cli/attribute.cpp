// synergy attribute --trace FILE --markers FILE: per-layer and per-op-type energy from a
// recorded power trace and layer markers.
#include <algorithm>
#include <filesystem>
#include <synergy/measure/markers.hpp>
#include <synergy/measure/replay/csv.hpp>
#include <synergy/measure/replay/mlperf_tiny.hpp>
#include <synergy/measure/replay/nvidia_smi.hpp>
#include <synergy/measure/replay/perf_stat.hpp>
#include <synergy/measure/replay/pmt.hpp>
#include <synergy/measure/replay/tegrastats.hpp>
#include <synergy/measure/runtime_trace.hpp>
#include <synergy/text.hpp>

#include "attribution_output.hpp"
#include "common.hpp"

namespace synergy::cli {

namespace {

struct attribute_args {
  std::string trace, markers, trace_format = "auto", rule = "trapezoid", format = "text", channels;
  std::string markers_prefix, torch_events = "annotations";
  double idle_w = -1, interval_s = 1.0, markers_offset_s = 0;
  bool json = false;
};

std::string guess_format(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name.size() > 4 && name.substr(name.size() - 4) == ".bin") return "mlperf-tiny";
  if (name.find("tegrastats") != std::string::npos ||
      (name.size() > 4 && name.substr(name.size() - 4) == ".log"))
    return "tegrastats";
  const auto lines = synergy::read_lines(path);
  const std::string head = lines.empty() ? "" : lines[0];
  if (head.rfind("timestamp,", 0) == 0 && head.find("power.draw") != std::string::npos)
    return "nvidia-smi";
  if (head.rfind("timestamp ", 0) == 0) return "pmt";
  for (const auto& l : lines)
    if (l.find("Joules") != std::string::npos) return "perf-stat";
  return "csv";
}

void attribute_command(const attribute_args& a) {
  const std::string fmt_ = a.trace_format == "auto" ? guess_format(a.trace) : a.trace_format;
  measure::trace tr;
  std::vector<measure::region> regions;
  if (fmt_ == "csv")
    tr = measure::read_csv_trace(a.trace);
  else if (fmt_ == "nvidia-smi")
    tr = measure::read_nvidia_smi_csv(a.trace);
  else if (fmt_ == "tegrastats")
    tr = measure::read_tegrastats_log(a.trace, a.interval_s);
  else if (fmt_ == "perf-stat")
    tr = measure::read_perf_stat(a.trace).intervals;
  else if (fmt_ == "mlperf-tiny") {
    tr = measure::read_mlperf_tiny_trace(a.trace);
    if (a.markers.empty())
      regions = measure::read_mlperf_tiny_windows(
          (std::filesystem::path(a.trace).parent_path() / "trace1-timestamps.json").string());
  } else if (fmt_ == "pmt") {
    const auto d = measure::read_pmt_dump(a.trace);
    tr = d.samples;
    if (a.markers.empty()) {
      // SyNERGY-convention markers give layers; any other labels give the spans between
      // consecutive markers ("start→end").
      bool layers = false;
      for (const auto& m : d.markers)
        layers = layers || m.label.find(measure::synergy_marker_separator) != std::string::npos;
      if (layers)
        regions = measure::regions_from_synergy_markers(d.markers);
      else
        for (std::size_t i = 0; i + 1 < d.markers.size(); ++i)
          regions.push_back({d.markers[i].label + "->" + d.markers[i + 1].label, "",
                             d.markers[i].t_s, d.markers[i + 1].t_s, 0, std::nullopt});
      std::cerr << "markers placed by their position in the dump, ±"
                << d.marker_offset_uncertainty_s * 1e3 << " ms\n";
    }
  } else {
    throw user_error("unknown trace format '" + fmt_ + "'");
  }
  if (tr.size() == 0)
    throw user_error(a.trace + ": no power samples (a perf stat file without -I intervals?)");
  if (!a.markers.empty()) {
    measure::runtime_trace_options ro;
    ro.offset_s = a.markers_offset_s;
    ro.prefix = a.markers_prefix;
    ro.pytorch = a.torch_events == "operators" ? measure::pytorch_layer_events::operators
                                               : measure::pytorch_layer_events::annotations;
    const auto lines = synergy::read_lines(a.markers);
    const auto first = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
      return l.find_first_not_of(" \t\r") != std::string::npos;
    });
    const bool runtime = first != lines.end() && measure::looks_like_runtime_trace(*first);
    if (runtime) {
      // A runtime's profile counts time from its own start unless it carries an anchor: say
      // which, so that a misaligned attribution is never silent.
      const auto rt = measure::read_runtime_trace(a.markers, ro);
      std::cerr << "note: markers: " << to_string(rt.format) << " profile, " << rt.layers.size()
                << " layer events, times from " << rt.time_base
                << (rt.anchored || a.markers_offset_s != 0
                        ? "\n"
                        : "; give --markers-offset SECONDS to put them on the trace's clock\n");
      regions = rt.layers;
    } else {
      regions = measure::read_marker_file(a.markers, ro);
    }
  }
  if (regions.empty()) throw user_error("no regions: give --markers FILE");
  measure::attribution_options o;
  o.rule = a.rule == "rectangle" ? measure::integration_rule::rectangle
                                 : measure::integration_rule::trapezoid;
  for (const auto& c : split_list(a.channels)) o.channels.push_back(tr.channel_index(c));
  if (o.channels.empty() && tr.width() > 1)
    throw user_error("the trace has channels " +
                     [&] {
                       std::string s;
                       for (const auto& c : tr.channels) s += (s.empty() ? "" : ", ") + c;
                       return s;
                     }() +
                     ": say which to sum with --channels (a total rail alone, or rails that do not "
                     "contain each other)");
  if (a.idle_w >= 0) o.idle_power = power::from_value(a.idle_w);
  o.update_period = shortest_measurable(tr);
  for (const auto& n : tr.notes) std::cerr << "note: " << n << '\n';
  // A marker file carries no clock: say which one its times must share with the trace's.
  if (!a.markers.empty() && tr.clock != sources::time_base::steady &&
      tr.clock != sources::time_base::device)
    std::cerr << "note: the trace's times are on the " << sources::to_string(tr.clock)
              << " clock; the markers must be too\n";
  attribute_and_print(tr, regions, o, a.json ? "json" : a.format, std::cout);
}

}  // namespace

void add_attribute(CLI::App& app) {
  auto a = std::make_shared<attribute_args>();
  auto* cmd = app.add_subcommand(
      "attribute", "per-layer and per-op-type energy from a recorded trace and markers");
  cmd->add_option("--trace", a->trace,
                  "power trace: CSV, nvidia-smi CSV, tegrastats log, PMT dump, perf stat -I, "
                  "MLPerf Tiny .bin")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option(
         "--markers", a->markers,
         "markers: SyNERGY's convention, the library's CSV, a PyTorch profiler trace or an ONNX "
         "Runtime profile (optional for PMT and MLPerf Tiny)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--markers-offset", a->markers_offset_s,
                  "seconds added to the times of a PyTorch or ONNX Runtime profile given as "
                  "--markers (their clock starts with the profiler)");
  cmd->add_option("--markers-prefix", a->markers_prefix,
                  "profile markers: only events whose name starts with this are layers");
  cmd->add_option("--torch-events", a->torch_events,
                  "PyTorch profile markers: annotations (record_function) or operators")
      ->check(CLI::IsMember({"annotations", "operators"}))
      ->capture_default_str();
  cmd->add_option("--trace-format", a->trace_format,
                  "auto, csv, nvidia-smi, tegrastats, pmt, perf-stat, mlperf-tiny")
      ->capture_default_str();
  cmd->add_option("--channels", a->channels,
                  "channels to sum, comma-separated (required when the trace has several)");
  cmd->add_option("--rule", a->rule,
                  "trapezoid or rectangle (the paper's Eq 5), for traces of instantaneous power; "
                  "energy-counter traces are always integrated exactly")
      ->check(CLI::IsMember({"trapezoid", "rectangle"}))
      ->capture_default_str();
  cmd->add_option("--idle-w", a->idle_w, "idle power (W) subtracted over each region");
  cmd->add_option("--interval", a->interval_s,
                  "tegrastats logs without timestamps: seconds between lines")
      ->capture_default_str();
  cmd->add_option("--format", a->format, "text, csv or json")
      ->check(CLI::IsMember({"text", "csv", "json"}))
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "same as --format json");
  cmd->callback([a] { attribute_command(*a); });
}

}  // namespace synergy::cli
