#pragma once
/// @file
/// Local response normalisation (AlexNet, GoogLeNet).

#include <cstdint>

#include "synergy/layers/pointwise.hpp"

namespace synergy {

/// Where an LRN window extends: over neighbouring channels or over a spatial square.
enum class lrn_region : std::uint8_t { across_channels, within_channel };

/// Local response normalisation, Caffe's LRN: y = x / (k + α/n·Σ x²)^β over a window of
/// n = local_size channels (across_channels) or local_size² pixels (within_channel).
///
/// Counts: ops = x·y·z·(2·n + 2): n squares, n − 1 additions, then scale-and-offset, power and
/// division (3) per element; no parameters; data_volume = input + output.
/// Preconditions: input ≥ 1, local_size ≥ 1 and odd (Caffe's rule). O(1).
struct lrn {
  static constexpr layer_type type = layer_type::lrn;

  shape3 input{};               ///< left empty inside a network builder
  std::int64_t local_size = 5;  ///< window length (Caffe default 5)
  lrn_region region = lrn_region::across_channels;

  /// Checks the preconditions above.
  constexpr void validate() const {
    detail::require_shape(input, "lrn");
    detail::require(local_size >= 1 && local_size % 2 == 1, "lrn", "local_size", local_size,
                    "must be odd and >= 1");
  }
  /// Output shape: the input's.
  [[nodiscard]] constexpr shape3 output() const {
    validate();
    return input;
  }
  /// All counts at once (see the struct's documentation).
  [[nodiscard]] constexpr layer_cost cost() const {
    validate();
    const std::int64_t n = region == lrn_region::across_channels
                               ? local_size
                               : detail::mul(local_size, local_size, "lrn window");
    return detail::pointwise_cost("lrn", input, detail::sum("lrn ops", n, n, 2), 0, 0);
  }

  SYNERGY_DETAIL_COST_GETTERS
};

}  // namespace synergy
