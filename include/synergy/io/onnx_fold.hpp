#pragma once
/// @file
/// Constant folding of the shape arithmetic ONNX exporters emit (torch.onnx at opset 13:
/// `Shape → Gather → Unsqueeze → Concat → Reshape`, ShuffleNetV2's `Shape → Gather → Add → Div →
/// Mul → Slice` channel split, scalar `Constant`s of GELU and LayerNorm). The ONNX importer
/// (io/onnx.hpp) evaluates every node whose inputs are all constants before it walks the graph;
/// the handlers then read the folded values (a Reshape's target shape, a Slice's bounds, a
/// Mul's scalar). Part of the CMake target `synergy::onnx`.
///
/// Folded ops (the table `onnx_fold_ops()`): Constant, Shape (of a tensor whose shape ONNX shape
/// inference knows in full), Gather (1-D data), Unsqueeze, Squeeze, Concat (1-D), Cast,
/// ConstantOfShape, Slice (1-D), Reshape, Add, Sub, Mul, Div (integers, or floating-point
/// scalars and vectors, numpy broadcasting of a one-element operand), Range. A node of another
/// op, or one whose values this code does not handle (say a Gather of a 2-D tensor), is left to
/// the walk.

#include <onnx/defs/tensor_proto_util.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace synergy::io::detail {

/// A constant tensor the importer knows the values of: integral (`ints`) or floating-point
/// (`reals`), row-major, with its dims (none for a scalar).
struct onnx_value {
  std::vector<std::int64_t> dims;  ///< empty for a scalar
  bool real = false;               ///< `reals` holds the values, else `ints`
  std::vector<std::int64_t> ints;  ///< values of an integral tensor
  std::vector<double> reals;       ///< values of a floating-point tensor
  /// Number of elements.
  [[nodiscard]] std::size_t size() const { return real ? reals.size() : ints.size(); }
  /// Element i as a double (integers converted).
  [[nodiscard]] double at(std::size_t i) const {
    return real ? reals[i] : static_cast<double>(ints[i]);
  }
};

/// The largest constant folded (elements): shape tensors have a handful; the bound keeps a
/// hostile ConstantOfShape or Range from allocating gigabytes.
inline constexpr std::size_t onnx_fold_max_elements = 1 << 16;

/// A folding error (std::invalid_argument): its text is the reason; the importer puts file,
/// node and op in front.
[[nodiscard]] inline std::invalid_argument fold_error(const std::string& what) {
  return std::invalid_argument(what);
}

/// Bytes per element of an ONNX tensor type whose raw data has fixed-size elements; 0 for the
/// others (STRING, UNDEFINED, unknown codes). Source: onnx.proto, TensorProto.DataType.
[[nodiscard]] inline std::size_t onnx_element_bytes(int data_type) {
  switch (data_type) {
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::BOOL:
      return 1;
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16:
      return 2;
    case onnx::TensorProto::FLOAT:
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::UINT32:
      return 4;
    case onnx::TensorProto::DOUBLE:
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::UINT64:
    case onnx::TensorProto::COMPLEX64:
      return 8;
    case onnx::TensorProto::COMPLEX128:
      return 16;
    default:
      return 0;
  }
}

/// Why `t`'s raw data does not hold exactly its elements (product of dims × element size), or
/// nullopt when it does or the tensor has no raw data (or external data, or elements of no fixed
/// size). libonnx's ParseData copies raw_data by its byte count into a vector sized in whole
/// elements: a short buffer is read past, and one shorter than an element is copied through a
/// null pointer (6 bytes for five int64, found by fuzz_onnx_binary). O(rank).
[[nodiscard]] inline std::optional<std::string> onnx_raw_data_problem(const onnx::TensorProto& t) {
  const std::size_t bytes = onnx_element_bytes(t.data_type());
  if (!t.has_raw_data() || bytes == 0 || t.data_location() == onnx::TensorProto::EXTERNAL)
    return std::nullopt;
  const std::size_t have = t.raw_data().size();
  for (const std::int64_t d : t.dims())
    if (d < 0) return "tensor '" + t.name() + "' has a negative dimension";
  // The element count, saturated at `cap` (2^60 − 1: times 16 bytes still no overflow; a
  // hostile file's dims can multiply past 2^64).
  constexpr std::size_t cap = std::numeric_limits<std::size_t>::max() / 16;
  std::size_t n = 1;
  for (const std::int64_t d : t.dims()) {
    const auto ud = static_cast<std::size_t>(d);
    n = ud == 0 ? 0 : (n > cap / ud ? cap : std::min(cap, n * ud));
    if (n == 0) break;
  }
  if (have != n * bytes)
    return "tensor '" + t.name() + "' has " + std::to_string(have) + " bytes of raw data for " +
           (n == cap ? "at least " + std::to_string(cap) : std::to_string(n)) + " elements of " +
           std::to_string(bytes) + " bytes";
  return std::nullopt;
}

/// The values of a TensorProto of type INT64, INT32, INT16, INT8, UINT8, BOOL, FLOAT or DOUBLE
/// with at most onnx_fold_max_elements elements, else nullopt (not foldable). Throws
/// fold_error when its data does not match its dims.
[[nodiscard]] inline std::optional<onnx_value> onnx_tensor_value(const onnx::TensorProto& t) {
  onnx_value v;
  std::size_t n = 1;
  for (const std::int64_t d : t.dims()) {
    if (d < 0) throw fold_error("tensor '" + t.name() + "' has a negative dimension");
    if (d > 0 && n > onnx_fold_max_elements / static_cast<std::size_t>(d)) return std::nullopt;
    n *= static_cast<std::size_t>(d);
    v.dims.push_back(d);
  }
  if (n > onnx_fold_max_elements || t.data_location() == onnx::TensorProto::EXTERNAL)
    return std::nullopt;
  if (t.has_raw_data()) {
    // Only these raw types are folded (ParseData's raw path: onnx_raw_data_problem).
    const auto type = t.data_type();
    if (type != onnx::TensorProto::INT64 && type != onnx::TensorProto::DOUBLE &&
        type != onnx::TensorProto::INT32 && type != onnx::TensorProto::FLOAT)
      return std::nullopt;
    if (const auto bad = onnx_raw_data_problem(t)) throw fold_error(*bad);
  }
  try {
    switch (t.data_type()) {
      case onnx::TensorProto::INT64:
        v.ints = onnx::ParseData<std::int64_t>(&t);
        break;
      case onnx::TensorProto::INT32:
      case onnx::TensorProto::INT16:
      case onnx::TensorProto::INT8:
      case onnx::TensorProto::UINT8:
      case onnx::TensorProto::BOOL: {
        const auto i = onnx::ParseData<std::int32_t>(&t);
        v.ints.assign(i.begin(), i.end());
        break;
      }
      case onnx::TensorProto::FLOAT: {
        const auto f = onnx::ParseData<float>(&t);
        v.real = true;
        v.reals.assign(f.begin(), f.end());
        break;
      }
      case onnx::TensorProto::DOUBLE:
        v.real = true;
        v.reals = onnx::ParseData<double>(&t);
        break;
      default:
        return std::nullopt;
    }
  } catch (const std::exception& e) {
    throw fold_error("tensor '" + t.name() + "': " + e.what());
  }
  if (v.size() != n)
    throw fold_error("tensor '" + t.name() + "' has " + std::to_string(v.size()) + " values for " +
                     std::to_string(n) + " elements");
  return v;
}

/// What a folding function reads: input i's value (nullptr when not constant), input i's dims
/// when shape inference knows them all (for Shape), and the node's attributes.
struct onnx_fold_context {
  const onnx::NodeProto& node;
  std::function<const onnx_value*(const std::string&)> value;
  std::function<const std::vector<std::int64_t>*(const std::string&)> dims;

  /// Input i's value, or nullptr when it is absent or not constant.
  [[nodiscard]] const onnx_value* in(int i) const {
    if (i >= node.input_size() || node.input(i).empty()) return nullptr;
    return value(node.input(i));
  }
  /// Attribute `name` of `type`, or nullptr.
  [[nodiscard]] const onnx::AttributeProto* attr(const char* name,
                                                 onnx::AttributeProto::AttributeType type) const {
    for (const auto& a : node.attribute())
      if (a.name() == name) {
        if (a.type() != type && a.type() != onnx::AttributeProto::UNDEFINED)
          throw fold_error("attribute '" + std::string(name) + "' has the wrong type");
        return &a;
      }
    return nullptr;
  }
  [[nodiscard]] std::int64_t int_attr(const char* name, std::int64_t dflt) const {
    const auto* a = attr(name, onnx::AttributeProto::INT);
    return a ? a->i() : dflt;
  }
};

/// One row of the folding table: the op and the function that evaluates its output 0, or
/// returns nullopt when the inputs it needs are not constant or not of a form it folds.
struct onnx_fold_op {
  std::string_view name;
  std::optional<onnx_value> (*fold)(const onnx_fold_context&);
};

namespace fold {

inline std::int64_t checked(std::int64_t a, std::int64_t b, char op) {
  std::int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case '+':
      overflow = __builtin_add_overflow(a, b, &r);
      break;
    case '-':
      overflow = __builtin_sub_overflow(a, b, &r);
      break;
    case '*':
      overflow = __builtin_mul_overflow(a, b, &r);
      break;
    default:  // '/': ONNX integer Div truncates, as C++ does
      if (b == 0) throw fold_error("integer division by zero");
      if (a == std::numeric_limits<std::int64_t>::min() && b == -1)
        overflow = true;
      else
        r = a / b;
  }
  if (overflow)
    throw fold_error(std::to_string(a) + " " + op + " " + std::to_string(b) + " overflows 64 bits");
  return r;
}

/// A non-negative axis from ONNX's [−rank, rank).
inline std::int64_t axis(std::int64_t a, std::int64_t rank) {
  if (a < -rank || a >= rank)
    throw fold_error("axis " + std::to_string(a) + " is out of range for rank " +
                     std::to_string(rank));
  return a < 0 ? a + rank : a;
}

/// Axes from input i (opset 13) or the attribute `axes` (earlier opsets).
inline std::optional<std::vector<std::int64_t>> axes(const onnx_fold_context& c, int i) {
  if (const auto* a = c.attr("axes", onnx::AttributeProto::INTS))
    return std::vector<std::int64_t>(a->ints().begin(), a->ints().end());
  if (i >= c.node.input_size() || c.node.input(i).empty()) return std::vector<std::int64_t>{};
  const onnx_value* v = c.in(i);
  if (!v || v->real) return std::nullopt;
  return v->ints;
}

inline std::optional<onnx_value> constant(const onnx_fold_context& c) {
  if (const auto* a = c.attr("value", onnx::AttributeProto::TENSOR))
    return onnx_tensor_value(a->t());
  onnx_value v;
  if (const auto* a = c.attr("value_int", onnx::AttributeProto::INT)) {
    v.ints = {a->i()};
    return v;
  }
  if (const auto* a = c.attr("value_ints", onnx::AttributeProto::INTS)) {
    v.ints.assign(a->ints().begin(), a->ints().end());
    v.dims = {static_cast<std::int64_t>(v.ints.size())};
    return v;
  }
  v.real = true;
  if (const auto* a = c.attr("value_float", onnx::AttributeProto::FLOAT)) {
    v.reals = {a->f()};
    return v;
  }
  if (const auto* a = c.attr("value_floats", onnx::AttributeProto::FLOATS)) {
    v.reals.assign(a->floats().begin(), a->floats().end());
    v.dims = {static_cast<std::int64_t>(v.reals.size())};
    return v;
  }
  return std::nullopt;  // sparse or string values
}

inline std::optional<onnx_value> shape(const onnx_fold_context& c) {
  if (c.node.input_size() == 0) return std::nullopt;
  const auto* d = c.dims(c.node.input(0));
  if (!d) return std::nullopt;
  for (const std::int64_t x : *d)
    if (x < 0) return std::nullopt;  // symbolic
  const auto rank = static_cast<std::int64_t>(d->size());
  std::int64_t start = c.int_attr("start", 0), end = c.int_attr("end", rank);
  start = std::clamp(start < 0 ? start + rank : start, std::int64_t{0}, rank);
  end = std::clamp(end < 0 ? end + rank : end, std::int64_t{0}, rank);
  onnx_value v;
  if (start < end) v.ints.assign(d->begin() + start, d->begin() + end);
  v.dims = {static_cast<std::int64_t>(v.ints.size())};
  return v;
}

inline std::optional<onnx_value> gather(const onnx_fold_context& c) {
  const onnx_value* data = c.in(0);
  const onnx_value* idx = c.in(1);
  if (!data || !idx || idx->real || data->dims.size() != 1) return std::nullopt;
  (void)axis(c.int_attr("axis", 0), 1);
  onnx_value v;
  v.real = data->real;
  v.dims = idx->dims;
  const auto n = static_cast<std::int64_t>(data->size());
  for (std::int64_t i : idx->ints) {
    if (i < -n || i >= n)
      throw fold_error("index " + std::to_string(i) + " is out of range for " + std::to_string(n) +
                       " elements");
    const auto k = static_cast<std::size_t>(i < 0 ? i + n : i);
    if (data->real)
      v.reals.push_back(data->reals[k]);
    else
      v.ints.push_back(data->ints[k]);
  }
  return v;
}

inline std::optional<onnx_value> unsqueeze(const onnx_fold_context& c) {
  const onnx_value* data = c.in(0);
  const auto ax = axes(c, 1);
  if (!data || !ax) return std::nullopt;
  onnx_value v = *data;
  const auto rank = static_cast<std::int64_t>(data->dims.size() + ax->size());
  std::vector<std::int64_t> sorted;
  for (const std::int64_t a : *ax) sorted.push_back(axis(a, rank));
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    throw fold_error("an axis is given twice");
  for (const std::int64_t a : sorted) v.dims.insert(v.dims.begin() + a, 1);
  return v;
}

inline std::optional<onnx_value> squeeze(const onnx_fold_context& c) {
  const onnx_value* data = c.in(0);
  const auto ax = axes(c, 1);
  if (!data || !ax) return std::nullopt;
  onnx_value v = *data;
  const auto rank = static_cast<std::int64_t>(data->dims.size());
  std::vector<std::int64_t> keep;
  std::vector<bool> drop(data->dims.size(), ax->empty());
  for (const std::int64_t a : *ax) drop[static_cast<std::size_t>(axis(a, rank))] = true;
  for (std::size_t i = 0; i < data->dims.size(); ++i) {
    if (drop[i] && data->dims[i] != 1) {
      if (!ax->empty())
        throw fold_error("squeezes an axis of extent " + std::to_string(data->dims[i]));
      keep.push_back(data->dims[i]);
    } else if (!drop[i]) {
      keep.push_back(data->dims[i]);
    }
  }
  v.dims = keep;
  return v;
}

inline std::optional<onnx_value> concat(const onnx_fold_context& c) {
  onnx_value v;
  for (int i = 0; i < c.node.input_size(); ++i) {
    const onnx_value* in = c.in(i);
    if (!in || in->dims.size() != 1) return std::nullopt;
    if (i == 0) v.real = in->real;
    if (in->real != v.real) throw fold_error("concatenates integers and reals");
    v.ints.insert(v.ints.end(), in->ints.begin(), in->ints.end());
    v.reals.insert(v.reals.end(), in->reals.begin(), in->reals.end());
  }
  if (c.node.input_size() == 0) return std::nullopt;
  (void)axis(c.int_attr("axis", 0), 1);
  if (v.size() > onnx_fold_max_elements) return std::nullopt;
  v.dims = {static_cast<std::int64_t>(v.size())};
  return v;
}

inline std::optional<onnx_value> cast(const onnx_fold_context& c) {
  const onnx_value* in = c.in(0);
  if (!in) return std::nullopt;
  const std::int64_t to = c.int_attr("to", 0);
  onnx_value v;
  v.dims = in->dims;
  switch (to) {
    case onnx::TensorProto::FLOAT:
    case onnx::TensorProto::DOUBLE:
      v.real = true;
      for (std::size_t i = 0; i < in->size(); ++i) v.reals.push_back(in->at(i));
      return v;
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::INT32:
      if (!in->real) {
        v.ints = in->ints;
        return v;
      }
      for (const double r : in->reals) {
        // Outside ±2^62 (or NaN) the conversion would be undefined: refuse it.
        if (!(std::fabs(r) < 4.6e18))
          throw fold_error("casts " + std::to_string(r) + " to an integer");
        v.ints.push_back(static_cast<std::int64_t>(r));
      }
      return v;
    default:
      return std::nullopt;
  }
}

inline std::optional<onnx_value> constant_of_shape(const onnx_fold_context& c) {
  const onnx_value* s = c.in(0);
  if (!s || s->real) return std::nullopt;
  onnx_value v;
  std::size_t n = 1;
  for (const std::int64_t d : s->ints) {
    if (d < 0) throw fold_error("negative dimension " + std::to_string(d));
    if (d > 0 && n > onnx_fold_max_elements / static_cast<std::size_t>(d)) return std::nullopt;
    n *= static_cast<std::size_t>(d);
  }
  if (n > onnx_fold_max_elements) return std::nullopt;
  std::optional<onnx_value> fill;
  if (const auto* a = c.attr("value", onnx::AttributeProto::TENSOR))
    fill = onnx_tensor_value(a->t());
  if (fill && fill->size() != 1)
    throw fold_error("value has " + std::to_string(fill->size()) + " elements (must be 1)");
  v.dims = s->ints;
  v.real = fill ? fill->real : true;  // ONNX's default: a float 0
  if (v.real)
    v.reals.assign(n, fill ? fill->reals[0] : 0.0);
  else
    v.ints.assign(n, fill->ints[0]);
  return v;
}

inline std::optional<onnx_value> slice(const onnx_fold_context& c) {
  const onnx_value* data = c.in(0);
  const onnx_value* starts = c.in(1);
  const onnx_value* ends = c.in(2);
  if (!data || !starts || !ends || starts->real || ends->real || data->dims.size() != 1)
    return std::nullopt;
  const auto ax = axes(c, 3);
  const onnx_value* steps = c.in(4);
  if (!ax || (c.node.input_size() > 4 && !c.node.input(4).empty() && (!steps || steps->real)))
    return std::nullopt;
  if (starts->size() != 1 || ends->size() != 1 || (!ax->empty() && ax->size() != 1) ||
      (steps && steps->size() != 1))
    throw fold_error("slices a 1-D tensor along more than one axis");
  if (!ax->empty()) (void)axis((*ax)[0], 1);
  const std::int64_t step = steps ? steps->ints[0] : 1;
  if (step == 0) throw fold_error("step 0");
  const auto n = static_cast<std::int64_t>(data->size());
  const auto clampi = [&](std::int64_t i, std::int64_t lo, std::int64_t hi) {
    if (i < 0) i = i < -n ? -1 : i + n;  // guards i + n against overflow below −n
    return std::clamp(i, lo, hi);
  };
  std::int64_t b = starts->ints[0], e = ends->ints[0];
  if (step > 0) {
    b = clampi(b, 0, n);
    e = clampi(e, 0, n);
  } else {
    b = clampi(b, -1, n - 1);
    e = clampi(e, -1, n - 1);
  }
  onnx_value v;
  v.real = data->real;
  for (std::int64_t i = b; step > 0 ? i < e : i > e; i += step) {
    const auto k = static_cast<std::size_t>(i);
    if (v.real)
      v.reals.push_back(data->reals[k]);
    else
      v.ints.push_back(data->ints[k]);
    if ((step > 0 && i > std::numeric_limits<std::int64_t>::max() - step) ||
        (step < 0 && i < std::numeric_limits<std::int64_t>::min() - step))
      break;
  }
  v.dims = {static_cast<std::int64_t>(v.size())};
  return v;
}

inline std::optional<onnx_value> reshape(const onnx_fold_context& c) {
  const onnx_value* data = c.in(0);
  const onnx_value* s = c.in(1);
  if (!data || !s || s->real) return std::nullopt;
  onnx_value v = *data;
  v.dims.clear();
  std::int64_t known = 1;
  int infer = -1;
  for (std::size_t i = 0; i < s->ints.size(); ++i) {
    std::int64_t d = s->ints[i];
    if (d == 0) {
      if (i >= data->dims.size())
        throw fold_error("copies dimension " + std::to_string(i) + " the input lacks");
      d = data->dims[i];
    }
    if (d == -1) {
      if (infer >= 0) throw fold_error("two dimensions are -1");
      infer = static_cast<int>(i);
    } else if (d < 0) {
      throw fold_error("negative dimension " + std::to_string(d));
    } else {
      known = checked(known, d, '*');
    }
    v.dims.push_back(d);
  }
  const auto n = static_cast<std::int64_t>(data->size());
  if (infer >= 0) {
    if (known == 0 || n % known != 0) throw fold_error("cannot infer the -1 dimension");
    v.dims[static_cast<std::size_t>(infer)] = n / known;
  } else if (known != n) {
    throw fold_error("reshapes " + std::to_string(n) + " elements to " + std::to_string(known));
  }
  return v;
}

/// Add, Sub, Mul, Div: same sizes, or one operand of one element (numpy broadcasting as far as
/// shape arithmetic uses it). Integers stay integers (checked for overflow).
template <char Op>
std::optional<onnx_value> arithmetic(const onnx_fold_context& c) {
  const onnx_value* a = c.in(0);
  const onnx_value* b = c.in(1);
  if (!a || !b) return std::nullopt;
  if (a->size() != b->size() && a->size() != 1 && b->size() != 1) return std::nullopt;
  onnx_value v;
  v.real = a->real || b->real;
  v.dims = a->dims.size() >= b->dims.size() ? a->dims : b->dims;
  if (a->size() != b->size()) v.dims = a->size() == 1 ? b->dims : a->dims;
  const std::size_t n = std::max(a->size(), b->size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t ia = a->size() == 1 ? 0 : i, ib = b->size() == 1 ? 0 : i;
    if (!v.real) {
      v.ints.push_back(checked(a->ints[ia], b->ints[ib], Op));
      continue;
    }
    const double x = a->at(ia), y = b->at(ib);
    v.reals.push_back(Op == '+' ? x + y : Op == '-' ? x - y : Op == '*' ? x * y : x / y);
  }
  return v;
}

inline std::optional<onnx_value> range(const onnx_fold_context& c) {
  const onnx_value* s = c.in(0);
  const onnx_value* l = c.in(1);
  const onnx_value* d = c.in(2);
  if (!s || !l || !d || s->real || l->real || d->real || s->size() != 1 || l->size() != 1 ||
      d->size() != 1)
    return std::nullopt;
  const std::int64_t start = s->ints[0], limit = l->ints[0], delta = d->ints[0];
  if (delta == 0) throw fold_error("delta 0");
  onnx_value v;
  for (std::int64_t x = start; delta > 0 ? x < limit : x > limit;) {
    if (v.ints.size() >= onnx_fold_max_elements) return std::nullopt;
    v.ints.push_back(x);
    if (__builtin_add_overflow(x, delta, &x)) break;
  }
  v.dims = {static_cast<std::int64_t>(v.ints.size())};
  return v;
}

}  // namespace fold

/// The folding table (op → function), in the order docs/importers.md lists it.
[[nodiscard]] inline std::span<const onnx_fold_op> onnx_fold_ops() {
  static constexpr onnx_fold_op table[] = {
      {"Constant", &fold::constant},   {"Shape", &fold::shape},
      {"Gather", &fold::gather},       {"Unsqueeze", &fold::unsqueeze},
      {"Squeeze", &fold::squeeze},     {"Concat", &fold::concat},
      {"Cast", &fold::cast},           {"ConstantOfShape", &fold::constant_of_shape},
      {"Slice", &fold::slice},         {"Reshape", &fold::reshape},
      {"Add", &fold::arithmetic<'+'>}, {"Sub", &fold::arithmetic<'-'>},
      {"Mul", &fold::arithmetic<'*'>}, {"Div", &fold::arithmetic<'/'>},
      {"Range", &fold::range},
  };
  return table;
}

/// The folding function of `op`, or nullptr.
[[nodiscard]] inline const onnx_fold_op* find_fold_op(std::string_view op) {
  for (const onnx_fold_op& o : onnx_fold_ops())
    if (o.name == op) return &o;
  return nullptr;
}

}  // namespace synergy::io::detail
