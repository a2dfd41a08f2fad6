#pragma once
/// @file
/// A fitted network model (SyNERGY Eq 6–7): per layer class, a linear model of the class's
/// cost driver; the network estimate is the sum over its layers. A literal type, so a model
/// (for instance one emitted by write_cpp_header) estimates networks in constant expressions.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

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

  /// The class whose coefficients estimate class `c`: `c` itself, except that max_pool and
  /// avg_pool use `pool`'s when only `pool` is fitted (a conv_shape model saved before pooling
  /// was split: its files keep predicting as they did). O(1).
  [[nodiscard]] constexpr layer_class coefficients_of(layer_class c) const {
    const bool split_pool = c == layer_class::max_pool || c == layer_class::avg_pool;
    if (split_pool && !(*this)[c].fitted && (*this)[layer_class::pool].fitted)
      return layer_class::pool;
    return c;
  }

  /// Estimate for one layer of class `c` with cost `cost`, in SI units. O(1).
  [[nodiscard]] constexpr double estimate_si(layer_class c, const layer_cost& cost) const {
    if (c == layer_class::no_cost) return 0.0;
    const class_coefficients& k = (*this)[coefficients_of(c)];
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

/// How the rows of a model's least-squares fit are weighted (model/fit.hpp).
enum class weighting : std::uint8_t {
  absolute,   ///< ordinary NNLS: minimises Σ (ŷ − y)², so the largest rows dominate
  relative,   ///< weights 1/y² (each row scaled by 1/y): minimises Σ ((ŷ − y) / y)²
  automatic,  ///< whichever validates best leaving training networks out (absolute, relative,
              ///< balanced)
  // Appended so that the values above keep their index:
  /// weights 1/(y² · n), n = the rows of the row's network in its class: relative errors with
  /// every training network counting equally in each class, so that a network with 120 small
  /// ReLUs does not set the activation rate for one with 5 large ones; then each class's
  /// coefficients are scaled to fit the networks' totals (fit_network_model). The fallback's
  /// mixed classes and the calibration of network totals take it as `relative`.
  balanced,
};

/// Whether a weighting divides each row by its measured value (relative or balanced).
[[nodiscard]] constexpr bool is_relative(weighting w) {
  return w == weighting::relative || w == weighting::balanced;
}

/// Whether a per-platform calibration factor multiplies the model's estimates.
enum class calibration : std::uint8_t {
  none,       ///< estimates as fitted
  platform,   ///< one factor k per platform, fitted on the training networks' totals
  automatic,  ///< whichever of the two validates better leaving training networks out
};

/// Names in files and on the command line: "absolute", "relative", "auto", "balanced".
[[nodiscard]] constexpr std::string_view to_string(weighting w) {
  constexpr std::array<std::string_view, 4> names{"absolute", "relative", "auto", "balanced"};
  return names[static_cast<std::size_t>(w)];
}
/// Names in files and on the command line: "none", "platform", "auto".
[[nodiscard]] constexpr std::string_view to_string(calibration c) {
  constexpr std::array<std::string_view, 3> names{"none", "platform", "auto"};
  return names[static_cast<std::size_t>(c)];
}
/// The weighting named `s` (see to_string), none for an unknown name.
[[nodiscard]] constexpr std::optional<weighting> weighting_from_string(std::string_view s) {
  for (const weighting w :
       {weighting::absolute, weighting::relative, weighting::automatic, weighting::balanced})
    if (to_string(w) == s) return w;
  return std::nullopt;
}
/// The calibration named `s` (see to_string), none for an unknown name.
[[nodiscard]] constexpr std::optional<calibration> calibration_from_string(std::string_view s) {
  for (const calibration c : {calibration::none, calibration::platform, calibration::automatic})
    if (to_string(c) == s) return c;
  return std::nullopt;
}

/// How the fallback of a whole_network_model predicts a layer whose class has no coefficients
/// (fitted on the cheap layers of the training data, model/fit.hpp: fit_fallback).
enum class fallback_kind : std::uint8_t {
  data_volume,          ///< memory-bound: value = b · data volume
  ops_and_data_volume,  ///< value = a · ops + b · data volume (one NNLS over all cheap layers)
  /// by the class's driver (driver_of): ops-driven classes a · ops (fitted on the ops-driven
  /// cheap layers), all others b · data volume (fitted on the data-volume-driven ones)
  per_driver,
  automatic,  ///< whichever predicts training classes left out best (fit.hpp: choose_fallback)
};

/// Names in files and on the command line: "data_volume", "ops_and_data_volume",
/// "per_driver", "auto".
[[nodiscard]] constexpr std::string_view to_string(fallback_kind k) {
  constexpr std::array<std::string_view, 4> names{"data_volume", "ops_and_data_volume",
                                                  "per_driver", "auto"};
  return names[static_cast<std::size_t>(k)];
}
/// The fallback kind named `s` (see to_string), none for an unknown name.
[[nodiscard]] constexpr std::optional<fallback_kind> fallback_kind_from_string(std::string_view s) {
  for (const fallback_kind k : {fallback_kind::data_volume, fallback_kind::ops_and_data_volume,
                                fallback_kind::per_driver, fallback_kind::automatic})
    if (to_string(k) == s) return k;
  return std::nullopt;
}

/// The fallback model of classes without coefficients, in SI units of the response (J or s).
/// A literal type.
struct fallback_model {
  bool fitted = false;  ///< false: no fallback (no cheap layer in the training data)
  fallback_kind kind = fallback_kind::data_volume;  ///< never automatic once fitted
  /// per op: ops_and_data_volume, and per_driver for ops-driven classes (0 there: no ops-driven
  /// training layer, so those classes use per_element too)
  double per_op = 0;
  double per_element = 0;  ///< per element of data volume

  /// Estimate of one layer of class `c` with cost `cost` (SI units, uncalibrated). Throws
  /// std::invalid_argument for kind `automatic` (resolved when fitting, never stored). O(1).
  [[nodiscard]] constexpr double estimate_si(layer_class c, const layer_cost& cost) const {
    const auto ops = static_cast<double>(cost.ops);
    const auto volume = static_cast<double>(cost.data_volume);
    switch (kind) {
      case fallback_kind::data_volume:
        return per_element * volume;
      case fallback_kind::ops_and_data_volume:
        return per_op * ops + per_element * volume;
      case fallback_kind::per_driver:
        return driver_of(c) == driver::ops && per_op > 0 ? per_op * ops : per_element * volume;
      case fallback_kind::automatic:
        break;
    }
    throw std::invalid_argument("fallback_model: kind 'auto' is resolved when fitting");
  }
};

/// One layer's estimate by a whole_network_model: SI value and whether a fallback made it.
struct layer_estimate {
  double value = 0;       ///< J or s, calibration applied
  bool fallback = false;  ///< true: the layer's class had no coefficients of its own
};

/// A network's estimate by a whole_network_model, with what came from the fallback.
template <class Response>
struct network_estimate {
  Response total{};          ///< every layer counted
  Response from_fallback{};  ///< the part of `total` predicted by a fallback
  std::array<double, layer_class_count> by_class{};        ///< SI units, indexed by layer_class
  std::array<bool, layer_class_count> fallback_classes{};  ///< classes that used a fallback
};

/// A network model that predicts every layer of any network (whole-network coverage): the
/// fitted class models, a fallback for classes without coefficients, and a
/// per-platform calibration factor. A layer of a class the model has no coefficients for is
/// predicted, in this order, by
/// 1. conv_kxk when the class is a MAC-driven convolution class of the conv_shape scheme
///    (conv_1x1, conv_grouped, depthwise_conv: the nearest kernel path), if conv_kxk is fitted;
/// 2. the fallback (`fallback.estimate_si`: data volume, ops and data volume, or by the class's
///    driver, see fallback_kind), fitted on the cheap (not MAC-driven) layers of the training
///    data, if there was one;
/// and is otherwise an error (std::invalid_argument naming the class). Every estimate is
/// multiplied by `calibration` (1: none). A literal type, as network_model.
template <class Response>
struct whole_network_model {
  network_model<Response> model{};
  fallback_model fallback{};                    ///< fitted = false: no fallback
  double calibration = 1;                       ///< k: estimates are k · Σ layers (model/fit.hpp)
  weighting fitted_with = weighting::absolute;  ///< the weighting the coefficients were fitted with

  /// Estimate of one layer of class `c` with cost `cost` (SI units). Throws
  /// std::invalid_argument when neither the class nor a fallback has coefficients. O(1).
  [[nodiscard]] constexpr layer_estimate estimate_layer(layer_class c,
                                                        const layer_cost& cost) const {
    if (c == layer_class::no_cost || model[model.coefficients_of(c)].fitted)
      return {calibration * model.estimate_si(c, cost), false};
    const layer_class nearest = layer_class::conv_kxk;
    if (model.scheme == class_scheme::conv_shape && driver_of(c) == driver::macs &&
        c != layer_class::fully_connected && model[nearest].fitted)
      return {calibration * model.estimate_si(nearest, cost), true};
    if (!fallback.fitted) detail::unfitted_class(c);
    return {calibration * fallback.estimate_si(c, cost), true};
  }

  /// Estimate of a whole network, every layer counted, with the fallback's share. O(n).
  [[nodiscard]] constexpr network_estimate<Response> estimate(const network& net) const {
    network_estimate<Response> out;
    double total = 0, from_fallback = 0;
    for (node_id id = 1; id < net.size(); ++id) {
      const layer_class c = classify(net.at(id), model.scheme);
      const layer_estimate e = estimate_layer(c, net.cost(id));
      total += e.value;
      out.by_class[static_cast<std::size_t>(c)] += e.value;
      if (e.fallback) {
        from_fallback += e.value;
        out.fallback_classes[static_cast<std::size_t>(c)] = true;
      }
    }
    out.total = Response::from_value(total);
    out.from_fallback = Response::from_value(from_fallback);
    return out;
  }
};

/// Free-function form: `constexpr auto e = estimate(model, zoo::alexnet());`.
template <class Response>
[[nodiscard]] constexpr Response estimate(const network_model<Response>& m, const network& net) {
  return m.estimate(net);
}

}  // namespace synergy::model
