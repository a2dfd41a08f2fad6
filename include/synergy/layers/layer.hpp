#pragma once
/// @file
/// `layer`: any one layer descriptor, as a std::variant usable in constant expressions.

#include <cstddef>
#include <utility>
#include <variant>

#include "synergy/layers/activation.hpp"
#include "synergy/layers/batch_norm.hpp"
#include "synergy/layers/channel_shuffle.hpp"
#include "synergy/layers/concat.hpp"
#include "synergy/layers/conv2d.hpp"
#include "synergy/layers/depthwise_conv2d.hpp"
#include "synergy/layers/dropout.hpp"
#include "synergy/layers/eltwise.hpp"
#include "synergy/layers/flatten.hpp"
#include "synergy/layers/fully_connected.hpp"
#include "synergy/layers/identity.hpp"
#include "synergy/layers/input_layer.hpp"
#include "synergy/layers/layer_concepts.hpp"
#include "synergy/layers/layer_norm.hpp"
#include "synergy/layers/lrn.hpp"
#include "synergy/layers/matmul.hpp"
#include "synergy/layers/opaque.hpp"
#include "synergy/layers/pad.hpp"
#include "synergy/layers/pooling.hpp"
#include "synergy/layers/scale.hpp"
#include "synergy/layers/slice.hpp"
#include "synergy/layers/softmax.hpp"
#include "synergy/layers/transpose.hpp"

namespace synergy {

/// Any layer descriptor. The alternatives' order is that of `layer_type`.
using layer =
    std::variant<input_layer, conv2d, depthwise_conv2d, fully_connected, max_pool2d, avg_pool2d,
                 batch_norm, scale, activation, lrn, eltwise, concat, softmax, dropout, flatten,
                 layer_norm, channel_shuffle, slice, transpose, pad, identity, opaque, matmul>;

namespace detail {
template <class V, std::size_t... I>
constexpr bool variant_follows_layer_type(std::index_sequence<I...>) {
  return ((std::variant_alternative_t<I, V>::type == static_cast<layer_type>(I)) && ...);
}
template <class V, std::size_t... I>
constexpr bool all_layer_descriptors(std::index_sequence<I...>) {
  return (layer_descriptor<std::variant_alternative_t<I, V>> && ...);
}
}  // namespace detail

static_assert(std::variant_size_v<layer> == layer_type_count);
static_assert(
    detail::variant_follows_layer_type<layer>(std::make_index_sequence<layer_type_count>{}),
    "synergy::layer alternatives must follow the order of synergy::layer_type");
static_assert(detail::all_layer_descriptors<layer>(std::make_index_sequence<layer_type_count>{}));

/// The type of the layer held.
[[nodiscard]] constexpr layer_type type_of(const layer& l) {
  return static_cast<layer_type>(l.index());
}
/// Validates the layer held (see each descriptor's preconditions).
constexpr void validate(const layer& l) {
  std::visit([](const auto& d) { d.validate(); }, l);
}
/// Output shape of the layer held (validates it).
[[nodiscard]] constexpr shape3 output_of(const layer& l) {
  return std::visit([](const auto& d) { return d.output(); }, l);
}
/// All counts of the layer held (validates it).
[[nodiscard]] constexpr layer_cost cost_of(const layer& l) {
  return std::visit([](const auto& d) { return d.cost(); }, l);
}

}  // namespace synergy
