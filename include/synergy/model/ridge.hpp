#pragma once
/// @file
/// Ridge regression (Tikhonov-regularised least squares).

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>
#include <string>

#include "synergy/model/detail/design.hpp"

namespace synergy::model {

/// Ridge regression: minimises ‖y − b0 − X·b‖² + λ·‖b‖²; the intercept b0 is not penalised
/// (X and y are centred first). Solved as the least-squares problem [Xc; √λ·I]·b ≈ [yc; 0] by
/// QR with column pivoting, so λ = 0 gives ordinary least squares.
/// Preconditions: λ ≥ 0 and finite (else std::invalid_argument); the design checks of
/// least_squares. Cost O((n + p)·p²).
template <class Scalar = double>
class ridge {
 public:
  using matrix = detail::matrix<Scalar>;
  using vector = detail::vector<Scalar>;

  /// `lambda`: the penalty weight λ.
  explicit ridge(Scalar lambda, bool intercept = true) : lambda_(lambda), intercept_(intercept) {
    if (!(lambda >= 0) || !std::isfinite(static_cast<double>(lambda)))
      throw std::invalid_argument("ridge: lambda = " + std::to_string(lambda) +
                                  " (must be finite and >= 0)");
  }

  /// Fits X (n × p) to y (n).
  void train(const matrix& x, const vector& y) {
    detail::check_design(x, y, intercept_, "ridge");
    const auto p = x.cols();
    const detail::centred<Scalar> c(x, y, intercept_);
    matrix a(x.rows() + p, p);
    a.topRows(x.rows()) = c.x;
    a.bottomRows(p) = matrix::Identity(p, p) * std::sqrt(lambda_);
    vector rhs = vector::Zero(x.rows() + p);
    rhs.head(x.rows()) = c.y;
    Eigen::ColPivHouseholderQR<matrix> qr(a);
    if (qr.rank() < p)
      throw std::invalid_argument("ridge: design is rank deficient (rank " +
                                  std::to_string(qr.rank()) + " of " + std::to_string(p) +
                                  "); use lambda > 0");
    weights_ = qr.solve(rhs);
    intercept_value_ = c.intercept(weights_);
  }

  /// Predictions b0 + X·b.
  [[nodiscard]] vector predict(const matrix& x) const {
    detail::check_columns(x, weights_.size(), "ridge");
    return (x * weights_).array() + intercept_value_;
  }
  /// Coefficients b.
  [[nodiscard]] const vector& coefficients() const { return weights_; }
  /// Intercept b0.
  [[nodiscard]] Scalar intercept() const { return intercept_value_; }

 private:
  Scalar lambda_;
  bool intercept_;
  vector weights_;
  Scalar intercept_value_ = 0;
};

}  // namespace synergy::model
