#pragma once
/// @file
/// Checks and helpers shared by the regressors: design-matrix validation, centring.

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>
#include <string>

namespace synergy::model::detail {

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <class Scalar>
using vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

/// Throws std::invalid_argument unless X (n × p) and y (n) agree, every value is finite, and —
/// when `need_rows` — there are at least as many rows as parameters (p, plus 1 with an
/// intercept); without `need_rows` at least 2 rows.
template <class Scalar>
void check_design(const matrix<Scalar>& x, const vector<Scalar>& y, bool intercept, const char* who,
                  bool need_rows = true) {
  const std::string w(who);
  if (x.rows() != y.size())
    throw std::invalid_argument(w + ": X has " + std::to_string(x.rows()) + " rows but y has " +
                                std::to_string(y.size()) + " values");
  if (x.cols() == 0) throw std::invalid_argument(w + ": X has no columns (no features)");
  const Eigen::Index params = need_rows ? x.cols() + (intercept ? 1 : 0) : 2;
  if (x.rows() < params)
    throw std::invalid_argument(w + ": " + std::to_string(x.rows()) + " samples for " +
                                std::to_string(params) + " parameters (need at least as many)");
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    if (!std::isfinite(static_cast<double>(y(i))))
      throw std::invalid_argument(w + ": y(" + std::to_string(i) + ") is not finite");
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      if (!std::isfinite(static_cast<double>(x(i, j))))
        throw std::invalid_argument(w + ": X(" + std::to_string(i) + ", " + std::to_string(j) +
                                    ") is not finite");
  }
}

/// Throws std::invalid_argument unless X has `expected` columns (prediction).
template <class Scalar>
void check_columns(const matrix<Scalar>& x, Eigen::Index expected, const char* who) {
  if (expected == 0) throw std::invalid_argument(std::string(who) + ": predict before train");
  if (x.cols() != expected)
    throw std::invalid_argument(std::string(who) + ": X has " + std::to_string(x.cols()) +
                                " columns, the model was trained on " + std::to_string(expected));
}

/// X and y centred on their means (when `intercept`; else unchanged), with the means, so that
/// an unpenalised intercept can be fitted as b0 = mean(y) − mean(X)·b afterwards.
template <class Scalar>
struct centred {
  matrix<Scalar> x;
  vector<Scalar> y;
  vector<Scalar> mean_x;
  Scalar mean_y = 0;

  centred(const matrix<Scalar>& x_in, const vector<Scalar>& y_in, bool intercept)
      : mean_x(vector<Scalar>::Zero(x_in.cols())) {
    if (intercept) {
      mean_x = x_in.colwise().mean().transpose();
      mean_y = y_in.mean();
    }
    x = x_in.rowwise() - mean_x.transpose();
    y = y_in.array() - mean_y;
  }
  /// The intercept that goes with coefficients b (0 without intercept).
  [[nodiscard]] Scalar intercept(const vector<Scalar>& b) const { return mean_y - mean_x.dot(b); }
};

}  // namespace synergy::model::detail
