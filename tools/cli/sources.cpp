// synergy sources: the power sources of this machine, and for each missing one, why.
#include <iostream>
#include <nlohmann/json.hpp>
#include <synergy/sources/detect.hpp>

#include "common.hpp"

namespace synergy::cli {

void add_sources(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sources", "detect power sources; say why each unavailable one is not usable");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "machine-readable output");
  cmd->callback([=] {
    const auto st = sources::detect_sources();
    if (*json) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& s : st)
        j.push_back({{"kind", s.kind},
                     {"where", s.where},
                     {"state", sources::to_string(s.state)},
                     {"reason", s.reason},
                     {"channels", s.channels}});
      std::cout << j.dump(2) << '\n';
      return;
    }
    for (const auto& s : st) {
      std::cout << s.kind << ": " << sources::to_string(s.state) << "\n    " << s.reason << '\n';
      if (!s.channels.empty()) {
        std::cout << "    channels:";
        for (const auto& c : s.channels) std::cout << ' ' << c;
        std::cout << '\n';
      }
    }
  });
}

}  // namespace synergy::cli
