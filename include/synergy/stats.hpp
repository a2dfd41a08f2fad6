#pragma once
/// @file
/// Summary statistics of repeated measurements (mean, sample standard deviation, median), used
/// by measurement (attribution over runs), the timing protocol and model validation alike.

#include <algorithm>
#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

namespace synergy {

/// Mean and (sample, n − 1) standard deviation of a set of values.
struct mean_sd {
  double mean = 0;
  double sd = 0;
};

/// Mean and sample standard deviation (n − 1; 0 for one value) of `values`. Throws
/// std::invalid_argument for no values. O(n).
[[nodiscard]] inline mean_sd summarise(std::span<const double> values) {
  if (values.empty()) throw std::invalid_argument("summarise: no values");
  const auto n = static_cast<double>(values.size());
  mean_sd m;
  for (double v : values) m.mean += v;
  m.mean /= n;
  for (double v : values) m.sd += (v - m.mean) * (v - m.mean);
  m.sd = values.size() > 1 ? std::sqrt(m.sd / (n - 1)) : 0.0;
  return m;
}

/// Median of `values` (the mean of the two middle values for an even count). Throws
/// std::invalid_argument for no values. O(n log n) (sorts a copy).
[[nodiscard]] inline double median(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("median: no values");
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace synergy
