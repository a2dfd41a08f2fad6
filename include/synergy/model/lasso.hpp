#pragma once
/// @file
/// Lasso regression by cyclic coordinate descent (for the NeuralPower-style baseline).

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "synergy/model/detail/design.hpp"

namespace synergy::model {

/// Lasso: minimises (1 / 2n)·‖y − b0 − X·b‖² + λ·‖b‖₁ (the glmnet scaling); b0 is not penalised
/// (X and y are centred first). Cyclic coordinate descent with soft thresholding (Friedman,
/// Hastie, Tibshirani 2010): b_j ← S(x_jᵀr/n + z_j·b_j, λ) / z_j with z_j = x_jᵀx_j / n, until
/// a sweep's largest z_j·Δb_j² is at most `tolerance` times the centred response's mean square
/// (glmnet's rule: the objective has stopped moving, even between collinear columns).
/// Preconditions: λ ≥ 0, tolerance > 0, max_sweeps ≥ 1 (else std::invalid_argument); design
/// checks as least_squares, except that p > n is allowed. No convergence in `max_sweeps`
/// sweeps throws std::runtime_error. Cost O(n·p) per sweep.
template <class Scalar = double>
class lasso {
 public:
  using matrix = detail::matrix<Scalar>;
  using vector = detail::vector<Scalar>;

  explicit lasso(Scalar lambda, bool intercept = true, Scalar tolerance = Scalar(1e-10),
                 int max_sweeps = 100000)
      : lambda_(lambda), intercept_(intercept), tolerance_(tolerance), max_sweeps_(max_sweeps) {
    if (!(lambda >= 0) || !std::isfinite(static_cast<double>(lambda)))
      throw std::invalid_argument("lasso: lambda = " + std::to_string(lambda) + " (must be >= 0)");
    if (!(tolerance > 0)) throw std::invalid_argument("lasso: tolerance must be > 0");
    if (max_sweeps < 1) throw std::invalid_argument("lasso: max_sweeps must be >= 1");
  }

  /// Fits X (n × p) to y (n).
  void train(const matrix& x, const vector& y) {
    detail::check_design(x, y, intercept_, "lasso", false);
    const auto n = static_cast<Scalar>(x.rows());
    const Eigen::Index p = x.cols();
    const detail::centred<Scalar> c(x, y, intercept_);
    const matrix& xc = c.x;
    vector r = c.y;
    const Scalar null_deviance = std::max(r.squaredNorm() / n, std::numeric_limits<Scalar>::min());
    const vector z = xc.colwise().squaredNorm().transpose() / n;
    weights_ = vector::Zero(p);
    for (int sweep = 0;; ++sweep) {
      if (sweep >= max_sweeps_)
        throw std::runtime_error("lasso: no convergence in " + std::to_string(max_sweeps_) +
                                 " sweeps");
      Scalar largest_step = 0;
      for (Eigen::Index j = 0; j < p; ++j) {
        if (z(j) == 0) continue;  // a constant column carries no information
        const Scalar rho = xc.col(j).dot(r) / n + z(j) * weights_(j);
        const Scalar updated = soft_threshold(rho, lambda_) / z(j);
        const Scalar step = updated - weights_(j);
        if (step != 0) {
          r -= step * xc.col(j);
          weights_(j) = updated;
        }
        largest_step = std::max(largest_step, z(j) * step * step);
      }
      if (largest_step <= tolerance_ * null_deviance) break;
    }
    intercept_value_ = c.intercept(weights_);
  }

  /// Predictions b0 + X·b.
  [[nodiscard]] vector predict(const matrix& x) const {
    detail::check_columns(x, weights_.size(), "lasso");
    return (x * weights_).array() + intercept_value_;
  }
  /// Coefficients b (exact zeros for dropped features).
  [[nodiscard]] const vector& coefficients() const { return weights_; }
  /// Intercept b0.
  [[nodiscard]] Scalar intercept() const { return intercept_value_; }

 private:
  static Scalar soft_threshold(Scalar v, Scalar t) {
    return v > t ? v - t : (v < -t ? v + t : Scalar(0));
  }

  Scalar lambda_;
  bool intercept_;
  Scalar tolerance_;
  int max_sweeps_;
  vector weights_;
  Scalar intercept_value_ = 0;
};

}  // namespace synergy::model
