#pragma once
/// @file
/// A fitted network model (SyNERGY Eq 6–7): per layer class, a linear model of the class's
/// cost driver; the network estimate is the sum over its layers. A literal type, so a model
/// (for instance one emitted by write_cpp_header) estimates networks in constant expressions.

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "synergy/model/layer_class.hpp"
#include "synergy/network.hpp"

namespace synergy::model {

/// Which features each class model uses.
enum class model_family : std::uint8_t {
  layer_type_sum,  ///< the paper's: response = a · Σ driver (MAC_sum, op sum) per class
  per_layer,       ///< response = a · driver + b · data volume + c, per layer, summed
};

/// snake_case name of a model family.
[[nodiscard]] constexpr std::string_view to_string(model_family f) {
  return f == model_family::layer_type_sum ? "layer_type_sum" : "per_layer";
}

/// Coefficients of one class, in SI units of the response (J or s) per unit of the feature.
struct class_coefficients {
  bool fitted = false;     ///< false: the model knows nothing about this class
  double per_driver = 0;   ///< per MAC, op or element (see driver_of)
  double per_element = 0;  ///< per element of data volume (per_layer family)
  double per_layer = 0;    ///< per layer (per_layer family)
};

namespace detail {
/// Throws std::invalid_argument for a layer whose class the model was not fitted on.
[[noreturn]] inline void unfitted_class(layer_class c) {
  throw std::invalid_argument("network_model: no coefficients for layer class '" +
                              std::string(to_string(c)) +
                              "' (no layer of this class in the training data)");
}
}  // namespace detail

/// A fitted model whose estimates are `Response` quantities (synergy::energy or
/// synergy::duration). Estimating a layer of a class without coefficients fails constant
/// evaluation / throws std::invalid_argument (no silent zero); `no_cost` layers (input,
/// flatten) estimate to 0.
template <class Response>
struct network_model {
  class_scheme scheme = class_scheme::layer_type;
  model_family family = model_family::layer_type_sum;
  std::array<class_coefficients, layer_class_count> classes{};

  /// Coefficients of a class.
  [[nodiscard]] constexpr const class_coefficients& operator[](layer_class c) const {
    return classes[static_cast<std::size_t>(c)];
  }
  [[nodiscard]] constexpr class_coefficients& operator[](layer_class c) {
    return classes[static_cast<std::size_t>(c)];
  }

  /// The response per unit of class `c`'s driver (e.g. J per MAC for `conv` in an energy
  /// model), as a quantity.
  [[nodiscard]] constexpr Response per_driver(layer_class c) const {
    return Response::from_value((*this)[c].per_driver);
  }

  /// Estimate for one layer of class `c` with cost `cost`, in SI units. O(1).
  [[nodiscard]] constexpr double estimate_si(layer_class c, const layer_cost& cost) const {
    if (c == layer_class::no_cost) return 0.0;
    const class_coefficients& k = (*this)[c];
    if (!k.fitted) detail::unfitted_class(c);
    return k.per_driver * static_cast<double>(driver_value(driver_of(c), cost)) +
           k.per_element * static_cast<double>(cost.data_volume) + k.per_layer;
  }

  /// Estimate for one layer (validates the descriptor). O(1).
  [[nodiscard]] constexpr Response estimate(const layer& l) const {
    return Response::from_value(estimate_si(classify(l, scheme), cost_of(l)));
  }

  /// Estimate for a whole network: the sum over its layers (Eq 7). O(n).
  [[nodiscard]] constexpr Response estimate(const network& net) const {
    double total = 0;
    for (node_id id = 1; id < net.size(); ++id)
      total += estimate_si(classify(net.at(id), scheme), net.cost(id));
    return Response::from_value(total);
  }

  /// Estimates per class for a network (SI units), indexed by layer_class. O(n).
  [[nodiscard]] constexpr std::array<double, layer_class_count> estimate_by_class(
      const network& net) const {
    std::array<double, layer_class_count> sums{};
    for (node_id id = 1; id < net.size(); ++id) {
      const layer_class c = classify(net.at(id), scheme);
      sums[static_cast<std::size_t>(c)] += estimate_si(c, net.cost(id));
    }
    return sums;
  }
};

/// Free-function form: `constexpr auto e = estimate(model, zoo::alexnet());`.
template <class Response>
[[nodiscard]] constexpr Response estimate(const network_model<Response>& m, const network& net) {
  return m.estimate(net);
}

}  // namespace synergy::model
