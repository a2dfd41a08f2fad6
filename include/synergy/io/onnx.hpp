#pragma once
/// @file
/// ONNX importer: an ONNX model (opset 7+) as a synergy::network, with Debian's libonnx for the
/// protobuf schema and shape inference. Part of the CMake target `synergy::onnx`, not of the
/// header-only core. Supported ops, folded shape arithmetic, fused patterns and what is not
/// counted: docs/importers.md.

#include <onnx/defs/tensor_proto_util.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "synergy/io/import_note.hpp"
#include "synergy/io/import_support.hpp"
#include "synergy/io/onnx_fold.hpp"
#include "synergy/network.hpp"

namespace synergy::io {

/// Options of the ONNX importer.
struct onnx_options {
  /// Import nodes of unsupported ops — and nodes whose layer the network rejects — as `opaque`
  /// layers, not counted, with the output shape of ONNX shape inference mapped to x, y, z
  /// (listed in the notes), instead of failing: the network never has a broken edge.
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
    for (const auto& o : model.opset_import())
      if (o.domain().empty() || o.domain() == "ai.onnx") opset_ = o.version();
    // Before any shape inference (pin_kernel_shapes runs it on prefixes), which parses tensors'
    // raw data unchecked.
    check_raw_data(model.graph());
    pin_kernel_shapes(model);  // before shape inference, which would read past its arrays
    infer_shapes(model);
    const onnx::GraphProto& g = model.graph();
    record_shapes(g);
    collect_params(g);
    network_input(g);
    fold_constants(g);
    for (int i = 0; i < g.node_size(); ++i)
      for (const auto& t : g.node(i).input()) consumers_[t].push_back(&g.node(i));
    graph_ = &g;
    for (int i = 0; i < g.node_size(); ++i) node(g.node(i), i);
    return {std::move(*net_), std::move(notes_)};
  }

  /// The op table: every op the importer understands, with its handler and the inputs ONNX
  /// requires of it (Gemm, Conv, MatMul: A/X and B/W; BatchNormalization: X, scale, B, mean,
  /// var; Add, Mul: A and B; Slice: data, starts, ends; LayerNormalization: X, scale;
  /// Constant: none). Its order is that of onnx_supported_ops() (and of the error message), so
  /// it is searched linearly — 31 rows. Multi-node idioms start at a row of patterns(), and
  /// shape arithmetic is folded first (onnx_fold.hpp).
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
        {"Sigmoid", &b::gate_or_swish<activation_kind::sigmoid, activation_kind::silu>, 1, produced,
         false},
        {"Tanh", &b::activation_op<activation_kind::tanh>, 1, produced, false},
        {"Add", &b::binary_op<eltwise_op::sum>, 2, present, false},
        {"Mul", &b::binary_op<eltwise_op::prod>, 2, present, false},
        {"Concat", &b::concat_op, 1, produced, false},
        {"Flatten", &b::flatten_op, 1, produced, false},
        {"Reshape", &b::reshape, 1, produced, false},
        {"Softmax", &b::softmax_op, 1, produced, false},
        {"Dropout", &b::layer_op<synergy::identity>, 1, produced, false},
        {"LRN", &b::lrn_op, 1, produced, false},
        {"Pad", &b::pad, 1, produced, false},
        {"Identity", &b::identity, 1, present, false},
        {"HardSigmoid",
         &b::gate_or_swish<activation_kind::hard_sigmoid, activation_kind::hard_swish>, 1, produced,
         false},
        {"HardSwish", &b::activation_op<activation_kind::hard_swish>, 1, produced, false},
        {"ReduceMean", &b::reduce_mean, 1, produced, false},
        {"Transpose", &b::transpose_op, 1, produced, false},
        {"Slice", &b::slice_op, 3, produced, false},
        {"Split", &b::split_op, 1, produced, false},
        {"LayerNormalization", &b::layer_normalization, 2, produced, false},
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

  /// Ops whose kernel libonnx takes from a weight input when `kernel_shape` is absent, and
  /// that input's index (Conv, ConvTranspose, ConvInteger: W is input 1; QLinearConv: input 3).
  static int kernel_weight_input(const onnx::NodeProto& n) {
    if (!n.domain().empty() && n.domain() != "ai.onnx") return -1;
    const std::string& op = n.op_type();
    if (op == "Conv" || op == "ConvTranspose" || op == "ConvInteger") return 1;
    return op == "QLinearConv" ? 3 : -1;
  }

  /// A dimension without a value (symbolic or unknown) in declared_dims and prefix_dims.
  static constexpr std::int64_t unknown_dim = std::numeric_limits<std::int64_t>::min();

  /// Dims a tensor has before shape inference: an initializer's, or a typed graph input's or
  /// value_info's (unknown_dim for a symbolic one). Sources of different ranks are an error.
  std::map<std::string, std::vector<std::int64_t>> declared_dims(const onnx::GraphProto& g) const {
    std::map<std::string, std::vector<std::int64_t>> d;
    const auto put = [&](const std::string& name, std::vector<std::int64_t> v) {
      const auto [it, added] = d.try_emplace(name, v);
      if (!added && it->second.size() != v.size())
        fail("tensor '" + name + "' is declared with two different ranks");
    };
    for (const auto& t : g.initializer()) put(t.name(), {t.dims().begin(), t.dims().end()});
    const auto typed = [&](const onnx::ValueInfoProto& v) {
      if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
      std::vector<std::int64_t> dims;
      for (const auto& dim : v.type().tensor_type().shape().dim())
        dims.push_back(dim.has_dim_value() ? dim.dim_value() : unknown_dim);
      put(v.name(), dims);
    };
    for (const auto& v : g.input()) typed(v);
    for (const auto& v : g.value_info()) typed(v);
    return d;
  }

  /// Issue 14: libonnx's convPoolShapeInference takes a Conv's kernel rank from its weights
  /// without checking it against its data's rank (data [N, 10] and weights 4×3×3×3 read past the
  /// end of its strides and dilations: a SIGFPE no catch handles), while it does check an
  /// explicit `kernel_shape`. So before inference: ranks known now (graph inputs, initializers,
  /// value_info) are checked here, with an error naming node and op; and every Conv-like node
  /// without `kernel_shape` gets the one ONNX defines for it ("inferred from input W": the
  /// weights' dims 2..), which libonnx then checks against the data it infers. Weights that are
  /// computed by other nodes (rare: a DequantizeLinear, an Identity) take their dims from shape
  /// inference run on the nodes before the Conv — safe, since those nodes were pinned already.
  void pin_kernel_shapes(onnx::ModelProto& model) const {
    onnx::GraphProto& g = *model.mutable_graph();
    std::map<std::string, std::vector<std::int64_t>> known = declared_dims(g);
    for (int i = 0; i < g.node_size(); ++i) {
      onnx::NodeProto& n = *g.mutable_node(i);
      const int w = kernel_weight_input(n);
      const bool pool =
          n.op_type() == "MaxPool" || n.op_type() == "AveragePool" || n.op_type() == "LpPool";
      if ((w < 0 && !pool) || n.input_size() == 0) continue;
      const std::string name = name_of(n, i);
      const auto data = known.find(n.input(0));
      std::optional<std::vector<std::int64_t>> kernel;  // spatial dims of the kernel
      for (const auto& a : n.attribute())
        if (a.name() == "kernel_shape" && a.type() == onnx::AttributeProto::INTS)
          kernel.emplace(a.ints().begin(), a.ints().end());
      if (w >= 0 && !kernel && w < n.input_size() && !n.input(w).empty()) {
        auto weights = known.find(n.input(w));
        if (weights == known.end()) {  // computed: infer the nodes before this one
          for (const auto& [k, v] : prefix_dims(model, i)) known.try_emplace(k, v);
          weights = known.find(n.input(w));
        }
        if (weights != known.end()) {
          const auto& wd = weights->second;
          if (wd.size() < 2)
            fail(name, n.op_type(),
                 "weights '" + n.input(w) + "' are " + std::to_string(wd.size()) +
                     "-D (at least 2-D: M × C/group × kernel)");
          std::vector<std::int64_t> k(wd.begin() + 2, wd.end());
          // A symbolic kernel dim makes libonnx give up on the node: nothing to pin.
          if (std::find(k.begin(), k.end(), unknown_dim) == k.end()) {
            for (const std::int64_t v : k)
              if (v < 1)
                fail(name, n.op_type(),
                     "weights '" + n.input(w) + "' have a kernel dimension of " +
                         std::to_string(v) + " (must be >= 1)");
            auto* a = n.add_attribute();
            a->set_name("kernel_shape");
            a->set_type(onnx::AttributeProto::INTS);
            for (const std::int64_t v : k) a->add_ints(v);
            kernel = k;
          }
        }
      }
      if (data == known.end() || !kernel) continue;
      const std::size_t rank = data->second.size();
      if (rank < 3 || rank - 2 != kernel->size())
        fail(name, n.op_type(),
             "input '" + n.input(0) + "' is " + std::to_string(rank) + "-D, but the kernel is " +
                 std::to_string(kernel->size()) + "-D (the input must be N C and " +
                 std::to_string(kernel->size()) + " spatial dims)");
      for (const char* attr : {"strides", "dilations", "pads"})
        for (const auto& a : n.attribute())
          if (a.name() == attr && a.type() == onnx::AttributeProto::INTS &&
              static_cast<std::size_t>(a.ints_size()) !=
                  (attr == std::string_view("pads") ? 2 : 1) * kernel->size())
            fail(name, n.op_type(),
                 "attribute '" + std::string(attr) + "' has " + std::to_string(a.ints_size()) +
                     " values for a " + std::to_string(kernel->size()) + "-D kernel");
    }
  }

  /// Dims that shape inference gives the outputs of nodes 0 .. end−1 (a copy of the model with
  /// those nodes, whose large floating-point initializers are shapes without data).
  static std::map<std::string, std::vector<std::int64_t>> prefix_dims(const onnx::ModelProto& model,
                                                                      int end) {
    onnx::ModelProto m;
    *m.mutable_opset_import() = model.opset_import();
    m.set_ir_version(model.ir_version());
    onnx::GraphProto& g = *m.mutable_graph();
    const onnx::GraphProto& src = model.graph();
    *g.mutable_input() = src.input();
    *g.mutable_value_info() = src.value_info();
    for (const auto& t : src.initializer()) {
      onnx::TensorProto& c = *g.add_initializer();
      const bool small =
          t.raw_data().size() <= 1024 && t.float_data_size() <= 256 && t.double_data_size() <= 256;
      if (small || t.data_type() == onnx::TensorProto::INT64) {
        c = t;
      } else {  // shape only: inference reads the data of shape-like (int64, small) tensors
        c.set_name(t.name());
        c.set_data_type(t.data_type());
        *c.mutable_dims() = t.dims();
      }
    }
    for (int i = 0; i < end; ++i) *g.add_node() = src.node(i);
    std::map<std::string, std::vector<std::int64_t>> d;
    try {
      onnx::shape_inference::InferShapes(m);
    } catch (const std::exception&) {
      return d;  // the real inference reports it
    }
    for (const auto& v : m.graph().value_info()) {
      if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) continue;
      std::vector<std::int64_t> dims;
      for (const auto& dim : v.type().tensor_type().shape().dim())
        dims.push_back(dim.has_dim_value() ? dim.dim_value() : unknown_dim);
      d.emplace(v.name(), dims);
    }
    return d;
  }

  /// Rejects raw tensor data of the wrong size (onnx_raw_data_problem) in initializers and in
  /// node attributes, subgraphs included: shape inference parses such tensors (a Reshape's
  /// shape, a Constant's value) with libonnx's ParseData, which does not check the size.
  void check_raw_data(const onnx::GraphProto& g) const {
    for (const auto& t : g.initializer())
      if (const auto bad = onnx_raw_data_problem(t)) fail("initializer: " + *bad);
    for (const auto& st : g.sparse_initializer())
      for (const auto* t : {&st.values(), &st.indices()})
        if (const auto bad = onnx_raw_data_problem(*t)) fail("sparse initializer: " + *bad);
    for (const auto& n : g.node())
      for (const auto& a : n.attribute()) {
        if (a.has_t())
          if (const auto bad = onnx_raw_data_problem(a.t())) fail(n.name(), n.op_type(), *bad);
        for (const auto& t : a.tensors())
          if (const auto bad = onnx_raw_data_problem(t)) fail(n.name(), n.op_type(), *bad);
        if (a.has_g()) check_raw_data(a.g());
        for (const auto& sub : a.graphs()) check_raw_data(sub);
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

  /// Parameters: inputs 1.. of the ops that take weights (initializers or typed graph inputs),
  /// also through the Identity nodes torch.onnx puts between a shared weight and its users.
  void collect_params(const onnx::GraphProto& g) {
    for (const auto& n : g.node())
      if (const onnx_op* o = find_op(n.op_type()); o && o->weights)
        for (int i = 1; i < n.input_size(); ++i) params_.insert(n.input(i));
    for (int i = g.node_size() - 1; i >= 0; --i)  // consumers come after producers
      if (const auto& n = g.node(i); n.op_type() == "Identity" && n.input_size() > 0 &&
                                     n.output_size() > 0 && params_.count(n.output(0)))
        params_.insert(n.input(0));
  }

  /// Whether a graph input can carry data: a floating-point tensor (or one of unknown type).
  static bool floating(const onnx::ValueInfoProto& v) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_elem_type()) return true;
    switch (v.type().tensor_type().elem_type()) {
      case onnx::TensorProto::FLOAT:
      case onnx::TensorProto::FLOAT16:
      case onnx::TensorProto::DOUBLE:
      case onnx::TensorProto::BFLOAT16:
      case onnx::TensorProto::UNDEFINED:
        return true;
      default:
        return false;
    }
  }

  /// The network input (node 0) is the one 4-D floating-point graph input that is neither a
  /// parameter nor an initializer. Every other graph input is a weight, whatever its rank
  /// (ConvNeXt's 1-D LayerNorm γ and 3-D layer scale, ViT's class token): a constant operand
  /// of the layer that reads it. A lone candidate of another rank is an error.
  void network_input(const onnx::GraphProto& g) {
    std::vector<const onnx::ValueInfoProto*> candidates;
    for (const auto& v : g.input()) {
      if (params_.count(v.name()) || dims_.count(v.name()) == 0 || is_initializer(g, v.name()) ||
          !floating(v))
        continue;
      candidates.push_back(&v);
    }
    std::size_t four = 0;
    for (const auto* v : candidates) four += dims_[v->name()].size() == 4 ? 1 : 0;
    for (const auto* c : candidates) {
      const onnx::ValueInfoProto& v = *c;
      const auto& d = dims_[v.name()];
      const std::string input = "graph input '" + v.name() + "': ";
      if (d.size() != 4) {
        if (candidates.size() == 1) fail(input + "network input must be 4-D (N C H W)");
        params_.insert(v.name());  // a weight of any rank
        continue;
      }
      if (net_)
        fail(input + "a second 4-D network input (only one is supported; " + std::to_string(four) +
             " graph inputs are 4-D and feed no weight input)");
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
      batch_ = std::max<std::int64_t>(d[0], 1);
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
  /// Thrown by blob() with `unsupported_as_zero_cost`: node() then imports the node as an
  /// opaque layer instead (never escapes the builder).
  struct not_produced {
    std::string input;
  };
  node_id blob(const onnx::NodeProto& n, int i) const {
    const auto it = blobs_.find(input(n, i));
    if (it == blobs_.end()) {
      if (opt_.unsupported_as_zero_cost) throw not_produced{input(n, i)};
      fail(n.name(), n.op_type(),
           "input '" + input(n, i) + "' is not produced by an earlier layer");
    }
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

  /// Adds layer `d` for node `n`, reading `from`; the layer's output is the output of `last`
  /// (a pattern's last node) or of `n`. The output is channels-last when an input is.
  template <class D>
  void add(const onnx::NodeProto& n, int index, const D& d, std::vector<node_id> from,
           const onnx::NodeProto* last = nullptr) {
    const std::string name = name_of(n, index);
    node_id id;
    try {
      id = net_->add(name, layer{d}, from);
    } catch (const std::exception& e) {
      // network::add puts "layer '<name>': " in front, which fail says already.
      std::string what = e.what();
      if (const std::string prefix = "layer '" + name + "': "; what.starts_with(prefix))
        what.erase(0, prefix.size());
      // With `unsupported_as_zero_cost`, a node the network rejects (inputs of shapes its
      // layer cannot take) is still a listed opaque layer, never a broken edge; a fused
      // pattern's is an error (its other nodes are already marked fused).
      if constexpr (!std::is_same_v<D, opaque>)
        if (opt_.unsupported_as_zero_cost && !last) return unsupported(n, what);
      fail(name, n.op_type(), what);
    }
    const onnx::NodeProto& o = last ? *last : n;
    blobs_[output(o)] = id;
    if constexpr (!std::is_same_v<D, transpose>)  // a Transpose sets its layout itself
      for (const auto& t : n.input())
        if (channels_last_.count(t)) channels_last_.insert(output(o));
    check_inferred_shape(o, name, net_->output(id));
  }
  /// How the ONNX axes of tensor `t` map onto x, y, z (nullopt: the batch axis), from its rank
  /// and the dims shape inference gives it (N: the network input's batch, `batch_`):
  /// - rank 4: N C H W → (batch, z, y, x); N H W C when channels-last → (batch, y, x, z);
  /// - rank 3, tokens: (N, T, E) → x = T, y = 1, z = E (ViT's token map); when the first dim
  ///   is not the batch N (the network input's, or unknown) and the second is, the
  ///   sequence-first (T, N, E) of torch's attention → x = T; when neither is (attention heads
  ///   folded into the batch, (N·heads, T, E/heads)) → z = the first, y = the second, x = the
  ///   last, as rank 4 without its N (so (Bt, M, K) maps as (N, Bt, M, K) does: each batch a
  ///   row-major M×K matrix, what a `matmul` layer reads);
  /// - rank 2: (N, F) → 1×1×F; (R, F) with R not the batch (tokens flattened into rows before a
  ///   Linear) → x = R, z = F.
  /// nullopt for other ranks or an unknown tensor. The last axis is z for ranks 2 and 3 but
  /// the heads' (Bt, M, K), and for a channels-last rank 4; x for N C H W.
  std::optional<std::vector<std::optional<axis3>>> axes_of(const std::string& t) const {
    const auto it = dims_.find(t);
    if (it == dims_.end()) return std::nullopt;
    const auto& d = it->second;
    using v = std::vector<std::optional<axis3>>;
    // The network input's batch (1 unless fixed higher), or unknown (symbolic).
    const auto batch = [this](std::int64_t n) { return n < 1 || n == batch_; };
    switch (d.size()) {
      case 4:
        if (channels_last_.count(t)) return v{std::nullopt, axis3::y, axis3::x, axis3::z};
        return v{std::nullopt, axis3::z, axis3::y, axis3::x};
      case 3:
        if (batch(d[0])) return v{std::nullopt, axis3::x, axis3::z};
        if (batch(d[1])) return v{axis3::x, std::nullopt, axis3::z};
        return v{axis3::z, axis3::y, axis3::x};
      case 2:
        if (batch(d[0])) return v{std::nullopt, axis3::z};
        return v{axis3::x, axis3::z};
      default:
        return std::nullopt;
    }
  }
  /// Extents (x, y, z) of tensor `t` as axes_of maps its dims (1 for an axis it has not,
  /// ≤ 0 for an unknown one); nullopt when axes_of has no mapping.
  std::optional<std::array<std::int64_t, 3>> mapped_dims(const std::string& t) const {
    const auto axes = axes_of(t);
    if (!axes) return std::nullopt;
    const auto& d = dims_.at(t);
    std::array<std::int64_t, 3> e{1, 1, 1};
    for (std::size_t i = 0; i < d.size(); ++i)
      if (const auto a = (*axes)[i]) e[static_cast<std::size_t>(*a)] = d[i];
    return e;
  }
  /// The logical shape of tensor `t` as shape inference gives it, mapped by axes_of; nullopt
  /// when unknown, of another rank, or not positive.
  std::optional<shape3> inferred_shape(const std::string& t) const {
    const auto e = mapped_dims(t);
    if (!e || (*e)[0] < 1 || (*e)[1] < 1 || (*e)[2] < 1) return std::nullopt;
    return shape3{(*e)[0], (*e)[1], (*e)[2]};
  }
  /// The last ONNX axis of `t` is z: a channels-last 4-D tensor, or one of rank 2, or a token
  /// map of rank 3 (not the heads' (Bt, M, K), whose last axis is x).
  bool last_axis_is_z(const std::string& t) const {
    const auto axes = axes_of(t);
    return axes && !axes->empty() && axes->back() == axis3::z &&
           (axes->size() != 4 || channels_last_.count(t));
  }
  /// Cross-check with ONNX shape inference where it knows the output (ranks 2 to 4, mapped by
  /// axes_of): a layer whose output differs is an error, never an edge of the wrong shape.
  void check_inferred_shape(const onnx::NodeProto& n, const std::string& name, shape3 o) const {
    const auto e = mapped_dims(output(n));
    if (!e) return;
    const std::int64_t got[3] = {o.x, o.y, o.z};
    for (std::size_t i = 0; i < 3; ++i)
      if ((*e)[i] > 0 && (*e)[i] != got[i])
        fail(name, n.op_type(),
             "output " + synergy::detail::shape_text(o) + " differs from ONNX shape inference");
  }
  void alias(const onnx::NodeProto& n) { blobs_[output(n)] = blob(n, 0); }

  /// Checks the node's first input as its op's row asks, then calls the op's handler (or
  /// `unsupported`, whose nodes must read an earlier layer's output like any other).
  void node(const onnx::NodeProto& n, int index) {
    index_ = index;
    if (skip_.count(&n)) return;
    const onnx_op* op = find_op(n.op_type());
    if (op && op->first_input != onnx_first_input::none && n.input_size() == 0)
      fail(n.name(), n.op_type(), "has no input");
    try {
      for (const onnx_pattern& p : patterns())
        if (p.start == n.op_type() && (this->*p.match)(n, index)) return;
      if (!op) return unsupported(n, n.op_type());  // it finds its input itself
      if (op->first_input == onnx_first_input::produced) (void)blob(n, 0);
      (this->*op->import)(n, index);
    } catch (const not_produced& e) {  // an input no layer produces (a weight, a constant)
      unsupported(n, n.op_type() + " of '" + e.input + "', which no layer produces");
    }
  }

  // Constant folding (onnx_fold.hpp).

  /// The constant value of tensor `name` (folded, or an initializer small enough to read), or
  /// nullptr. An initializer whose data does not match its dims is an error naming it.
  const onnx_value* value(const std::string& name) {
    if (const auto it = values_.find(name); it != values_.end()) return &it->second;
    if (unreadable_.count(name)) return nullptr;
    const auto it = constants_.find(name);
    if (it != constants_.end()) {
      std::optional<onnx_value> v;
      try {
        v = onnx_tensor_value(*it->second);
      } catch (const std::invalid_argument& e) {
        fail(e.what());
      }
      if (v) return &values_.emplace(name, std::move(*v)).first->second;
    }
    unreadable_.insert(name);
    return nullptr;
  }

  /// Evaluates, in graph order, every node of a folding op whose inputs are constants (see
  /// onnx_fold.hpp); its outputs become constants and the walk skips it. A folding error
  /// names node and op.
  void fold_constants(const onnx::GraphProto& g) {
    for (int i = 0; i < g.node_size(); ++i) {
      const onnx::NodeProto& n = g.node(i);
      const onnx_fold_op* f = find_fold_op(n.op_type());
      if (!f || n.output_size() == 0 || (!n.domain().empty() && n.domain() != "ai.onnx")) continue;
      const onnx_fold_context c{n, [this](const std::string& t) { return value(t); },
                                [this](const std::string& t) -> const std::vector<std::int64_t>* {
                                  const auto it = dims_.find(t);
                                  return it == dims_.end() ? nullptr : &it->second;
                                }};
      try {
        if (auto v = f->fold(c)) {
          dims_[n.output(0)] = v->dims;
          values_.insert_or_assign(n.output(0), std::move(*v));
          skip_.insert(&n);
        }
      } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        if (what.starts_with(source_ + ": ")) throw;  // value()'s, which names the tensor
        fail(name_of(n, i), n.op_type(), "constant folding: " + what);
      }
    }
  }

  // Graph patterns: several nodes that become one layer.

  /// One row of the pattern table: a node of op `start` begins the pattern; `match` adds the
  /// layer and marks the other nodes fused, or returns false (the node is then imported alone).
  struct onnx_pattern {
    std::string_view start;
    bool (onnx_builder::*match)(const onnx::NodeProto&, int);
  };
  static std::span<const onnx_pattern> patterns() {
    using b = onnx_builder;
    static constexpr onnx_pattern table[] = {
        {"Div", &b::gelu_pattern},
        {"ReduceMean", &b::layer_norm_pattern},
        {"Reshape", &b::shuffle_pattern},
    };
    return table;
  }

  /// The one node that reads tensor `t`, or nullptr (none, several, or a graph output).
  const onnx::NodeProto* sole_consumer(const std::string& t) const {
    const auto it = consumers_.find(t);
    if (it == consumers_.end() || it->second.size() != 1) return nullptr;
    for (const auto& o : graph_->output())
      if (o.name() == t) return nullptr;
    return it->second.front();
  }
  /// `m` is a node of op `op` with `inputs` inputs and an output.
  static bool is(const onnx::NodeProto* m, std::string_view op, int inputs) {
    return m && m->op_type() == op && m->input_size() == inputs && m->output_size() > 0;
  }
  /// The other input of a two-input node `m`, given one of them; empty when `t` is neither.
  static std::string other_input(const onnx::NodeProto& m, const std::string& t) {
    if (m.input_size() != 2) return {};
    if (m.input(0) == t) return m.input(1);
    if (m.input(1) == t) return m.input(0);
    return {};
  }
  /// Tensor `t` is a one-element constant equal to `v` (to float precision).
  bool is_scalar(const std::string& t, double v) {
    const onnx_value* c = value(t);
    return c && c->size() == 1 && std::fabs(c->at(0) - v) <= 1e-6 * std::max(1.0, std::fabs(v));
  }
  /// Tensor `t` is a weight (an initializer or a graph input that is not the network input).
  bool is_param(const std::string& t) const {
    return !blobs_.count(t) && (params_.count(t) || constants_.count(t));
  }
  /// Adds `d` for the pattern that `first` starts and `last` ends (its output is the layer's);
  /// the nodes in `fused` are skipped by the walk, and a note lists what was fused.
  template <class D>
  void add_fused(const onnx::NodeProto& first, int index, const onnx::NodeProto& last, const D& d,
                 std::vector<const onnx::NodeProto*> fused, const std::string& what) {
    add(first, index, d, first_of(first), &last);
    for (const auto* m : fused) skip_.insert(m);
    notes_.push_back({name_of(first, index), first.op_type(), "fused: " + what});
  }
  std::vector<node_id> first_of(const onnx::NodeProto& n) const { return {blob(n, 0)}; }

  /// GELU as torch.onnx exports it at opset 13: y = (x · (1 + erf(x / √2))) · 0.5 — Div(x, √2),
  /// Erf, Add 1, Mul by x, Mul 0.5 (operands of Add and Mul in either order) → one activation.
  bool gelu_pattern(const onnx::NodeProto& div, int index) {
    if (div.input_size() != 2 || !blobs_.count(div.input(0)) ||
        !is_scalar(div.input(1), std::sqrt(2.0)))
      return false;
    const std::string& x = div.input(0);
    const auto* erf = sole_consumer(output(div));
    if (!is(erf, "Erf", 1)) return false;
    const auto* add1 = sole_consumer(erf->output(0));
    if (!is(add1, "Add", 2) || !is_scalar(other_input(*add1, erf->output(0)), 1.0)) return false;
    const auto* mul = sole_consumer(add1->output(0));
    if (!is(mul, "Mul", 2) || other_input(*mul, add1->output(0)) != x) return false;
    const auto* half = sole_consumer(mul->output(0));
    if (!is(half, "Mul", 2) || !is_scalar(other_input(*half, mul->output(0)), 0.5)) return false;
    add_fused(div, index, *half, activation{.kind = activation_kind::gelu}, {erf, add1, mul, half},
              "x·0.5·(1 + erf(x/√2)) (Div, Erf, Add, Mul, Mul) as one gelu activation");
    return true;
  }

  /// LayerNorm over the last axis of a channels-last tensor as torch.onnx exports it at opset
  /// 13: m = ReduceMean(x), d = x − m, v = ReduceMean(d^2), y = d / √(v + ε), then × γ + β →
  /// one layer_norm (affine when the Mul and Add by parameters follow).
  bool layer_norm_pattern(const onnx::NodeProto& mean, int index) {
    const std::string& x = input(mean, 0);
    if (!last_axis_is_z(x) || !last_axis_only(mean, x)) return false;
    const onnx::NodeProto* sub = nullptr;
    for (const auto* c : consumers_[x])
      if (is(c, "Sub", 2) && c->input(0) == x && c->input(1) == output(mean)) sub = c;
    if (!sub) return false;
    const auto& users = consumers_[sub->output(0)];
    if (users.size() != 2) return false;
    const onnx::NodeProto* pow = users[0]->op_type() == "Pow" ? users[0] : users[1];
    const onnx::NodeProto* div = users[0]->op_type() == "Pow" ? users[1] : users[0];
    if (!is(pow, "Pow", 2) || pow->input(0) != sub->output(0) || !is_scalar(pow->input(1), 2.0) ||
        !is(div, "Div", 2) || div->input(0) != sub->output(0))
      return false;
    const auto* var = sole_consumer(pow->output(0));
    if (!is(var, "ReduceMean", 1) || !last_axis_only(*var, pow->output(0))) return false;
    const auto* eps = sole_consumer(var->output(0));
    if (!is(eps, "Add", 2) || !value(other_input(*eps, var->output(0)))) return false;
    const auto* sqrt = sole_consumer(eps->output(0));
    if (!is(sqrt, "Sqrt", 1) || div->input(1) != sqrt->output(0)) return false;
    std::vector<const onnx::NodeProto*> fused{sub, pow, var, eps, sqrt, div};
    const onnx::NodeProto* last = div;
    const auto* mul = sole_consumer(div->output(0));
    const auto* add = mul ? sole_consumer(mul->output(0)) : nullptr;
    const bool affine = is(mul, "Mul", 2) && is_param(other_input(*mul, div->output(0))) &&
                        is(add, "Add", 2) && is_param(other_input(*add, mul->output(0)));
    if (affine) {
      fused.insert(fused.end(), {mul, add});
      last = add;
    }
    add_fused(mean, index, *last, layer_norm{.affine = affine}, fused,
              "ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div" +
                  std::string(affine ? ", Mul, Add" : "") + " as one layer_norm");
    return true;
  }
  /// A ReduceMean of `x` over its last axis only, keeping it.
  bool last_axis_only(const onnx::NodeProto& r, const std::string& x) const {
    const auto a = ints(r, "axes", {});
    const auto it = dims_.find(x);
    const auto rank = it == dims_.end() ? 0 : static_cast<std::int64_t>(it->second.size());
    return a.size() == 1 && rank > 0 && (a[0] == -1 || a[0] == rank - 1) &&
           int_attr(r, "keepdims", 1) == 1;
  }

  /// ShuffleNet's channel shuffle: Reshape (N, C, H, W) → (N, g, C/g, H, W), Transpose
  /// (0, 2, 1, 3, 4), Reshape back to (N, C, H, W) → one channel_shuffle of g groups; the 5-D
  /// intermediates never become layers.
  bool shuffle_pattern(const onnx::NodeProto& r1, int index) {
    if (r1.input_size() != 2 || !blobs_.count(r1.input(0)) || channels_last_.count(r1.input(0)))
      return false;
    const auto shape5 = dims_.find(output(r1));
    if (shape5 == dims_.end() || shape5->second.size() != 5) return false;
    const shape3 in = net_->output(blob(r1, 0));
    const auto& d = shape5->second;
    std::int64_t z = 0;
    if (d[1] < 1 || d[2] < 1 || __builtin_mul_overflow(d[1], d[2], &z) || z != in.z ||
        d[3] != in.y || d[4] != in.x)
      return false;
    const auto* t = sole_consumer(output(r1));
    if (!is(t, "Transpose", 1) || ints(*t, "perm", {}) != std::vector<std::int64_t>{0, 2, 1, 3, 4})
      return false;
    const auto* r2 = sole_consumer(t->output(0));
    if (!r2 || r2->op_type() != "Reshape" || r2->output_size() == 0) return false;
    const auto back = dims_.find(r2->output(0));
    if (back == dims_.end() || back->second.size() != 4 || back->second[1] != in.z ||
        back->second[2] != in.y || back->second[3] != in.x)
      return false;
    add_fused(r1, index, *r2, channel_shuffle{.groups = d[1]}, {t, r2},
              "Reshape to (N, g, C/g, H, W), Transpose (0, 2, 1, 3, 4), Reshape as one "
              "channel_shuffle of " +
                  std::to_string(d[1]) + " groups");
    return true;
  }

  /// Fuses `act` (HardSigmoid or Sigmoid) with the Mul that multiplies its output by its own
  /// input — x·HardSigmoid(x) is hard_swish, x·σ(x) is SiLU — only when that Mul is its one
  /// consumer; else (a squeeze-and-excitation gate) it is the activation alone.
  template <activation_kind Alone, activation_kind Fused>
  void gate_or_swish(const onnx::NodeProto& n, int index) {
    const auto* mul = sole_consumer(output(n));
    if (is(mul, "Mul", 2) && other_input(*mul, output(n)) == input(n, 0))
      return add_fused(n, index, *mul, activation{.kind = Fused}, {mul},
                       "x·" + n.op_type() + "(x) (" + n.op_type() + ", Mul) as one " +
                           std::string(to_string(Fused)) + " activation");
    add(n, index, activation{.kind = Alone}, first(n));
  }

  // The op handlers (the table's rows).

  /// A value (a Reshape's target shape, a Pad's pads), not a layer.
  void constant(const onnx::NodeProto& n, int) {
    if (const auto* v = attr(n, "value", onnx::AttributeProto::TENSOR); v && v->has_t())
      constants_[output(n)] = &v->t();
    if (const auto* v = attr(n, "value_ints", onnx::AttributeProto::INTS))
      constant_ints_[output(n)] = {v->ints().begin(), v->ints().end()};
  }

  /// Identity of an activation (a layer's output or the network input): an `identity` layer
  /// (zero cost), so the node is listed like every other, not silently dropped. Identity of a
  /// weight (torch.onnx puts one between a shared weight and its users) or of a constant: a
  /// renamed tensor that keeps its dims and value, no layer.
  void identity(const onnx::NodeProto& n, int index) {
    if (blobs_.count(input(n, 0))) return add(n, index, synergy::identity{}, first(n));
    if (const auto it = dims_.find(input(n, 0)); it != dims_.end()) dims_[output(n)] = it->second;
    if (is_param(input(n, 0))) params_.insert(output(n));  // torch.onnx's shared weights
    if (const onnx_value* v = value(input(n, 0))) values_.insert_or_assign(output(n), *v);
  }

  /// A 2-D window op reads N C H W: an input of another rank (known from shape inference) is an
  /// error, not a layer read as if it were 4-D.
  void require_4d_input(const onnx::NodeProto& n) const {
    if (const auto it = dims_.find(input(n, 0)); it != dims_.end() && it->second.size() != 4)
      fail(n.name(), n.op_type(),
           "input '" + input(n, 0) + "' is " + std::to_string(it->second.size()) +
               "-D (a 2-D window needs N C H W)");
  }

  /// Conv: weights M × C/group × kH × kW; depthwise when group equals the input channels.
  void conv(const onnx::NodeProto& n, int index) {
    require_4d_input(n);
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

  /// Gemm (transB, bias) or MatMul (no bias) with 2-D weights: a fully connected layer of a
  /// 1×1×C input; of a channels-last or token tensor (whose x·y > 1: ConvNeXt's Linear, ViT's
  /// projections and MLP), a position-wise linear layer. A MatMul of two activations
  /// (attention's Q·Kᵀ and A·V) is a `matmul` layer (activation_product); a Gemm of two is
  /// unsupported.
  template <bool Gemm>
  void matmul(const onnx::NodeProto& n, int index) {
    if (blobs_.count(input(n, 1))) {
      if constexpr (Gemm)
        return unsupported(n, "Gemm of two activations");
      else
        return activation_product(n, index);
    }
    const auto& b = dims_of(n, 1);
    if (b.size() != 2) fail(n.name(), n.op_type(), "weights are not 2-D");
    const bool trans = Gemm && int_attr(n, "transB", 0) != 0;
    const bool bias = Gemm && n.input_size() > 2 && !input(n, 2).empty();
    const std::int64_t k = trans ? b[0] : b[1];
    const shape3 in = net_->output(blob(n, 0));
    const bool positions = in.x > 1 || in.y > 1;
    // The product is over the last axis: z of a channels-last or token tensor, but x (W) of
    // N C H W and of a batch of matrices (Bt, M, K).
    if (last_axis_is_z(input(n, 0)) && (positions || channels_last_.count(input(n, 0))))
      return position_wise_linear(n, index, k, bias);
    if (positions)
      return unsupported(n, n.op_type() +
                                " over the last axis (x) of an N C H W tensor or a batch of "
                                "matrices");
    add(n, index, fully_connected{.outputs = k, .bias = bias}, first(n));
  }

  /// MatMul of two activations (attention's Q·Kᵀ and attn·V): a `matmul` layer when both are
  /// batches of matrices as axes_of maps them, x = the last axis (K of A, N of B), y = the one
  /// before (M, K), z = the batch — rank 3 (Bt, M, K) with the heads folded into the batch
  /// (torchvision's ViT: (12, 197, 64)), or rank 4 N C H W (N, Bt, M, K). The layer checks that
  /// K and Bt agree (an error naming `rhs.y` or `rhs.z`; ONNX's broadcasting of a batch of 1 is
  /// not supported). Other operands (a token or channels-last map, a rank without this
  /// mapping, an unknown shape) are unsupported.
  void activation_product(const onnx::NodeProto& n, int index) {
    using v = std::vector<std::optional<axis3>>;
    for (int i = 0; i < 2; ++i) {
      const auto axes = axes_of(input(n, i));
      if (!axes || (*axes != v{axis3::z, axis3::y, axis3::x} &&
                    *axes != v{std::nullopt, axis3::z, axis3::y, axis3::x}))
        return unsupported(n, "MatMul of two activations whose input '" + input(n, i) +
                                  "' is not a rank-3 (Bt, M, K) or rank-4 N C H W (N, Bt, M, K) "
                                  "batch of matrices");
    }
    add(n, index, synergy::matmul{}, {blob(n, 0), blob(n, 1)});
  }

  /// MaxPool / AveragePool with a 2-D kernel_shape; ceil_mode rounds the output up.
  template <pool_kind Kind>
  void pool(const onnx::NodeProto& n, int index) {
    require_4d_input(n);
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

  /// ConvNeXt's Linear, ViT's projections and MLP: MatMul (or Gemm) of a channels-last or
  /// token activation (x·y positions of C channels) with C × K weights is a 1×1 convolution to
  /// K channels (x·y·C·K MACs); a Gemm's bias, or an Add of a K-vector parameter that is the
  /// MatMul's one consumer, is the convolution's bias.
  void position_wise_linear(const onnx::NodeProto& n, int index, std::int64_t k, bool gemm_bias) {
    if (gemm_bias)
      return add(n, index, conv2d{.out_channels = k, .kernel = {1, 1}, .bias = true}, first(n));
    const auto* plus = sole_consumer(output(n));
    std::string bias;
    if (is(plus, "Add", 2)) bias = other_input(*plus, output(n));
    const auto bd = dims_.find(bias);
    const bool fused = !bias.empty() && is_param(bias) && bd != dims_.end() &&
                       bd->second == std::vector<std::int64_t>{k};
    const conv2d d{.out_channels = k, .kernel = {1, 1}, .bias = fused};
    if (!fused) return add(n, index, d, first(n));
    add(n, index, d, first(n), plus);
    skip_.insert(plus);
    notes_.push_back({name_of(n, index), "MatMul",
                      "fused: MatMul of a channels-last or token activation and Add of a bias as "
                      "one 1×1 conv2d with bias"});
  }

  /// Add / Mul: of two activations, an eltwise layer (one of them may be a 1×1×C vector, the
  /// squeeze-and-excitation gate, broadcast over x and y); of an activation and a parameter or
  /// constant (ConvNeXt's layer scale γ), a `scale` without bias: one op and one weight per
  /// channel, the count of a per-channel product.
  template <eltwise_op Op>
  void binary_op(const onnx::NodeProto& n, int index) {
    const bool a = blobs_.count(input(n, 0)) != 0, b = blobs_.count(input(n, 1)) != 0;
    if (a && b) return add(n, index, eltwise{.op = Op}, all_inputs(n));
    const std::string& other = a ? input(n, 1) : input(n, 0);
    if ((a || b) && (is_param(other) || value(other))) {
      // Per channel only: one value, or one per channel (z); a constant of more values (ViT's
      // position embedding, T × E) is not a scale.
      const shape3 in = net_->output(blob(n, a ? 0 : 1));
      if (const auto d = dims_.find(other); d != dims_.end()) {
        std::int64_t count = 1;
        for (const std::int64_t v : d->second)
          if (v < 1 || __builtin_mul_overflow(count, v, &count)) count = -1;  // unknown or huge
        if (count != 1 && count != in.z)
          return unsupported(n, n.op_type() + " of a constant of " + std::to_string(count) +
                                    " values that is not per channel (" + std::to_string(in.z) +
                                    " channels)");
      }
      add(n, index, scale{.bias = false}, {blob(n, a ? 0 : 1)});
      notes_.push_back({name_of(n, index), n.op_type(),
                        "by the constant '" + other + "': counted as a per-channel scale"});
      return;
    }
    unsupported(n, n.op_type() + " of two constants that do not fold");
  }

  /// ReduceMean over H and W of an N C H W tensor is a global average pooling (keepdims or
  /// not: N C 1 1 or N C); over the channels of a channels-last tensor it starts a LayerNorm
  /// (layer_norm_pattern); other axes are unsupported.
  void reduce_mean(const onnx::NodeProto& n, int index) {
    auto axes = ints(n, "axes", {});
    const auto it = dims_.find(input(n, 0));
    if (it != dims_.end() && it->second.size() == 4 && !channels_last_.count(input(n, 0))) {
      for (auto& a : axes) a = a < 0 ? a + 4 : a;
      std::sort(axes.begin(), axes.end());
      if (axes == std::vector<std::int64_t>{2, 3})
        return add(n, index, pool2d<pool_kind::avg>{.global = true}, first(n));
    }
    unsupported(n, "ReduceMean other than over H and W (or a LayerNorm's over channels)");
  }

  /// Transpose of a 4-D tensor: N C H W → N H W C (0, 2, 3, 1) and back (0, 3, 1, 2) change the
  /// memory layout only (a transpose layer with the identity logical permutation); (0, 1, 3, 2)
  /// swaps x and y. The 5-D one of a channel shuffle is part of shuffle_pattern.
  void transpose_op(const onnx::NodeProto& n, int index) {
    const auto p = ints(n, "perm", {});
    const bool last = channels_last_.count(input(n, 0)) != 0;
    using p4 = std::vector<std::int64_t>;
    if (!last && p == p4{0, 2, 3, 1}) {
      channels_last_.insert(output(n));
      return add(n, index, transpose{}, first(n));
    }
    if (last && p == p4{0, 3, 1, 2}) return add(n, index, transpose{}, first(n));
    if (!last && p == p4{0, 1, 3, 2})
      return add(n, index, transpose{.perm = {axis3::y, axis3::x, axis3::z}}, first(n));
    if (const auto perm = heads_permutation(n, p))
      return add(n, index, transpose{.perm = *perm}, first(n));
    unsupported(n,
                "Transpose other than N C H W ↔ N H W C, a swap of H and W or a permutation of "
                "the heads' (Bt, M, K)");
  }

  /// A rank-3 Transpose between tensors whose three axes all map onto x, y, z (axes_of: the
  /// heads' (Bt, M, K) of attention, neither of the first two dims the batch) as a `transpose`
  /// of the logical axes: the output's axis mapped from ONNX dim j is the input's axis mapped
  /// from dim perm[j] (torchvision's ViT: (T, heads, D) → (heads, T, D) and → (heads, D, T)).
  /// nullopt for other ranks or mappings (a token map's batch axis has no logical axis).
  std::optional<std::array<axis3, 3>> heads_permutation(const onnx::NodeProto& n,
                                                        const std::vector<std::int64_t>& p) const {
    const auto in = axes_of(input(n, 0)), out = axes_of(output(n));
    if (p.size() != 3 || !in || !out || in->size() != 3 || out->size() != 3) return std::nullopt;
    std::array<axis3, 3> perm{axis3::x, axis3::y, axis3::z};
    std::array<bool, 3> seen{};
    for (std::size_t j = 0; j < 3; ++j) {
      if (p[j] < 0 || p[j] > 2) return std::nullopt;
      const auto to = (*out)[j], from = (*in)[static_cast<std::size_t>(p[j])];
      if (!to || !from || seen[static_cast<std::size_t>(*to)]) return std::nullopt;
      seen[static_cast<std::size_t>(*to)] = true;
      perm[static_cast<std::size_t>(*to)] = *from;
    }
    return perm;
  }

  /// The logical axis of ONNX axis `a` (negative: from the end) of tensor `t`, as axes_of maps
  /// it (a tensor of unknown shape is taken as 4-D: N C H W, or N H W C when channels-last);
  /// nullopt for the batch axis or out of range.
  std::optional<axis3> logical_axis(const std::string& t, std::int64_t a) const {
    if (const auto axes = axes_of(t)) {
      const auto rank = static_cast<std::int64_t>(axes->size());
      a = a < 0 ? a + rank : a;
      if (a < 0 || a >= rank) return std::nullopt;
      return (*axes)[static_cast<std::size_t>(a)];
    }
    a = a < 0 ? a + 4 : a;
    static constexpr axis3 nchw[] = {axis3::z, axis3::y, axis3::x};
    static constexpr axis3 nhwc[] = {axis3::y, axis3::x, axis3::z};
    if (a < 1 || a > 3) return std::nullopt;
    return (channels_last_.count(t) ? nhwc : nchw)[a - 1];
  }

  /// Slice with constant starts, ends, axes (steps 1) along one axis (ShuffleNetV2's channel
  /// split, whose bounds the folding computes) → a slice layer.
  void slice_op(const onnx::NodeProto& n, int index) {
    const auto starts = constant_ints(n, input(n, 1));
    const auto ends = constant_ints(n, input(n, 2));
    std::optional<std::vector<std::int64_t>> axes = std::vector<std::int64_t>{0};
    if (n.input_size() > 3 && !input(n, 3).empty()) axes = constant_ints(n, input(n, 3));
    std::optional<std::vector<std::int64_t>> steps = std::vector<std::int64_t>{1};
    if (n.input_size() > 4 && !input(n, 4).empty()) steps = constant_ints(n, input(n, 4));
    if (!starts || !ends || !axes || !steps || starts->size() != 1 || ends->size() != 1 ||
        axes->size() != 1 || steps->size() != 1 || (*steps)[0] != 1)
      return unsupported(n, "Slice other than with constant bounds along one axis, step 1");
    const auto ax = logical_axis(input(n, 0), (*axes)[0]);
    if (!ax) return unsupported(n, "Slice of the batch axis");
    const std::int64_t extent = extent_of(net_->output(blob(n, 0)), *ax);
    const auto bound = [&](std::int64_t v) {  // ONNX: negative from the end, then clamped
      if (v < 0) v = v < -extent ? 0 : v + extent;
      return std::min(v, extent);
    };
    add(n, index, slice{.axis = *ax, .begin = bound((*starts)[0]), .end = bound((*ends)[0])},
        first(n));
  }

  /// Split along one axis into slices (sizes from the `split` input or attribute, else equal
  /// parts): one slice layer per output, named <node>:<output index>.
  void split_op(const onnx::NodeProto& n, int index) {
    const auto ax = logical_axis(input(n, 0), int_attr(n, "axis", 0));
    if (!ax) return unsupported(n, "Split of the batch axis");
    const std::int64_t extent = extent_of(net_->output(blob(n, 0)), *ax);
    std::vector<std::int64_t> sizes = ints(n, "split", {});
    if (n.input_size() > 1 && !input(n, 1).empty()) {
      const auto c = constant_ints(n, input(n, 1));
      if (!c) return unsupported(n, "Split with sizes computed at run time");
      sizes = *c;
    }
    if (sizes.empty())
      sizes.assign(static_cast<std::size_t>(n.output_size()), extent / n.output_size());
    if (static_cast<int>(sizes.size()) != n.output_size())
      fail(n.name(), n.op_type(),
           "has " + std::to_string(n.output_size()) + " outputs and " +
               std::to_string(sizes.size()) + " split sizes");
    const std::string name = name_of(n, index);
    std::int64_t begin = 0;
    for (int k = 0; k < n.output_size(); ++k) {
      const std::int64_t size = sizes[static_cast<std::size_t>(k)];
      if (size < 1 || size > extent - begin)
        fail(name, n.op_type(),
             "split sizes do not fit the " + std::string(to_string(*ax)) + " extent " +
                 std::to_string(extent));
      const std::string part = name + ":" + std::to_string(k);
      try {
        blobs_[n.output(k)] = net_->add(
            part, layer{slice{.axis = *ax, .begin = begin, .end = begin + size}}, first(n));
      } catch (const std::exception& e) {
        fail(name, n.op_type(), e.what());
      }
      if (channels_last_.count(input(n, 0))) channels_last_.insert(n.output(k));
      begin += size;
    }
  }

  /// LayerNormalization (opset 17) over the channels of a channels-last tensor (axis −1).
  void layer_normalization(const onnx::NodeProto& n, int index) {
    const auto it = dims_.find(input(n, 0));
    const std::int64_t axis = int_attr(n, "axis", -1);
    if (!last_axis_is_z(input(n, 0)) || it == dims_.end() ||
        (axis != -1 && axis != static_cast<std::int64_t>(it->second.size()) - 1))
      return unsupported(n, "LayerNormalization other than over the channels of N H W C");
    add(n, index, layer_norm{.affine = true}, first(n));
  }

  /// Concat along the channels (z) is a concat layer. Along x or y (ViT's class token put in
  /// front of the patch tokens, along T = x) there is no layer: an opaque one (with
  /// `unsupported_as_zero_cost`) whose output is the inputs' shapes summed along that axis
  /// (torch's exports leave it unknown to shape inference), so the layers after it see the
  /// right shape; it reads the first input only.
  void concat_op(const onnx::NodeProto& n, int index) {
    // The axis as the first tensor of known rank maps it (output or inputs: torch's class-token
    // Expand leaves its own shape unknown).
    std::string known = output(n);
    for (int i = 0; i < n.input_size() && !axes_of(known); ++i) known = n.input(i);
    const auto ax = logical_axis(axes_of(known) ? known : input(n, 0), int_attr(n, "axis", 1));
    if (ax == axis3::z) return add(n, index, concat{}, all_inputs(n));
    if (!ax) fail(n.name(), n.op_type(), "concatenation along the batch axis");
    const std::vector<node_id> from = all_inputs(n);
    shape3 out = net_->output(from.front());
    for (std::size_t i = 1; i < from.size(); ++i) {
      const shape3 s = net_->output(from[i]);
      for (const axis3 other : {axis3::x, axis3::y, axis3::z})
        if (other != *ax && extent_of(s, other) != extent_of(out, other))
          fail(n.name(), n.op_type(),
               "concat inputs differ in " + std::string(to_string(other)) + " (input " +
                   std::to_string(i) + " is " + synergy::detail::shape_text(s) + ", expected " +
                   synergy::detail::shape_text(out) + ")");
      if (__builtin_add_overflow(out.x, *ax == axis3::x ? s.x : 0, &out.x) ||
          __builtin_add_overflow(out.y, *ax == axis3::y ? s.y : 0, &out.y))
        fail(n.name(), n.op_type(), "concatenated extent overflows");
    }
    unsupported(n, "Concat along " + std::string(to_string(*ax)) + " (only channels: z)", out);
  }

  void flatten_op(const onnx::NodeProto& n, int index) {
    if (int_attr(n, "axis", 1) != 1) fail(n.name(), n.op_type(), "flatten axis other than 1");
    add(n, index, flatten{}, first(n));
  }

  /// Only the flattening Reshape to (N, C·H·W) of classifier heads is a layer. The target
  /// shape is shape inference's, or the constant (folded) shape input resolved here (0 copies
  /// the input's dimension, −1 takes the rest), which ONNX's inference does not propagate.
  void reshape(const onnx::NodeProto& n, int index) {
    const shape3 in = net_->output(blob(n, 0));
    std::optional<std::vector<std::int64_t>> out;
    if (const auto it = dims_.find(output(n)); it != dims_.end()) out = it->second;
    if (!out && n.input_size() > 1 && !input(n, 1).empty())
      if (const auto target = constant_ints(n, input(n, 1))) out = resolve_reshape(n, *target, in);
    if (out && out->size() == 2 && (*out)[1] == in.elements()) {
      dims_.try_emplace(output(n), *out);
      return add(n, index, flatten{}, first(n));
    }
    unsupported(n, "Reshape other than flattening to (N, C·H·W)");
  }
  /// ONNX Reshape's target dims for an input of `in` (batch from shape inference, else 1);
  /// nullopt when they do not resolve (the Reshape is then not a flatten).
  std::optional<std::vector<std::int64_t>> resolve_reshape(const onnx::NodeProto& n,
                                                           std::vector<std::int64_t> t,
                                                           shape3 in) const {
    std::vector<std::int64_t> d{1, in.z, in.y, in.x};
    if (const auto it = dims_.find(input(n, 0)); it != dims_.end() && it->second.size() == 4)
      d[0] = std::max<std::int64_t>(it->second[0], 1);
    std::int64_t known = 1;
    int infer = -1;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == 0 && i < d.size()) t[i] = d[i];
      if (t[i] == -1 && infer < 0) {
        infer = static_cast<int>(i);
        continue;
      }
      if (t[i] < 1 || __builtin_mul_overflow(known, t[i], &known)) return std::nullopt;
    }
    std::int64_t total = 0;
    if (__builtin_mul_overflow(d[0], in.elements(), &total)) return std::nullopt;
    if (infer >= 0) {
      if (total % known != 0) return std::nullopt;
      t[static_cast<std::size_t>(infer)] = total / known;
    }
    return t;
  }

  /// Ops that become a default-constructed descriptor D: Dropout, an `identity` layer
  /// (at inference ONNX Dropout copies its input, and runtimes remove it: zero cost, unlike
  /// Caffe's Dropout layer, which copies into a new blob unless in place).
  template <class D>
  void layer_op(const onnx::NodeProto& n, int index) {
    add(n, index, D{}, first(n));
  }

  /// Softmax as the `softmax` layer, which normalises over the channels (z) at each (x, y).
  /// From opset 13 ONNX normalises along `axis` (default −1), which must map onto z: a
  /// classifier's logits, the features of a channels-last or token map. Before opset 13 it
  /// normalises over all axes from `axis` (default 1) on as one, which is z only when the axes
  /// after it have extent 1 (N C 1 1, or N F). Any other axis — ViT's attention scores are
  /// normalised along x — would be another computation than the layer's: unsupported.
  void softmax_op(const onnx::NodeProto& n, int index) {
    const bool flattening = opset_ < 13;
    const std::int64_t axis = int_attr(n, "axis", flattening ? 1 : -1);
    const auto a = logical_axis(input(n, 0), axis);
    bool over_z = a && *a == axis3::z;
    if (over_z && flattening) {
      const shape3 in = net_->output(blob(n, 0));
      over_z = in.x == 1 && in.y == 1;
    }
    if (!over_z)
      return unsupported(n, "Softmax over an axis other than the channels (z at each x, y)");
    add(n, index, softmax{}, first(n));
  }

  void lrn_op(const onnx::NodeProto& n, int index) {
    add(n, index, lrn{.local_size = int_attr(n, "size", 5)}, first(n));
  }

  /// The values of a constant INT64 tensor (an initializer or a Constant node's output), or
  /// nullopt when `name` is computed at run time.
  std::optional<std::vector<std::int64_t>> constant_ints(const onnx::NodeProto& n,
                                                         const std::string& name) {
    if (const auto i = constant_ints_.find(name); i != constant_ints_.end()) return i->second;
    const onnx_value* v = value(name);  // an unreadable initializer: an error naming it
    if (!v) {
      if (const auto it = constants_.find(name); it != constants_.end())
        fail(n.name(), n.op_type(), "constant '" + name + "' cannot be read");
      return std::nullopt;
    }
    if (v->real) fail(n.name(), n.op_type(), "constant '" + name + "' is not INT64");
    return v->ints;
  }

  /// A Pad of the spatial axes: folded into the padding of the Convs or poolings that read it
  /// when it is symmetric, constant and zero; else a pad layer. Its pads come from the
  /// attribute (opset < 11) or from a constant second input (opset ≥ 11: an initializer or a
  /// Constant node, as torch.onnx exports them).
  void pad(const onnx::NodeProto& n, int index) {
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
    if (p.size() != 8 || p[0] || p[1] || p[4] || p[5] || channels_last_.count(input(n, 0)))
      fail(n.name(), n.op_type(), "only padding of H and W (N C H W) is supported");
    // Merged into the readers' padding when they are all windows, the pads symmetric and
    // zero; else a pad layer of its own.
    bool merge = p[2] == p[6] && p[3] == p[7] && !consumers_[output(n)].empty();
    for (const auto* c : consumers_[output(n)])
      merge = merge && (c->op_type() == "Conv" || c->op_type() == "MaxPool" ||
                        c->op_type() == "AveragePool");
    if (const auto* m = attr(n, "mode", onnx::AttributeProto::STRING); m && m->s() != "constant")
      merge = false;
    if (n.input_size() > 2 && !input(n, 2).empty() && !is_scalar(input(n, 2), 0.0)) merge = false;
    if (!merge)
      return add(n, index, synergy::pad{.begin = {p[3], p[2]}, .end = {p[7], p[6]}}, first(n));
    alias(n);
    pending_pad_[output(n)] = {p[3], p[2]};
    notes_.push_back({n.name(), "Pad", "folded into the padding of the layer that reads it"});
  }

  /// An op the importer does not understand: an error listing the supported ones, or with
  /// `unsupported_as_zero_cost` an `opaque` layer (not counted) whose output shape is the one
  /// ONNX shape inference gives (its input's where it gives none). It reads the first input an
  /// earlier layer produces — or the network input, when every input is a constant — so the
  /// network stays connected; every output of the node is its output.
  /// `shape`, when given, is the opaque layer's output (the handler knows it better than shape
  /// inference); else shape inference's, mapped to x, y, z by axes_of; else that of the first
  /// input whose shape is known (a weight's dims, as ViT's class token read by Expand); else
  /// the shape of the layer it reads.
  void unsupported(const onnx::NodeProto& n, const std::string& what,
                   std::optional<shape3> shape = std::nullopt) {
    if (!opt_.unsupported_as_zero_cost) {
      std::string list;
      for (const auto& o : onnx_supported_ops()) list += (list.empty() ? "" : ", ") + o;
      fail(n.name(), n.op_type(),
           "unsupported: " + what + " (supported: " + list +
               "; or import with unsupported_as_zero_cost)");
    }
    if (n.output_size() == 0) {  // nothing can read it
      notes_.push_back({n.name(), n.op_type(), "ignored: unsupported, without outputs"});
      return;
    }
    node_id from = 0;
    for (const auto& t : n.input())
      if (const auto it = blobs_.find(t); it != blobs_.end()) {
        from = it->second;
        break;
      }
    std::string note = "not counted: unsupported (" + what + "), imported as an opaque layer";
    std::optional<shape3> out = shape ? shape : inferred_shape(n.output(0));
    for (int i = 0; !out && i < n.input_size(); ++i) {
      const auto it = blobs_.find(n.input(i));
      out = it != blobs_.end() ? std::optional<shape3>(net_->output(it->second))
                               : inferred_shape(n.input(i));
      if (out)
        note += " (output shape unknown to shape inference: taken as input " + std::to_string(i) +
                "'s)";
    }
    if (!out) {
      out = net_->output(from);
      note += " (output shape unknown to shape inference: taken as its input's)";
    }
    add(n, index_, opaque{.output_shape = *out}, {from});
    for (const auto& t : n.output()) blobs_[t] = blobs_[n.output(0)];
    notes_.push_back({n.name(), n.op_type(), note});
  }

  std::string source_;
  std::int64_t opset_ = 13;  ///< the default domain's opset version (Softmax's axis semantics)
  onnx_options opt_;
  std::optional<network> net_;
  std::map<std::string, std::vector<std::int64_t>> dims_;
  std::set<std::string> params_;
  std::map<std::string, node_id> blobs_;
  std::map<std::string, extent2> pending_pad_;
  std::map<std::string, const onnx::TensorProto*> constants_;       // into the model being imported
  std::map<std::string, std::vector<std::int64_t>> constant_ints_;  // Constant value_ints
  std::vector<import_note> notes_;
  std::map<std::string, onnx_value> values_;  // folded constants and small initializers
  std::set<std::string> unreadable_;          // initializers that are not foldable values
  std::set<const onnx::NodeProto*> skip_;     // folded, or fused into an earlier layer
  std::map<std::string, std::vector<const onnx::NodeProto*>> consumers_;
  std::set<std::string> channels_last_;  // layer outputs in N H W C order (after a Transpose)
  const onnx::GraphProto* graph_ = nullptr;
  int index_ = 0;           // of the node being imported
  std::int64_t batch_ = 1;  // the network input's N (1 when symbolic): see axes_of
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
/// attribute of the wrong type; a Conv-like node whose data rank differs from its kernel's, or
/// whose strides, dilations or pads do not fit it (checked before shape inference); failed
/// shape inference; a constant that cannot be folded (an index out of range, a division by
/// zero, raw data of the wrong size); no 4-D input, several, or one the network rejects (a
/// symbolic, negative or zero dimension); an unsupported op (listing the supported ones, unless
/// `unsupported_as_zero_cost`: then an opaque layer); asymmetric padding of a Conv or pooling;
/// a layer whose output differs from ONNX's shape inference; and every error of network::add.
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
