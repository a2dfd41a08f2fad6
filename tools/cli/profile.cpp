// synergy profile: run networks layer by layer on the reference runner (OpenBLAS and Eigen),
// time every layer over round-robin rounds, and measure per-layer energy when a power source
// is available; writes DIR/dataset.csv and DIR/dataset.json. With --counters, a counting pass
// (one round) adds per-layer hardware counters (perf) or their simulated stand-ins (callgrind)
// as DIR/counters.csv and as counter columns of the dataset.
#include <fmt/core.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <synergy/measure/attribution.hpp>
#include <synergy/measure/replay/perf_stat_counters.hpp>
#include <synergy/measure/sampler.hpp>
#include <synergy/run/counting_pass.hpp>
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
  std::string counters = "none";
  std::vector<std::string> counter_events;  // COLUMN=EVENT[+EVENT…]
  std::string counting_pass;                // hidden: the callgrind child's backend
};

extern "C" char** environ;  // POSIX: the environment posix_spawn passes on

/// Full path of `program` on PATH ("" when absent; a name with '/' is taken as it is).
std::string find_on_path(const std::string& program) {
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), X_OK) == 0 ? program : "";
  const char* env = std::getenv("PATH");
  std::string path = env ? env : "";
  std::size_t b = 0;
  while (b <= path.size()) {
    const auto e = std::min(path.find(':', b), path.size());
    const std::string candidate = path.substr(b, e - b) + "/" + program;
    if (e > b && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    b = e + 1;
  }
  return "";
}

/// Runs `argv` (argv[0] a path) with OPENBLAS_NUM_THREADS=1 in the environment and waits;
/// returns its exit status (128 + signal when killed). Throws user_error when it cannot start.
int run_and_wait(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::setenv("OPENBLAS_NUM_THREADS", "1", 1);  // the pass is single-threaded, as the runner
  pid_t pid = 0;
  if (const int err = ::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ))
    throw user_error("cannot start " + argv[0] + ": " + std::strerror(err));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw user_error("waitpid: " + std::string(std::strerror(errno)));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// The callgrind counting pass: this program again, under valgrind, with the hidden option
/// --counting-pass, one round of `nets` on `be`; dumps go to OUT/callgrind/ (old ones are
/// removed first), valgrind's own messages to OUT/callgrind/valgrind.log. Throws user_error
/// when valgrind is not on PATH or the pass fails.
std::vector<measure::counter_row> callgrind_pass(const profile_args& a,
                                                 const std::vector<network>& nets,
                                                 run::backend be) {
  const std::string valgrind = find_on_path("valgrind");
  if (valgrind.empty())
    throw user_error(
        "--counters callgrind: valgrind is not on PATH (Debian: apt-get install valgrind)");
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(a.out) / "callgrind";
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("callgrind.out", 0) == 0) fs::remove(e.path());
  std::vector<std::string> cmd = run::callgrind_command(valgrind, (dir / "callgrind.out").string());
  cmd.push_back("--log-file=" + (dir / "valgrind.log").string());
  cmd.insert(cmd.end(),
             {fs::read_symlink("/proc/self/exe").string(), "profile", "--source", "none",
              "--counting-pass", run::to_string(be), "--networks", a.networks, "-o", dir.string()});
  std::cerr << "counting pass under callgrind (simulated counters; slow: about 50-100x a "
               "native run)\n";
  if (const int rc = run_and_wait(cmd); rc != 0)
    throw user_error("--counters callgrind: the counting pass exited with status " +
                     std::to_string(rc) + "; see " + (dir / "valgrind.log").string());
  const auto counts =
      run::match_labels(run::read_callgrind_dumps(dir), run::callgrind_labels(nets));
  return run::callgrind_counter_rows(nets, be, counts);
}

/// The perf counting pass with the --counter COLUMN=EVENT[+EVENT…] list (default:
/// instructions, cycles, llc_misses=cache-misses). Throws user_error for a column that is not
/// one of counters.csv's, and what the group throws (unknown event, permission).
std::vector<measure::counter_row> perf_pass(const profile_args& a, const std::vector<network>& nets,
                                            run::backend be) {
  std::vector<std::string> specs = a.counter_events;
  if (specs.empty())
    specs = {"instructions=instructions", "cycles=cycles", "llc_misses=cache-misses"};
  std::vector<std::string> events;
  std::vector<run::perf_column> columns;
  for (const auto& s : specs) {
    const auto eq = s.find('=');
    if (eq == std::string::npos)
      throw user_error("--counter " + s + ": expected COLUMN=EVENT[+EVENT...]");
    const std::string column = s.substr(0, eq);
    try {
      (void)measure::counter_column(column);
    } catch (const std::out_of_range& e) {
      throw user_error("--counter " + s + ": " + e.what());
    }
    run::perf_column c{column, events.size(), 0};
    std::string rest = s.substr(eq + 1);
    for (std::size_t p; !rest.empty(); rest = p == std::string::npos ? "" : rest.substr(p + 1)) {
      p = rest.find('+');
      events.push_back(rest.substr(0, p));
      ++c.count;
    }
    columns.push_back(c);
  }
  sources::perf_counter_group group(events);
  std::cerr << "counting pass with perf counters (" << events.size() << " events in one group)\n";
  auto rows = run::perf_count_pass(nets, be, group, columns);
  std::size_t multiplexed = 0;
  for (const auto& r : rows) multiplexed += r.running_fraction < 1.0 ? 1 : 0;
  if (multiplexed)
    std::cerr << "warning: " << multiplexed << " of " << rows.size()
              << " layers were counted multiplexed (scaled by enabled/running; see "
                 "running_fraction in counters.csv)\n";
  return rows;
}

/// Which counter source --counters names; "auto": perf when a PMU can count here, else
/// callgrind when valgrind is on PATH, else none (saying why).
std::string choose_counters(const std::string& wanted) {
  if (wanted == "perf")
    if (const auto st = sources::detect_perf_counters(); st.state == sources::availability::absent)
      throw user_error("--counters perf: " + st.reason);
  if (wanted == "none" || wanted == "perf" || wanted == "callgrind") return wanted;
  if (wanted != "auto")
    throw user_error("--counters " + wanted + ": expected auto, perf, callgrind or none");
  const auto st = sources::detect_perf_counters();
  if (st.state == sources::availability::available) return "perf";
  if (!find_on_path("valgrind").empty()) {
    std::cerr << "no hardware counters (" << st.reason << "): using callgrind\n";
    return "callgrind";
  }
  std::cerr << "no counters: " << st.reason << "; and valgrind is not on PATH\n";
  return "none";
}

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

/// The networks of --networks. A model file's network is named by its path as given, not by
/// its graph's name: PyTorch names every graph torch_jit, and two exports must not merge into
/// one network (the callgrind child, given the same list, names them alike).
std::vector<network> profiled_networks(const std::string& spec) {
  std::vector<network> nets = load_networks(spec);
  if (spec == "paper" || spec == "all") return nets;
  const auto items = split_list(spec);
  for (std::size_t i = 0; i < nets.size(); ++i)
    if (is_model_file(items[i])) nets[i].rename(items[i]);
  return nets;
}

/// Names the rows of each model file by its path relative to the output folder, the source
/// column of a dataset (docs/datasets.md: a zoo name, or a file relative to the dataset), so
/// that `synergy fit DIR/dataset.csv` loads the very file that was profiled.
void name_rows_by_source(run::profile_result& r, const std::string& spec, const std::string& out) {
  if (spec == "paper" || spec == "all") return;
  namespace fs = std::filesystem;
  std::map<std::string, std::string> source;
  for (const auto& item : split_list(spec))
    if (is_model_file(item))
      source[item] = fs::proximate(fs::absolute(item), fs::absolute(out)).generic_string();
  for (auto& l : r.layers)
    if (const auto it = source.find(l.network); it != source.end()) l.network = it->second;
  for (auto& n : r.networks)
    if (const auto it = source.find(n.network); it != source.end()) n.network = it->second;
}

void profile_command(const profile_args& a) {
  if (a.out.empty()) throw user_error("-o DIR is required");
  if (!a.counting_pass.empty()) {  // the child under valgrind: count, write nothing else
    const auto nets = profiled_networks(a.networks);
    (void)run::callgrind_count_pass(nets, run::backend_from_string(a.counting_pass));
    return;
  }
  const std::vector<run::backend> bes = parse_backends(a.backends);
  check_rate(a.rate);
  const auto nets = profiled_networks(a.networks);
  const std::string counters = choose_counters(a.counters);
  std::vector<measure::counter_row> rows;
  if (counters != "none") {  // first, so that a failing pass costs no profiling time
    std::filesystem::create_directories(a.out);
    rows =
        counters == "perf" ? perf_pass(a, nets, bes.front()) : callgrind_pass(a, nets, bes.front());
    std::ofstream out(std::filesystem::path(a.out) / "counters.csv");
    measure::write_counter_csv(out, rows);
    std::cerr << "counters of " << rows.size() << " layers (" << counters << ", "
              << run::to_string(bes.front()) << ") written to " << a.out << "/counters.csv\n";
  }
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
  // The counters become row features of the dataset (counters.csv stays, for fit-counters).
  for (const auto& said : run::attach_counters(r, rows)) std::cerr << "counters: " << said << '\n';
  name_rows_by_source(r, a.networks, a.out);
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
  cmd->add_option("--counters", a->counters,
                  "per-layer counters into DIR/counters.csv (one extra round on the first "
                  "backend): auto, perf (hardware PMU), callgrind (simulated, under valgrind) or "
                  "none")
      ->capture_default_str();
  cmd->add_option("--counter", a->counter_events,
                  "with --counters perf: COLUMN=EVENT[+EVENT...] (columns: instructions, cycles, "
                  "simd_ops, llc_misses, bus_accesses; e.g. simd_ops=ase_spec+vfp_spec, "
                  "bus_accesses=bus_access, simd_ops=r01c7); repeatable");
  cmd->add_option("--counting-pass", a->counting_pass)->group("");  // internal: valgrind child
  cmd->callback([a] { profile_command(*a); });
}

}  // namespace synergy::cli
