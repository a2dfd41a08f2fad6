// synergy profile: run networks layer by layer on the reference runner (OpenBLAS and Eigen),
// time every layer over round-robin rounds, and measure per-layer energy when a power source
// is available; writes DIR/dataset.csv and DIR/dataset.json.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <synergy/measure/attribution.hpp>
#include <synergy/measure/sampler.hpp>
#include <synergy/sources/any_source.hpp>
#include <synergy/study/dataset.hpp>
#include <synergy/study/energy.hpp>
#include <synergy/study/samples.hpp>
#include <vector>

#include "common.hpp"
#include "source_options.hpp"

namespace synergy::cli {

namespace {

struct profile_args {
  std::string networks = "paper", backends = "openblas,eigen", out;
  source_args source;
  int rounds = 20, warmup = 1;
  double rate = 1000;
  bool json = false;
};

/// Attributes the sampled trace to the profile's regions and attaches each record's median
/// energy by region id.
void attach_energy(run::profile_result& r, const measure::trace& tr,
                   const measure::annotator& marks, const sources::source_info& info) {
  measure::attribution_options o;
  o.channels = info.top_level_channels();
  o.update_period = info.update_period;
  study::attach_energy(r, measure::attribute(tr, marks.regions(), o));
}

/// The configuration line of one backend. The switch names every backend and has no
/// default, so -Wswitch (in -Wall) reports a new backend that has no line yet.
std::string configuration_line(const run::backend_config& c, run::backend be) {
  switch (be) {
    case run::backend::openblas:
      return fmt::format("OpenBLAS kernel: {} ({}; {} thread{}); OPENBLAS_CORETYPE {}",
                         c.openblas_core, c.openblas_build, c.openblas_threads,
                         c.openblas_threads == 1 ? "" : "s",
                         c.coretype_env.empty() ? "unset" : c.coretype_env);
    case run::backend::eigen:
      return fmt::format("Eigen SIMD: {} ({} thread{})", c.eigen_simd, c.eigen_threads,
                         c.eigen_threads == 1 ? "" : "s");
  }
  return {};
}

/// The summary on standard output: the configuration of each profiled backend, the median
/// network time (ms) in one column per profiled backend (in the order of `bes`), and each
/// backend's noise ceiling. Backends not profiled get no column and no line.
void summarise(const run::profile_result& r, const std::vector<run::backend>& bes,
               std::ostream& os) {
  for (const auto be : bes) os << configuration_line(r.config, be) << '\n';
  os << fmt::format("compiler {} [{}]\n", r.config.compiler, r.config.flags);
  // Networks in the order they were profiled; one median total per backend of `bes`.
  std::vector<std::string> names;
  std::map<std::string, std::vector<double>> total_s;
  for (const auto& l : r.layers) {
    auto [it, fresh] = total_s.try_emplace(l.network, bes.size(), 0.0);
    if (fresh) names.push_back(l.network);
    for (std::size_t b = 0; b < bes.size(); ++b)
      if (bes[b] == l.be) it->second[b] += l.median_s;
  }
  os << fmt::format("{:<22}", "network (median ms)");
  for (const auto be : bes) os << fmt::format(" {:>10}", run::to_string(be));
  os << '\n';
  for (const auto& n : names) {
    os << fmt::format("{:<22}", n);
    for (const double t : total_s[n]) os << fmt::format(" {:>10.2f}", t * 1e3);
    os << '\n';
  }
  for (const auto be : bes) {
    const auto ceil = study::noise_ceiling(r, be);
    os << fmt::format(
        "noise ceiling {}: {:.1f} ± {:.1f} % (median of even rounds predicting odd rounds, Eq 8)\n",
        run::to_string(be), ceil.mean, ceil.sd);
  }
}

/// "openblas,eigen" → the backends, in the given order. Throws user_error naming --backends
/// for an unknown name, a name given twice, or none.
std::vector<run::backend> parse_backends(const std::string& text) {
  std::vector<run::backend> bes;
  for (const auto& b : split_list(text)) {
    run::backend be{};
    try {
      be = run::backend_from_string(b);
    } catch (const std::invalid_argument&) {
      throw user_error("--backends " + text + ": unknown backend '" + b + "' (openblas, eigen)");
    }
    if (std::find(bes.begin(), bes.end(), be) != bes.end())
      throw user_error("--backends " + text + ": '" + b + "' given twice");
    bes.push_back(be);
  }
  if (bes.empty()) throw user_error("--backends: give openblas, eigen or both");
  return bes;
}

void profile_command(const profile_args& a) {
  if (a.out.empty()) throw user_error("-o DIR is required");
  const std::vector<run::backend> bes = parse_backends(a.backends);
  check_rate(a.rate);
  const auto nets = load_networks(a.networks);
  run::profile_options o;
  o.rounds = a.rounds;
  o.warmup_rounds = a.warmup;
  o.backends = bes;
  progress_bar bar("profiling");
  o.progress = [&bar](int d, int t) { bar(d, t); };
  std::string why;
  auto opened = open_from_options(a.source, why);
  if (!opened && a.source.source == "auto")
    std::cerr << "no power source on this machine: measuring latency only. Why:\n" << why;
  std::filesystem::create_directories(a.out);
  run::profile_result r;
  if (opened) {
    auto& src = *opened;
    measure::annotator marks(1 << 22);
    o.marks = &marks;
    measure::sampler_options so;
    so.rate = frequency::from_value(a.rate);
    so.stream_to = (std::filesystem::path(a.out) / "trace.csv").string();
    measure::sampler s(src, so);
    s.start();
    r = run::profile(nets, o);
    s.stop();
    std::cerr << "power source " << src.info().name << ": " << s.stats().samples << " samples, "
              << s.stats().dropped << " dropped, " << s.stats().lost << " lost by the source\n";
    if (!s.stats().fault.empty())
      std::cerr << "sampling stopped early: " << s.stats().fault << '\n';
    for (const auto& w : s.stats().warnings) std::cerr << "warning: " << w << '\n';
    attach_energy(r, s.take_trace(), marks, src.info());
  } else {
    r = run::profile(nets, o);
  }
  std::ofstream(std::filesystem::path(a.out) / "dataset.json")
      << study::dataset_json(r).dump(1) << '\n';
  std::ofstream csv(std::filesystem::path(a.out) / "dataset.csv");
  study::write_dataset_csv(csv, r);
  if (a.json)
    std::cout << study::dataset_json(r).dump(1) << '\n';
  else
    summarise(r, bes, std::cout);
  std::cerr << "dataset written to " << a.out << "/dataset.csv and dataset.json\n";
}

}  // namespace

void add_profile(CLI::App& app) {
  auto a = std::make_shared<profile_args>();
  auto* cmd = app.add_subcommand("profile",
                                 "time (and, with a power source, measure the energy of) every "
                                 "layer of networks on the reference CPU runner");
  cmd->add_option("--networks", a->networks,
                  "paper (12 networks), all, or a list of zoo names / model files")
      ->capture_default_str();
  cmd->add_option("--backends", a->backends, "openblas, eigen or both")->capture_default_str();
  cmd->add_option("--rounds", a->rounds, "measured rounds, round-robin over networks")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  cmd->add_option("--warmup", a->warmup, "unrecorded rounds first")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  add_source_options(
      cmd, a->source,
      "power source: auto, none, a kind from `synergy sources`, or synthetic (dry run)");
  cmd->add_option("--rate", a->rate, "power sampling rate (Hz)")->capture_default_str();
  cmd->add_option("-o,--out", a->out, "output folder")->required();
  cmd->add_flag("--json", a->json, "print the dataset as JSON instead of the summary");
  cmd->callback([a] { profile_command(*a); });
}

}  // namespace synergy::cli
