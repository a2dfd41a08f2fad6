#pragma once
/// @file
/// Train/test splits (k-fold, repeated random, grouped, leave-one-group-out) and
/// cross-validation of any regressor. Deterministic for a given seed on every platform: the
/// shuffles use std::mt19937_64 (fully specified by the standard) with our own unbiased
/// bounded draws, not std::shuffle or std::uniform_int_distribution (implementation-defined).

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <map>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "synergy/model/metrics.hpp"

namespace synergy::model {

/// Row indices of one training set and its test set.
struct split {
  std::vector<std::size_t> train;
  std::vector<std::size_t> test;
};

namespace detail {
/// Uniform integer in [0, bound) by rejection (no modulo bias).
inline std::uint64_t draw_below(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  std::uint64_t v;
  do v = rng();
  while (v >= limit);
  return v % bound;
}
/// Fisher–Yates shuffle with draw_below.
template <class T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[draw_below(rng, i)]);
}
inline std::vector<std::size_t> iota(std::size_t n) {
  std::vector<std::size_t> v(n);
  std::iota(v.begin(), v.end(), std::size_t{0});
  return v;
}
/// Splits whose test sets are the k near-equal parts of `order`.
inline std::vector<split> folds_of(const std::vector<std::size_t>& order, std::size_t k,
                                   std::size_t n) {
  std::vector<split> out(k);
  std::vector<std::size_t> fold_of(n);
  for (std::size_t i = 0; i < order.size(); ++i) fold_of[order[i]] = i * k / order.size();
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t f = 0; f < k; ++f) (fold_of[r] == f ? out[f].test : out[f].train).push_back(r);
  return out;
}
}  // namespace detail

/// k-fold splits of n rows after a seeded shuffle; every row is tested exactly once.
/// Throws std::invalid_argument unless 2 ≤ k ≤ n. O(n·k).
[[nodiscard]] inline std::vector<split> k_fold(std::size_t n, std::size_t k = 10,
                                               std::uint64_t seed = 1) {
  if (k < 2 || k > n)
    throw std::invalid_argument("k_fold: k = " + std::to_string(k) + " for " + std::to_string(n) +
                                " rows (need 2 <= k <= n)");
  std::mt19937_64 rng(seed);
  auto order = detail::iota(n);
  detail::shuffle(order, rng);
  return detail::folds_of(order, k, n);
}

/// `repeats` independent random splits with round(test_fraction · n) test rows (the paper's
/// 80:20 splits: test_fraction = 0.2). Throws std::invalid_argument unless 0 < test_fraction < 1
/// and both sides are non-empty. O(repeats · n).
[[nodiscard]] inline std::vector<split> random_splits(std::size_t n, std::size_t repeats = 10,
                                                      double test_fraction = 0.2,
                                                      std::uint64_t seed = 1) {
  const auto tests = static_cast<std::size_t>(std::lround(test_fraction * static_cast<double>(n)));
  if (!(test_fraction > 0 && test_fraction < 1) || tests == 0 || tests >= n || repeats == 0)
    throw std::invalid_argument("random_splits: test_fraction = " + std::to_string(test_fraction) +
                                " of " + std::to_string(n) + " rows leaves an empty side");
  std::mt19937_64 rng(seed);
  std::vector<split> out;
  for (std::size_t r = 0; r < repeats; ++r) {
    auto order = detail::iota(n);
    detail::shuffle(order, rng);
    split s;
    s.test.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(tests));
    s.train.assign(order.begin() + static_cast<std::ptrdiff_t>(tests), order.end());
    std::sort(s.test.begin(), s.test.end());
    std::sort(s.train.begin(), s.train.end());
    out.push_back(std::move(s));
  }
  return out;
}

/// Grouped k-fold: the distinct `groups` (e.g. network names, one per row) are shuffled and
/// dealt into k folds, so all rows of a group are tested together (leave-network-out).
/// Throws std::invalid_argument for no rows, an empty group name, or k outside 2..groups.
[[nodiscard]] inline std::vector<split> group_k_fold(const std::vector<std::string>& groups,
                                                     std::size_t k, std::uint64_t seed = 1) {
  std::map<std::string, std::size_t> id;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].empty())
      throw std::invalid_argument("group_k_fold: row " + std::to_string(i) + " has no group");
    id.try_emplace(groups[i], id.size());
  }
  if (k < 2 || k > id.size())
    throw std::invalid_argument("group_k_fold: k = " + std::to_string(k) + " for " +
                                std::to_string(id.size()) + " groups (need 2 <= k <= groups)");
  std::vector<std::string> names;
  for (const auto& [name, i] : id) names.push_back(name);  // sorted: order-independent
  std::mt19937_64 rng(seed);
  detail::shuffle(names, rng);
  std::map<std::string, std::size_t> fold;
  for (std::size_t i = 0; i < names.size(); ++i) fold[names[i]] = i * k / names.size();
  std::vector<split> out(k);
  for (std::size_t r = 0; r < groups.size(); ++r)
    for (std::size_t f = 0; f < k; ++f)
      (fold[groups[r]] == f ? out[f].test : out[f].train).push_back(r);
  return out;
}

/// One split per distinct group, testing that group alone (leave-one-network-out).
/// Throws std::invalid_argument for fewer than 2 groups or an empty group name.
[[nodiscard]] inline std::vector<split> leave_one_group_out(
    const std::vector<std::string>& groups) {
  std::map<std::string, std::size_t> count;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].empty())
      throw std::invalid_argument("leave_one_group_out: row " + std::to_string(i) +
                                  " has no group");
    ++count[groups[i]];
  }
  if (count.size() < 2)
    throw std::invalid_argument("leave_one_group_out: " + std::to_string(count.size()) +
                                " groups (need >= 2)");
  std::vector<split> out;
  for (const auto& [name, n] : count) {
    split s;
    for (std::size_t r = 0; r < groups.size(); ++r)
      (groups[r] == name ? s.test : s.train).push_back(r);
    out.push_back(std::move(s));
  }
  return out;
}

/// A regressor in the shape of this library's (and mlpack's): train on X, y; predict from X.
template <class R>
concept regressor = requires(R r, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  r.train(x, y);
  { r.predict(x) } -> std::convertible_to<Eigen::VectorXd>;
};

/// Cross-validation summary. Per fold: relative accuracy (Eq 8, mean over the fold's test
/// rows) and RMSPE; then their mean ± sd over folds (as the paper reports), and the pooled
/// R² of all test predictions.
struct cv_report {
  std::vector<double> fold_accuracy;
  std::vector<double> fold_rmspe;
  mean_sd relative_accuracy;
  mean_sd rmspe;
  double pooled_r_squared = 0;
};

/// Trains a fresh regressor from `make()` on each split's training rows and scores it on the
/// test rows. Throws std::invalid_argument for an empty split or an index out of range (and
/// whatever the regressor or metrics throw, e.g. for measured values ≤ 0).
template <class Make>
requires regressor<std::invoke_result_t<Make>>
[[nodiscard]] cv_report cross_validate(Make make, const Eigen::MatrixXd& x,
                                       const Eigen::VectorXd& y, const std::vector<split>& splits) {
  const auto take = [&](const std::vector<std::size_t>& rows, Eigen::MatrixXd& xs,
                        Eigen::VectorXd& ys) {
    xs.resize(static_cast<Eigen::Index>(rows.size()), x.cols());
    ys.resize(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i] >= static_cast<std::size_t>(x.rows()))
        throw std::invalid_argument("cross_validate: row " + std::to_string(rows[i]) + " of " +
                                    std::to_string(x.rows()));
      xs.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(rows[i]));
      ys(static_cast<Eigen::Index>(i)) = y(static_cast<Eigen::Index>(rows[i]));
    }
  };
  cv_report rep;
  std::vector<double> all_pred, all_meas;
  for (const split& s : splits) {
    if (s.train.empty() || s.test.empty())
      throw std::invalid_argument("cross_validate: a split has an empty side");
    Eigen::MatrixXd xtr, xte;
    Eigen::VectorXd ytr, yte;
    take(s.train, xtr, ytr);
    take(s.test, xte, yte);
    auto r = make();
    r.train(xtr, ytr);
    const Eigen::VectorXd p = r.predict(xte);
    const std::span<const double> ps(p.data(), static_cast<std::size_t>(p.size()));
    const std::span<const double> ms(yte.data(), static_cast<std::size_t>(yte.size()));
    rep.fold_accuracy.push_back(model::relative_accuracy(ps, ms).mean);
    rep.fold_rmspe.push_back(model::rmspe(ps, ms));
    all_pred.insert(all_pred.end(), ps.begin(), ps.end());
    all_meas.insert(all_meas.end(), ms.begin(), ms.end());
  }
  rep.relative_accuracy = summarise(rep.fold_accuracy);
  rep.rmspe = summarise(rep.fold_rmspe);
  rep.pooled_r_squared = r_squared(all_pred, all_meas);
  return rep;
}

}  // namespace synergy::model
