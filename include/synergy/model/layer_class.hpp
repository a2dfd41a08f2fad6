#pragma once
/// @file
/// Layer classes: the keys of the fitted models. The paper's scheme groups layers by type
/// (conv, FC, pool, ...); the refined scheme splits convolutions by shape, because on one CPU
/// they run at very different MAC rates (depthwise 2–5, 1×1 13–15, 3×3 45–65 GMAC/s measured
/// here with PyTorch), and pooling into max and average pooling, which run at very different
/// rates per op (max pooling 2–4 ns/op, a 3×3 stride-1 average pooling 0.3 ns/op, PyTorch 1.13,
/// one thread).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "synergy/layers/layer.hpp"

namespace synergy::model {

/// A class of layers sharing one set of model coefficients. Values index arrays.
enum class layer_class : std::uint8_t {
  conv,            ///< any convolution (paper scheme)
  conv_kxk,        ///< dense conv2d with a kernel larger than 1×1 (refined scheme)
  conv_1x1,        ///< dense 1×1 conv2d (refined scheme)
  conv_grouped,    ///< conv2d with groups > 1 (refined scheme)
  depthwise_conv,  ///< depthwise_conv2d (refined scheme)
  fully_connected,
  pool,  ///< max and average pooling (paper scheme)
  batch_norm,
  scale,
  activation,
  lrn,
  eltwise,
  concat,
  softmax,
  dropout,
  no_cost,  ///< input, flatten, identity and opaque: no work counted, never modelled
  // Appended (modern ConvNets) so that the values above keep their index:
  layer_norm,     ///< layer normalisation over channels (driver: ops)
  data_movement,  ///< channel_shuffle, slice, transpose, pad (driver: data volume)
  // Appended (kernel paths of pooling) so that the values above keep their index:
  max_pool,  ///< max_pool2d (refined scheme; driver: ops)
  avg_pool,  ///< avg_pool2d, global or not (refined scheme; driver: ops)
  // Appended (attention) so that the values above keep their index:
  matmul,  ///< batched product of two activations (both schemes; driver: MACs)
};

/// Number of layer classes.
inline constexpr std::size_t layer_class_count = 21;

/// How layers are grouped into classes.
enum class class_scheme : std::uint8_t {
  layer_type,  ///< the paper's: all convolutions are `conv`
  /// convolutions split into kxk, 1×1, grouped and depthwise, pooling into max and average
  /// (the kernel paths a runtime executes them by)
  conv_shape,
};

/// snake_case name of a class.
[[nodiscard]] constexpr std::string_view to_string(layer_class c) {
  constexpr std::array<std::string_view, layer_class_count> names{
      "conv",           "conv_kxk",        "conv_1x1", "conv_grouped",
      "depthwise_conv", "fully_connected", "pool",     "batch_norm",
      "scale",          "activation",      "lrn",      "eltwise",
      "concat",         "softmax",         "dropout",  "no_cost",
      "layer_norm",     "data_movement",   "max_pool", "avg_pool",
      "matmul"};
  return names[static_cast<std::size_t>(c)];
}

/// snake_case name of a scheme.
[[nodiscard]] constexpr std::string_view to_string(class_scheme s) {
  return s == class_scheme::layer_type ? "layer_type" : "conv_shape";
}

/// The class of a layer under a scheme. O(1), constexpr.
[[nodiscard]] constexpr layer_class classify(const layer& l, class_scheme scheme) {
  const bool refined = scheme == class_scheme::conv_shape;
  switch (type_of(l)) {
    case layer_type::conv2d: {
      if (!refined) return layer_class::conv;
      const conv2d& c = std::get<conv2d>(l);
      if (c.groups > 1) return layer_class::conv_grouped;
      return c.kernel.x == 1 && c.kernel.y == 1 ? layer_class::conv_1x1 : layer_class::conv_kxk;
    }
    case layer_type::depthwise_conv2d:
      return refined ? layer_class::depthwise_conv : layer_class::conv;
    case layer_type::fully_connected:
      return layer_class::fully_connected;
    case layer_type::max_pool2d:
      return refined ? layer_class::max_pool : layer_class::pool;
    case layer_type::avg_pool2d:
      return refined ? layer_class::avg_pool : layer_class::pool;
    case layer_type::batch_norm:
      return layer_class::batch_norm;
    case layer_type::scale:
      return layer_class::scale;
    case layer_type::activation:
      return layer_class::activation;
    case layer_type::lrn:
      return layer_class::lrn;
    case layer_type::eltwise:
      return layer_class::eltwise;
    case layer_type::concat:
      return layer_class::concat;
    case layer_type::softmax:
      return layer_class::softmax;
    case layer_type::dropout:
      return layer_class::dropout;
    case layer_type::layer_norm:
      return layer_class::layer_norm;
    case layer_type::matmul:
      return layer_class::matmul;
    case layer_type::channel_shuffle:
    case layer_type::slice:
    case layer_type::transpose:
    case layer_type::pad:
      return layer_class::data_movement;
    case layer_type::input:
    case layer_type::flatten:
    case layer_type::identity:
    case layer_type::opaque:
      return layer_class::no_cost;
  }
  return layer_class::no_cost;
}

/// What drives the cost of a class in the layer-type model: MACs for convolutions, FC and matmul
/// (the paper's MAC_sum), the op count for pooling (Eq 4) and the other arithmetic layers,
/// the data volume for layers that only move data (concat, dropout, data_movement).
enum class driver : std::uint8_t { macs, ops, data_volume, none };

/// The driver of a class.
[[nodiscard]] constexpr driver driver_of(layer_class c) {
  switch (c) {
    case layer_class::conv:
    case layer_class::conv_kxk:
    case layer_class::conv_1x1:
    case layer_class::conv_grouped:
    case layer_class::depthwise_conv:
    case layer_class::fully_connected:
    case layer_class::matmul:
      return driver::macs;
    case layer_class::concat:
    case layer_class::dropout:
    case layer_class::data_movement:
      return driver::data_volume;
    case layer_class::no_cost:
      return driver::none;
    case layer_class::pool:
    case layer_class::batch_norm:
    case layer_class::scale:
    case layer_class::activation:
    case layer_class::lrn:
    case layer_class::eltwise:
    case layer_class::softmax:
    case layer_class::layer_norm:
    case layer_class::max_pool:
    case layer_class::avg_pool:
      return driver::ops;
  }
  return driver::none;  // unreachable: the switch covers every class (-Wswitch checks it)
}

/// The driver's value in a cost record.
[[nodiscard]] constexpr std::int64_t driver_value(driver d, const layer_cost& c) {
  switch (d) {
    case driver::macs:
      return c.macs;
    case driver::ops:
      return c.ops;
    case driver::data_volume:
      return c.data_volume;
    case driver::none:
      return 0;
  }
  return 0;
}

}  // namespace synergy::model
