// synergy — count, measure, model and predict the energy and latency of neural networks,
// layer by layer (after SyNERGY, Rodrigues, Riley, Luján 2018/2020). `synergy --help`.
#include <iostream>

#include "common.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "synergy: per-layer energy and latency of neural-network inference — count, measure, fit, "
      "predict"};
  app.require_subcommand(1);
  synergy::cli::add_count(app);
  synergy::cli::add_sources(app);
  synergy::cli::add_profile(app);
  synergy::cli::add_record(app);
  synergy::cli::add_attribute(app);
  synergy::cli::add_fit(app);
  synergy::cli::add_fit_counters(app);
  synergy::cli::add_predict(app);
  synergy::cli::add_report(app);
  synergy::cli::add_import_profile(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Library exceptions reach here too: their option identifiers become the program's options.
    const auto subs = app.get_subcommands();
    std::cerr << "synergy" << (subs.empty() ? "" : " " + subs.front()->get_name()) << ": "
              << synergy::cli::in_program_terms(e.what()) << '\n';
    return 1;
  }
  return 0;
}
