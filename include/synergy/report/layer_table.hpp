#pragma once
/// @file
/// The per-layer table of a network (name, type, input and output shape, counts) as rows,
/// aligned text and CSV.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/network.hpp"

namespace synergy {

/// One row of the per-layer table. `inputs` are the shapes of the layer's producers
/// (x·y·z each); counts are per image.
struct layer_row {
  std::string name;
  layer_type type{};
  std::vector<shape3> inputs;
  shape3 output{};
  layer_cost cost{};
};

/// The rows of every layer of `net` except its input node, in topological order. O(n).
[[nodiscard]] inline std::vector<layer_row> layer_table(const network& net) {
  std::vector<layer_row> rows;
  rows.reserve(net.size() - 1);
  for (node_id id = 1; id < net.size(); ++id) {
    layer_row r{
        std::string(net.name(id)), type_of(net.at(id)), {}, net.output(id), cost_of(net.at(id))};
    for (node_id p : net.inputs(id)) r.inputs.push_back(net.output(p));
    rows.push_back(std::move(r));
  }
  return rows;
}

namespace detail {
inline std::string shapes_text(const std::vector<shape3>& shapes) {
  std::string s;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    if (i) s += '+';
    s += shape_text(shapes[i]);
  }
  return s;
}
inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
/// "1 layer", "2 layers".
inline std::string layers_text(std::int64_t n) {
  return std::to_string(n) + (n == 1 ? " layer" : " layers");
}

}  // namespace detail

/// Writes the per-layer table of `net` as aligned text with a header, a TOTAL row and one
/// row per layer type present ("sum <type>"). Shapes are written x×y×z as "XxYxZ".
inline void write_text(std::ostream& os, const network& net) {
  const auto rows = layer_table(net);
  const auto sums = net.by_layer_type();
  std::size_t w = 5;  // "TOTAL"
  for (const auto& r : rows) w = std::max(w, r.name.size());
  for (std::size_t t = 1; t < layer_type_count; ++t)
    if (sums.sums[t].layers > 0) w = std::max(w, 4 + to_string(static_cast<layer_type>(t)).size());
  const auto line = [&](const std::string& name, std::string_view type, const std::string& in,
                        const std::string& out, const layer_cost& c) {
    os << std::left << std::setw(static_cast<int>(w)) << name << "  " << std::setw(16) << type
       << "  " << std::setw(24) << in << "  " << std::setw(14) << out << std::right << "  "
       << std::setw(14) << c.macs << "  " << std::setw(12) << c.ops << "  " << std::setw(11)
       << c.params() << "  " << std::setw(12) << c.data_volume << '\n';
  };
  os << "network " << net.name() << ": input " << detail::shape_text(net.output(0)) << ", "
     << detail::layers_text(static_cast<std::int64_t>(rows.size())) << " (counts per image)\n";
  os << std::left << std::setw(static_cast<int>(w)) << "layer"
     << "  " << std::setw(16) << "type"
     << "  " << std::setw(24) << "input"
     << "  " << std::setw(14) << "output" << std::right << "  " << std::setw(14) << "MACs"
     << "  " << std::setw(12) << "ops"
     << "  " << std::setw(11) << "params"
     << "  " << std::setw(12) << "data_volume" << '\n';
  for (const auto& r : rows)
    line(r.name, to_string(r.type), detail::shapes_text(r.inputs), detail::shape_text(r.output),
         r.cost);
  for (std::size_t t = 1; t < layer_type_count; ++t)
    if (sums.sums[t].layers > 0)
      line("sum " + std::string(to_string(static_cast<layer_type>(t))),
           detail::layers_text(sums.sums[t].layers), "", "", sums.sums[t].cost);
  line("TOTAL", detail::layers_text(static_cast<std::int64_t>(rows.size())), "", "", net.totals());
}

/// Writes the per-layer table as CSV (RFC 4180 quoting), one header line then one line per
/// layer: name,type,inputs,in_x,in_y,in_z,out_x,out_y,out_z,macs,ops,weights,biases,params,
/// data_volume. in_* is the first producer's shape; `inputs` counts the producers.
inline void write_csv(std::ostream& os, const network& net) {
  os << "name,type,inputs,in_x,in_y,in_z,out_x,out_y,out_z,macs,ops,weights,biases,params,"
        "data_volume\n";
  for (const auto& r : layer_table(net)) {
    const shape3 in = r.inputs.front();
    const layer_cost& c = r.cost;
    os << detail::csv_field(r.name) << ',' << to_string(r.type) << ',' << r.inputs.size() << ','
       << in.x << ',' << in.y << ',' << in.z << ',' << r.output.x << ',' << r.output.y << ','
       << r.output.z << ',' << c.macs << ',' << c.ops << ',' << c.weights << ',' << c.biases << ','
       << c.params() << ',' << c.data_volume << '\n';
  }
}

/// The text table as a string (see write_text).
[[nodiscard]] inline std::string to_text(const network& net) {
  std::ostringstream os;
  write_text(os, net);
  return os.str();
}
/// The CSV table as a string (see write_csv).
[[nodiscard]] inline std::string to_csv(const network& net) {
  std::ostringstream os;
  write_csv(os, net);
  return os.str();
}

}  // namespace synergy
