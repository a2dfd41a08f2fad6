#pragma once
/// @file
/// Feature-subset selection for linear models: exhaustive best subset (the paper's §5 search,
/// 2^12 − 1 = 4,095 subsets of the 12 conv features) and forward/backward stepwise, scored by
/// BIC, AIC or adjusted R².

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/model/features.hpp"

namespace synergy::model {

/// Score of a subset. BIC and AIC: lower is better; adjusted R²: higher is better.
enum class criterion : std::uint8_t { bic, aic, adjusted_r2 };

/// snake_case name of a criterion.
[[nodiscard]] constexpr std::string_view to_string(criterion c) {
  return c == criterion::bic ? "bic" : (c == criterion::aic ? "aic" : "adjusted_r2");
}

/// A selected subset: its columns (ascending), their names, its score, its residual sum of
/// squares, and how many subsets were scored (collinear ones are skipped and not counted).
struct subset_result {
  std::vector<Eigen::Index> columns;
  std::vector<std::string> names;
  double score = 0;
  double rss = 0;
  std::size_t evaluated = 0;
};

namespace detail {

/// Gram-matrix form of a least-squares problem on standardised columns, so each subset costs
/// one small Cholesky factorisation: G = ZᵀZ, c = Zᵀy, with Z the centred (intercept) and
/// unit-norm columns of X.
class gram_problem {
 public:
  gram_problem(const feature_table& t, const Eigen::VectorXd& y, bool intercept)
      : n_(static_cast<double>(y.size())), intercept_(intercept) {
    const Eigen::MatrixXd& x = t.values;
    if (x.rows() != y.size())
      throw std::invalid_argument("subset selection: " + std::to_string(x.rows()) +
                                  " feature rows for " + std::to_string(y.size()) + " responses");
    if (x.cols() == 0) throw std::invalid_argument("subset selection: no features");
    if (!x.allFinite() || !y.allFinite())
      throw std::invalid_argument("subset selection: non-finite feature or response");
    Eigen::MatrixXd z = x;
    Eigen::VectorXd yc = y;
    if (intercept) {
      z = z.rowwise() - x.colwise().mean();
      yc = y.array() - y.mean();
    }
    for (Eigen::Index j = 0; j < z.cols(); ++j) {
      const double norm = z.col(j).norm();
      if (norm == 0)
        throw std::invalid_argument("subset selection: feature '" +
                                    t.names.at(static_cast<std::size_t>(j)) +
                                    "' is constant (carries no information)");
      z.col(j) /= norm;
    }
    gram_ = z.transpose() * z;
    zy_ = z.transpose() * yc;
    tss_ = yc.squaredNorm();
  }

  /// RSS of the subset, or nothing if its columns are (numerically) collinear.
  [[nodiscard]] std::optional<double> rss(const std::vector<Eigen::Index>& s) const {
    const auto k = static_cast<Eigen::Index>(s.size());
    Eigen::MatrixXd g(k, k);
    Eigen::VectorXd c(k);
    for (Eigen::Index i = 0; i < k; ++i) {
      c(i) = zy_(s[static_cast<std::size_t>(i)]);
      for (Eigen::Index j = 0; j < k; ++j)
        g(i, j) = gram_(s[static_cast<std::size_t>(i)], s[static_cast<std::size_t>(j)]);
    }
    const Eigen::LLT<Eigen::MatrixXd> llt(g);
    if (llt.info() != Eigen::Success) return std::nullopt;
    // Unit-diagonal G: a tiny pivot means a column is (nearly) a combination of the others.
    if (llt.matrixLLT().diagonal().minCoeff() < 1e-7) return std::nullopt;
    const double explained = c.dot(llt.solve(c));
    return std::max(tss_ - explained, tss_ * 1e-15);
  }

  /// Score of a subset of size k with the given RSS.
  [[nodiscard]] double score(criterion crit, double rss, std::size_t k) const {
    const double params = static_cast<double>(k) + (intercept_ ? 1 : 0);
    switch (crit) {
      case criterion::bic:
        return n_ * std::log(rss / n_) + params * std::log(n_);
      case criterion::aic:
        return n_ * std::log(rss / n_) + 2 * params;
      case criterion::adjusted_r2: {
        const double dof = n_ - params;
        if (dof <= 0) return -std::numeric_limits<double>::infinity();
        return 1 - (rss / dof) / (tss_ / (n_ - (intercept_ ? 1 : 0)));
      }
    }
    return 0;
  }

  [[nodiscard]] static bool better(criterion crit, double a, double b) {
    return crit == criterion::adjusted_r2 ? a > b : a < b;
  }

 private:
  double n_;
  bool intercept_;
  Eigen::MatrixXd gram_;
  Eigen::VectorXd zy_;
  double tss_ = 0;
};

inline subset_result make_result(const feature_table& t, std::vector<Eigen::Index> cols,
                                 double score, double rss, std::size_t evaluated) {
  subset_result r{std::move(cols), {}, score, rss, evaluated};
  for (Eigen::Index c : r.columns) r.names.push_back(t.names.at(static_cast<std::size_t>(c)));
  return r;
}

}  // namespace detail

/// Exhaustive best subset: scores every non-empty subset of at most `max_size` columns
/// (0: no limit) and returns the best. Throws std::invalid_argument for more than 20 columns
/// (use forward_stepwise), mismatched sizes, non-finite values, a constant column, or when no
/// subset is free of collinearity. Cost O(2^p · p³) after an O(n·p²) Gram matrix.
[[nodiscard]] inline subset_result best_subset(const feature_table& t, const Eigen::VectorXd& y,
                                               criterion crit = criterion::bic,
                                               std::size_t max_size = 0, bool intercept = true) {
  const auto p = static_cast<std::size_t>(t.values.cols());
  if (p > 20)
    throw std::invalid_argument("best_subset: " + std::to_string(p) +
                                " features (at most 20; use forward_stepwise)");
  const detail::gram_problem g(t, y, intercept);
  std::optional<subset_result> best;
  std::size_t evaluated = 0;
  std::vector<Eigen::Index> s;
  for (std::uint32_t mask = 1; mask < (1U << p); ++mask) {
    s.clear();
    for (std::size_t j = 0; j < p; ++j)
      if (mask & (1U << j)) s.push_back(static_cast<Eigen::Index>(j));
    if (max_size != 0 && s.size() > max_size) continue;
    const auto rss = g.rss(s);
    if (!rss) continue;
    ++evaluated;
    const double sc = g.score(crit, *rss, s.size());
    if (!best || detail::gram_problem::better(crit, sc, best->score))
      best = detail::make_result(t, s, sc, *rss, 0);
  }
  if (!best) throw std::invalid_argument("best_subset: every subset is collinear");
  best->evaluated = evaluated;
  return *best;
}

/// Forward stepwise: from the empty set, adds the column that improves the score most, until
/// none does. Same errors as best_subset, without the 20-column limit. O(p² · p³).
[[nodiscard]] inline subset_result forward_stepwise(const feature_table& t,
                                                    const Eigen::VectorXd& y,
                                                    criterion crit = criterion::bic,
                                                    bool intercept = true) {
  const detail::gram_problem g(t, y, intercept);
  std::vector<Eigen::Index> chosen;
  std::optional<double> current;
  double current_rss = 0;
  std::size_t evaluated = 0;
  for (;;) {
    std::optional<Eigen::Index> pick;
    double pick_score = 0, pick_rss = 0;
    for (Eigen::Index j = 0; j < t.values.cols(); ++j) {
      if (std::find(chosen.begin(), chosen.end(), j) != chosen.end()) continue;
      auto s = chosen;
      s.push_back(j);
      std::sort(s.begin(), s.end());
      const auto rss = g.rss(s);
      if (!rss) continue;
      ++evaluated;
      const double sc = g.score(crit, *rss, s.size());
      if (!pick || detail::gram_problem::better(crit, sc, pick_score)) {
        pick = j;
        pick_score = sc;
        pick_rss = *rss;
      }
    }
    if (!pick || (current && !detail::gram_problem::better(crit, pick_score, *current))) break;
    chosen.push_back(*pick);
    std::sort(chosen.begin(), chosen.end());
    current = pick_score;
    current_rss = pick_rss;
  }
  if (!current) throw std::invalid_argument("forward_stepwise: every feature is collinear");
  return detail::make_result(t, chosen, *current, current_rss, evaluated);
}

/// Backward stepwise: from all columns (which must not be collinear), removes the column whose
/// removal improves the score most, until none does. Same errors as best_subset. O(p² · p³).
[[nodiscard]] inline subset_result backward_stepwise(const feature_table& t,
                                                     const Eigen::VectorXd& y,
                                                     criterion crit = criterion::bic,
                                                     bool intercept = true) {
  const detail::gram_problem g(t, y, intercept);
  std::vector<Eigen::Index> chosen;
  for (Eigen::Index j = 0; j < t.values.cols(); ++j) chosen.push_back(j);
  const auto full = g.rss(chosen);
  if (!full)
    throw std::invalid_argument(
        "backward_stepwise: the full set of features is collinear "
        "(use forward_stepwise)");
  double current = g.score(crit, *full, chosen.size()), current_rss = *full;
  std::size_t evaluated = 1;
  while (chosen.size() > 1) {
    std::optional<std::size_t> drop;
    double drop_score = 0, drop_rss = 0;
    for (std::size_t k = 0; k < chosen.size(); ++k) {
      auto s = chosen;
      s.erase(s.begin() + static_cast<std::ptrdiff_t>(k));
      const auto rss = g.rss(s);
      if (!rss) continue;
      ++evaluated;
      const double sc = g.score(crit, *rss, s.size());
      if (!drop || detail::gram_problem::better(crit, sc, drop_score)) {
        drop = k;
        drop_score = sc;
        drop_rss = *rss;
      }
    }
    if (!drop || !detail::gram_problem::better(crit, drop_score, current)) break;
    chosen.erase(chosen.begin() + static_cast<std::ptrdiff_t>(*drop));
    current = drop_score;
    current_rss = drop_rss;
  }
  return detail::make_result(t, chosen, current, current_rss, evaluated);
}

}  // namespace synergy::model
