#pragma once
/// @file
/// The concept every layer descriptor models.

#include <concepts>
#include <cstdint>
#include <type_traits>

#include "synergy/layers/layer_type.hpp"
#include "synergy/shape.hpp"

namespace synergy {

/// A layer descriptor: a trivially copyable literal type with a static `type`, a `validate()`
/// that fails constant evaluation or throws std::invalid_argument, an `output()` shape and a
/// `cost()` record (all constexpr). Every type in `synergy::layer` models it.
template <class L>
concept layer_descriptor = std::is_trivially_copyable_v<L> && requires(const L& l) {
  { L::type } -> std::convertible_to<layer_type>;
  l.validate();
  { l.output() } -> std::same_as<shape3>;
  { l.cost() } -> std::same_as<layer_cost>;
  { l.macs() } -> std::same_as<std::int64_t>;
};

}  // namespace synergy
