#pragma once
/// @file
/// A network: layers plus the edges between them (branches joined by `concat` or `eltwise`),
/// with totals and per-layer-type sums. Usable in constant expressions and at run time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "synergy/layers/layer.hpp"

namespace synergy {

/// Index of a node in a network; node 0 is the network's input.
using node_id = std::uint32_t;

/// Layer count and summed cost of all layers of one type (the paper's layer-type features:
/// MAC_sum for conv and FC, op sums for pooling).
struct type_sum {
  std::int64_t layers = 0;
  layer_cost cost{};
  friend constexpr bool operator==(const type_sum&, const type_sum&) = default;
};

/// Sums indexed by layer type.
struct layer_type_sums {
  std::array<type_sum, layer_type_count> sums{};
  /// The sum for one layer type.
  [[nodiscard]] constexpr const type_sum& operator[](layer_type t) const {
    return sums[static_cast<std::size_t>(t)];
  }
  [[nodiscard]] constexpr type_sum& operator[](layer_type t) {
    return sums[static_cast<std::size_t>(t)];
  }
};

namespace detail {

inline std::string shape_text(const shape3& s) {
  return std::to_string(s.x) + "x" + std::to_string(s.y) + "x" + std::to_string(s.z);
}

/// Throws std::invalid_argument for a node whose producers do not fit it. Never constexpr.
[[noreturn]] inline void invalid_edge(std::string_view layer_name, std::string_view problem,
                                      std::size_t input_index, shape3 got, shape3 expected) {
  throw std::invalid_argument("layer '" + std::string(layer_name) + "': " + std::string(problem) +
                              " (input " + std::to_string(input_index) + " is " + shape_text(got) +
                              ", expected " + shape_text(expected) + ")");
}

/// Throws std::invalid_argument for a malformed network operation. Never constexpr.
[[noreturn]] inline void invalid_network(std::string_view layer_name, std::string_view problem,
                                         std::int64_t value) {
  throw std::invalid_argument("layer '" + std::string(layer_name) + "': " + std::string(problem) +
                              " (" + std::to_string(value) + ")");
}

/// Re-throws a descriptor error with the layer's name in front. Never constexpr.
template <class Error>
[[noreturn]] void rethrow_named(std::string_view layer_name, const Error& e) {
  throw Error("layer '" + std::string(layer_name) + "': " + e.what());
}

/// Fills `d.input` from the producers' outputs, checking branch shapes. (A free function:
/// clang 14 cannot constant-evaluate a member template used before its class is complete.)
template <class Net, class L>
constexpr void connect(const Net& net, std::string_view name, L& d, std::span<const node_id> from) {
  if constexpr (std::is_same_v<L, input_layer>) {
    invalid_network(name, "input_layer can only be node 0; inputs given",
                    static_cast<std::int64_t>(from.size()));
  } else {
    shape3 in = net.output(from[0]);
    if constexpr (std::is_same_v<L, concat>) {
      for (std::size_t i = 1; i < from.size(); ++i) {
        const shape3 s = net.output(from[i]);
        if (s.x != in.x || s.y != in.y)
          invalid_edge(name, "concat inputs differ in x or y", i, s, {in.x, in.y, s.z});
        in.z = add(in.z, s.z, "concat channels");
      }
      d.inputs = static_cast<std::int64_t>(from.size());
    } else if constexpr (std::is_same_v<L, eltwise>) {
      if (from.size() < 2)
        invalid_network(name, "eltwise needs >= 2 inputs; got",
                        static_cast<std::int64_t>(from.size()));
      // The full shape is that of the first input that is not a 1×1×z vector (the first
      // input's if all are); every input must be either that shape or 1×1×(its z), broadcast.
      for (std::size_t i = 0; i < from.size(); ++i) {
        const shape3 s = net.output(from[i]);
        if (s.x != 1 || s.y != 1) {
          in = s;
          break;
        }
      }
      std::int64_t broadcast = 0;
      for (std::size_t i = 0; i < from.size(); ++i) {
        const shape3 s = net.output(from[i]);
        if (s == in) continue;
        if (s != shape3{1, 1, in.z})
          invalid_edge(name,
                       "eltwise inputs differ in shape; each must be the full shape or 1x1 "
                       "with its z",
                       i, s, in);
        ++broadcast;
      }
      d.inputs = static_cast<std::int64_t>(from.size());
      d.broadcast_inputs = broadcast;
    } else if constexpr (std::is_same_v<L, matmul>) {
      // Two operands, A then B; their agreement (K, batch) is the descriptor's to check.
      if (from.size() != 2)
        invalid_network(name, "matmul takes exactly 2 inputs (A, B); got",
                        static_cast<std::int64_t>(from.size()));
      const shape3 b = net.output(from[1]);
      if (!d.rhs.empty() && d.rhs != b)
        invalid_edge(name, "declared rhs differs from the producer's output", 1, d.rhs, b);
      d.rhs = b;
    } else {
      if (from.size() != 1)
        invalid_network(name, "this layer takes exactly 1 input; got",
                        static_cast<std::int64_t>(from.size()));
    }
    if (!d.input.empty() && d.input != in)
      invalid_edge(name, "declared input differs from the producers' output", 0, d.input, in);
    d.input = in;
  }
}

}  // namespace detail

/// A directed acyclic network of layers, batch 1. Node 0 is the input; every added node names
/// its producers, which must already exist (so the nodes are in topological order).
///
/// The builder infers each layer's input from its producers: one producer for ordinary layers,
/// ≥ 2 for `eltwise` (each either the full shape x×y×z or a 1×1×z vector broadcast over it, at
/// least one full: the squeeze-and-excitation gate; it sets `inputs` and `broadcast_inputs`),
/// ≥ 1 shapes of equal x, y for `concat` (z summed; it sets `inputs`), exactly 2 for `matmul`
/// (A then B: it sets `input` and `rhs`). A spec
/// whose `input` is already set must agree with the inferred one. Any violation fails constant
/// evaluation or throws std::invalid_argument naming the layer; descriptor errors are re-thrown
/// with the layer's name in front.
///
/// Storage: names and edges live in two pooled vectors, so building in a constant expression
/// costs a few allocations. Each node keeps its validated output shape and cost, computed once
/// by `add` (nodes never change afterwards), so totals are a plain O(n) sum — the hot path of
/// search loops. Names are indexed by an open-addressing hash table, so `add` and `find` are
/// O(1) on average and a 1000-layer network still builds within the compilers' default
/// constant-evaluation limits.
class network {
 public:
  /// A network named `name` whose input (node 0, named "data") has shape `input`.
  constexpr network(std::string_view name, shape3 input) {
    network_name_ = intern_name(name);
    push_node("data", input_layer{input}, 0, 0);
  }

  /// Adds a layer fed by the nodes `from`; returns its id. See the class documentation.
  constexpr node_id add(std::string_view name, const layer& spec, std::span<const node_id> from) {
    if (std::is_constant_evaluated()) return add_checked(name, spec, from);
    try {
      return add_checked(name, spec, from);
    } catch (const std::overflow_error& e) {
      detail::rethrow_named(name, e);
    } catch (const std::invalid_argument& e) {
      if (std::string_view(e.what()).starts_with("layer '")) throw;
      detail::rethrow_named(name, e);
    }
  }
  /// Adds a layer fed by the nodes `from`.
  template <layer_descriptor L>
  constexpr node_id add(std::string_view name, const L& spec, std::initializer_list<node_id> from) {
    return add(name, layer{spec}, std::span<const node_id>(from.begin(), from.size()));
  }
  /// Adds a layer fed by the last node added (a chain).
  template <layer_descriptor L>
  constexpr node_id add(std::string_view name, const L& spec) {
    const node_id last = static_cast<node_id>(nodes_.size() - 1);
    return add(name, layer{spec}, std::span<const node_id>(&last, 1));
  }

  /// The network's name.
  [[nodiscard]] constexpr std::string_view name() const { return view(network_name_); }
  /// Names the network `name`; its layers keep theirs. For a loader that knows a better name
  /// than the graph's own (a model file's path, when every exporter writes `torch_jit`). The
  /// old name's characters stay in the name pool. O(name length).
  constexpr void rename(std::string_view name) { network_name_ = intern_name(name); }
  /// Number of nodes, the input included.
  [[nodiscard]] constexpr std::size_t size() const { return nodes_.size(); }
  /// Id of the last node added (the output of a chain).
  [[nodiscard]] constexpr node_id last() const { return static_cast<node_id>(nodes_.size() - 1); }
  /// Name of node `id`; precondition id < size().
  [[nodiscard]] constexpr std::string_view name(node_id id) const { return view(nodes_[id].name); }
  /// The (filled-in, validated) descriptor of node `id`; precondition id < size().
  [[nodiscard]] constexpr const layer& at(node_id id) const { return nodes_[id].op; }
  /// Producers of node `id`; empty for the input.
  [[nodiscard]] constexpr std::span<const node_id> inputs(node_id id) const {
    return {edges_.data() + nodes_[id].inputs_at, nodes_[id].inputs_len};
  }
  /// Output shape of node `id`.
  [[nodiscard]] constexpr shape3 output(node_id id) const { return nodes_[id].output; }
  /// Cost of node `id` (MACs, ops, parameters, data volume).
  [[nodiscard]] constexpr const layer_cost& cost(node_id id) const { return nodes_[id].cost; }
  /// Id of the node called `name`, if any. O(1) on average.
  [[nodiscard]] constexpr std::optional<node_id> find(std::string_view name) const {
    const std::uint32_t h = hash(name);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const std::uint32_t slot = slots_[i];
      if (slot == 0) return std::nullopt;
      if (nodes_[slot - 1].name_hash == h && this->name(slot - 1) == name) return slot - 1;
    }
  }

  /// Sum of all layers' costs (MACs, ops, weights, biases, data volume). O(n).
  [[nodiscard]] constexpr layer_cost totals() const {
    layer_cost t{};
    for (const node& n : nodes_) t += n.cost;
    return t;
  }
  /// Layer count and summed cost per layer type (the layer-type features, Eq 6–7). O(n).
  [[nodiscard]] constexpr layer_type_sums by_layer_type() const {
    layer_type_sums s{};
    for (const node& n : nodes_) {
      type_sum& t = s[type_of(n.op)];
      ++t.layers;
      t.cost += n.cost;
    }
    return s;
  }

 private:
  /// A name stored in `names_`.
  struct name_ref {
    std::uint32_t at = 0, len = 0;
  };
  struct node {
    layer op;
    shape3 output;    // output_of(op), cached
    layer_cost cost;  // cost_of(op), cached
    name_ref name;
    std::uint32_t name_hash = 0;
    std::uint32_t inputs_at = 0, inputs_len = 0;
  };

  /// FNV-1a, 32 bits: a cheap filter before comparing names.
  static constexpr std::uint32_t hash(std::string_view s) {
    std::uint32_t h = 2166136261U;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619U;
    return h;
  }

  constexpr std::string_view view(name_ref r) const { return {names_.data() + r.at, r.len}; }
  constexpr name_ref intern_name(std::string_view name) {
    const name_ref r{static_cast<std::uint32_t>(names_.size()),
                     static_cast<std::uint32_t>(name.size())};
    names_.insert(names_.end(), name.begin(), name.end());
    return r;
  }

  constexpr node_id add_checked(std::string_view name, layer spec, std::span<const node_id> from) {
    if (name.empty()) detail::invalid_network(name, "a layer needs a name", 0);
    if (find(name)) detail::invalid_network(name, "duplicate layer name; node id", *find(name));
    if (from.empty()) detail::invalid_network(name, "a layer needs at least one input", 0);
    for (node_id p : from)
      if (p >= nodes_.size()) detail::invalid_network(name, "input is not an existing node", p);
    std::visit([&](auto& d) { detail::connect(*this, name, d, from); }, spec);
    const auto inputs_at = static_cast<std::uint32_t>(edges_.size());
    push_node(name, std::move(spec), inputs_at, static_cast<std::uint32_t>(from.size()));
    edges_.insert(edges_.end(), from.begin(), from.end());
    return static_cast<node_id>(nodes_.size() - 1);
  }

  /// Validates `op` (through cost_of) and appends it; nothing is stored if validation fails.
  constexpr void push_node(std::string_view name, layer&& op, std::uint32_t inputs_at,
                           std::uint32_t inputs_len) {
    const auto [out, c] = std::visit(
        [](const auto& d) {
          return std::pair{d.output(), d.cost()};
        },
        op);
    nodes_.push_back(
        node{std::move(op), out, c, intern_name(name), hash(name), inputs_at, inputs_len});
    if (2 * nodes_.size() > slots_.size()) {
      rehash(2 * slots_.size());
    } else {
      index(static_cast<std::uint32_t>(nodes_.size() - 1));
    }
  }

  /// Puts node `id` into the name index (linear probing; load factor ≤ 1/2).
  constexpr void index(std::uint32_t id) {
    std::size_t i = nodes_[id].name_hash & (slots_.size() - 1);
    while (slots_[i] != 0) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = id + 1;
  }
  /// Rebuilds the name index with `capacity` slots (a power of two).
  constexpr void rehash(std::size_t capacity) {
    slots_.assign(capacity, 0);
    for (std::uint32_t id = 0; id < nodes_.size(); ++id) index(id);
  }

  std::vector<char> names_;
  std::vector<node_id> edges_;
  std::vector<node> nodes_;
  std::vector<std::uint32_t> slots_ = std::vector<std::uint32_t>(8, 0);  // node id + 1; 0 = empty
  name_ref network_name_{};
};

}  // namespace synergy
