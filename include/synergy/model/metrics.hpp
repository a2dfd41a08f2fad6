#pragma once
/// @file
/// Accuracy metrics of predictions against measurements: relative accuracy (SyNERGY Eq 8),
/// RMSPE (NeuralPower's metric), MAPE, R².

#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/stats.hpp"

namespace synergy::model {

namespace detail {
/// Checks that `predicted` and `measured` have the same non-zero length and are finite, and,
/// when `positive_measured`, that every measured value is > 0 (percent errors divide by it).
inline void check_pairs(std::span<const double> predicted, std::span<const double> measured,
                        const char* metric, bool positive_measured) {
  const std::string m(metric);
  if (predicted.size() != measured.size())
    throw std::invalid_argument(m + ": " + std::to_string(predicted.size()) + " predictions for " +
                                std::to_string(measured.size()) + " measurements");
  if (measured.empty()) throw std::invalid_argument(m + ": no measurements");
  for (std::size_t i = 0; i < measured.size(); ++i) {
    if (!std::isfinite(predicted[i]) || !std::isfinite(measured[i]))
      throw std::invalid_argument(m + ": non-finite value at index " + std::to_string(i));
    if (positive_measured && measured[i] <= 0)
      throw std::invalid_argument(m + ": measured value " + std::to_string(measured[i]) +
                                  " at index " + std::to_string(i) + " is not > 0");
  }
}
}  // namespace detail

// The summaries of the ground floor, named here too (model code has always used them as model::).
using synergy::mean_sd;
using synergy::summarise;

/// Per-case relative accuracy, SyNERGY Eq 8: 100 − |p − m| / m · 100 (percent; may be negative
/// for errors above 100 %), averaged over the cases, with its sample standard deviation.
/// Throws std::invalid_argument for unequal or zero lengths, non-finite values or m ≤ 0. O(n).
[[nodiscard]] inline mean_sd relative_accuracy(std::span<const double> predicted,
                                               std::span<const double> measured) {
  detail::check_pairs(predicted, measured, "relative_accuracy", true);
  std::vector<double> a(measured.size());
  for (std::size_t i = 0; i < measured.size(); ++i)
    a[i] = 100.0 - std::abs(predicted[i] - measured[i]) / measured[i] * 100.0;
  return summarise(a);
}

/// Root-mean-square percentage error: sqrt(mean(((p − m) / m)²)) · 100 (NeuralPower reports
/// 100 − RMSPE). Same preconditions as relative_accuracy. O(n).
[[nodiscard]] inline double rmspe(std::span<const double> predicted,
                                  std::span<const double> measured) {
  detail::check_pairs(predicted, measured, "rmspe", true);
  double s = 0;
  for (std::size_t i = 0; i < measured.size(); ++i) {
    const double e = (predicted[i] - measured[i]) / measured[i];
    s += e * e;
  }
  return std::sqrt(s / static_cast<double>(measured.size())) * 100.0;
}

/// Mean absolute percentage error: mean(|p − m| / m) · 100. Same preconditions. O(n).
[[nodiscard]] inline double mape(std::span<const double> predicted,
                                 std::span<const double> measured) {
  return 100.0 - relative_accuracy(predicted, measured).mean;
}

/// Coefficient of determination 1 − SS_res / SS_tot. Throws std::invalid_argument for unequal
/// or zero lengths, non-finite values, or constant measurements (SS_tot = 0). O(n).
[[nodiscard]] inline double r_squared(std::span<const double> predicted,
                                      std::span<const double> measured) {
  detail::check_pairs(predicted, measured, "r_squared", false);
  double mean = 0;
  for (double m : measured) mean += m;
  mean /= static_cast<double>(measured.size());
  double ss_res = 0, ss_tot = 0;
  for (std::size_t i = 0; i < measured.size(); ++i) {
    ss_res += (measured[i] - predicted[i]) * (measured[i] - predicted[i]);
    ss_tot += (measured[i] - mean) * (measured[i] - mean);
  }
  if (ss_tot == 0) throw std::invalid_argument("r_squared: measurements are constant");
  return 1.0 - ss_res / ss_tot;
}

}  // namespace synergy::model
