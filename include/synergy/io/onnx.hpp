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
#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/io/import_note.hpp"
#include "synergy/io/import_support.hpp"
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

/// The ONNX ops the importer understands, in the order of its op table (the table the
/// importer dispatches on; the "unsupported op" error lists them in this order).
inline const std::vector<std::string>& onnx_supported_ops();

namespace detail {

class onnx_builder;

/// What the importer checks of a node's first input before calling the op's handler.
enum class onnx_first_input {
  none,      ///< nothing (Constant: a value, no input)
  present,   ///< the node has one (Identity: may rename a weight tensor)
  produced,  ///< the node has one, produced by an earlier layer or the network input
};

/// One row of the ONNX op table.
struct onnx_op {
  std::string_view name;                                      ///< op_type
  void (onnx_builder::*import)(const onnx::NodeProto&, int);  ///< handler (node, node index)
  int inputs;  ///< inputs the operator requires (ONNX's definition; handlers read no others
               ///< without checking their count); every op requires one output
  onnx_first_input first_input;  ///< checked before `import` is called
  bool weights;                  ///< inputs 1.. are parameters (initializers or typed graph inputs)
};

/// Walks an ONNX graph (nodes are topologically sorted by the standard).
class onnx_builder {
 public:
  onnx_builder(std::string source, const onnx_options& opt)
      : source_(std::move(source)), opt_(opt) {}

  onnx_import run(onnx::ModelProto& model) {
    check_nodes(model.graph());  // before shape inference, whose messages quote names
    infer_shapes(model);
    const onnx::GraphProto& g = model.graph();
    record_shapes(g);
    collect_params(g);
    network_input(g);
    for (int i = 0; i < g.node_size(); ++i) node(g.node(i), i);
    return {std::move(*net_), std::move(notes_)};
  }

  /// The op table: every op the importer understands, with its handler and the inputs ONNX
  /// requires of it (Gemm, Conv, MatMul: A/X and B/W; BatchNormalization: X, scale, B, mean,
  /// var; Add, Mul: A and B; Constant: none). Its order is that of onnx_supported_ops() (and of
  /// the error message), so it is searched linearly — 24 rows.
  static std::span<const onnx_op> ops() {
    using b = onnx_builder;
    using enum onnx_first_input;
    static constexpr onnx_op table[] = {
        {"Conv", &b::conv, 2, produced, true},
        {"Gemm", &b::matmul<true>, 2, produced, true},
        {"MatMul", &b::matmul<false>, 2, produced, true},
        {"MaxPool", &b::pool<pool_kind::max>, 1, produced, false},
        {"AveragePool", &b::pool<pool_kind::avg>, 1, produced, false},
        {"GlobalAveragePool", &b::global_pool<pool_kind::avg>, 1, produced, false},
        {"GlobalMaxPool", &b::global_pool<pool_kind::max>, 1, produced, false},
        {"BatchNormalization", &b::batch_normalization, 5, produced, true},
        {"Relu", &b::activation_op<activation_kind::relu>, 1, produced, false},
        {"LeakyRelu", &b::activation_op<activation_kind::leaky_relu>, 1, produced, false},
        {"Clip", &b::activation_op<activation_kind::clip>, 1, produced, false},
        {"Sigmoid", &b::activation_op<activation_kind::sigmoid>, 1, produced, false},
        {"Tanh", &b::activation_op<activation_kind::tanh>, 1, produced, false},
        {"Add", &b::eltwise_op_<eltwise_op::sum>, 2, produced, false},
        {"Mul", &b::eltwise_op_<eltwise_op::prod>, 2, produced, false},
        {"Concat", &b::concat_op, 1, produced, false},
        {"Flatten", &b::flatten_op, 1, produced, false},
        {"Reshape", &b::reshape, 1, produced, false},
        {"Softmax", &b::layer_op<softmax>, 1, produced, false},
        {"Dropout", &b::layer_op<dropout>, 1, produced, false},
        {"LRN", &b::lrn_op, 1, produced, false},
        {"Pad", &b::pad, 1, produced, false},
        {"Identity", &b::identity, 1, present, false},
        {"Constant", &b::constant, 0, none, false},
    };
    return table;
  }

  /// The row of `op`, or nullptr when the importer does not understand it.
  static const onnx_op* find_op(std::string_view op) {
    for (const onnx_op& o : ops())
      if (o.name == op) return &o;
    return nullptr;
  }

 private:
  /// Every node of a supported op has the inputs the op requires and an output, and the names that
  /// become node names, notes or parts of messages (graph, node, op, tensor names) are valid UTF-8.
  void check_nodes(const onnx::GraphProto& g) const {
    if (const auto bad = utf8_problem("graph name", g.name())) fail(*bad);
    for (const auto& v : g.input())
      if (const auto bad = utf8_problem("graph input name", v.name())) fail(*bad);
    for (int i = 0; i < g.node_size(); ++i) {
      const onnx::NodeProto& n = g.node(i);
      const std::string where = "node " + std::to_string(i) + ": ";
      if (const auto bad = utf8_problem("node name", n.name())) fail(where + *bad);
      if (const auto bad = utf8_problem("op type", n.op_type())) fail(where + *bad);
      for (const auto& t : n.input())
        if (const auto bad = utf8_problem("input name", t)) fail(where + *bad);
      for (const auto& t : n.output())
        if (const auto bad = utf8_problem("output name", t)) fail(where + *bad);
      // Other ops: `node` finds them unsupported, or checks the input a pass-through reads.
      const onnx_op* op = find_op(n.op_type());
      if (op && n.input_size() < op->inputs)
        fail(name_of(n, i), n.op_type(),
             "has " + std::to_string(n.input_size()) + " input" + (n.input_size() == 1 ? "" : "s") +
                 "; " + n.op_type() + " needs " + std::to_string(op->inputs));
      if (op && n.output_size() == 0) fail(name_of(n, i), n.op_type(), "has no output");
      check_window_attributes(n, i);
    }
  }

  /// libonnx's shape inference divides by strides, dilations, kernel sizes and groups without
  /// checking them (a zero stride is a SIGFPE, which no catch handles), and it runs on every
  /// node, supported or not: so every node's such attributes must be >= 1 before it runs.
  void check_window_attributes(const onnx::NodeProto& n, int i) const {
    for (const auto& a : n.attribute()) {
      const std::string& k = a.name();
      if (k != "strides" && k != "dilations" && k != "kernel_shape" && k != "group") continue;
      // An attribute of the wrong type is left to the accessors, whose error says so.
      if (a.type() != (k == "group" ? onnx::AttributeProto::INT : onnx::AttributeProto::INTS))
        continue;
      std::vector<std::int64_t> values(a.ints().begin(), a.ints().end());
      if (k == "group") values = {a.i()};
      for (const std::int64_t v : values)
        if (v < 1)
          fail(name_of(n, i), n.op_type(),
               "attribute '" + k + "' has " + std::to_string(v) + " (must be >= 1)");
    }
  }

  void infer_shapes(onnx::ModelProto& model) const {
    try {
      onnx::shape_inference::InferShapes(model);
    } catch (const std::exception& e) {
      fail(std::string("shape inference failed: ") + e.what());
    }
  }

  /// Dims of every initializer and of every typed value (−1 for a symbolic dimension).
  void record_shapes(const onnx::GraphProto& g) {
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
  }

  /// Parameters: inputs 1.. of the ops that take weights (initializers or typed graph inputs).
  void collect_params(const onnx::GraphProto& g) {
    for (const auto& n : g.node())
      if (const onnx_op* o = find_op(n.op_type()); o && o->weights)
        for (int i = 1; i < n.input_size(); ++i) params_.insert(n.input(i));
  }

  /// The one 4-D graph input that is neither a parameter nor an initializer becomes node 0.
  void network_input(const onnx::GraphProto& g) {
    for (const auto& v : g.input()) {
      if (params_.count(v.name()) || dims_.count(v.name()) == 0 || is_initializer(g, v.name()))
        continue;
      const auto& d = dims_[v.name()];
      const std::string input = "graph input '" + v.name() + "': ";
      if (d.size() != 4) fail(input + "network input must be 4-D (N C H W)");
      if (net_) fail(input + "a second network input (only one is supported)");
      // The file's stem names a graph that has no name; it need not be valid UTF-8.
      const std::string name = g.name().empty()
                                   ? utf8_escaped(std::filesystem::path(source_).stem().string())
                                   : g.name();
      try {
        net_.emplace(name, shape3{d[3], d[2], d[1]});
      } catch (const std::exception& e) {  // −1: a symbolic dimension; or negative, zero
        fail(input + "N C H W = " + std::to_string(d[0]) + " " + std::to_string(d[1]) + " " +
             std::to_string(d[2]) + " " + std::to_string(d[3]) + ": " + e.what());
      }
      blobs_[v.name()] = 0;
    }
    if (!net_) fail("no 4-D network input");
  }

  /// Throws "<file>: node '<node>' (<op>): <what>".
  [[noreturn]] void fail(const std::string& node, const std::string& op,
                         const std::string& what) const {
    fail("node '" + node + "' (" + op + "): " + what);
  }
  /// Throws "<file>: <what>".
  [[noreturn]] void fail(const std::string& what) const {
    throw import_error(source_ + ": " + what);
  }
  static bool is_initializer(const onnx::GraphProto& g, const std::string& name) {
    for (const auto& t : g.initializer())
      if (t.name() == name) return true;
    return false;
  }
  /// Attribute `name` of `n`, or nullptr; an attribute of another type than `type` is an
  /// error (UNDEFINED, written by old exporters, is taken as `type`).
  const onnx::AttributeProto* attr(const onnx::NodeProto& n, const char* name,
                                   onnx::AttributeProto::AttributeType type) const {
    for (const auto& a : n.attribute())
      if (a.name() == name) {
        if (a.type() != type && a.type() != onnx::AttributeProto::UNDEFINED)
          fail(n.name(), n.op_type(),
               "attribute '" + std::string(name) + "' is " +
                   onnx::AttributeProto::AttributeType_Name(a.type()) + ", not " +
                   onnx::AttributeProto::AttributeType_Name(type));
        return &a;
      }
    return nullptr;
  }
  std::vector<std::int64_t> ints(const onnx::NodeProto& n, const char* name,
                                 std::vector<std::int64_t> dflt) const {
    const auto* a = attr(n, name, onnx::AttributeProto::INTS);
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
  std::int64_t int_attr(const onnx::NodeProto& n, const char* name, std::int64_t dflt) const {
    const auto* a = attr(n, name, onnx::AttributeProto::INT);
    return a ? a->i() : dflt;
  }
  /// Input `i` of `n` (bounds-checked: an error naming node and op, not libprotobuf's abort).
  const std::string& input(const onnx::NodeProto& n, int i) const {
    if (i >= n.input_size())
      fail(n.name(), n.op_type(),
           "has no input " + std::to_string(i) + " (inputs: " + std::to_string(n.input_size()) +
               ")");
    return n.input(i);
  }
  /// Output 0 of `n` (bounds-checked).
  const std::string& output(const onnx::NodeProto& n) const {
    if (n.output_size() == 0) fail(n.name(), n.op_type(), "has no output");
    return n.output(0);
  }
  const std::vector<std::int64_t>& dims_of(const onnx::NodeProto& n, int i) const {
    const auto it = dims_.find(input(n, i));
    if (it == dims_.end())
      fail(n.name(), n.op_type(), "no shape known for input '" + input(n, i) + "'");
    return it->second;
  }
  node_id blob(const onnx::NodeProto& n, int i) const {
    const auto it = blobs_.find(input(n, i));
    if (it == blobs_.end())
      fail(n.name(), n.op_type(),
           "input '" + input(n, i) + "' is not produced by an earlier layer");
    return it->second;
  }
  /// The layer that produces the node's first input, as the `from` list of a one-input layer.
  std::vector<node_id> first(const onnx::NodeProto& n) const { return {blob(n, 0)}; }
  /// The layers that produce all of the node's inputs.
  std::vector<node_id> all_inputs(const onnx::NodeProto& n) const {
    std::vector<node_id> from;
    for (int i = 0; i < n.input_size(); ++i) from.push_back(blob(n, i));
    return from;
  }
  std::string name_of(const onnx::NodeProto& n, int index) const {
    return n.name().empty() ? n.op_type() + "_" + std::to_string(index) : n.name();
  }

  /// Spatial padding (x, y) from ONNX pads [y_begin, x_begin, y_end, x_end] plus a pending Pad.
  extent2 padding(const onnx::NodeProto& n) const {
    if (const auto* a = attr(n, "auto_pad", onnx::AttributeProto::STRING);
        a && a->s() != "NOTSET" && a->s() != "VALID")
      fail(n.name(), n.op_type(), "auto_pad " + a->s() + " is not supported");
    const auto p = ints(n, "pads", {0, 0, 0, 0});
    if (p.size() != 4 || p[0] != p[2] || p[1] != p[3])
      fail(n.name(), n.op_type(), "asymmetric padding is not supported");
    extent2 e{p[1], p[0]};
    if (const auto it = pending_pad_.find(input(n, 0)); it != pending_pad_.end()) {
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
      // network::add puts "layer '<name>': " in front, which fail says already.
      std::string what = e.what();
      if (const std::string prefix = "layer '" + name + "': "; what.starts_with(prefix))
        what.erase(0, prefix.size());
      fail(name, n.op_type(), what);
    }
    blobs_[output(n)] = id;
    check_inferred_shape(n, name, net_->output(id));
  }
  /// Cross-check with ONNX shape inference where it knows the output.
  void check_inferred_shape(const onnx::NodeProto& n, const std::string& name, shape3 o) const {
    const auto it = dims_.find(output(n));
    if (it == dims_.end() || it->second.size() != 4) return;
    const auto& d4 = it->second;
    if ((d4[1] > 0 && d4[1] != o.z) || (d4[2] > 0 && d4[2] != o.y) || (d4[3] > 0 && d4[3] != o.x))
      fail(name, n.op_type(),
           "output " + synergy::detail::shape_text(o) + " differs from ONNX shape inference");
  }
  void alias(const onnx::NodeProto& n) { blobs_[output(n)] = blob(n, 0); }

  /// Checks the node's first input as its op's row asks, then calls the op's handler (or
  /// `unsupported`, whose nodes must read an earlier layer's output like any other).
  void node(const onnx::NodeProto& n, int index) {
    const onnx_op* op = find_op(n.op_type());
    const onnx_first_input rule = op ? op->first_input : onnx_first_input::produced;
    if (rule != onnx_first_input::none && n.input_size() == 0)
      fail(n.name(), n.op_type(), "has no input");
    if (rule == onnx_first_input::produced) (void)blob(n, 0);
    if (op)
      (this->*op->import)(n, index);
    else
      unsupported(n, n.op_type());
  }

  // The op handlers (the table's rows).

  /// A value (a Reshape's target shape, a Pad's pads), not a layer.
  void constant(const onnx::NodeProto& n, int) {
    if (const auto* v = attr(n, "value", onnx::AttributeProto::TENSOR); v && v->has_t())
      constants_[output(n)] = &v->t();
    if (const auto* v = attr(n, "value_ints", onnx::AttributeProto::INTS))
      constant_ints_[output(n)] = {v->ints().begin(), v->ints().end()};
  }

  /// A renamed weight tensor (keeps its dims), or a pass-through of a layer's output.
  void identity(const onnx::NodeProto& n, int) {
    if (blobs_.count(input(n, 0))) return alias(n);
    if (const auto it = dims_.find(input(n, 0)); it != dims_.end()) dims_[output(n)] = it->second;
  }

  /// Conv: weights M × C/group × kH × kW; depthwise when group equals the input channels.
  void conv(const onnx::NodeProto& n, int index) {
    const auto& w = dims_of(n, 1);
    if (w.size() != 4) fail(n.name(), n.op_type(), "weights are not 4-D");
    const std::int64_t group = int_attr(n, "group", 1);
    const std::int64_t in_z = net_->output(blob(n, 0)).z;
    const extent2 k{w[3], w[2]}, st = pair_attr(n, "strides", 1), dl = pair_attr(n, "dilations", 1);
    const bool bias = n.input_size() > 2 && !input(n, 2).empty();
    if (group > 1 && group == in_z && w[0] % in_z == 0)
      return add(n, index,
                 depthwise_conv2d{.kernel = k,
                                  .stride = st,
                                  .padding = padding(n),
                                  .dilation = dl,
                                  .multiplier = w[0] / in_z,
                                  .bias = bias},
                 first(n));
    add(n, index,
        conv2d{.out_channels = w[0],
               .kernel = k,
               .stride = st,
               .padding = padding(n),
               .dilation = dl,
               .groups = group,
               .bias = bias},
        first(n));
  }

  /// Gemm (transB, bias) or MatMul (no bias) with 2-D weights: a fully connected layer.
  template <bool Gemm>
  void matmul(const onnx::NodeProto& n, int index) {
    const auto& b = dims_of(n, 1);
    if (b.size() != 2) fail(n.name(), n.op_type(), "weights are not 2-D");
    const bool trans = Gemm && int_attr(n, "transB", 0) != 0;
    const bool bias = Gemm && n.input_size() > 2 && !input(n, 2).empty();
    add(n, index, fully_connected{.outputs = trans ? b[0] : b[1], .bias = bias}, first(n));
  }

  /// MaxPool / AveragePool with a 2-D kernel_shape; ceil_mode rounds the output up.
  template <pool_kind Kind>
  void pool(const onnx::NodeProto& n, int index) {
    const auto k = ints(n, "kernel_shape", {});
    const extent2 st = pair_attr(n, "strides", 1);
    if (k.size() != 2) fail(n.name(), n.op_type(), "kernel_shape must be 2-D");
    const rounding r = int_attr(n, "ceil_mode", 0) != 0 ? rounding::ceil : rounding::floor;
    add(n, index,
        pool2d<Kind>{.kernel = {k[1], k[0]}, .stride = st, .padding = padding(n), .round = r},
        first(n));
  }

  template <pool_kind Kind>
  void global_pool(const onnx::NodeProto& n, int index) {
    add(n, index, pool2d<Kind>{.global = true}, first(n));
  }

  void batch_normalization(const onnx::NodeProto& n, int index) {
    add(n, index, batch_norm{.affine = true}, first(n));
  }

  template <activation_kind Kind>
  void activation_op(const onnx::NodeProto& n, int index) {
    add(n, index, activation{.kind = Kind}, first(n));
  }

  /// Add / Mul of activations (every input from an earlier layer).
  template <eltwise_op Op>
  void eltwise_op_(const onnx::NodeProto& n, int index) {
    add(n, index, eltwise{.op = Op}, all_inputs(n));
  }

  void concat_op(const onnx::NodeProto& n, int index) {
    if (int_attr(n, "axis", 1) != 1)
      fail(n.name(), n.op_type(), "concatenation along an axis other than channels");
    add(n, index, concat{}, all_inputs(n));
  }

  void flatten_op(const onnx::NodeProto& n, int index) {
    if (int_attr(n, "axis", 1) != 1) fail(n.name(), n.op_type(), "flatten axis other than 1");
    add(n, index, flatten{}, first(n));
  }

  /// Only the flattening Reshape to (N, C·H·W) of classifier heads is a layer.
  void reshape(const onnx::NodeProto& n, int index) {
    const auto it = dims_.find(output(n));
    const shape3 in = net_->output(blob(n, 0));
    if (it != dims_.end() && it->second.size() == 2 && it->second[1] == in.elements())
      return add(n, index, flatten{}, first(n));
    unsupported(n, "Reshape other than flattening to (N, C·H·W)");
  }

  /// Ops that become a default-constructed descriptor D (Softmax, Dropout).
  template <class D>
  void layer_op(const onnx::NodeProto& n, int index) {
    add(n, index, D{}, first(n));
  }

  void lrn_op(const onnx::NodeProto& n, int index) {
    add(n, index, lrn{.local_size = int_attr(n, "size", 5)}, first(n));
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
  void pad(const onnx::NodeProto& n, int) {
    std::vector<std::int64_t> p = ints(n, "pads", {});
    if (p.empty() && n.input_size() > 1 && !input(n, 1).empty()) {
      const auto c = constant_ints(n, input(n, 1));
      if (!c)
        fail(n.name(), n.op_type(),
             "pads '" + input(n, 1) +
                 "' are computed at run time (only constant pads are supported)");
      p = *c;
    }
    if (p.empty()) fail(n.name(), n.op_type(), "has no pads");
    if (p.size() != 8 || p[0] || p[1] || p[4] || p[5] || p[2] != p[6] || p[3] != p[7])
      fail(n.name(), n.op_type(), "only symmetric spatial padding is supported");
    alias(n);
    pending_pad_[output(n)] = {p[3], p[2]};
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
  std::map<std::string, const onnx::TensorProto*> constants_;       // into the model being imported
  std::map<std::string, std::vector<std::int64_t>> constant_ints_;  // Constant value_ints
  std::vector<import_note> notes_;
};

}  // namespace detail

inline const std::vector<std::string>& onnx_supported_ops() {
  static const std::vector<std::string> ops = [] {
    std::vector<std::string> names;
    for (const auto& o : detail::onnx_builder::ops()) names.emplace_back(o.name);
    return names;
  }();
  return ops;
}

/// Imports an in-memory ONNX model (runs ONNX shape inference on it). `source` names it in
/// errors. Errors (std::invalid_argument naming source, node and op; all of its text valid
/// UTF-8, names from the file escaped as \xHH where they are not): a node with fewer inputs
/// than its op requires (onnx_supported_ops' table; 1 for other ops) or without an output; a
/// graph, node, op or tensor name that is not valid UTF-8 (byte offset in the name); an
/// attribute of the wrong type; failed shape inference; no 4-D input, or one the network
/// rejects (a symbolic, negative or zero dimension); an unsupported op (listing the supported
/// ones, unless `unsupported_as_zero_cost`); asymmetric padding; a layer whose output differs
/// from ONNX's shape inference; and every error of network::add.
[[nodiscard]] inline onnx_import import_onnx_model(onnx::ModelProto model,
                                                   const std::string& source,
                                                   const onnx_options& options = {}) {
  return detail::onnx_builder(source, options).run(model);
}

/// The largest .onnx file the importer reads: a protobuf message is at most 2 GiB − 1 bytes
/// (libprotobuf's limit; larger models keep their weights in external data files).
inline constexpr std::uintmax_t onnx_max_file_bytes = 2'147'483'647;

/// Imports an .onnx file (weights as initializers or as typed graph inputs; symbolic or fixed
/// batch). Errors (std::invalid_argument naming the file), besides import_onnx_model's: "cannot
/// open: <reason>"; "is a directory, not a file"; larger than onnx_max_file_bytes; not a
/// protobuf ModelProto (truncated, corrupt, nested deeper than libprotobuf's limit of 100).
[[nodiscard]] inline onnx_import import_onnx(const std::filesystem::path& file,
                                             const onnx_options& options = {}) {
  std::ifstream in = detail::open_model_file(file);
  // Refused before reading: libprotobuf would read 2 GiB and then fail.
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(file, ec); !ec && size > onnx_max_file_bytes)
    throw detail::import_error(file.string() + ": " + std::to_string(size) +
                               " bytes, more than a protobuf message may have (" +
                               std::to_string(onnx_max_file_bytes) +
                               "; larger models keep weights in external data)");
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in))
    throw detail::import_error(file.string() +
                               ": not an ONNX model (protobuf parse failed: truncated, corrupt "
                               "or nested too deeply)");
  return import_onnx_model(std::move(model), file.string(), options);
}

}  // namespace synergy::io
