#pragma once
/// @file
/// Non-negative least squares (Lawson–Hanson active set).

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/model/detail/design.hpp"

namespace synergy::model {

/// Non-negative least squares: minimises ‖y − b0 − X·b‖² subject to b ≥ 0 (an energy or time
/// per MAC cannot be negative). The intercept, when asked for, is not constrained: the optimum
/// b0 = mean(y) − mean(X)·b turns the problem into NNLS on centred data.
///
/// Algorithm: Lawson & Hanson (1974), "Solving Least Squares Problems", ch. 23, with the
/// passive-set subproblems solved by QR with column pivoting; at most 3·p outer iterations
/// (else std::runtime_error). `train` throws std::invalid_argument on bad designs as
/// least_squares does. Cost O(p · n·p²) in the worst case.
template <class Scalar = double>
class non_negative_least_squares {
 public:
  using matrix = detail::matrix<Scalar>;
  using vector = detail::vector<Scalar>;

  explicit non_negative_least_squares(bool intercept = true) : intercept_(intercept) {}

  /// Fits X (n × p) to y (n) with b ≥ 0.
  void train(const matrix& x, const vector& y) {
    detail::check_design(x, y, intercept_, "non_negative_least_squares");
    const detail::centred<Scalar> c(x, y, intercept_);
    weights_ = solve(c.x, c.y);
    intercept_value_ = c.intercept(weights_);
  }

  /// Predictions b0 + X·b.
  [[nodiscard]] vector predict(const matrix& x) const {
    detail::check_columns(x, weights_.size(), "non_negative_least_squares");
    return (x * weights_).array() + intercept_value_;
  }
  /// Coefficients b (all ≥ 0).
  [[nodiscard]] const vector& coefficients() const { return weights_; }
  /// Intercept b0.
  [[nodiscard]] Scalar intercept() const { return intercept_value_; }

 private:
  static vector solve(const matrix& a, const vector& y) {
    const Eigen::Index p = a.cols();
    const Scalar tol = Scalar(10) * std::numeric_limits<Scalar>::epsilon() *
                       a.cwiseAbs().colwise().sum().maxCoeff() *
                       Scalar(std::max(a.rows(), a.cols()));
    std::vector<bool> passive(static_cast<std::size_t>(p), false);
    vector b = vector::Zero(p);
    vector w = a.transpose() * (y - a * b);
    for (Eigen::Index iteration = 0;; ++iteration) {
      Eigen::Index t = -1;
      for (Eigen::Index j = 0; j < p; ++j)
        if (!passive[static_cast<std::size_t>(j)] && w(j) > tol && (t < 0 || w(j) > w(t))) t = j;
      if (t < 0) break;  // Kuhn–Tucker conditions hold
      if (iteration >= 3 * p)
        throw std::runtime_error("non_negative_least_squares: no convergence in " +
                                 std::to_string(3 * p) + " iterations");
      passive[static_cast<std::size_t>(t)] = true;
      for (;;) {
        const vector s = passive_solution(a, y, passive);
        Scalar alpha = 1;
        bool feasible = true;
        for (Eigen::Index j = 0; j < p; ++j)
          if (passive[static_cast<std::size_t>(j)] && s(j) <= 0) {
            feasible = false;
            alpha = std::min(alpha, b(j) / (b(j) - s(j)));
          }
        if (feasible) {
          b = s;
          break;
        }
        b += alpha * (s - b);
        for (Eigen::Index j = 0; j < p; ++j)
          if (passive[static_cast<std::size_t>(j)] && b(j) <= tol) {
            passive[static_cast<std::size_t>(j)] = false;
            b(j) = 0;
          }
      }
      w = a.transpose() * (y - a * b);
    }
    return b;
  }

  /// Unconstrained least squares on the passive columns; zero elsewhere.
  static vector passive_solution(const matrix& a, const vector& y,
                                 const std::vector<bool>& passive) {
    std::vector<Eigen::Index> cols;
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      if (passive[static_cast<std::size_t>(j)]) cols.push_back(j);
    matrix sub(a.rows(), static_cast<Eigen::Index>(cols.size()));
    for (std::size_t k = 0; k < cols.size(); ++k)
      sub.col(static_cast<Eigen::Index>(k)) = a.col(cols[k]);
    const vector z = Eigen::ColPivHouseholderQR<matrix>(sub).solve(y);
    vector s = vector::Zero(a.cols());
    for (std::size_t k = 0; k < cols.size(); ++k) s(cols[k]) = z(static_cast<Eigen::Index>(k));
    return s;
  }

  bool intercept_;
  vector weights_;
  Scalar intercept_value_ = 0;
};

}  // namespace synergy::model
