#pragma once
/// @file
/// Other runtimes' per-layer profiles (measure/runtime_trace.hpp) as dataset rows
/// (docs/datasets.md): one row per layer of the network the profile ran, with the mean of the
/// layer's events across iterations, so that `synergy fit` reads the result unchanged.
///
/// Which layer an event belongs to, in order:
///   1. its name is a node name of the network (ONNX Runtime's node events; the annotations
///      tools/profile_pytorch.py writes, named after the ONNX nodes);
///   2. its name is a PyTorch module path ("features.0", "layer1.0.conv1"): torch.onnx.export
///      names a module's nodes after its scope, each level the last non-numeric atom of its
///      path and what follows ("/layer1/layer1.0/conv1/Conv"); the event belongs to the single
///      node directly in that scope. A module with no node there was folded away at export
///      (BatchNorm into the convolution before it, Dropout removed): its event's time is added
///      to the layer of the event just before it (its convolution) and counted in `folded`;
///   3. otherwise it is unmatched: counted and named in `unmatched`, never used.
/// Layers with no event get a row with time 0 (a runtime that fused them away: datasets need
/// every layer) and are listed in `missing`.

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/measure/runtime_trace.hpp"
#include "synergy/network.hpp"
#include "synergy/stats.hpp"

namespace synergy::study {

/// One layer's time from a runtime profile (s).
struct profile_row {
  std::string layer;       ///< the network's node name
  double mean_s = 0;       ///< mean over the layer's events (0 when it has none)
  double min_s = 0;        ///< shortest event (0 when none)
  double sd_s = 0;         ///< sample standard deviation (0 for fewer than two events)
  std::size_t rounds = 0;  ///< events of this layer (iterations)
};

/// A runtime profile matched to a network's layers.
struct profile_rows {
  std::vector<profile_row> rows;  ///< every layer of the network (input excluded), in order
  std::size_t matched = 0;        ///< events that named a layer (rules 1 and 2)
  std::size_t folded = 0;  ///< events of modules folded away (rule 2), added to the layer before
  std::size_t unmatched_events = 0;              ///< events that named no layer
  std::map<std::string, std::size_t> unmatched;  ///< their names, with how many events each
  std::vector<std::string> missing;              ///< layers without any event (time 0)
};

namespace detail {

/// The ONNX scope torch.onnx.export gives module path `path` ("layer1.0.conv1" →
/// "/layer1/layer1.0/conv1/"): for each prefix of the path, its last non-numeric atom and the
/// atoms after it (torch/onnx/utils.py, _unqualified_variable_name).
inline std::string torch_module_scope(const std::string& path) {
  std::vector<std::string> atoms;
  for (std::size_t b = 0;;) {
    const auto e = path.find('.', b);
    atoms.push_back(path.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  const auto numeric = [](const std::string& a) {
    return !a.empty() &&
           std::all_of(a.begin(), a.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string scope = "/";
  for (std::size_t k = 0; k < atoms.size(); ++k) {
    std::size_t first = k;
    while (first > 0 && numeric(atoms[first])) --first;
    std::string level;
    for (std::size_t a = first; a <= k; ++a) level += (a > first ? "." : "") + atoms[a];
    scope += level + "/";
  }
  return scope;
}

}  // namespace detail

/// Matches the layer events of `trace` to the layers of `net` by the rules of this file and
/// summarises each layer's events. An event of rule 2 folded into "the event before" when there
/// is none (the first event) is unmatched. Throws nothing for unmatched events or missing
/// layers: the caller reports them.
[[nodiscard]] inline profile_rows profile_to_rows(const measure::runtime_trace& trace,
                                                  const network& net) {
  std::map<std::string, node_id, std::less<>> by_name;
  for (node_id id = 1; id < net.size(); ++id) by_name.emplace(std::string(net.name(id)), id);
  // Rule 2's scopes: the nodes directly in each scope ("/a/b/Conv" is directly in "/a/b/").
  std::map<std::string, std::vector<node_id>> by_scope;
  for (node_id id = 1; id < net.size(); ++id) {
    const std::string n(net.name(id));
    const auto slash = n.rfind('/');
    if (slash != std::string::npos) by_scope[n.substr(0, slash + 1)].push_back(id);
  }
  std::vector<std::vector<double>> times(net.size());
  profile_rows out;
  std::optional<node_id> previous;
  for (const auto& r : trace.layers) {
    const double dt = r.t1_s - r.t0_s;
    std::optional<node_id> id;
    if (const auto it = by_name.find(r.name); it != by_name.end()) id = it->second;
    bool folded = false;
    if (!id && r.name.find('/') == std::string::npos && !r.name.empty()) {
      const auto it = by_scope.find(detail::torch_module_scope(r.name));
      if (it == by_scope.end())
        folded = true;
      else if (it->second.size() == 1)
        id = it->second.front();
    }
    if (id) {
      times[*id].push_back(dt);
      previous = id;
      ++out.matched;
    } else if (folded && previous) {
      times[*previous].back() += dt;
      ++out.folded;
    } else {
      ++out.unmatched[r.name];
      ++out.unmatched_events;
    }
  }
  for (node_id id = 1; id < net.size(); ++id) {
    profile_row row{std::string(net.name(id)), 0, 0, 0, times[id].size()};
    if (times[id].empty()) {
      out.missing.push_back(row.layer);
    } else {
      const auto s = summarise(times[id]);
      row.mean_s = s.mean;
      row.sd_s = s.sd;
      row.min_s = *std::min_element(times[id].begin(), times[id].end());
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

/// Writes `p` as a dataset CSV (docs/datasets.md): `network,layer,time_s,platform,rounds,min_s,
/// mean_s,sd_s`, time_s = the mean; `network` is the source as the dataset should name it (a
/// path relative to the CSV's folder, or absolute). Layers without events have time 0 and
/// rounds 0. Times with 9 significant digits. Throws std::invalid_argument for a source, layer
/// or platform with a ',' or a line break.
inline void write_profile_dataset_csv(std::ostream& os, const profile_rows& p,
                                      const std::string& network_source,
                                      const std::string& platform) {
  // The dataset CSV has no quoting (read_dataset_csv splits on ','): refuse what it cannot hold.
  const auto field = [](const std::string& s) -> const std::string& {
    if (s.find_first_of(",\n\r") != std::string::npos)
      throw std::invalid_argument("'" + s +
                                  "' has a ',' or a line break, which the dataset CSV "
                                  "cannot hold");
    return s;
  };
  const auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return std::string(buf);
  };
  os << "network,layer,time_s,platform,rounds,min_s,mean_s,sd_s\n";
  for (const auto& r : p.rows)
    os << field(network_source) << ',' << field(r.layer) << ',' << num(r.mean_s) << ','
       << field(platform) << ',' << r.rounds << ',' << num(r.min_s) << ',' << num(r.mean_s) << ','
       << num(r.sd_s) << '\n';
}

}  // namespace synergy::study
