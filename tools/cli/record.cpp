// synergy record [--source S] [--rate HZ] -o DIR -- <command ...>: runs a program while
// sampling a power source; the program marks its layers with synergy/measure/process_markers.hpp,
// which writes to the file named by SYNERGY_MARKER_FILE (set here to DIR/markers.csv).
// DIR gets trace.csv (streamed while sampling) and markers.csv.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <synergy/measure/markers.hpp>
#include <synergy/measure/process_markers.hpp>
#include <synergy/measure/sampler.hpp>
#include <synergy/sources/any_source.hpp>

#include "attribution_output.hpp"
#include "common.hpp"
#include "source_options.hpp"

namespace synergy::cli {

namespace {

struct record_args {
  source_args source;
  std::string out, format = "text";
  double rate = 1000;
  std::vector<std::string> command;
};

sources::any_source open_for_record(const source_args& a) {
  if (a.source == "none")
    throw user_error("record needs a power source (use --source synthetic for a dry run)");
  std::string why;
  auto src = open_from_options(a, why);
  if (!src)
    throw user_error("no power source on this machine (use --source synthetic for a dry run):\n" +
                     why);
  return std::move(*src);
}

int run_child(const std::vector<std::string>& command, const std::string& marker_file) {
  const pid_t pid = ::fork();
  if (pid < 0) throw user_error("fork failed");
  if (pid == 0) {
    // The program's own output goes to standard error: standard output carries only the
    // per-layer result (text, CSV or JSON), which a caller may parse.
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    ::setenv(measure::marker_file_variable, marker_file.c_str(), 1);
    std::vector<char*> argv;
    for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    std::perror(("synergy record: " + command[0]).c_str());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int record_command(const record_args& a) {
  check_rate(a.rate);
  std::filesystem::create_directories(a.out);
  const auto dir = std::filesystem::path(a.out);
  const std::string markers = (dir / "markers.csv").string();
  std::filesystem::remove(markers);
  auto src = open_for_record(a.source);
  measure::sampler_options o;
  o.rate = frequency::from_value(a.rate);
  o.stream_to = (dir / "trace.csv").string();
  measure::sampler s(src, o);
  s.start();
  const int rc = run_child(a.command, markers);
  s.stop();
  const auto st = s.stats();
  std::cerr << "recorded " << st.samples << " samples of " << src.info().name << " (" << st.dropped
            << " dropped, " << st.missed << " missed ticks, " << st.lost
            << " lost by the source) to " << o.stream_to << '\n';
  if (!st.fault.empty()) std::cerr << "sampling stopped early: " << st.fault << '\n';
  for (const auto& w : st.warnings) std::cerr << "warning: " << w << '\n';
  if (!std::filesystem::exists(markers)) {
    std::cerr << "the program wrote no markers (" << measure::marker_file_variable
              << "); mark its layers with "
              << "synergy/measure/process_markers.hpp\n";
    return rc;
  }
  const measure::trace tr = s.take_trace();
  measure::attribution_options ao;
  ao.channels = src.info().top_level_channels();
  ao.update_period = shortest_measurable(tr, src.info().update_period);
  attribute_and_print(tr, measure::read_marker_file(markers), ao, a.format, std::cout);
  return rc;
}

}  // namespace

void add_record(CLI::App& app) {
  auto a = std::make_shared<record_args>();
  auto* cmd = app.add_subcommand(
      "record",
      "run a program while sampling a power source; it marks its layers (SYNERGY_MARKER_FILE)");
  add_source_options(cmd, a->source, "auto, a kind from `synergy sources`, or synthetic (dry run)");
  cmd->add_option("--rate", a->rate, "sampling rate (Hz)")->capture_default_str();
  cmd->add_option("-o,--out", a->out, "output folder (trace.csv, markers.csv)")->required();
  cmd->add_option("--format", a->format, "per-layer energy as text, csv or json")
      ->check(CLI::IsMember({"text", "csv", "json"}))
      ->capture_default_str();
  cmd->add_option("command", a->command, "the program and its arguments, after --")->required();
  cmd->callback([a] {
    const int rc = record_command(*a);
    if (rc != 0) throw user_error("the program exited with status " + std::to_string(rc));
  });
}

}  // namespace synergy::cli
