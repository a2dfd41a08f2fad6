#pragma once
/// @file
/// The layer types the library counts, their names, and the cost record every layer reports.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "synergy/detail/checked.hpp"

namespace synergy {

/// Layer type: the unit of the paper's layer-type models (Eq 6, 7). Values index arrays.
enum class layer_type : std::uint8_t {
  input,
  conv2d,
  depthwise_conv2d,
  fully_connected,
  max_pool2d,
  avg_pool2d,
  batch_norm,
  scale,
  activation,
  lrn,
  eltwise,
  concat,
  softmax,
  dropout,
  flatten,
  layer_norm,  ///< the types from here on were appended (modern ConvNets) so earlier values keep
               ///< their index
  channel_shuffle,
  slice,
  transpose,
  pad,
  identity,
  opaque,
  matmul,  ///< appended after opaque (saved models and datasets use the indices above)
};

/// Number of layer types (size of arrays indexed by `layer_type`).
inline constexpr std::size_t layer_type_count = 23;

/// The snake_case name of a layer type ("conv2d", "max_pool2d", ...).
[[nodiscard]] constexpr std::string_view to_string(layer_type t) {
  // Kept as a grid: clang-format would put one name per line.
  // clang-format off
  constexpr std::array<std::string_view, layer_type_count> names{
      "input",      "conv2d",          "depthwise_conv2d", "fully_connected", "max_pool2d",
      "avg_pool2d", "batch_norm",      "scale",            "activation",      "lrn",
      "eltwise",    "concat",          "softmax",          "dropout",         "flatten",
      "layer_norm", "channel_shuffle", "slice",            "transpose",       "pad",
      "identity",   "opaque",          "matmul"};
  // clang-format on
  return names[static_cast<std::size_t>(t)];
}

/// All cost figures of one layer (or a sum of layers), per image.
/// - `macs`: multiply-accumulates (Eq 1, 3; FC: inputs × outputs).
/// - `ops`: other arithmetic operations (pooling comparisons/additions, Eq 4; bias additions;
///   normalisation, activation, eltwise, softmax operations) — see docs/counting-conventions.md.
/// - `weights`, `biases`: learned parameters (elements).
/// - `data_volume`: elements read and written (Eq 2: input + weights + output).
struct layer_cost {
  std::int64_t macs = 0;
  std::int64_t ops = 0;
  std::int64_t weights = 0;
  std::int64_t biases = 0;
  std::int64_t data_volume = 0;

  /// weights + biases.
  [[nodiscard]] constexpr std::int64_t params() const {
    return detail::add(weights, biases, "parameter count");
  }
  /// Adds another cost field by field; overflow-checked.
  constexpr layer_cost& operator+=(const layer_cost& o) {
    macs = detail::add(macs, o.macs, "MAC total");
    ops = detail::add(ops, o.ops, "op total");
    weights = detail::add(weights, o.weights, "weight total");
    biases = detail::add(biases, o.biases, "bias total");
    data_volume = detail::add(data_volume, o.data_volume, "data volume total");
    return *this;
  }
  friend constexpr bool operator==(const layer_cost&, const layer_cost&) = default;
};

}  // namespace synergy

/// Inside a layer struct that defines `constexpr layer_cost cost() const`, declares the
/// per-field getters `macs()`, `ops()`, `weights()`, `biases()`, `params()`, `data_volume()`
/// (elements) and `data_volume_bytes(element_size)`. Each validates the descriptor first.
/// (A macro, not a base class: a base would make `layer{.field = v}` warn under -Wextra.)
#define SYNERGY_DETAIL_COST_GETTERS                                                          \
  /** Multiply-accumulates (see cost()). */                                                  \
  [[nodiscard]] constexpr std::int64_t macs() const { return cost().macs; }                  \
  /** Non-MAC operations (see cost()). */                                                    \
  [[nodiscard]] constexpr std::int64_t ops() const { return cost().ops; }                    \
  /** Weight elements. */                                                                    \
  [[nodiscard]] constexpr std::int64_t weights() const { return cost().weights; }            \
  /** Bias elements. */                                                                      \
  [[nodiscard]] constexpr std::int64_t biases() const { return cost().biases; }              \
  /** Weights + biases. */                                                                   \
  [[nodiscard]] constexpr std::int64_t params() const { return cost().params(); }            \
  /** Elements read and written (Eq 2 and its analogues). */                                 \
  [[nodiscard]] constexpr std::int64_t data_volume() const { return cost().data_volume; }    \
  /** data_volume() × element_size bytes (element_size ≥ 1, e.g. 4 for fp32). */          \
  [[nodiscard]] constexpr std::int64_t data_volume_bytes(std::int64_t element_size) const {  \
    ::synergy::detail::require(element_size >= 1, "data_volume_bytes", "element_size",       \
                               element_size, "must be >= 1");                                \
    return ::synergy::detail::mul(cost().data_volume, element_size, "data volume in bytes"); \
  }
