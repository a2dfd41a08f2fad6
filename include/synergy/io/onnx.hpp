#pragma once
/// @file
/// ONNX importer: an ONNX model (opset 7+) as a synergy::network, with Debian's libonnx for the
/// protobuf schema and shape inference. Part of the CMake target `synergy::onnx`, not of the
/// header-only core.

#include <onnx/defs/tensor_proto_util.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/io/import_note.hpp"
#include "synergy/network.hpp"

namespace synergy::io {

/// Options of the ONNX importer.
struct onnx_options {
  /// Count nodes of unsupported ops as zero-cost pass-throughs (listed in the notes) instead of
  /// failing.
  bool unsupported_as_zero_cost = false;
};

/// The imported network and the notes on nodes that did not become network layers.
struct onnx_import {
  network net;
  std::vector<import_note> notes;
};

/// The ONNX ops the importer understands.
inline const std::vector<std::string>& onnx_supported_ops() {
  static const std::vector<std::string> ops{"Conv",          "Gemm",
                                            "MatMul",        "MaxPool",
                                            "AveragePool",   "GlobalAveragePool",
                                            "GlobalMaxPool", "BatchNormalization",
                                            "Relu",          "LeakyRelu",
                                            "Clip",          "Sigmoid",
                                            "Tanh",          "Add",
                                            "Mul",           "Concat",
                                            "Flatten",       "Reshape",
                                            "Softmax",       "Dropout",
                                            "LRN",           "Pad",
                                            "Identity"};
  return ops;
}

namespace detail {

/// Walks an ONNX graph (nodes are topologically sorted by the standard).
class onnx_builder {
 public:
  onnx_builder(std::string source, const onnx_options& opt)
      : source_(std::move(source)), opt_(opt) {}

  onnx_import run(onnx::ModelProto& model) {
    try {
      onnx::shape_inference::InferShapes(model);
    } catch (const std::exception& e) {
      throw std::invalid_argument(source_ + ": shape inference failed: " + e.what());
    }
    const onnx::GraphProto& g = model.graph();
    for (const auto& t : g.initializer()) {
      dims_[t.name()] = {t.dims().begin(), t.dims().end()};
      constants_[t.name()] = &t;
    }
    const auto record = [&](const onnx::ValueInfoProto& v) {
      if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
      std::vector<std::int64_t> d;
      for (const auto& dim : v.type().tensor_type().shape().dim())
        d.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
      dims_.try_emplace(v.name(), d);
    };
    for (const auto& v : g.input()) record(v);
    for (const auto& v : g.value_info()) record(v);
    for (const auto& v : g.output()) record(v);
    // Parameters: inputs 1.. of the ops that take weights (initializers or typed graph inputs).
    for (const auto& n : g.node())
      if (n.op_type() == "Conv" || n.op_type() == "Gemm" || n.op_type() == "BatchNormalization" ||
          n.op_type() == "MatMul")
        for (int i = 1; i < n.input_size(); ++i) params_.insert(n.input(i));
    for (const auto& v : g.input()) {
      if (params_.count(v.name()) || dims_.count(v.name()) == 0 || is_initializer(g, v.name()))
        continue;
      const auto& d = dims_[v.name()];
      if (d.size() != 4) fail(v.name(), "input", "network input must be 4-D (N C H W)");
      if (net_) fail(v.name(), "input", "a second network input (only one is supported)");
      net_.emplace(g.name().empty() ? std::filesystem::path(source_).stem().string() : g.name(),
                   shape3{d[3], d[2], d[1]});
      blobs_[v.name()] = 0;
    }
    if (!net_) fail("", "", "no 4-D network input");
    for (int i = 0; i < g.node_size(); ++i) node(g.node(i), i);
    return {std::move(*net_), std::move(notes_)};
  }

 private:
  [[noreturn]] void fail(const std::string& node, const std::string& op,
                         const std::string& what) const {
    throw std::invalid_argument(
        source_ + (node.empty() ? "" : ": node '" + node + "' (" + op + ")") + ": " + what);
  }
  static bool is_initializer(const onnx::GraphProto& g, const std::string& name) {
    for (const auto& t : g.initializer())
      if (t.name() == name) return true;
    return false;
  }
  static const onnx::AttributeProto* attr(const onnx::NodeProto& n, const char* name) {
    for (const auto& a : n.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  static std::vector<std::int64_t> ints(const onnx::NodeProto& n, const char* name,
                                        std::vector<std::int64_t> dflt) {
    const auto* a = attr(n, name);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : dflt;
  }
  /// A 2-D attribute (y, x order in ONNX) as an extent; anything but 2 values is an error.
  extent2 pair_attr(const onnx::NodeProto& n, const char* name, std::int64_t dflt) const {
    const auto v = ints(n, name, {dflt, dflt});
    if (v.size() != 2)
      fail(n.name(), n.op_type(),
           std::string(name) + " has " + std::to_string(v.size()) + " values (2-D only)");
    return {v[1], v[0]};
  }
  static std::int64_t int_attr(const onnx::NodeProto& n, const char* name, std::int64_t dflt) {
    const auto* a = attr(n, name);
    return a ? a->i() : dflt;
  }
  const std::vector<std::int64_t>& dims_of(const onnx::NodeProto& n, int input) const {
    const auto it = dims_.find(n.input(input));
    if (it == dims_.end())
      fail(n.name(), n.op_type(), "no shape known for input '" + n.input(input) + "'");
    return it->second;
  }
  node_id blob(const onnx::NodeProto& n, int input) const {
    const auto it = blobs_.find(n.input(input));
    if (it == blobs_.end())
      fail(n.name(), n.op_type(),
           "input '" + n.input(input) + "' is not produced by an earlier layer");
    return it->second;
  }
  std::string name_of(const onnx::NodeProto& n, int index) const {
    return n.name().empty() ? n.op_type() + "_" + std::to_string(index) : n.name();
  }

  /// Spatial padding (x, y) from ONNX pads [y_begin, x_begin, y_end, x_end] plus a pending Pad.
  extent2 padding(const onnx::NodeProto& n) const {
    if (const auto* a = attr(n, "auto_pad"); a && a->s() != "NOTSET" && a->s() != "VALID")
      fail(n.name(), n.op_type(), "auto_pad " + a->s() + " is not supported");
    const auto p = ints(n, "pads", {0, 0, 0, 0});
    if (p.size() != 4 || p[0] != p[2] || p[1] != p[3])
      fail(n.name(), n.op_type(), "asymmetric padding is not supported");
    extent2 e{p[1], p[0]};
    if (const auto it = pending_pad_.find(n.input(0)); it != pending_pad_.end()) {
      e.x += it->second.x;
      e.y += it->second.y;
    }
    return e;
  }

  template <class D>
  void add(const onnx::NodeProto& n, int index, const D& d, std::vector<node_id> from) {
    const std::string name = name_of(n, index);
    node_id id;
    try {
      id = net_->add(name, layer{d}, from);
    } catch (const std::exception& e) {
      fail(name, n.op_type(), e.what());
    }
    blobs_[n.output(0)] = id;
    // Cross-check with ONNX shape inference where it knows the output.
    if (const auto it = dims_.find(n.output(0)); it != dims_.end() && it->second.size() == 4) {
      const shape3 o = net_->output(id);
      const auto& d4 = it->second;
      if ((d4[1] > 0 && d4[1] != o.z) || (d4[2] > 0 && d4[2] != o.y) || (d4[3] > 0 && d4[3] != o.x))
        fail(name, n.op_type(),
             "output " + synergy::detail::shape_text(o) + " differs from ONNX shape inference");
    }
  }
  void alias(const onnx::NodeProto& n) { blobs_[n.output(0)] = blob(n, 0); }

  void node(const onnx::NodeProto& n, int index) {
    const std::string& op = n.op_type();
    if (op == "Constant") {  // a value (a Reshape's target shape, a Pad's pads), not a layer
      if (const auto* v = attr(n, "value"); v && v->has_t() && n.output_size() == 1)
        constants_[n.output(0)] = &v->t();
      if (const auto* v = attr(n, "value_ints"); v && n.output_size() == 1)
        constant_ints_[n.output(0)] = {v->ints().begin(), v->ints().end()};
      return;
    }
    if (n.input_size() == 0) fail(n.name(), op, "has no input");
    if (op == "Identity" && !blobs_.count(n.input(0))) {  // a renamed weight tensor
      if (const auto it = dims_.find(n.input(0)); it != dims_.end())
        dims_[n.output(0)] = it->second;
      return;
    }
    const std::vector<node_id> first{blob(n, 0)};
    if (op == "Conv") {
      const auto& w = dims_of(n, 1);  // M × C/group × kH × kW
      if (w.size() != 4) fail(n.name(), op, "weights are not 4-D");
      const std::int64_t group = int_attr(n, "group", 1);
      const std::int64_t in_z = net_->output(first[0]).z;
      const extent2 k{w[3], w[2]}, st = pair_attr(n, "strides", 1),
                                   dl = pair_attr(n, "dilations", 1);
      const bool bias = n.input_size() > 2 && !n.input(2).empty();
      if (group > 1 && group == in_z && w[0] % in_z == 0)
        return add(n, index,
                   depthwise_conv2d{.kernel = k,
                                    .stride = st,
                                    .padding = padding(n),
                                    .dilation = dl,
                                    .multiplier = w[0] / in_z,
                                    .bias = bias},
                   first);
      return add(n, index,
                 conv2d{.out_channels = w[0],
                        .kernel = k,
                        .stride = st,
                        .padding = padding(n),
                        .dilation = dl,
                        .groups = group,
                        .bias = bias},
                 first);
    }
    if (op == "Gemm" || op == "MatMul") {
      const auto& b = dims_of(n, 1);
      if (b.size() != 2) fail(n.name(), op, "weights are not 2-D");
      const bool trans = op == "Gemm" && int_attr(n, "transB", 0) != 0;
      const bool bias = op == "Gemm" && n.input_size() > 2 && !n.input(2).empty();
      return add(n, index, fully_connected{.outputs = trans ? b[0] : b[1], .bias = bias}, first);
    }
    if (op == "MaxPool" || op == "AveragePool") {
      const auto k = ints(n, "kernel_shape", {});
      const extent2 st = pair_attr(n, "strides", 1);
      if (k.size() != 2) fail(n.name(), op, "kernel_shape must be 2-D");
      const rounding r = int_attr(n, "ceil_mode", 0) != 0 ? rounding::ceil : rounding::floor;
      if (op == "MaxPool")
        return add(
            n, index,
            max_pool2d{.kernel = {k[1], k[0]}, .stride = st, .padding = padding(n), .round = r},
            first);
      return add(
          n, index,
          avg_pool2d{.kernel = {k[1], k[0]}, .stride = st, .padding = padding(n), .round = r},
          first);
    }
    if (op == "GlobalAveragePool") return add(n, index, avg_pool2d{.global = true}, first);
    if (op == "GlobalMaxPool") return add(n, index, max_pool2d{.global = true}, first);
    if (op == "BatchNormalization") return add(n, index, batch_norm{.affine = true}, first);
    if (op == "Relu") return add(n, index, activation{}, first);
    if (op == "LeakyRelu")
      return add(n, index, activation{.kind = activation_kind::leaky_relu}, first);
    if (op == "Clip") return add(n, index, activation{.kind = activation_kind::clip}, first);
    if (op == "Sigmoid") return add(n, index, activation{.kind = activation_kind::sigmoid}, first);
    if (op == "Tanh") return add(n, index, activation{.kind = activation_kind::tanh}, first);
    if (op == "Add" || op == "Mul") {
      std::vector<node_id> from;
      for (int i = 0; i < n.input_size(); ++i) from.push_back(blob(n, i));
      return add(n, index, eltwise{.op = op == "Add" ? eltwise_op::sum : eltwise_op::prod}, from);
    }
    if (op == "Concat") {
      if (int_attr(n, "axis", 1) != 1)
        fail(n.name(), op, "concatenation along an axis other than channels");
      std::vector<node_id> from;
      for (int i = 0; i < n.input_size(); ++i) from.push_back(blob(n, i));
      return add(n, index, concat{}, from);
    }
    if (op == "Flatten") {
      if (int_attr(n, "axis", 1) != 1) fail(n.name(), op, "flatten axis other than 1");
      return add(n, index, flatten{}, first);
    }
    if (op == "Reshape") {
      const auto it = dims_.find(n.output(0));
      const shape3 in = net_->output(first[0]);
      if (it != dims_.end() && it->second.size() == 2 && it->second[1] == in.elements())
        return add(n, index, flatten{}, first);
      return unsupported(n, "Reshape other than flattening to (N, C·H·W)");
    }
    if (op == "Softmax") return add(n, index, softmax{}, first);
    if (op == "Dropout") return add(n, index, dropout{}, first);
    if (op == "LRN") return add(n, index, lrn{.local_size = int_attr(n, "size", 5)}, first);
    if (op == "Identity") return alias(n);
    if (op == "Pad") return pad(n);
    unsupported(n, op);
  }

  /// The values of a constant INT64 tensor (an initializer or a Constant node's output), or
  /// nullopt when `name` is computed at run time.
  std::optional<std::vector<std::int64_t>> constant_ints(const onnx::NodeProto& n,
                                                         const std::string& name) const {
    if (const auto i = constant_ints_.find(name); i != constant_ints_.end()) return i->second;
    const auto it = constants_.find(name);
    if (it == constants_.end()) return std::nullopt;
    const onnx::TensorProto& t = *it->second;
    if (t.data_type() != onnx::TensorProto::INT64)
      fail(n.name(), n.op_type(), "constant '" + name + "' is not INT64");
    try {
      return onnx::ParseData<std::int64_t>(&t);  // int64_data or little-endian raw_data
    } catch (const std::exception& e) {
      fail(n.name(), n.op_type(), "constant '" + name + "': " + e.what());
    }
  }

  /// A constant zero Pad of the spatial axes is folded into the next Conv or pooling. Its pads
  /// come from the attribute (opset < 11) or from a constant second input (opset ≥ 11: an
  /// initializer or a Constant node, as torch.onnx exports them).
  void pad(const onnx::NodeProto& n) {
    std::vector<std::int64_t> p = ints(n, "pads", {});
    if (p.empty() && n.input_size() > 1 && !n.input(1).empty()) {
      const auto c = constant_ints(n, n.input(1));
      if (!c) fail(n.name(), n.op_type(), "pads '" + n.input(1) + "' are computed at run time (only constant pads are supported)");
      p = *c;
    }
    if (p.empty()) fail(n.name(), n.op_type(), "has no pads");
    if (p.size() != 8 || p[0] || p[1] || p[4] || p[5] || p[2] != p[6] || p[3] != p[7])
      fail(n.name(), n.op_type(), "only symmetric spatial padding is supported");
    alias(n);
    pending_pad_[n.output(0)] = {p[3], p[2]};
    notes_.push_back({n.name(), "Pad", "folded into the padding of the layer that reads it"});
  }

  void unsupported(const onnx::NodeProto& n, const std::string& what) {
    if (!opt_.unsupported_as_zero_cost) {
      std::string list;
      for (const auto& o : onnx_supported_ops()) list += (list.empty() ? "" : ", ") + o;
      fail(n.name(), n.op_type(),
           "unsupported: " + what + " (supported: " + list +
               "; or import with unsupported_as_zero_cost)");
    }
    alias(n);
    notes_.push_back(
        {n.name(), n.op_type(), "counted as zero cost: unsupported, treated as pass-through"});
  }

  std::string source_;
  onnx_options opt_;
  std::optional<network> net_;
  std::map<std::string, std::vector<std::int64_t>> dims_;
  std::set<std::string> params_;
  std::map<std::string, node_id> blobs_;
  std::map<std::string, extent2> pending_pad_;
  std::map<std::string, const onnx::TensorProto*> constants_;  // into the model being imported
  std::map<std::string, std::vector<std::int64_t>> constant_ints_;  // Constant value_ints
  std::vector<import_note> notes_;
};

}  // namespace detail

/// Imports an in-memory ONNX model (runs ONNX shape inference on it). `source` names it in
/// errors. Errors (std::invalid_argument naming source, node and op): failed shape inference;
/// no 4-D input; an unsupported op (listing the supported ones, unless
/// `unsupported_as_zero_cost`); asymmetric padding; a layer whose output differs from ONNX's
/// shape inference; and every error of network::add.
[[nodiscard]] inline onnx_import import_onnx_model(onnx::ModelProto model,
                                                   const std::string& source,
                                                   const onnx_options& options = {}) {
  return detail::onnx_builder(source, options).run(model);
}

/// Imports an .onnx file (weights as initializers or as typed graph inputs; symbolic or fixed
/// batch). An unreadable or malformed file is a std::invalid_argument naming it.
[[nodiscard]] inline onnx_import import_onnx(const std::filesystem::path& file,
                                             const onnx_options& options = {}) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::invalid_argument(file.string() + ": cannot open");
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in))
    throw std::invalid_argument(file.string() + ": not an ONNX model (protobuf parse failed)");
  return import_onnx_model(std::move(model), file.string(), options);
}

}  // namespace synergy::io
