// Counting from Python: `count(what)` (zoo name, .prototxt or .onnx path, ONNX bytes), the layer
// descriptors as keyword functions returning `Layer`, and `Network` (built in Python or
// imported) with totals, per-layer rows and NumPy columns. Every count is the library's own
// (cost_of, network::totals): nothing is re-implemented here.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <synergy/network.hpp>
#include <synergy/zoo/registry.hpp>
#include <utility>
#include <variant>
#include <vector>
#if SYNERGY_PYTHON_CAFFE
#include <synergy/io/caffe.hpp>
#endif
#if SYNERGY_PYTHON_ONNX
#include <synergy/io/onnx.hpp>
#endif

#include "bindings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace synergy::python {
namespace {

/// A layer descriptor as Python holds it. (A wrapper, not py::class_<layer>: pybind11's
/// std::variant caster from stl.h would take precedence over a class binding.)
struct py_layer {
  layer op;
};

/// One row of a network's per-layer table.
struct layer_row {
  node_id id = 0;
  std::string name, type;
  std::vector<std::string> inputs;
  shape3 input{}, output{};
  layer_cost cost{};
};

[[noreturn]] void bad_argument(const std::string& what) { throw std::invalid_argument(what); }

/// (x, y, z) from a Python sequence of three ints; ValueError naming `field` otherwise.
shape3 to_shape(const py::handle& h, const char* field) {
  if (!py::isinstance<py::sequence>(h) || py::isinstance<py::str>(h) || py::len(h) != 3)
    bad_argument(std::string(field) + ": expected (x, y, z) = (width, height, channels), got " +
                 std::string(py::repr(h)));
  const auto s = py::reinterpret_borrow<py::sequence>(h);
  return {s[0].cast<std::int64_t>(), s[1].cast<std::int64_t>(), s[2].cast<std::int64_t>()};
}

/// An int n (→ n × n) or an (x, y) pair; ValueError naming `field` otherwise.
extent2 to_extent(const py::handle& h, const char* field) {
  if (py::isinstance<py::int_>(h)) return square(h.cast<std::int64_t>());
  if (!py::isinstance<py::sequence>(h) || py::isinstance<py::str>(h) || py::len(h) != 2)
    bad_argument(std::string(field) + ": expected an int or an (x, y) pair, got " +
                 std::string(py::repr(h)));
  const auto s = py::reinterpret_borrow<py::sequence>(h);
  return {s[0].cast<std::int64_t>(), s[1].cast<std::int64_t>()};
}

py::tuple shape_tuple(const shape3& s) { return py::make_tuple(s.x, s.y, s.z); }

/// The input shape a descriptor holds (`input`, or `shape` for the network input); empty for
/// a descriptor with neither.
shape3 input_of(const layer& l) {
  return std::visit(
      [](const auto& d) -> shape3 {
        if constexpr (requires { d.input; })
          return d.input;
        else if constexpr (requires { d.shape; })
          return d.shape;
        else
          return {};
      },
      l);
}

/// Sets a descriptor's input shape, when the caller gave one.
void set_input(layer& l, const py::object& input) {
  if (input.is_none()) return;
  const shape3 s = to_shape(input, "input");
  std::visit(
      [&](auto& d) {
        if constexpr (requires { d.input; }) d.input = s;
      },
      l);
}

/// Enum values from their names, for the enums without a library to_string.
template <class E, std::size_t N>
E from_table(const std::array<std::pair<std::string_view, E>, N>& table, const std::string& name,
             const char* field) {
  std::string known;
  for (const auto& [n, v] : table) {
    if (n == name) return v;
    known += (known.empty() ? "" : ", ") + std::string(n);
  }
  bad_argument(std::string(field) + ": unknown value '" + name + "' (known: " + known + ")");
}

constexpr std::array<std::pair<std::string_view, rounding>, 2> rounding_names{
    {{"floor", rounding::floor}, {"ceil", rounding::ceil}}};
constexpr std::array<std::pair<std::string_view, eltwise_op>, 3> eltwise_names{
    {{"sum", eltwise_op::sum}, {"prod", eltwise_op::prod}, {"max", eltwise_op::max}}};
constexpr std::array<std::pair<std::string_view, lrn_region>, 2> lrn_names{
    {{"across_channels", lrn_region::across_channels},
     {"within_channel", lrn_region::within_channel}}};
constexpr std::array<std::pair<std::string_view, axis3>, 3> axis_names{
    {{"x", axis3::x}, {"y", axis3::y}, {"z", axis3::z}}};

/// An axis permutation from three axis names ("x", "y", "z"); ValueError naming `perm`
/// otherwise. Whether it is a permutation is the library's check (transpose::validate).
std::array<axis3, 3> to_perm(const py::handle& h) {
  if (!py::isinstance<py::sequence>(h) || py::isinstance<py::str>(h) || py::len(h) != 3)
    bad_argument("perm: expected three axis names such as ('z', 'x', 'y'), got " +
                 std::string(py::repr(h)));
  const auto s = py::reinterpret_borrow<py::sequence>(h);
  std::array<axis3, 3> perm{};
  for (std::size_t i = 0; i < 3; ++i)
    perm[i] = from_table(axis_names, py::str(s[i]).cast<std::string>(), "perm");
  return perm;
}

/// An activation kind from its library name (to_string), so kinds added to the library are
/// accepted without a change here: to_string answers "?" past the last kind.
activation_kind activation_from(const std::string& name) {
  std::string known;
  for (unsigned i = 0; i < 256; ++i) {
    const auto k = static_cast<activation_kind>(i);
    const std::string_view n = to_string(k);
    if (n == "?") break;
    if (n == name) return k;
    known += (known.empty() ? "" : ", ") + std::string(n);
  }
  bad_argument("activation kind: unknown value '" + name + "' (known: " + known + ")");
}

/// Per-layer rows of a network, in node order (the input first).
std::vector<layer_row> rows_of(const network& net) {
  std::vector<layer_row> rows;
  rows.reserve(net.size());
  for (node_id id = 0; id < net.size(); ++id) {
    layer_row r{id,          std::string(net.name(id)), std::string(to_string(type_of(net.at(id)))),
                {},          input_of(net.at(id)),      net.output(id),
                net.cost(id)};
    for (node_id p : net.inputs(id)) r.inputs.emplace_back(net.name(p));
    rows.push_back(std::move(r));
  }
  return rows;
}

/// A NumPy int64 array of `values`.
py::array_t<std::int64_t> int_column(const std::vector<std::int64_t>& values) {
  py::array_t<std::int64_t> a(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), a.mutable_data());
  return a;
}

/// Columns of the per-layer table as NumPy arrays (names and types as unicode arrays).
py::dict to_numpy(const network& net) {
  const std::size_t n = net.size();
  std::vector<std::int64_t> cols[11];
  py::list names, types;
  for (auto& c : cols) c.reserve(n);
  for (node_id id = 0; id < n; ++id) {
    names.append(std::string(net.name(id)));
    types.append(std::string(to_string(type_of(net.at(id)))));
    const shape3 o = net.output(id);
    const layer_cost& c = net.cost(id);
    const std::int64_t v[11] = {o.x,
                                o.y,
                                o.z,
                                c.macs,
                                c.ops,
                                c.weights,
                                c.biases,
                                c.params(),
                                c.data_volume,
                                id,
                                static_cast<std::int64_t>(net.inputs(id).size())};
    for (int k = 0; k < 11; ++k) cols[k].push_back(v[k]);
  }
  const auto np = py::module_::import("numpy");
  py::dict d;
  d["name"] = np.attr("array")(names, "dtype"_a = "U");
  d["type"] = np.attr("array")(types, "dtype"_a = "U");
  const char* keys[11] = {"output_x", "output_y", "output_z",    "macs", "ops",        "weights",
                          "biases",   "params",   "data_volume", "id",   "input_count"};
  for (int k = 0; k < 11; ++k) d[keys[k]] = int_column(cols[k]);
  return d;
}

py::dict cost_dict(const layer_cost& c) {
  py::dict d;
  d["macs"] = c.macs;
  d["ops"] = c.ops;
  d["weights"] = c.weights;
  d["biases"] = c.biases;
  d["params"] = c.params();
  d["data_volume"] = c.data_volume;
  return d;
}

[[noreturn]] void missing_file(const std::string& path) {
  PyErr_SetString(PyExc_FileNotFoundError, (path + ": no such file").c_str());
  throw py::error_already_set();
}

/// What `count` imports: a Network as it is, ONNX bytes, a .prototxt/.onnx path, or a zoo name.
/// (`zero_cost` is unused in a build with neither importer.)
py_network load(const py::object& what, const py::object& input, [[maybe_unused]] bool zero_cost) {
  if (py::isinstance<py_network>(what)) return what.cast<py_network>();
  if (py::isinstance<py::bytes>(what)) {
#if SYNERGY_PYTHON_ONNX
    const auto data = what.cast<std::string>();
    if (data.size() > static_cast<std::size_t>(INT_MAX))
      bad_argument("<bytes>: " + std::to_string(data.size()) +
                   " bytes; an ONNX model is at most 2 GiB - 1 (protobuf's limit)");
    onnx::ModelProto model;
    if (!model.ParseFromArray(data.data(), static_cast<int>(data.size())))
      bad_argument("<bytes>: not an ONNX ModelProto (truncated or corrupt protobuf)");
    auto r = io::import_onnx_model(std::move(model), "<bytes>", {zero_cost});
    return {std::move(r.net), std::move(r.notes)};
#else
    bad_argument("count(bytes): this build has no ONNX importer (libonnx-dev not found)");
#endif
  }
  const std::string s = py::str(py::module_::import("os").attr("fspath")(what));
  const std::filesystem::path p(s);
  const std::string ext = p.extension().string();
  if (!input.is_none() && ext != ".prototxt")
    bad_argument("count: input= applies to Caffe .prototxt files only");
  if (ext == ".prototxt") {
    if (!std::filesystem::exists(p)) missing_file(s);
#if SYNERGY_PYTHON_CAFFE
    io::caffe_options o;
    if (!input.is_none()) o.input_shape = to_shape(input, "input");
    o.unsupported_as_zero_cost = zero_cost;
    auto r = io::import_caffe(p, o);
    return {std::move(r.net), std::move(r.notes)};
#else
    bad_argument(s + ": this build has no Caffe importer (protobuf not found)");
#endif
  }
  if (ext == ".onnx") {
    if (!std::filesystem::exists(p)) missing_file(s);
#if SYNERGY_PYTHON_ONNX
    auto r = io::import_onnx(p, {zero_cost});
    return {std::move(r.net), std::move(r.notes)};
#else
    bad_argument(s + ": this build has no ONNX importer (libonnx-dev not found)");
#endif
  }
  try {
    return {zoo::by_name(s), {}};
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(e.what()) + "; or give a .prototxt or .onnx path");
  }
}

/// The node ids `inputs` names (None: the last node; names or ids otherwise).
std::vector<node_id> producers(const network& net, const py::object& inputs,
                               const std::string& layer_name) {
  if (inputs.is_none()) return {net.last()};
  std::vector<node_id> ids;
  const auto one = [&](const py::handle& h) {
    if (py::isinstance<py::int_>(h)) {
      ids.push_back(h.cast<node_id>());
    } else if (py::isinstance<py::str>(h)) {
      const auto name = h.cast<std::string>();
      const auto id = net.find(name);
      if (!id) bad_argument("layer '" + layer_name + "': no input layer named '" + name + "'");
      ids.push_back(*id);
    } else {
      bad_argument("layer '" + layer_name + "': inputs are layer names or node ids, got " +
                   std::string(py::repr(h)));
    }
  };
  if (py::isinstance<py::str>(inputs) || py::isinstance<py::int_>(inputs))
    one(inputs);
  else
    for (const auto& h : inputs) one(h);
  return ids;
}

template <class D>
py_layer make(D d, const py::object& input) {
  py_layer l{layer{d}};
  set_input(l.op, input);
  return l;
}

}  // namespace

void bind_count(py::module_& m) {
  using namespace pybind11::literals;

  py::class_<layer_row>(m, "LayerRow",
                        "One layer of a network: shapes (x, y, z) = (width, "
                        "height, channels) and counts per image")
      .def_readonly("id", &layer_row::id, "node id (0 = the input)")
      .def_readonly("name", &layer_row::name)
      .def_readonly("type", &layer_row::type, "layer type, e.g. 'conv2d'")
      .def_readonly("inputs", &layer_row::inputs, "names of the producer layers")
      .def_property_readonly("input", [](const layer_row& r) { return shape_tuple(r.input); })
      .def_property_readonly("output", [](const layer_row& r) { return shape_tuple(r.output); })
      .def_property_readonly("macs", [](const layer_row& r) { return r.cost.macs; })
      .def_property_readonly("ops", [](const layer_row& r) { return r.cost.ops; })
      .def_property_readonly("weights", [](const layer_row& r) { return r.cost.weights; })
      .def_property_readonly("biases", [](const layer_row& r) { return r.cost.biases; })
      .def_property_readonly("params", [](const layer_row& r) { return r.cost.params(); })
      .def_property_readonly(
          "data_volume", [](const layer_row& r) { return r.cost.data_volume; },
          "elements read and written (SyNERGY Eq 2)")
      .def("__repr__", [](const layer_row& r) {
        return "<LayerRow " + r.name + " " + r.type + " macs=" + std::to_string(r.cost.macs) + ">";
      });

  py::class_<py_layer>(m, "Layer",
                       "A layer descriptor (made by conv2d(), activation(), ...). Counts need "
                       "its input shape: given as input=(x, y, z), or set by Network.add")
      .def_property_readonly(
          "type", [](const py_layer& l) { return std::string(to_string(type_of(l.op))); })
      .def_property_readonly("input",
                             [](const py_layer& l) -> py::object {
                               const shape3 s = input_of(l.op);
                               if (s.empty()) return py::none();
                               return shape_tuple(s);
                             })
      .def_property_readonly(
          "output", [](const py_layer& l) { return shape_tuple(output_of(l.op)); },
          "output shape (x, y, z); ValueError when the input is unset or "
          "the descriptor is invalid")
      .def_property_readonly("macs", [](const py_layer& l) { return cost_of(l.op).macs; })
      .def_property_readonly("ops", [](const py_layer& l) { return cost_of(l.op).ops; })
      .def_property_readonly("weights", [](const py_layer& l) { return cost_of(l.op).weights; })
      .def_property_readonly("biases", [](const py_layer& l) { return cost_of(l.op).biases; })
      .def_property_readonly("params", [](const py_layer& l) { return cost_of(l.op).params(); })
      .def_property_readonly("data_volume",
                             [](const py_layer& l) { return cost_of(l.op).data_volume; })
      .def(
          "cost", [](const py_layer& l) { return cost_dict(cost_of(l.op)); },
          "all counts as a dict")
      .def("__repr__", [](const py_layer& l) {
        return "<Layer " + std::string(to_string(type_of(l.op))) + ">";
      });

  // The descriptors: keyword arguments named as the C++ fields; kernel, stride, padding and
  // dilation take an int (square) or an (x, y) pair.
  const auto kw = py::kw_only();
  m.def(
      "conv2d",
      [](std::int64_t out_channels, const py::object& kernel, const py::object& stride,
         const py::object& padding, const py::object& dilation, std::int64_t groups, bool bias,
         const py::object& input) {
        conv2d d;
        d.out_channels = out_channels;
        d.kernel = to_extent(kernel, "kernel");
        d.stride = to_extent(stride, "stride");
        d.padding = to_extent(padding, "padding");
        d.dilation = to_extent(dilation, "dilation");
        d.groups = groups;
        d.bias = bias;
        return make(d, input);
      },
      kw, "out_channels"_a, "kernel"_a, "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1,
      "groups"_a = 1, "bias"_a = true, "input"_a = py::none(),
      "2-D convolution (SyNERGY Eq 1): MACs = Ox·Oy·Oz·Kx·Ky·Iz/groups");
  m.def(
      "depthwise_conv2d",
      [](const py::object& kernel, const py::object& stride, const py::object& padding,
         const py::object& dilation, std::int64_t multiplier, bool bias, const py::object& input) {
        depthwise_conv2d d;
        d.kernel = to_extent(kernel, "kernel");
        d.stride = to_extent(stride, "stride");
        d.padding = to_extent(padding, "padding");
        d.dilation = to_extent(dilation, "dilation");
        d.multiplier = multiplier;
        d.bias = bias;
        return make(d, input);
      },
      kw, "kernel"_a, "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1, "multiplier"_a = 1,
      "bias"_a = true, "input"_a = py::none(), "depthwise 2-D convolution (Eq 3, depthwise part)");
  m.def(
      "fully_connected",
      [](std::int64_t outputs, bool bias, const py::object& input) {
        fully_connected d;
        d.outputs = outputs;
        d.bias = bias;
        return make(d, input);
      },
      kw, "outputs"_a, "bias"_a = true, "input"_a = py::none(),
      "fully connected layer: MACs = Ix·Iy·Iz·outputs");
  const auto pool = [&m, kw](const char* name, auto tag, const char* doc) {
    using P = decltype(tag);
    m.def(
        name,
        [](const py::object& kernel, const py::object& stride, const py::object& padding,
           const std::string& round, bool global_pool, const py::object& input) {
          P d;
          d.kernel = kernel.is_none() ? extent2{} : to_extent(kernel, "kernel");
          d.stride = to_extent(stride, "stride");
          d.padding = to_extent(padding, "padding");
          d.round = from_table(rounding_names, round, "round");
          d.global = global_pool;
          return make(d, input);
        },
        kw, "kernel"_a = py::none(), "stride"_a = 1, "padding"_a = 0, "round"_a = "floor",
        "global_pool"_a = false, "input"_a = py::none(), doc);
  };
  pool("max_pool2d", max_pool2d{}, "max pooling (Eq 4: comparisons); round='ceil' as Caffe");
  pool("avg_pool2d", avg_pool2d{}, "average pooling (Eq 4: additions); round='ceil' as Caffe");
  m.def(
      "batch_norm",
      [](bool affine, const py::object& input) {
        batch_norm d;
        d.affine = affine;
        return make(d, input);
      },
      kw, "affine"_a = false, "input"_a = py::none(), "batch normalisation (inference)");
  m.def(
      "scale",
      [](bool bias, const py::object& input) {
        scale d;
        d.bias = bias;
        return make(d, input);
      },
      kw, "bias"_a = true, "input"_a = py::none(), "per-channel scale (Caffe Scale)");
  m.def(
      "activation",
      [](const std::string& kind, const py::object& input) {
        activation d;
        d.kind = activation_from(kind);
        return make(d, input);
      },
      kw, "kind"_a = "relu", "input"_a = py::none(),
      "element-wise activation; kind as the library names it ('relu', 'relu6', ...)");
  m.def(
      "lrn",
      [](std::int64_t local_size, const std::string& region, const py::object& input) {
        lrn d;
        d.local_size = local_size;
        d.region = from_table(lrn_names, region, "region");
        return make(d, input);
      },
      kw, "local_size"_a = 5, "region"_a = "across_channels", "input"_a = py::none(),
      "local response normalisation");
  m.def(
      "eltwise",
      [](const std::string& op) {
        eltwise d;
        d.op = from_table(eltwise_names, op, "op");
        return py_layer{layer{d}};
      },
      kw, "op"_a = "sum", "element-wise sum, product or max of >= 2 inputs (Network.add inputs=)");
  m.def(
      "concat", [] { return py_layer{layer{concat{}}}; },
      "channel concatenation of the inputs (Network.add inputs=)");
  const auto simple = [&m, kw](const char* name, auto tag, const char* doc) {
    using D = decltype(tag);
    m.def(
        name, [](const py::object& input) { return make(D{}, input); }, kw, "input"_a = py::none(),
        doc);
  };
  simple("softmax", softmax{}, "softmax");
  simple("dropout", dropout{}, "dropout at inference (a copy)");
  simple("flatten", flatten{}, "flatten to 1×1×(x·y·z) (no cost)");
  simple("identity", identity{},
         "the identity at inference (nn.Identity, stochastic depth): all counts 0");
  m.def(
      "layer_norm",
      [](bool affine, const py::object& input) {
        layer_norm d;
        d.affine = affine;
        return make(d, input);
      },
      kw, "affine"_a = true, "input"_a = py::none(),
      "layer normalisation over the z channels at each (x, y) position: ops = 5·x·y·z, "
      "7·x·y·z with affine (γ, β: weights = biases = z)");
  m.def(
      "channel_shuffle",
      [](std::int64_t groups, const py::object& input) {
        channel_shuffle d;
        d.groups = groups;
        return make(d, input);
      },
      kw, "groups"_a = 2, "input"_a = py::none(),
      "ShuffleNet's channel shuffle (z divisible by groups): data movement, "
      "data_volume = 2·x·y·z");
  m.def(
      "slice",
      [](const std::string& axis, std::int64_t begin, std::int64_t end, const py::object& input) {
        slice d;
        d.axis = from_table(axis_names, axis, "axis");
        d.begin = begin;
        d.end = end;
        return make(d, input);
      },
      kw, "axis"_a = "z", "begin"_a = 0, "end"_a, "input"_a = py::none(),
      "elements [begin, end) of axis 'x', 'y' or 'z' (a channel split, torch.chunk): "
      "data_volume = 2·output elements");
  m.def(
      "transpose",
      [](const py::object& perm, const py::object& input) {
        transpose d;
        d.perm = to_perm(perm);
        return make(d, input);
      },
      kw, "perm"_a = py::make_tuple("x", "y", "z"), "input"_a = py::none(),
      "output axis i = input axis perm[i] (axis names 'x', 'y', 'z'); the default identity "
      "permutation is a layout change (NCHW ↔ NHWC): data_volume = 2·x·y·z");
  m.def(
      "pad",
      [](const py::object& begin, const py::object& end, const py::object& input) {
        pad d;
        d.begin = to_extent(begin, "begin");
        d.end = to_extent(end, "end");
        return make(d, input);
      },
      kw, "begin"_a = 0, "end"_a = 0, "input"_a = py::none(),
      "zero padding of x and y as a layer: begin/end elements before/after (an int or an "
      "(x, y) pair); data_volume = input + output elements");
  m.def(
      "opaque",
      [](const py::object& output_shape, const py::object& input) {
        opaque d;
        d.output_shape = to_shape(output_shape, "output_shape");
        return make(d, input);
      },
      kw, "output_shape"_a, "input"_a = py::none(),
      "an op the library does not count, producing output_shape: all counts 0, meaning "
      "'not counted' (totals become lower bounds)");
  m.def(
      "matmul",
      [](const py::object& input, const py::object& rhs) {
        matmul d;
        if (!rhs.is_none()) d.rhs = to_shape(rhs, "rhs");
        return make(d, input);
      },
      kw, "input"_a = py::none(), "rhs"_a = py::none(),
      "batched product of two activations (attention's Q·Kᵀ, attn·V): input A = (K, M, batch), "
      "rhs B = (N, K, batch) as (x, y, z), output (N, M, batch); macs = batch·M·N·K, no "
      "parameters, data_volume = A + B + output (Network.add inputs=[A, B] sets both)");

  py::class_<py_network>(m, "Network",
                         "A network: layers plus edges, batch 1. Shapes are (x, y, z) = (width, "
                         "height, channels); counts are per image")
      .def(py::init([](const std::string& name, const py::object& input) {
             return py_network{network(name, to_shape(input, "input")), {}};
           }),
           "name"_a, "input"_a, "an empty network whose input (node 0, 'data') has shape input")
      .def(
          "add",
          [](py_network& n, const std::string& name, const py_layer& l, const py::object& inputs) {
            const auto from = producers(n.net, inputs, name);
            return n.net.add(name, l.op, std::span<const node_id>(from));
          },
          "name"_a, "layer"_a, "inputs"_a = py::none(),
          "adds a layer fed by `inputs` (names or ids; default: the last layer); returns its id. "
          "ValueError naming the layer when shapes do not fit")
      .def_property_readonly("name", [](const py_network& n) { return std::string(n.net.name()); })
      .def("__len__", [](const py_network& n) { return n.net.size(); })
      .def_property_readonly(
          "layers", [](const py_network& n) { return rows_of(n.net); },
          "per-layer rows (LayerRow), the input first")
      .def(
          "layer",
          [](const py_network& n, const std::string& name) {
            const auto id = n.net.find(name);
            if (!id)
              bad_argument("network '" + std::string(n.net.name()) + "': no layer '" + name + "'");
            return py_layer{n.net.at(*id)};
          },
          "the filled-in descriptor of the layer called name")
      .def_property_readonly("macs", [](const py_network& n) { return n.net.totals().macs; })
      .def_property_readonly("ops", [](const py_network& n) { return n.net.totals().ops; })
      .def_property_readonly("weights", [](const py_network& n) { return n.net.totals().weights; })
      .def_property_readonly("biases", [](const py_network& n) { return n.net.totals().biases; })
      .def_property_readonly("params", [](const py_network& n) { return n.net.totals().params(); })
      .def_property_readonly("data_volume",
                             [](const py_network& n) { return n.net.totals().data_volume; })
      .def(
          "totals", [](const py_network& n) { return cost_dict(n.net.totals()); },
          "all totals as a dict")
      .def(
          "by_layer_type",
          [](const py_network& n) {
            const auto sums = n.net.by_layer_type();
            py::dict d;
            for (std::size_t t = 0; t < sums.sums.size(); ++t) {
              if (sums.sums[t].layers == 0) continue;
              py::dict row = cost_dict(sums.sums[t].cost);
              row["layers"] = sums.sums[t].layers;
              d[py::str(std::string(to_string(static_cast<layer_type>(t))))] = row;
            }
            return d;
          },
          "layer count and summed counts per layer type (the paper's MAC_sum features)")
      .def(
          "to_numpy", [](const py_network& n) { return to_numpy(n.net); },
          "the per-layer table as a dict of NumPy arrays (name, type, output_x/y/z, macs, ops, "
          "weights, biases, params, data_volume, id, input_count)")
      .def_property_readonly(
          "notes",
          [](const py_network& n) {
            py::list l;
            for (const auto& x : n.notes)
              l.append(py::dict("layer"_a = x.layer, "type"_a = x.type, "note"_a = x.note));
            return l;
          },
          "the importer's notes on skipped or zero-cost layers")
      .def("__repr__", [](const py_network& n) {
        return "<Network " + std::string(n.net.name()) + ": " + std::to_string(n.net.size()) +
               " nodes, " + std::to_string(n.net.totals().macs) + " MACs>";
      });

  m.def("count", &load, "what"_a, kw, "input"_a = py::none(), "zero_cost_unsupported"_a = false,
        "Counts a network: a zoo name ('resnet50'), a .prototxt or .onnx path, the bytes of an "
        "ONNX model, or a Network. Returns a Network (totals, layers, to_numpy()). ValueError "
        "with the importer's message for a bad file or name, FileNotFoundError for a missing "
        "file. input=(x, y, z) sets a Caffe file's input shape.");
  m.def(
      "zoo_names",
      [] {
        std::vector<std::string> names;
        for (const auto& e : zoo::entries) names.emplace_back(e.name);
        return names;
      },
      "names of the zoo networks");
}

}  // namespace synergy::python
