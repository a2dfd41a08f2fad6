// synergy sources: the power sources and the counter sources of this machine, and for each
// missing one, why.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <synergy/sources/detect.hpp>
#include <synergy/sources/perf_counters.hpp>
#include <vector>

#include "common.hpp"

namespace synergy::cli {

namespace {

/// The callgrind stand-in (`profile --counters callgrind`): available when valgrind is on
/// PATH. Simulated counts, so the reason says what it cannot measure.
sources::source_status detect_callgrind() {
  const char* env = std::getenv("PATH");
  const std::string path = env ? env : "";
  std::size_t b = 0;
  while (b <= path.size()) {
    const auto e = std::min(path.find(':', b), path.size());
    const std::string candidate = path.substr(b, e - b) + "/valgrind";
    if (e > b && ::access(candidate.c_str(), X_OK) == 0)
      return {"callgrind",
              candidate,
              sources::availability::available,
              "valgrind found: simulated per-layer instructions, data reads/writes and "
              "last-level misses (no SIMD, bus or cycle counts; about 50-100x slower)",
              {"instructions", "data_reads", "data_writes", "llc_misses"},
              false};
    b = e + 1;
  }
  return {"callgrind",
          "valgrind",
          sources::availability::absent,
          "valgrind is not on PATH (Debian: apt-get install valgrind)",
          {},
          false};
}

}  // namespace

void add_sources(CLI::App& app) {
  auto* cmd = app.add_subcommand("sources",
                                 "detect power and counter sources; say why each unavailable one "
                                 "is not usable");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "machine-readable output");
  cmd->callback([=] {
    const auto power = sources::detect_sources();
    const std::vector<sources::source_status> counters{sources::detect_perf_counters(),
                                                       detect_callgrind()};
    if (*json) {
      nlohmann::json j = nlohmann::json::array();
      const auto add = [&](const sources::source_status& s, const char* measures) {
        j.push_back({{"kind", s.kind},
                     {"measures", measures},
                     {"where", s.where},
                     {"state", sources::to_string(s.state)},
                     {"reason", s.reason},
                     {"channels", s.channels}});
      };
      for (const auto& s : power) add(s, "power");
      for (const auto& s : counters) add(s, "counters");
      std::cout << j.dump(2) << '\n';
      return;
    }
    const auto print = [](const sources::source_status& s) {
      std::cout << s.kind << ": " << sources::to_string(s.state) << "\n    " << s.reason << '\n';
      if (!s.channels.empty()) {
        std::cout << "    channels:";
        for (const auto& c : s.channels) std::cout << ' ' << c;
        std::cout << '\n';
      }
    };
    for (const auto& s : power) print(s);
    std::cout << "counter sources (profile --counters):\n";
    for (const auto& s : counters) print(s);
  });
}

}  // namespace synergy::cli
