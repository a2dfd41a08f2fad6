// synergy report DATASET.csv -o DIR: the study's tables (Table 7 per layer type, Table 8 on
// the held-out networks, with the noise ceiling) as Markdown, and plots drawn by gnuplot —
// measured time against Σ MAC per network with the fitted line (the paper's Figure 4) for
// conv and fully connected layers, and per-layer-type breakdown bars — as SVG and/or PNG; and
// SyNERGY's counter model beside the paper's figures when the dataset has counter columns.
#include <fmt/core.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <synergy/study/counter_study.hpp>
#include <synergy/study/study.hpp>
#include <synergy/study/tables.hpp>

#include "dataset_networks.hpp"

namespace synergy::cli {

namespace {

namespace fs = std::filesystem;

struct report_args {
  std::string dataset, out, format = "svg";
};

std::string terminal(const std::string& ext) {
  return ext == "svg" ? "svg size 720,520 dynamic noenhanced font 'sans,12'"
                      : "pngcairo size 960,690 noenhanced font 'sans,11'";
}

/// A platform label as part of a file name: characters other than letters, digits, '.', '-'
/// and '_' become '_' ("jetson-orin/trt" → "jetson-orin_trt"; "openblas" stays).
std::string file_part(const std::string& label) {
  std::string out = label;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  return out;
}

/// Figure 4: per network, Σ MAC of a class against its Σ time, with the fitted a · MAC.
void figure4(const fs::path& dir, const study::dataset& d, const study::study_result<duration>& s,
             model::layer_class cls, const std::vector<std::string>& exts, std::ostream& gp) {
  std::map<std::string, std::pair<double, double>> pts;  // network → (MACs, seconds)
  for (const auto& r : d.rows) {
    if (r.platform != s.platform) continue;
    const network& net = d.net_of(r);
    if (model::classify(net.at(*r.node), s.spec.scheme) != cls) continue;
    pts[r.network].first += static_cast<double>(net.cost(*r.node).macs);
    pts[r.network].second += r.time_s;
  }
  if (pts.empty()) return;
  const std::string stem = fmt::format("fig4_{}_{}", file_part(s.platform), model::to_string(cls));
  std::ofstream dat(dir / (stem + ".dat"));
  for (const auto& [n, p] : pts)
    dat << fmt::format("{} {:.6g} {:.6g}\n", n, p.first / 1e9, p.second * 1e3);
  const double a = value_in(s.fit_all.model.per_driver(cls), units::second);  // s per MAC
  for (const auto& ext : exts) {
    gp << "set terminal " << terminal(ext) << "\nset output '"
       << (dir / (stem + "." + ext)).string() << "'\n";
    gp << fmt::format("set title '{} layers, {}: measured time vs MAC sum (paper Figure 4)'\n",
                      model::to_string(cls), s.platform);
    gp << "set xlabel 'sum of MACs per network (G)'\nset ylabel 'sum of layer times per network "
          "(ms)'\nset key top left\nset grid\n";
    gp << fmt::format(
        "plot '{0}' using 2:3 with points pt 7 ps 1.2 title 'networks', '{0}' using 2:3:1 with "
        "labels offset 1,0.6 font ',8' notitle, "
        "x * {1:.9g} with lines lw 2 title 'fit: {2:.3f} ms per GMAC'\n",
        (dir / (stem + ".dat")).string(), a * 1e12, a * 1e12);
  }
}

/// Breakdown bars: time per layer type per network (stacked).
void breakdown(const fs::path& dir, const study::dataset& d, const std::string& platform,
               const std::vector<std::string>& exts, std::ostream& gp) {
  std::map<std::string, std::map<std::string, double>> t;  // network → type → ms
  std::set<std::string> types;
  for (const auto& r : d.rows)
    if (r.platform == platform) {
      const std::string type(to_string(type_of(d.net_of(r).at(*r.node))));
      t[r.network][type] += r.time_s * 1e3;
      types.insert(type);
    }
  if (t.empty()) return;
  const std::string stem = fmt::format("breakdown_{}", file_part(platform));
  std::ofstream dat(dir / (stem + ".dat"));
  dat << "network";
  for (const auto& ty : types) dat << ' ' << ty;
  dat << '\n';
  for (const auto& [n, m] : t) {
    dat << n;
    for (const auto& ty : types) dat << ' ' << (m.count(ty) ? m.at(ty) : 0.0);
    dat << '\n';
  }
  for (const auto& ext : exts) {
    gp << "set terminal " << terminal(ext) << "\nset output '"
       << (dir / (stem + "." + ext)).string() << "'\n";
    gp << "set title 'time per layer type, " << platform
       << "'\nset style data histograms\nset style histogram rowstacked\n"
       << "set style fill solid 0.8 border -1\nset boxwidth 0.75\nset xtics rotate by -40\nunset "
          "xlabel\nset ylabel 'ms'\n"
       << "set key outside right\nunset grid\n";
    // One distinct colour per layer type (gnuplot's default cycle repeats after 8).
    gp << "colors = '#4e79a7 #f28e2b #e15759 #76b7b2 #59a14f #edc948 #b07aa1 #ff9da7 #9c755f "
          "#bab0ac #1b9e77 #d95f02 #7570b3 #e7298a #66a61e'\n";
    gp << "plot for [i=2:" << types.size() + 1 << "] '" << (dir / (stem + ".dat")).string()
       << "' using i:xtic(1) title columnheader(i) lc rgb word(colors, i - 1)\n";
    gp << "unset style\nset xtics norotate\n";
  }
}

void report_command(const report_args& a) {
  auto d = load_dataset(a.dataset);
  const fs::path json = fs::path(a.dataset).parent_path() / "dataset.json";
  if (fs::exists(json)) d.totals = study::read_dataset_json_networks(json.string());
  const fs::path dir(a.out);
  fs::create_directories(dir);
  const bool energy = has_energy(d);
  const auto results = study::run_study<duration>(d);
  std::ofstream t7(dir / "table7.md"), t8(dir / "table8.md");
  t7 << "# Table 7 (latency): relative accuracy per layer class, leaving each network out\n\n";
  study::write_table7(t7, results);
  t8 << "# Table 8 (latency): held-out GoogLeNet, AlexNet and VGG_CNN_S\n\n";
  study::write_table8(t8, results);
  if (energy) {
    const auto er = study::run_study<synergy::energy>(d);
    t7 << "\n# Table 7 (energy)\n\n";
    study::write_table7(t7, er);
    t8 << "\n# Table 8 (energy)\n\n";
    study::write_table8(t8, er);
  }
  std::vector<std::string> exts;
  if (a.format == "svg" || a.format == "both") exts.push_back("svg");
  if (a.format == "png" || a.format == "both") exts.push_back("png");
  const fs::path script = dir / "plots.gp";
  {
    std::ofstream gp(script);
    for (const auto& s : results) {
      if (s.spec.family != model::model_family::layer_type_sum) continue;
      figure4(dir, d, s, model::layer_class::conv, exts, gp);
      figure4(dir, d, s, model::layer_class::fully_connected, exts, gp);
      breakdown(dir, d, s.platform, exts, gp);
    }
  }
  const int rc = std::system(
      ("gnuplot '" + script.string() + "' 2>" + (dir / "gnuplot.log").string()).c_str());
  if (rc != 0)
    std::cerr << "plots not drawn: gnuplot failed or is missing (install gnuplot-nox); data and "
                 "script are in "
              << dir << '\n';
  std::cout << "## Table 7\n\n";
  study::write_table7(std::cout, results);
  std::cout << "\n## Table 8\n\n";
  study::write_table8(std::cout, results);
  // SyNERGY's counter model (PDPTA'18) beside the paper's figures, when rows carry counters.
  std::ostringstream counters;
  study::write_counter_report(counters, d);
  std::ofstream(dir / "counter_model.md")
      << "# Counter model (SyNERGY PDPTA'18): leave-network-out relative error\n\n"
      << counters.str();
  std::cout << "\n## Counter model (PDPTA'18)\n\n" << counters.str();
  std::cerr << "tables and plots written to " << dir << '\n';
}

}  // namespace

void add_report(CLI::App& app) {
  auto a = std::make_shared<report_args>();
  auto* cmd = app.add_subcommand(
      "report",
      "tables (paper's Tables 7 and 8) and plots (Figure 4, per-type breakdown) of a dataset");
  cmd->add_option(
         "dataset", a->dataset,
         "dataset CSV (docs/datasets.md); a dataset.json of `synergy profile` beside it adds the "
         "noise ceiling")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--out", a->out, "output folder")->required();
  cmd->add_option("--format", a->format, "svg, png or both")
      ->check(CLI::IsMember({"svg", "png", "both"}))
      ->capture_default_str();
  cmd->callback([a] { report_command(*a); });
}

}  // namespace synergy::cli
