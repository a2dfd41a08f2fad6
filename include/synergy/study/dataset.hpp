#pragma once
/// @file
/// Profiling datasets: one row per (network, layer, platform) with the layer's time, its
/// energy when measured and, as `synergy profile` writes them, its features, time statistics
/// over the rounds and the backend configuration; as CSV (one header line of column names,
/// then rows; the configuration in `#` comment lines) and JSON. `read_dataset_csv` reads a CSV
/// from anywhere (`network,layer,time_s` is enough: docs/datasets.md), `resolve_dataset` takes
/// each row's layer descriptor from its network's source (zoo name, .prototxt or .onnx file,
/// loaded by a resolver the caller passes, so this stage needs no importer) and checks the
/// costs the file gives against it. Rows may carry per-layer hardware counters
/// (`instructions`, `simd_ops`, `llc_misses`, `bus_accesses`, … as `counters.csv` names them:
/// docs/counters.md), the counter model's features.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/measure/replay/perf_stat_counters.hpp"
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

/// Per-layer counter values, in `measure::counter_columns` order; nullopt = not measured.
using counter_values = std::array<std::optional<double>, measure::counter_column_count>;

/// Indices (into `measure::counter_columns`) of the counters that at least one record of `r`
/// has: the counter columns a dataset of `r` carries (a counter no layer has is no column at
/// all, so an absent column means "not measured").
[[nodiscard]] inline std::vector<std::size_t> measured_counters(const profile_result& r) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < measure::counter_column_count; ++i)
    if (std::any_of(r.layers.begin(), r.layers.end(),
                    [&](const layer_record& l) { return l.counters[i].has_value(); }))
      out.push_back(i);
  return out;
}

/// Writes the dataset CSV: `# key: value` lines with the backend configuration, the header,
/// one row per layer record (energy empty when not measured), then one column per counter
/// any record has (`measured_counters`; a cell empty where that record has none: the rows of
/// a backend the counting pass did not run on).
inline void write_dataset_csv(std::ostream& os, const profile_result& r) {
  const auto& c = r.config;
  os << "# openblas_build: " << c.openblas_build << "\n# openblas_core: " << c.openblas_core
     << "\n# openblas_threads: " << c.openblas_threads << "\n# eigen_simd: " << c.eigen_simd
     << "\n# eigen_threads: " << c.eigen_threads << "\n# compiler: " << c.compiler
     << "\n# flags: " << c.flags
     << "\n# OPENBLAS_CORETYPE: " << (c.coretype_env.empty() ? "(unset)" : c.coretype_env) << '\n';
  const auto& cols = dataset_columns();
  for (std::size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cols[i];
  const auto counters = measured_counters(r);
  for (const auto i : counters) os << ',' << measure::counter_columns[i];
  os << '\n';
  char buf[64];
  auto num = [&](double v) {
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return std::string(buf);
  };
  // Counts up to 2^53 are exact in a double; 17 digits print them (and scaled perf counts)
  // without rounding.
  auto count = [&](double v) {
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf);
  };
  for (const auto& l : r.layers) {
    os << l.network << ',' << l.layer << ',' << l.layer_type << ',' << l.node << ','
       << run::to_string(l.be) << ',' << l.cost.macs << ',' << l.cost.ops << ',' << l.cost.weights
       << ',' << l.cost.biases << ',' << l.cost.data_volume << ',' << l.times_s.size() << ','
       << num(l.min_s) << ',' << num(l.median_s) << ',' << num(l.mean_s) << ',' << num(l.sd_s)
       << ',' << (l.energy_j ? num(*l.energy_j) : "");
    for (const auto i : counters) os << ',' << (l.counters[i] ? count(*l.counters[i]) : "");
    os << '\n';
  }
}

/// The dataset as JSON: {"config": {...}, "rounds": R, "layers": [{..., "times_s": [...],
/// "counters": {"instructions": n, ...}}], "networks": [{"network", "backend", "totals_s"}]}.
/// A layer's "counters" object holds the counters measured on it (absent = not measured); a
/// layer without any has no "counters" key.
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
    for (std::size_t i = 0; i < measure::counter_column_count; ++i)
      if (l.counters[i]) x["counters"][measure::counter_columns[i]] = *l.counters[i];
    j["layers"].push_back(std::move(x));
  }
  for (const auto& n : r.networks)
    j["networks"].push_back(
        {{"network", n.network}, {"backend", run::to_string(n.be)}, {"totals_s", n.totals_s}});
  return j;
}

// ---- reading datasets from anywhere ----------------------------------------------------------

/// Graph names that exporters give every network (PyTorch's ONNX exporter: `torch_jit`,
/// `torch-jit-export`; onnx.helper and TensorFlow converters: `main_graph`) or none at all:
/// they say nothing about which network it is, so such a network is named after its file.
[[nodiscard]] inline bool is_generic_graph_name(std::string_view name) {
  static constexpr std::string_view generic[] = {"", "torch_jit", "torch-jit-export", "main_graph"};
  return std::find(std::begin(generic), std::end(generic), name) != std::end(generic);
}

/// The name a dataset gives the network `net` loaded from `source` (a zoo name or a file
/// path): the graph's own name, or the file stem of `source` when the graph's name is generic
/// (`is_generic_graph_name`): `models/resnet18.onnx` whose graph is `torch_jit` → `resnet18`.
[[nodiscard]] inline std::string dataset_network_name(const network& net,
                                                      const std::string& source) {
  if (!is_generic_graph_name(net.name())) return std::string(net.name());
  return std::filesystem::path(source).stem().string();
}

/// Loads the network a dataset row names by `source` (its `network` column: a zoo name, or a
/// `.prototxt`/`.onnx` path that is relative to `dataset_dir`, the dataset file's folder).
/// The caller supplies it (the `synergy` program: the zoo and the Caffe/ONNX importers), so
/// that the study stage needs no importer; any exception it throws is reported with the file
/// and line of the first row naming `source`.
using network_resolver =
    std::function<network(const std::string& source, const std::filesystem::path& dataset_dir)>;

/// Columns of layer_cost in a dataset, in `dataset_columns()` order.
struct cost_column {
  const char* name;                 ///< the CSV column
  std::int64_t layer_cost::*field;  ///< the layer_cost member it holds
};
/// The five cost columns (counts: MACs, ops, weights, biases, data volume in elements).
inline constexpr cost_column cost_columns[] = {{"macs", &layer_cost::macs},
                                               {"ops", &layer_cost::ops},
                                               {"weights", &layer_cost::weights},
                                               {"biases", &layer_cost::biases},
                                               {"data_volume", &layer_cost::data_volume}};

/// One row of a dataset: one layer of one network on one platform. The columns the file gave
/// are kept as given; `network`, `node` and `network_index` are set by `resolve_dataset`.
struct dataset_row {
  std::size_t line = 0;  ///< 1-based line in the dataset file
  std::string source;    ///< `network` column: zoo name or model file path
  std::string network;   ///< the network's name (`dataset_network_name`); set when resolved
  std::string layer;     ///< `layer` column: the node's name in the source
  std::string platform;  ///< `platform` (or `backend`) column; `default_platform` without one
  double time_s = 0;     ///< `time_s` (or `median_s`) column: the layer's time (s), >= 0
  std::optional<double> energy_j;         ///< `energy_J` column (J), >= 0; none when empty
  std::optional<std::string> layer_type;  ///< `layer_type` column, when given
  std::optional<node_id> node;            ///< `node` column when given; the node when resolved
  std::array<std::optional<std::int64_t>, std::size(cost_columns)> cost;  ///< given costs
  std::optional<std::int64_t> rounds;         ///< `rounds` column, when given
  std::optional<double> min_s, mean_s, sd_s;  ///< time statistics (s), when given
  counter_values counters{};                  ///< counter columns (counts, >= 0), when given
  std::size_t network_index = 0;              ///< index into `dataset::networks`; set when resolved
};

/// A network of a resolved dataset: where it came from, its name, the graph.
struct dataset_network {
  std::string source;  ///< as the rows write it
  std::string name;    ///< dataset_network_name(net, source)
  network net;         ///< the layer descriptors and costs every row of it takes
};

/// Per-round totals (s) of one network on one platform (the noise ceiling's input; from a
/// dataset JSON or a profile, never from a CSV).
struct network_totals {
  std::string network, platform;
  std::vector<double> totals_s;
};

/// A dataset: rows, and once resolved the networks they name.
struct dataset {
  std::string file;                       ///< the file read ("" when built in memory)
  run::backend_config config;             ///< from `# key: value` lines (profile datasets)
  std::vector<dataset_row> rows;          ///< in file order
  std::vector<dataset_network> networks;  ///< empty until resolved
  std::vector<network_totals> totals;     ///< per-round totals when known, else empty

  /// The platforms of the rows, in order of first appearance.
  [[nodiscard]] std::vector<std::string> platforms() const {
    std::vector<std::string> out;
    for (const auto& r : rows)
      if (std::find(out.begin(), out.end(), r.platform) == out.end()) out.push_back(r.platform);
    return out;
  }
  /// The network of resolved row `r`.
  [[nodiscard]] const network& net_of(const dataset_row& r) const {
    return networks.at(r.network_index).net;
  }
};

/// The platform label of rows in a file without a `platform` (or `backend`) column.
inline constexpr const char* default_platform = "default";

/// Reads a dataset CSV without resolving its networks (`load_dataset` does both). Columns, in
/// any order after optional `# key: value` lines: `network`, `layer` and `time_s` (or
/// `median_s`, as `synergy profile` writes) are required; `energy_J`, `platform` (or
/// `backend`), `layer_type`, `node`, the cost columns, `rounds`, `min_s`, `mean_s`, `sd_s` and
/// the counter columns (`measure::counter_columns`) are optional, and an empty cell of an
/// optional column means "not given". A counter is measured on every layer of a (network,
/// platform) or on none (a network's counter is the sum of its layers'): a counter cell empty
/// in some rows of a (network, platform) and not in others is an error. Throws `parse_error`
/// naming file, line and column for: no header, an unknown, repeated or missing column, both
/// of two alternative columns, a wrong field count, an empty required field, a time, energy or
/// counter that is negative or not a finite number, a count that is not a whole number, a
/// partly measured counter, no rows.
[[nodiscard]] inline dataset read_dataset_csv(const std::string& path) {
  const auto lines = synergy::detail::read_lines(path);
  dataset d;
  d.file = path;
  std::size_t l = 0;
  for (; l < lines.size() && (lines[l].empty() || lines[l][0] == '#'); ++l) {
    const auto& s = lines[l];
    auto value = [&](const char* key) -> std::optional<std::string> {
      const std::string k = std::string("# ") + key + ": ";
      if (s.rfind(k, 0) == 0) return s.substr(k.size());
      return std::nullopt;
    };
    if (auto v = value("openblas_core")) d.config.openblas_core = *v;
    if (auto v = value("openblas_build")) d.config.openblas_build = *v;
    if (auto v = value("eigen_simd")) d.config.eigen_simd = *v;
    if (auto v = value("compiler")) d.config.compiler = *v;
    if (auto v = value("flags")) d.config.flags = *v;
  }
  if (l == lines.size()) synergy::detail::fail(path, l, "no header line");
  const std::size_t header_line = l + 1;
  const auto header = synergy::detail::split(lines[l], ',');
  static const std::vector<std::string> known{
      "network",  "layer",      "time_s",       "median_s",     "energy_J",
      "platform", "backend",    "layer_type",   "node",         "macs",
      "ops",      "weights",    "biases",       "data_volume",  "rounds",
      "min_s",    "mean_s",     "sd_s",         "instructions", "cycles",
      "simd_ops", "llc_misses", "bus_accesses", "data_reads",   "data_writes"};
  static_assert(measure::counter_column_count == 7, "add new counter columns to `known`");
  std::map<std::string, std::size_t> at;  // column name → field index
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (std::find(known.begin(), known.end(), header[i]) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      synergy::detail::fail(path, header_line,
                            "unknown column '" + header[i] + "' (known: " + list + ")");
    }
    if (!at.emplace(header[i], i).second)
      synergy::detail::fail(path, header_line, "column '" + header[i] + "' appears twice");
  }
  // One of two names for a column: the minimal contract's or the profile's.
  auto one_of = [&](const std::string& a, const std::string& b) -> std::optional<std::string> {
    if (at.count(a) && at.count(b))
      synergy::detail::fail(path, header_line,
                            "columns '" + a + "' and '" + b + "' are the same quantity: give one");
    if (at.count(a)) return a;
    if (at.count(b)) return b;
    return std::nullopt;
  };
  for (const char* c : {"network", "layer"})
    if (!at.count(c))
      synergy::detail::fail(path, header_line, std::string("missing column '") + c + "'");
  const auto time_col = one_of("time_s", "median_s");
  if (!time_col) synergy::detail::fail(path, header_line, "missing column 'time_s'");
  const auto platform_col = one_of("platform", "backend");
  for (++l; l < lines.size(); ++l) {
    if (synergy::detail::trim(lines[l]).empty()) continue;
    const auto f = synergy::detail::split(lines[l], ',');
    if (f.size() != header.size())
      synergy::detail::fail(
          path, l + 1,
          std::to_string(f.size()) + " fields, header has " + std::to_string(header.size()));
    auto bad = [&](const std::string& col, const std::string& why) {
      synergy::detail::fail(path, l + 1, "column '" + col + "': " + why);
    };
    // The cell of an optional column; none when the column is absent or the cell empty.
    auto cell = [&](const std::string& col) -> std::optional<std::string> {
      const auto it = at.find(col);
      if (it == at.end() || f[it->second].empty()) return std::nullopt;
      return f[it->second];
    };
    auto required = [&](const std::string& col) {
      auto v = cell(col);
      if (!v) bad(col, "empty");
      return *v;
    };
    // A time or energy: a finite number >= 0 (a negative time is a broken measurement, never
    // a value to fit on).
    auto measured = [&](const std::string& col, const std::string& text) {
      const auto v = synergy::detail::to_double(text);
      if (!v || !std::isfinite(*v)) bad(col, "not a finite number: '" + text + "'");
      if (*v < 0) bad(col, text + " is negative");
      return *v;
    };
    // Counts must be whole numbers a 64-bit count holds: a float→int cast of 1e30 or NaN is
    // undefined behaviour, never a number to fit on.
    auto count = [&](const std::string& col, double max) -> std::optional<std::int64_t> {
      const auto text = cell(col);
      if (!text) return std::nullopt;
      const auto v = synergy::detail::to_count(*text, max);
      if (!v)
        bad(col, "'" + *text + "' is not a whole number in [0, " +
                     std::to_string(static_cast<std::int64_t>(max)) + "]");
      return *v;
    };
    dataset_row r;
    r.line = l + 1;
    r.source = required("network");
    r.layer = required("layer");
    r.platform = platform_col ? required(*platform_col) : default_platform;
    r.time_s = measured(*time_col, required(*time_col));
    if (auto e = cell("energy_J")) r.energy_j = measured("energy_J", *e);
    r.layer_type = cell("layer_type");
    if (auto n = count("node", 4294967295.0)) r.node = static_cast<node_id>(*n);
    for (std::size_t i = 0; i < std::size(cost_columns); ++i)
      r.cost[i] = count(cost_columns[i].name, synergy::detail::count_limit);
    r.rounds = count("rounds", 2147483647.0);
    if (auto v = cell("min_s")) r.min_s = measured("min_s", *v);
    if (auto v = cell("mean_s")) r.mean_s = measured("mean_s", *v);
    if (auto v = cell("sd_s")) r.sd_s = measured("sd_s", *v);
    // Counters: finite and >= 0, not necessarily whole (perf scales multiplexed counts).
    for (std::size_t i = 0; i < measure::counter_column_count; ++i)
      if (auto v = cell(measure::counter_columns[i]))
        r.counters[i] = measured(measure::counter_columns[i], *v);
    d.rows.push_back(std::move(r));
  }
  if (d.rows.empty()) synergy::detail::fail(path, l, "no rows");
  // A counter partly measured over a (network, platform) would give a wrong network sum: the
  // first row that disagrees with the group's first row is named.
  std::map<std::pair<std::string, std::string>, const dataset_row*> first_of;
  for (const auto& r : d.rows) {
    const auto* f = first_of.try_emplace({r.source, r.platform}, &r).first->second;
    for (std::size_t i = 0; i < measure::counter_column_count; ++i)
      if (r.counters[i].has_value() != f->counters[i].has_value())
        synergy::detail::fail(
            path, r.line,
            std::string("column '") + measure::counter_columns[i] +
                "': " + (r.counters[i] ? "measured here but empty" : "empty here but measured") +
                " in line " + std::to_string(f->line) + " of network '" + r.source +
                "' on platform '" + r.platform +
                "' (a counter is measured on every layer of a network or on none)");
  }
  return d;
}

/// Resolves the networks of `d` (read by `read_dataset_csv`) with `resolve`, relative to the
/// folder of `d.file`, and checks every row against its source: the layer is a node of the
/// source other than its input, each given `node`, `layer_type` and cost equals the source's,
/// no (network, platform, layer) has two rows, and every (network, platform) has a row for
/// every layer of its source (strict coverage: a network total is the sum of its rows). Two
/// sources whose networks get one name are an error (they would merge). Then sets `network`,
/// `node` and `network_index` of every row. Throws `parse_error` naming file, line and column.
inline void resolve_dataset(dataset& d, const network_resolver& resolve) {
  const std::filesystem::path dir = std::filesystem::path(d.file).parent_path();
  auto fail = [&](const dataset_row& r, const std::string& why) {
    synergy::detail::fail(d.file, r.line, why);
  };
  d.networks.clear();
  std::map<std::string, std::size_t> by_source;
  std::vector<std::map<std::string, std::vector<node_id>>> nodes;  // per network: name → ids
  for (auto& r : d.rows) {
    auto it = by_source.find(r.source);
    if (it == by_source.end()) {
      std::optional<network> net;
      try {
        net = resolve(r.source, dir);
      } catch (const std::exception& e) {
        fail(r, "column 'network': cannot load '" + r.source + "': " + e.what());
      }
      std::string name = dataset_network_name(*net, r.source);
      for (const auto& n : d.networks)
        if (n.name == name)
          fail(r, "column 'network': '" + r.source + "' is network '" + name + "', as is '" +
                      n.source + "': their rows would merge (rename one file)");
      std::map<std::string, std::vector<node_id>> names;
      for (node_id id = 0; id < net->size(); ++id) names[std::string(net->name(id))].push_back(id);
      nodes.push_back(std::move(names));
      d.networks.push_back({r.source, std::move(name), std::move(*net)});
      it = by_source.emplace(r.source, d.networks.size() - 1).first;
    }
    r.network_index = it->second;
    const auto& dn = d.networks[it->second];
    r.network = dn.name;
    const auto found = nodes[it->second].find(r.layer);
    if (found == nodes[it->second].end())
      fail(r, "column 'layer': '" + r.layer + "' is not a node of '" + r.source + "'");
    if (found->second.size() > 1)
      fail(r, "column 'layer': '" + r.layer + "' names " + std::to_string(found->second.size()) +
                  " nodes of '" + r.source + "'");
    const node_id id = found->second.front();
    if (id == 0)
      fail(r, "column 'layer': '" + r.layer + "' is the input of '" + r.source + "', not a layer");
    if (r.node && *r.node != id)
      fail(r, "column 'node': " + std::to_string(*r.node) + " in the file, " + std::to_string(id) +
                  " in '" + r.source + "'");
    r.node = id;
    const std::string type(to_string(type_of(dn.net.at(id))));
    if (r.layer_type && *r.layer_type != type)
      fail(r, "column 'layer_type': '" + *r.layer_type + "' in the file, '" + type + "' in '" +
                  r.source + "'");
    const layer_cost cost = dn.net.cost(id);
    for (std::size_t i = 0; i < std::size(cost_columns); ++i)
      if (r.cost[i] && *r.cost[i] != cost.*cost_columns[i].field)
        fail(r, std::string("column '") + cost_columns[i].name +
                    "': " + std::to_string(*r.cost[i]) + " in the file, " +
                    std::to_string(cost.*cost_columns[i].field) + " from '" + r.source + "'");
  }
  // Coverage: each (network, platform) lists every layer exactly once.
  std::map<std::pair<std::size_t, std::string>, std::map<node_id, const dataset_row*>> seen;
  for (const auto& r : d.rows) {
    auto& layers = seen[{r.network_index, r.platform}];
    const auto [prev, fresh] = layers.emplace(*r.node, &r);
    if (!fresh)
      fail(r, "column 'layer': '" + r.layer + "' of '" + r.network + "' on platform '" +
                  r.platform + "' already has a row (line " + std::to_string(prev->second->line) +
                  ")");
  }
  for (const auto& [key, layers] : seen) {
    const network& net = d.networks[key.first].net;
    std::string missing;
    std::size_t n = 0;
    for (node_id id = 1; id < net.size(); ++id)
      if (!layers.count(id) && ++n <= 5)
        missing += (missing.empty() ? "'" : ", '") + std::string(net.name(id)) + "'";
    if (n == 0) continue;
    const dataset_row& first =
        *std::min_element(layers.begin(), layers.end(), [](auto& a, auto& b) {
           return a.second->line < b.second->line;
         })->second;
    fail(first, "network '" + d.networks[key.first].name + "' on platform '" + key.second +
                    "' has no row for " + std::to_string(n) + " of its " +
                    std::to_string(net.size() - 1) + " layers (" + missing +
                    (n > 5 ? ", ..." : "") +
                    "): every layer of the source needs one, or its total would be partial");
  }
}

/// Reads and resolves a dataset CSV (`read_dataset_csv`, then `resolve_dataset`).
[[nodiscard]] inline dataset load_dataset(const std::string& path,
                                          const network_resolver& resolve) {
  dataset d = read_dataset_csv(path);
  resolve_dataset(d, resolve);
  return d;
}

/// A profile's records as a resolved dataset, each network under its own name and the
/// backend as platform label (what `synergy profile` writes, without the round trip through
/// a file). `nets` are the profiled networks. Throws std::invalid_argument naming a record's
/// network that is not in `nets`.
[[nodiscard]] inline dataset to_dataset(const run::profile_result& p,
                                        const std::vector<network>& nets) {
  dataset d;
  d.config = p.config;
  for (const auto& n : nets)
    d.networks.push_back({std::string(n.name()), std::string(n.name()), n});
  for (const auto& l : p.layers) {
    const auto it = std::find_if(d.networks.begin(), d.networks.end(),
                                 [&](const dataset_network& n) { return n.name == l.network; });
    if (it == d.networks.end())
      throw std::invalid_argument("to_dataset: network '" + l.network + "' not given");
    dataset_row r;
    r.source = r.network = l.network;
    r.layer = l.layer;
    r.platform = run::to_string(l.be);
    r.time_s = l.median_s;
    r.energy_j = l.energy_j;
    r.layer_type = l.layer_type;
    r.node = l.node;
    for (std::size_t i = 0; i < std::size(cost_columns); ++i)
      r.cost[i] = l.cost.*cost_columns[i].field;
    r.rounds = static_cast<std::int64_t>(l.times_s.size());
    r.min_s = l.min_s;
    r.mean_s = l.mean_s;
    r.sd_s = l.sd_s;
    r.counters = l.counters;
    r.network_index = static_cast<std::size_t>(it - d.networks.begin());
    d.rows.push_back(std::move(r));
  }
  for (const auto& n : p.networks)
    d.totals.push_back({n.network, run::to_string(n.be), n.totals_s});
  return d;
}

/// The per-round network totals of a dataset JSON (what the noise ceiling needs; the CSV has
/// no per-round data), the backend as platform label. Throws `parse_error` naming the file
/// when it is not a dataset.
[[nodiscard]] inline std::vector<network_totals> read_dataset_json_networks(
    const std::string& path) {
  std::ifstream in = open_for_reading(path);
  nlohmann::json j;
  try {
    in >> j;
    std::vector<network_totals> out;
    for (const auto& n : j.at("networks"))
      out.push_back({n.at("network").get<std::string>(), n.at("backend").get<std::string>(),
                     n.at("totals_s").get<std::vector<double>>()});
    return out;
  } catch (const std::exception& e) {
    synergy::detail::fail(path, 0, std::string("not a dataset JSON: ") + e.what());
  }
}

}  // namespace synergy::study
