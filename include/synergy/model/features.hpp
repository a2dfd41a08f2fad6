#pragma once
/// @file
/// Features for the models: the paper's per-layer features (§5: kernel size, padding, stride,
/// Ix, Ox, Oz, Iz, input size, output size, weights, data volume, MAC for a conv layer),
/// their pooling and FC equivalents, the per-network layer-type features (MAC_sum per class),
/// and polynomial expansion with cross terms. Feature names travel with the columns.

#include <Eigen/Dense>
#include <algorithm>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/model/fit.hpp"

namespace synergy::model {

/// A sample × feature matrix whose columns carry names.
struct feature_table {
  std::vector<std::string> names;
  Eigen::MatrixXd values;  ///< rows = samples, columns = features (names.size())

  /// Index of the column called `name`; throws std::invalid_argument naming it if absent.
  [[nodiscard]] Eigen::Index column(std::string_view name) const {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
      throw std::invalid_argument("feature_table: no feature '" + std::string(name) + "'");
    return static_cast<Eigen::Index>(it - names.begin());
  }
  /// The table of the given columns, in that order.
  [[nodiscard]] feature_table select(const std::vector<Eigen::Index>& cols) const {
    feature_table t;
    t.values.resize(values.rows(), static_cast<Eigen::Index>(cols.size()));
    for (std::size_t k = 0; k < cols.size(); ++k) {
      t.names.push_back(names.at(static_cast<std::size_t>(cols[k])));
      t.values.col(static_cast<Eigen::Index>(k)) = values.col(cols[k]);
    }
    return t;
  }
};

/// Names of the per-layer features of a layer type:
/// - conv2d, depthwise_conv2d: kernel_size, padding, stride, ix, ox, oz, iz, input_size,
///   output_size, weights, data_volume, macs (the paper's 12; kernel, padding and stride along
///   x, sizes in elements)
/// - max_pool2d, avg_pool2d: kernel_size, padding, stride, ix, ox, oz, iz, input_size,
///   output_size, ops, data_volume
/// - fully_connected: input_size, output_size, weights, data_volume, macs
/// - matmul: input_size (A), rhs_size (B), output_size, data_volume, macs
/// - others: input_size, output_size, ops, params, data_volume
[[nodiscard]] inline std::vector<std::string> layer_feature_names(layer_type t) {
  switch (t) {
    case layer_type::conv2d:
    case layer_type::depthwise_conv2d:
      return {"kernel_size", "padding",    "stride",      "ix",      "ox",          "oz",
              "iz",          "input_size", "output_size", "weights", "data_volume", "macs"};
    case layer_type::max_pool2d:
    case layer_type::avg_pool2d:
      return {"kernel_size", "padding",    "stride",      "ix",  "ox",         "oz",
              "iz",          "input_size", "output_size", "ops", "data_volume"};
    case layer_type::fully_connected:
      return {"input_size", "output_size", "weights", "data_volume", "macs"};
    case layer_type::matmul:
      return {"input_size", "rhs_size", "output_size", "data_volume", "macs"};
    default:
      return {"input_size", "output_size", "ops", "params", "data_volume"};
  }
}

/// Values of layer_feature_names(type_of(l)) for a layer (validates it).
[[nodiscard]] inline std::vector<double> layer_feature_values(const layer& l) {
  const layer_cost c = cost_of(l);
  const shape3 out = output_of(l);
  const auto d = [](std::int64_t v) { return static_cast<double>(v); };
  return std::visit(
      [&](const auto& x) -> std::vector<double> {
        using L = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<L, conv2d> || std::is_same_v<L, depthwise_conv2d>) {
          return {d(x.kernel.x),     d(x.padding.x), d(x.stride.x),    d(x.input.x),
                  d(out.x),          d(out.z),       d(x.input.z),     d(x.input.elements()),
                  d(out.elements()), d(c.weights),   d(c.data_volume), d(c.macs)};
        } else if constexpr (std::is_same_v<L, max_pool2d> || std::is_same_v<L, avg_pool2d>) {
          const extent2 k = x.effective_kernel();
          return {d(k.x),
                  d(x.global ? 0 : x.padding.x),
                  d(x.global ? 1 : x.stride.x),
                  d(x.input.x),
                  d(out.x),
                  d(out.z),
                  d(x.input.z),
                  d(x.input.elements()),
                  d(out.elements()),
                  d(c.ops),
                  d(c.data_volume)};
        } else if constexpr (std::is_same_v<L, fully_connected>) {
          return {d(x.input.elements()), d(out.elements()), d(c.weights), d(c.data_volume),
                  d(c.macs)};
        } else if constexpr (std::is_same_v<L, matmul>) {
          return {d(x.input.elements()), d(x.rhs.elements()), d(out.elements()), d(c.data_volume),
                  d(c.macs)};
        } else if constexpr (std::is_same_v<L, input_layer>) {
          return {d(x.shape.elements()), d(out.elements()), 0, 0, 0};
        } else {
          return {d(x.input.elements()), d(out.elements()), d(c.ops), d(c.params()),
                  d(c.data_volume)};
        }
      },
      l);
}

/// Samples of one layer type as a feature table, with the measured response and the network
/// of each row (for leave-network-out splits). The response is the samples' quantity in SI
/// units (J or s): the regressors and selection work on plain matrices.
struct layer_dataset {
  feature_table features;
  Eigen::VectorXd response;
  std::vector<std::string> groups;
};

/// The layers of type `t` among `samples` (any sample_range; Response deduced). Throws
/// std::invalid_argument if there are none.
template <sample_range Samples>
[[nodiscard]] layer_dataset layer_features(const Samples& samples, layer_type t) {
  layer_dataset ds;
  ds.features.names = layer_feature_names(t);
  std::vector<std::vector<double>> rows;
  std::vector<double> y;
  for (const auto& s : samples)
    if (type_of(s.op) == t) {
      rows.push_back(layer_feature_values(s.op));
      y.push_back(s.value.value());
      ds.groups.push_back(s.network);
    }
  if (rows.empty())
    throw std::invalid_argument("layer_features: no layer of type " + std::string(to_string(t)));
  ds.features.values.resize(static_cast<Eigen::Index>(rows.size()),
                            static_cast<Eigen::Index>(ds.features.names.size()));
  ds.response.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      ds.features.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
    ds.response(static_cast<Eigen::Index>(i)) = y[i];
  }
  return ds;
}

/// Per-network layer-type features: one row per network, one column "<class>.<driver>_sum"
/// per class present (e.g. "conv.macs_sum", "pool.ops_sum"), the response the network's
/// measured total (SI units). Rows in order of the networks' names. Response deduced from the
/// samples.
template <sample_range Samples>
[[nodiscard]] layer_dataset layer_type_features(const Samples& samples, class_scheme scheme) {
  std::map<std::string, std::map<layer_class, double>> sums;
  std::map<std::string, double> totals;
  std::map<layer_class, bool> present;
  for (const auto& s : samples) {
    const layer_class c = classify(s.op, scheme);
    totals[s.network] += s.value.value();
    if (c == layer_class::no_cost) continue;
    sums[s.network][c] += static_cast<double>(driver_value(driver_of(c), s.cost));
    present[c] = true;
  }
  layer_dataset ds;
  constexpr const char* driver_names[] = {"macs_sum", "ops_sum", "data_volume_sum", ""};
  for (const auto& [c, _] : present)
    ds.features.names.push_back(std::string(to_string(c)) + "." +
                                driver_names[static_cast<int>(driver_of(c))]);
  ds.features.values = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(totals.size()),
                                             static_cast<Eigen::Index>(present.size()));
  ds.response.resize(static_cast<Eigen::Index>(totals.size()));
  Eigen::Index r = 0;
  for (const auto& [network, total] : totals) {
    Eigen::Index k = 0;
    for (const auto& [c, _] : present) {
      const auto it = sums[network].find(c);
      ds.features.values(r, k++) = it == sums[network].end() ? 0.0 : it->second;
    }
    ds.response(r++) = total;
    ds.groups.push_back(network);
  }
  return ds;
}

/// All monomials of total degree 1..degree of the columns, with cross terms: degree 2 on
/// (a, b) gives a, b, a^2, a*b, b^2. Names follow that pattern. Throws std::invalid_argument for
/// degree < 1 or a table of no columns. Columns: C(p + d, d) − 1.
[[nodiscard]] inline feature_table polynomial_features(const feature_table& t, int degree) {
  if (degree < 1)
    throw std::invalid_argument("polynomial_features: degree " + std::to_string(degree) + " < 1");
  if (t.names.empty()) throw std::invalid_argument("polynomial_features: no columns");
  feature_table out;
  std::vector<std::vector<Eigen::Index>> terms;
  const auto p = static_cast<Eigen::Index>(t.names.size());
  // Non-decreasing index sequences of each length 1..degree.
  std::vector<Eigen::Index> cur;
  const auto extend = [&](auto&& self, Eigen::Index from, int left) -> void {
    for (Eigen::Index j = from; j < p; ++j) {
      cur.push_back(j);
      terms.push_back(cur);
      if (left > 1) self(self, j, left - 1);
      cur.pop_back();
    }
  };
  extend(extend, 0, degree);
  std::stable_sort(terms.begin(), terms.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });
  out.values.resize(t.values.rows(), static_cast<Eigen::Index>(terms.size()));
  for (std::size_t k = 0; k < terms.size(); ++k) {
    const auto& term = terms[k];
    std::string name;
    Eigen::VectorXd v = Eigen::VectorXd::Ones(t.values.rows());
    for (std::size_t i = 0; i < term.size();) {
      std::size_t j = i;
      while (j < term.size() && term[j] == term[i]) ++j;
      const auto power = j - i;
      if (!name.empty()) name += '*';
      name += t.names[static_cast<std::size_t>(term[i])];
      if (power > 1) name.append(1, '^').append(std::to_string(power));
      for (std::size_t m = i; m < j; ++m) v = v.cwiseProduct(t.values.col(term[m]));
      i = j;
    }
    out.names.push_back(name);
    out.values.col(static_cast<Eigen::Index>(k)) = v;
  }
  return out;
}

}  // namespace synergy::model
