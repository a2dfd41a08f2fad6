#pragma once
/// @file
/// Profiling datasets: one row per (network, layer, backend) with the layer's features, its
/// time statistics over the rounds, its energy when measured, and the backend configuration;
/// as CSV (one header line of column names, then rows; the configuration in `#` comment lines)
/// and JSON. `read_dataset_csv` reads the CSV back (what `synergy fit` does).

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/run/profile.hpp"
#include "synergy/text.hpp"

namespace synergy::study {

using run::layer_record;
using run::network_record;
using run::profile_result;

/// Column names of the dataset CSV.
inline const std::vector<std::string>& dataset_columns() {
  static const std::vector<std::string> c{
      "network", "layer",       "layer_type", "node",  "backend",  "macs",   "ops",  "weights",
      "biases",  "data_volume", "rounds",     "min_s", "median_s", "mean_s", "sd_s", "energy_J"};
  return c;
}

/// Writes the dataset CSV: `# key: value` lines with the backend configuration, the header,
/// one row per layer record (energy empty when not measured).
inline void write_dataset_csv(std::ostream& os, const profile_result& r) {
  const auto& c = r.config;
  os << "# openblas_build: " << c.openblas_build << "\n# openblas_core: " << c.openblas_core
     << "\n# openblas_threads: " << c.openblas_threads << "\n# eigen_simd: " << c.eigen_simd
     << "\n# eigen_threads: " << c.eigen_threads << "\n# compiler: " << c.compiler
     << "\n# flags: " << c.flags
     << "\n# OPENBLAS_CORETYPE: " << (c.coretype_env.empty() ? "(unset)" : c.coretype_env) << '\n';
  const auto& cols = dataset_columns();
  for (std::size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cols[i];
  os << '\n';
  char buf[64];
  auto num = [&](double v) {
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return std::string(buf);
  };
  for (const auto& l : r.layers)
    os << l.network << ',' << l.layer << ',' << l.layer_type << ',' << l.node << ','
       << run::to_string(l.be) << ',' << l.cost.macs << ',' << l.cost.ops << ',' << l.cost.weights
       << ',' << l.cost.biases << ',' << l.cost.data_volume << ',' << l.times_s.size() << ','
       << num(l.min_s) << ',' << num(l.median_s) << ',' << num(l.mean_s) << ',' << num(l.sd_s)
       << ',' << (l.energy_j ? num(*l.energy_j) : "") << '\n';
}

/// The dataset as JSON: {"config": {...}, "rounds": R, "layers": [{..., "times_s": [...]}],
/// "networks": [{"network", "backend", "totals_s"}]}.
[[nodiscard]] inline nlohmann::json dataset_json(const profile_result& r) {
  nlohmann::json j;
  const auto& c = r.config;
  j["config"] = {{"openblas_build", c.openblas_build},
                 {"openblas_core", c.openblas_core},
                 {"openblas_threads", c.openblas_threads},
                 {"eigen_simd", c.eigen_simd},
                 {"eigen_threads", c.eigen_threads},
                 {"compiler", c.compiler},
                 {"flags", c.flags},
                 {"openblas_coretype_env", c.coretype_env}};
  j["rounds"] = r.rounds;
  for (const auto& l : r.layers) {
    nlohmann::json x = {{"network", l.network},
                        {"layer", l.layer},
                        {"layer_type", l.layer_type},
                        {"node", l.node},
                        {"backend", run::to_string(l.be)},
                        {"macs", l.cost.macs},
                        {"ops", l.cost.ops},
                        {"weights", l.cost.weights},
                        {"biases", l.cost.biases},
                        {"data_volume", l.cost.data_volume},
                        {"times_s", l.times_s},
                        {"min_s", l.min_s},
                        {"median_s", l.median_s},
                        {"mean_s", l.mean_s},
                        {"sd_s", l.sd_s}};
    x["energy_J"] = l.energy_j ? nlohmann::json(*l.energy_j) : nlohmann::json(nullptr);
    j["layers"].push_back(std::move(x));
  }
  for (const auto& n : r.networks)
    j["networks"].push_back(
        {{"network", n.network}, {"backend", run::to_string(n.be)}, {"totals_s", n.totals_s}});
  return j;
}

/// Reads a dataset CSV (times per round are not in the CSV: `times_s` stays empty).
/// Throws `parse_error` naming file and line for a missing column or a bad number.
[[nodiscard]] inline profile_result read_dataset_csv(const std::string& path) {
  const auto lines = synergy::detail::read_lines(path);
  profile_result r;
  std::size_t l = 0;
  for (; l < lines.size() && (lines[l].empty() || lines[l][0] == '#'); ++l) {
    const auto& s = lines[l];
    auto value = [&](const char* key) -> std::optional<std::string> {
      const std::string k = std::string("# ") + key + ": ";
      if (s.rfind(k, 0) == 0) return s.substr(k.size());
      return std::nullopt;
    };
    if (auto v = value("openblas_core")) r.config.openblas_core = *v;
    if (auto v = value("openblas_build")) r.config.openblas_build = *v;
    if (auto v = value("eigen_simd")) r.config.eigen_simd = *v;
    if (auto v = value("compiler")) r.config.compiler = *v;
    if (auto v = value("flags")) r.config.flags = *v;
  }
  if (l == lines.size()) synergy::detail::fail(path, l, "no header line");
  const auto header = synergy::detail::split(lines[l], ',');
  std::vector<std::size_t> at;
  for (const auto& c : dataset_columns()) {
    const auto it = std::find(header.begin(), header.end(), c);
    if (it == header.end()) synergy::detail::fail(path, l + 1, "missing column '" + c + "'");
    at.push_back(static_cast<std::size_t>(it - header.begin()));
  }
  for (++l; l < lines.size(); ++l) {
    if (lines[l].empty()) continue;
    const auto f = synergy::detail::split(lines[l], ',');
    if (f.size() != header.size())
      synergy::detail::fail(
          path, l + 1,
          std::to_string(f.size()) + " fields, header has " + std::to_string(header.size()));
    auto num = [&](std::size_t col) {
      const auto v = synergy::detail::to_double(f[at[col]]);
      if (!v || !std::isfinite(*v))
        synergy::detail::fail(
            path, l + 1,
            "column '" + dataset_columns()[col] + "': not a number: '" + f[at[col]] + "'");
      return *v;
    };
    // Counts must be whole numbers a 64-bit count holds: a float→int cast of 1e30 or NaN is
    // undefined behaviour, never a number to fit on.
    auto count = [&](std::size_t col, double max) {
      const double v = num(col);
      if (!(v >= 0 && v <= max && v == std::floor(v)))
        synergy::detail::fail(path, l + 1,
                              "column '" + dataset_columns()[col] + "': '" + f[at[col]] +
                                  "' is not a whole number in [0, " +
                                  std::to_string(static_cast<std::int64_t>(max)) + "]");
      return static_cast<std::int64_t>(v);
    };
    constexpr double max_count = 9.0e18;  // below 2^63, exactly representable
    layer_record x;
    x.network = f[at[0]];
    x.layer = f[at[1]];
    x.layer_type = f[at[2]];
    x.node = static_cast<node_id>(count(3, 4294967295.0));
    try {
      x.be = run::backend_from_string(f[at[4]]);
    } catch (const std::invalid_argument& e) {
      synergy::detail::fail(path, l + 1, e.what());
    }
    x.cost = {count(5, max_count), count(6, max_count), count(7, max_count), count(8, max_count),
              count(9, max_count)};
    r.rounds = static_cast<int>(count(10, 2147483647.0));
    auto measured = [&](std::size_t col) {  // a time or energy: finite and >= 0
      const double v = num(col);
      if (v < 0)
        synergy::detail::fail(
            path, l + 1, "column '" + dataset_columns()[col] + "': " + f[at[col]] + " is negative");
      return v;
    };
    x.min_s = measured(11);
    x.median_s = measured(12);
    x.mean_s = measured(13);
    x.sd_s = measured(14);
    if (!f[at[15]].empty()) x.energy_j = measured(15);
    r.layers.push_back(std::move(x));
  }
  if (r.layers.empty()) synergy::detail::fail(path, l, "no rows");
  return r;
}

/// The per-round network totals of a dataset JSON (what the noise ceiling needs; the CSV has
/// no per-round data). Throws `parse_error` naming the file when it is not a dataset.
[[nodiscard]] inline std::vector<network_record> read_dataset_json_networks(
    const std::string& path) {
  std::ifstream in = open_for_reading(path);
  nlohmann::json j;
  try {
    in >> j;
    std::vector<network_record> out;
    for (const auto& n : j.at("networks"))
      out.push_back({n.at("network").get<std::string>(),
                     run::backend_from_string(n.at("backend").get<std::string>()),
                     n.at("totals_s").get<std::vector<double>>()});
    return out;
  } catch (const std::exception& e) {
    synergy::detail::fail(path, 0, std::string("not a dataset JSON: ") + e.what());
  }
}

}  // namespace synergy::study
