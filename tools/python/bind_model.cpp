// Fitted models from Python: `Model` (a model JSON as `synergy fit` writes it, energy in J or
// time in s), its per-layer prediction for a network, and the batched estimate of a NAS loop:
// one call for a whole NumPy array of MobileNet-style candidates, with the GIL released.
// Estimates are the library's (network_model::estimate_si over cost_of): nothing re-implemented.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <synergy/model/persistence.hpp>
#include <synergy/network.hpp>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "bindings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace synergy::python {
namespace {

using energy_model = model::network_model<energy>;
using time_model = model::network_model<duration>;

/// A fitted model of either response (class `Model`).
struct py_model {
  std::variant<energy_model, time_model> m;
  std::string source;  ///< the file it came from, or "<dict>"

  [[nodiscard]] bool is_energy() const { return std::holds_alternative<energy_model>(m); }
  [[nodiscard]] const char* quantity() const { return is_energy() ? "energy" : "time"; }
  [[nodiscard]] const char* unit() const { return is_energy() ? "J" : "s"; }
  [[nodiscard]] model::class_scheme scheme() const {
    return std::visit([](const auto& x) { return x.scheme; }, m);
  }
  /// Estimate of one layer of cost `c` (SI units). Throws for a class the model lacks.
  [[nodiscard]] double layer_si(const layer& l, const layer_cost& c) const {
    return std::visit([&](const auto& x) { return x.estimate_si(model::classify(l, x.scheme), c); },
                      m);
  }
};

/// Reads a model from parsed JSON: its response quantity picks the model type; anything else
/// wrong is network_model_from_json's ValueError, prefixed with `source`.
py_model from_json(const nlohmann::json& j, const std::string& source) {
  try {
    const bool time = j.is_object() && j.contains("response") && j["response"].is_object() &&
                      j["response"].value("quantity", "") == "time";
    if (time) return {model::network_model_from_json<duration>(j), source};
    return {model::network_model_from_json<energy>(j), source};
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(source + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {  // a field of the wrong JSON type
    throw std::invalid_argument(source + ": model file: " + e.what());
  }
}

/// Model.load: a path (str or os.PathLike) to a model JSON, or the model as a dict.
py_model load_model(const py::object& what) {
  if (py::isinstance<py::dict>(what)) {
    const auto text = py::module_::import("json").attr("dumps")(what).cast<std::string>();
    return from_json(nlohmann::json::parse(text), "<dict>");
  }
  const std::string path = py::str(py::module_::import("os").attr("fspath")(what));
  std::ifstream in(path);
  if (!in) {
    PyErr_SetString(PyExc_FileNotFoundError, (path + ": cannot open model file").c_str());
    throw py::error_already_set();
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(path + ": not JSON: " + e.what());
  }
  return from_json(j, path);
}

/// Layout of a candidate row of the MobileNet-style space (see estimate_mobilenet's doc):
/// [resolution, stem_channels, then (kernel, stride, out_channels) per block].
constexpr std::size_t head_columns = 2, block_columns = 3;

/// The three segments of a candidate, each calling `sink(where, kind, block, descriptor)` with
/// its layers' typed descriptors in order (typed, not a `layer` variant: the batched path calls
/// their cost() directly). The sink fills in the input shape. mobilenet_layers chains them; the
/// batched path memoises each segment's costs (segment_memo), so both go through these.
template <class Sink>
void bn_relu_layers(const char* where, std::size_t b, bool with_bn, Sink& sink) {
  if (with_bn) {
    batch_norm n;
    n.affine = true;
    sink(where, "bn", b, n);
  }
  sink(where, "relu", b, activation{});
}

/// The stem: a 3×3/2 conv (padding 1) to `stem_channels`, then [bn,] relu.
template <class Sink>
void stem_layers(std::int64_t stem_channels, bool with_bn, Sink& sink) {
  conv2d stem;
  stem.out_channels = stem_channels;
  stem.kernel = square(3);
  stem.stride = square(2);
  stem.padding = square(1);
  stem.bias = !with_bn;
  sink("stem", "conv", 0, stem);
  bn_relu_layers("stem", 0, with_bn, sink);
}

/// Block `b` (1-based) of a row's (kernel, stride, out_channels) `blk`: a k×k depthwise conv
/// (padding k/2), [bn,] relu, a 1×1 conv, [bn,] relu.
template <class Sink>
void block_layers(const std::int64_t* blk, std::size_t b, bool with_bn, Sink& sink) {
  depthwise_conv2d dw;
  dw.kernel = square(blk[0]);
  dw.stride = square(blk[1]);
  dw.padding = square(blk[0] / 2);
  dw.bias = !with_bn;
  sink("dw", "conv", b, dw);
  bn_relu_layers("dw", b, with_bn, sink);
  conv2d pw;
  pw.out_channels = blk[2];
  pw.kernel = square(1);
  pw.bias = !with_bn;
  sink("pw", "conv", b, pw);
  bn_relu_layers("pw", b, with_bn, sink);
}

/// The head: a global average pool and fully_connected(classes).
template <class Sink>
void head_layers(std::int64_t classes, Sink& sink) {
  avg_pool2d pool;
  pool.global = true;
  sink("head", "pool", 0, pool);
  fully_connected fc;
  fc.outputs = classes;
  sink("head", "fc", 0, fc);
}

/// Builds one candidate, layer by layer, through the segments above.
template <class Sink>
void mobilenet_layers(const std::int64_t* row, std::size_t blocks, std::int64_t classes,
                      bool with_bn, Sink&& sink) {
  stem_layers(row[1], with_bn, sink);
  for (std::size_t b = 0; b < blocks; ++b)
    block_layers(row + head_columns + block_columns * b, b + 1, with_bn, sink);
  head_layers(classes, sink);
}

/// The row's input shape: resolution × resolution × 3.
shape3 candidate_input(const std::int64_t* row) { return {row[0], row[0], 3}; }

/// Blocks of a candidate array with `cols` columns; ValueError when the layout does not fit.
std::size_t blocks_of(py::ssize_t cols) {
  if (cols < static_cast<py::ssize_t>(head_columns + block_columns) ||
      (static_cast<std::size_t>(cols) - head_columns) % block_columns != 0)
    throw std::invalid_argument(
        "candidates: " + std::to_string(cols) +
        " columns; expected 2 + 3·blocks: [resolution, stem_channels, then kernel, stride, "
        "out_channels per block]");
  return (static_cast<std::size_t>(cols) - head_columns) / block_columns;
}

/// The candidate as a Network (names: stem, stem/bn, stem/relu, b<i>/dw, b<i>/dw/bn, ...).
py_network candidate_network(const std::vector<std::int64_t>& row, std::int64_t classes,
                             bool with_bn) {
  const std::size_t blocks = blocks_of(static_cast<py::ssize_t>(row.size()));
  py_network n{network("mobilenet_candidate", candidate_input(row.data())), {}};
  mobilenet_layers(row.data(), blocks, classes, with_bn,
                   [&](const char* where, const char* kind, std::size_t b, const auto& d) {
                     std::string name = b ? "b" + std::to_string(b) + "/" + where : where;
                     if (std::string_view(kind) != "conv") name += std::string("/") + kind;
                     if (std::string_view(where) == "head") name = kind;
                     const node_id last = n.net.last();
                     n.net.add(name, layer{d}, std::span<const node_id>(&last, 1));
                   });
  return n;
}

/// Estimate (J or s), MACs and parameters of one candidate.
struct candidate_result {
  double estimate = 0;
  std::int64_t macs = 0, params = 0;
};

/// The model class of each layer of the template, found once per batch by the library's
/// classify on a prototype: in this template a layer's class depends only on its kind (the
/// stem is a dense 3×3 conv, pw a dense 1×1 conv, dw a depthwise conv).
struct template_classes {
  model::layer_class stem, dw, pw, bn, relu, pool, fc;
  explicit template_classes(model::class_scheme s) {
    conv2d k3;
    k3.kernel = square(3);
    conv2d k1;
    k1.kernel = square(1);
    stem = model::classify(layer{k3}, s);
    dw = model::classify(layer{depthwise_conv2d{}}, s);
    pw = model::classify(layer{k1}, s);
    bn = model::classify(layer{batch_norm{}}, s);
    relu = model::classify(layer{activation{}}, s);
    pool = model::classify(layer{avg_pool2d{}}, s);
    fc = model::classify(layer{fully_connected{}}, s);
  }
  [[nodiscard]] model::layer_class of(const char* where, const char* kind) const {
    switch (kind[0]) {  // the kinds mobilenet_layers passes: conv, bn, relu, pool, fc
      case 'b':
        return bn;
      case 'r':
        return relu;
      case 'p':
        return pool;
      case 'f':
        return fc;
      default:
        return where[0] == 's' ? stem : where[0] == 'd' ? dw : pw;
    }
  }
};

/// The most layers in one segment: a block with batch norm (dw, bn, relu, pw, bn, relu).
constexpr std::size_t max_segment_layers = 6;

/// One segment evaluated: the per-layer estimates in layer order (summed by the caller one by
/// one, in the same order as network_model::estimate, so that the total is bit-identical), the
/// segment's summed counts and its output shape.
struct segment_result {
  std::array<double, max_segment_layers> estimates{};
  std::size_t layers = 0;
  layer_cost cost{};
  shape3 output{};
};

/// A direct-mapped memo of evaluated segments for one batch (one model, one `with_bn`, one
/// `classes`), keyed by what a segment's layers depend on: its kind, its input shape and its
/// row fields. Why: a search batch repeats the same (input shape, block) pairs many times (a
/// few thousand distinct blocks in 10⁵ random 13-block candidates), and a conv's validated,
/// overflow-checked cost() with its integer divisions is most of the time per candidate. A
/// collision only overwrites the slot (recomputed next time), so memory is fixed (at most
/// 2¹⁴ slots, ~3 MB; fewer for a small batch, whose set-up would otherwise dominate). A miss
/// costs more than no memo (a hash, a cache miss on the table, a copy), so when fewer than
/// half of the lookups of a window hit (a batch of mostly distinct blocks) the memo turns
/// itself off for the rest of the call. Failed segments are not stored: a bad row throws from
/// the library's cost() every time. None of this changes a value, only how often it is computed.
class segment_memo {
 public:
  using key = std::array<std::int64_t, 7>;  ///< kind (0 stem, 1 block, 2 head), x, y, z, fields

  /// A memo sized for `segments` segment evaluations: 2^bits slots, 64 ≤ 2^bits ≤ 2¹⁴.
  explicit segment_memo(std::size_t segments) {
    while (bits_ < 14 && (std::size_t{1} << bits_) < segments) ++bits_;
    slots_.resize(std::size_t{1} << bits_);
  }

  /// Whether the memo is in use (else the caller computes every layer: see evaluate).
  [[nodiscard]] bool on() const { return on_; }

  /// The result for `k`, computed by `compute()` (a segment_result) on a miss.
  template <class Compute>
  const segment_result& get(const key& k, Compute&& compute) {
    if (++lookups_ == window) {  // judge the last window: keep the memo if it pays
      on_ = hits_ * 2 >= window;
      lookups_ = hits_ = 0;
    }
    slot& s = slots_[index(k)];
    if (s.used && s.k == k) {
      ++hits_;
      return s.r;
    }
    s.r = compute();  // may throw: the slot is then left as it was, or unused
    s.k = k;
    s.used = true;
    return s.r;
  }

 private:
  static constexpr std::size_t window = 1 << 14;  ///< lookups per judgement of the hit rate
  struct slot {
    key k{};
    bool used = false;
    segment_result r;
  };
  /// Fibonacci hashing of the key's fields: the top bits of a multiplicative mix.
  [[nodiscard]] std::size_t index(const key& k) const {
    std::uint64_t h = 0;
    for (const std::int64_t v : k) h = (h ^ static_cast<std::uint64_t>(v)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h >> (64 - bits_));
  }
  unsigned bits_ = 6;
  std::vector<slot> slots_;
  bool on_ = true;
  std::size_t lookups_ = 0, hits_ = 0;
};

/// Estimate, MACs and parameters of one candidate without building a network or a memo:
/// each layer's input is the previous output (a chain), its cost is the descriptor's cost(),
/// its estimate the model's estimate_si, summed in layer order as network_model::estimate sums
/// (so the result is bit-identical to estimating mobilenet_candidate(row)).
template <class Model>
candidate_result evaluate_direct(const Model& m, const template_classes& tc,
                                 const std::int64_t* row, std::size_t blocks, std::int64_t classes,
                                 bool with_bn) {
  candidate_result r;
  shape3 cur = candidate_input(row);
  layer_cost total{};
  mobilenet_layers(row, blocks, classes, with_bn,
                   [&](const char* where, const char* kind, std::size_t, const auto& proto) {
                     auto d = proto;
                     d.input = cur;
                     const layer_cost c = d.cost();  // validates; names the field on error
                     cur = d.output();
                     total += c;
                     r.estimate += m.estimate_si(tc.of(where, kind), c);
                   });
  r.macs = total.macs;
  r.params = total.params();
  return r;
}

/// The same as evaluate_direct, with the segments from the memo when seen before (and
/// evaluate_direct itself once the memo has turned itself off). The per-layer estimates are
/// still summed one at a time in layer order, so the result is bit-identical.
template <class Model>
candidate_result evaluate(const Model& m, const template_classes& tc, segment_memo& memo,
                          const std::int64_t* row, std::size_t blocks, std::int64_t classes,
                          bool with_bn) {
  if (!memo.on()) return evaluate_direct(m, tc, row, blocks, classes, with_bn);
  candidate_result r;
  layer_cost total{};
  shape3 cur = candidate_input(row);
  // Runs one segment's layers from `cur`: the library's cost() and output() per descriptor.
  const auto compute = [&](auto&& layers) {
    return [&, layers] {
      segment_result s;
      shape3 in = cur;
      auto sink = [&](const char* where, const char* kind, std::size_t, const auto& proto) {
        auto d = proto;
        d.input = in;
        const layer_cost c = d.cost();  // validates; names the field on error
        in = d.output();
        s.cost += c;
        s.estimates[s.layers++] = m.estimate_si(tc.of(where, kind), c);
      };
      layers(sink);
      s.output = in;
      return s;
    };
  };
  const auto add = [&](const segment_result& s) {
    for (std::size_t i = 0; i < s.layers; ++i) r.estimate += s.estimates[i];
    total += s.cost;
    cur = s.output;
  };
  add(memo.get({0, cur.x, cur.y, cur.z, row[1], 0, 0},
               compute([&](auto& sink) { stem_layers(row[1], with_bn, sink); })));
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::int64_t* blk = row + head_columns + block_columns * b;
    add(memo.get({1, cur.x, cur.y, cur.z, blk[0], blk[1], blk[2]},
                 compute([&](auto& sink) { block_layers(blk, b + 1, with_bn, sink); })));
  }
  add(memo.get({2, cur.x, cur.y, cur.z, 0, 0, 0},
               compute([&](auto& sink) { head_layers(classes, sink); })));
  r.macs = total.macs;
  r.params = total.params();
  return r;
}

py::object estimate_mobilenet(const py_model& m, const py::array& candidates, std::int64_t classes,
                              bool with_bn, const std::string& invalid, bool counts) {
  if (invalid != "raise" && invalid != "nan")
    throw std::invalid_argument("invalid: expected 'raise' or 'nan', got '" + invalid + "'");
  const char kind = candidates.dtype().kind();
  if (kind != 'i' && kind != 'u')
    throw std::invalid_argument("candidates: expected an integer array (int64), got dtype " +
                                std::string(py::str(candidates.dtype())) +
                                " (a float would be truncated)");
  if (candidates.ndim() != 2)
    throw std::invalid_argument("candidates: expected a 2-D array (one candidate per row), got " +
                                std::to_string(candidates.ndim()) + " dimensions");
  const auto a =
      py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(candidates);
  const auto n = static_cast<std::size_t>(a.shape(0));
  const std::size_t blocks = blocks_of(a.shape(1));
  const auto cols = static_cast<std::size_t>(a.shape(1));
  py::array_t<double> est(static_cast<py::ssize_t>(n));
  py::array_t<std::int64_t> macs(static_cast<py::ssize_t>(counts ? n : 0));
  py::array_t<std::int64_t> params(static_cast<py::ssize_t>(counts ? n : 0));
  const std::int64_t* in = a.data();
  double* e = est.mutable_data();
  std::int64_t* mc = counts ? macs.mutable_data() : nullptr;
  std::int64_t* pc = counts ? params.mutable_data() : nullptr;
  const bool raise = invalid == "raise";
  {
    py::gil_scoped_release release;  // the loop touches no Python object
    const template_classes tc(m.scheme());
    segment_memo memo(n * (blocks + 2));  // per call: one model, one with_bn, one classes
    std::visit(
        [&](const auto& model) {
          // A class the model lacks is the model's problem, not a candidate's: say so once,
          // before the loop, even under invalid='nan'.
          for (const model::layer_class c : {tc.stem, tc.dw, tc.pw, tc.relu, tc.pool, tc.fc, tc.bn})
            if (!model[model.coefficients_of(c)].fitted && (with_bn || c != tc.bn))
              throw std::invalid_argument(
                  "estimate_mobilenet: the model has no coefficients for layer class '" +
                  std::string(to_string(c)) + "', which the candidates' layers need");
          for (std::size_t i = 0; i < n; ++i) {
            try {
              const candidate_result r =
                  evaluate(model, tc, memo, in + i * cols, blocks, classes, with_bn);
              e[i] = r.estimate;
              if (counts) mc[i] = r.macs, pc[i] = r.params;
            } catch (const std::exception& x) {
              if (raise)
                throw std::invalid_argument("candidate row " + std::to_string(i) + ": " + x.what());
              e[i] = std::numeric_limits<double>::quiet_NaN();
              if (counts) mc[i] = -1, pc[i] = -1;
            }
          }
        },
        m.m);
  }
  if (!counts) return py::object(std::move(est));
  return py::make_tuple(est, macs, params);
}

}  // namespace

void bind_model(py::module_& m) {
  py::class_<py_model>(m, "Model",
                       "A fitted network model (SyNERGY Eq 6-7) read from the JSON that "
                       "`synergy fit` writes: energy in J or time in s")
      .def_static("load", &load_model, "source"_a,
                  "reads a model: a path to its JSON file, or the JSON as a dict. "
                  "FileNotFoundError for a missing file, ValueError naming the field for a "
                  "malformed model")
      .def_property_readonly("quantity", &py_model::quantity, "'energy' or 'time'")
      .def_property_readonly("unit", &py_model::unit, "'J' or 's'")
      .def_property_readonly("scheme",
                             [](const py_model& x) { return std::string(to_string(x.scheme())); })
      .def_property_readonly("source", [](const py_model& x) { return x.source; })
      .def(
          "to_dict",
          [](const py_model& x) {
            const auto text =
                std::visit([](const auto& y) { return model::to_json(y).dump(); }, x.m);
            return py::module_::import("json").attr("loads")(text);
          },
          "the model as its JSON (a dict)")
      .def(
          "estimate",
          [](const py_model& x, const py_network& n) {
            return std::visit([&](const auto& y) { return y.estimate(n.net).value(); }, x.m);
          },
          "network"_a,
          "the network's total estimate in the model's unit (J or s). ValueError for a layer "
          "class the model has no coefficients for")
      .def(
          "predict_layers",
          [](const py_model& x, const py_network& n) {
            py::list names, classes;
            py::array_t<double> values(static_cast<py::ssize_t>(n.net.size() - 1));
            double* v = values.mutable_data();
            for (node_id id = 1; id < n.net.size(); ++id) {
              names.append(std::string(n.net.name(id)));
              classes.append(std::string(to_string(model::classify(n.net.at(id), x.scheme()))));
              try {
                v[id - 1] = x.layer_si(n.net.at(id), n.net.cost(id));
              } catch (const std::invalid_argument& e) {  // name the layer the model lacks
                throw std::invalid_argument("layer '" + std::string(n.net.name(id)) +
                                            "': " + e.what());
              }
            }
            return py::make_tuple(names, classes, values);
          },
          "network"_a, "(names, layer classes, per-layer estimates) for every layer but the input")
      .def("estimate_mobilenet", &estimate_mobilenet, "candidates"_a, py::kw_only(),
           "classes"_a = 1000, "batch_norm"_a = true, "invalid"_a = "raise", "counts"_a = false,
           "Batched estimate over MobileNet-style candidates: one row per candidate, int64, "
           "[resolution, stem_channels, then kernel, stride, out_channels per block]. Each "
           "candidate is resolution×resolution×3 → conv 3×3/2 (stem_channels) → per block a "
           "depthwise k×k/stride conv (padding k//2) and a 1×1 conv to out_channels, each "
           "conv followed by batch_norm + relu (batch_norm=True) or relu → global avg pool → "
           "fully_connected(classes). Returns the estimates (float64, J or s); with counts=True "
           "(estimates, macs, params). Equals model.estimate(mobilenet_candidate(row)). A row "
           "the library rejects raises ValueError naming the row (invalid='nan': NaN and -1). "
           "The GIL is released during the loop");

  m.def("mobilenet_candidate", &candidate_network, "row"_a, py::kw_only(), "classes"_a = 1000,
        "batch_norm"_a = true,
        "the Network of one candidate row of Model.estimate_mobilenet (same layers, same order)");
}

}  // namespace synergy::python
