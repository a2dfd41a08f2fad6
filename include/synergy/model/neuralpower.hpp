#pragma once
/// @file
/// The comparison baseline: NeuralPower-style per-layer polynomial models (Cai et al., ACML
/// 2017): for each layer type, the per-layer features expanded to a polynomial of degree d with
/// cross terms and fitted by lasso; a network's estimate is the sum of its layers' predictions.

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/model/features.hpp"
#include "synergy/model/lasso.hpp"
#include "synergy/model/validation.hpp"

namespace synergy::model {

/// Per-layer-type polynomial lasso models of a Response (energy or duration). Columns and the
/// response are standardised before the fit (so one λ suits features of any scale) and
/// un-standardised on prediction.
template <response_quantity Response>
class neuralpower_model {
 public:
  /// `degree` ≥ 1 of the polynomial; `lambda` ≥ 0 the lasso penalty on the standardised scale.
  explicit neuralpower_model(int degree = 2, double lambda = 1e-3)
      : degree_(degree), lambda_(lambda) {
    if (degree < 1) throw std::invalid_argument("neuralpower_model: degree must be >= 1");
  }

  /// Fits one model per layer type present in `samples` (the `no_cost` class skipped: input,
  /// flatten, identity, opaque).
  /// A type with fewer than 2 layers gets a constant model (its mean). Errors of lasso and
  /// polynomial_features propagate.
  void train(std::span<const layer_sample<Response>> samples) {
    models_.clear();
    std::map<layer_type, bool> types;
    for (const auto& s : samples)
      if (classify(s.op, class_scheme::layer_type) != layer_class::no_cost)
        types[type_of(s.op)] = true;
    for (const auto& [t, _] : types) {
      const layer_dataset ds = layer_features(samples, t);
      const feature_table poly = polynomial_features(ds.features, degree_);
      per_type m;
      m.mean = poly.values.colwise().mean().transpose();
      m.sd = ((poly.values.rowwise() - m.mean.transpose()).colwise().norm() /
              std::sqrt(std::max<double>(1.0, static_cast<double>(poly.values.rows()))))
                 .transpose();
      m.y_mean = ds.response.mean();
      m.y_sd = std::sqrt((ds.response.array() - m.y_mean).square().mean());
      m.weights = Eigen::VectorXd::Zero(poly.values.cols());
      if (poly.values.rows() >= 2 && m.y_sd > 0) {
        Eigen::MatrixXd z = poly.values.rowwise() - m.mean.transpose();
        for (Eigen::Index j = 0; j < z.cols(); ++j)
          z.col(j) =
              m.sd(j) > 0 ? Eigen::VectorXd(z.col(j) / m.sd(j)) : Eigen::VectorXd::Zero(z.rows());
        lasso<double> l(lambda_, true, 1e-7, 100000);
        l.train(z, (ds.response.array() - m.y_mean) / m.y_sd);
        m.weights = l.coefficients();
        m.bias = l.intercept();
      }
      models_[t] = m;
    }
  }

  /// Prediction for one layer (clamped at 0). Throws std::invalid_argument for a layer type
  /// the model was not trained on.
  [[nodiscard]] Response predict(const layer& l) const {
    const layer_type t = type_of(l);
    if (classify(l, class_scheme::layer_type) == layer_class::no_cost) return Response{};
    const auto it = models_.find(t);
    if (it == models_.end())
      throw std::invalid_argument("neuralpower_model: no model for layer type '" +
                                  std::string(to_string(t)) + "'");
    const per_type& m = it->second;
    feature_table one{layer_feature_names(t),
                      Eigen::MatrixXd(1, static_cast<Eigen::Index>(layer_feature_names(t).size()))};
    const auto v = layer_feature_values(l);
    for (std::size_t j = 0; j < v.size(); ++j) one.values(0, static_cast<Eigen::Index>(j)) = v[j];
    const Eigen::VectorXd x = polynomial_features(one, degree_).values.row(0).transpose();
    double z = m.bias;
    for (Eigen::Index j = 0; j < x.size(); ++j)
      if (m.sd(j) > 0) z += m.weights(j) * (x(j) - m.mean(j)) / m.sd(j);
    return Response::from_value(std::max(0.0, m.y_mean + m.y_sd * z));
  }

 private:
  struct per_type {
    Eigen::VectorXd mean, sd, weights;
    double bias = 0, y_mean = 0, y_sd = 0;
  };
  int degree_;
  double lambda_;
  std::map<layer_type, per_type> models_;
};

/// Leave-network-out validation of the NeuralPower-style baseline on the same test sets as
/// validate_by_network (report grouped by `scheme`; Response deduced from `samples`).
template <sample_range Samples>
[[nodiscard]] validation_report<sample_response_t<Samples>> validate_neuralpower(
    const Samples& samples, class_scheme scheme,
    const std::vector<std::vector<std::string>>& test_sets, int degree = 2, double lambda = 1e-3) {
  using Response = sample_response_t<Samples>;
  return validate_predictor(
      samples, scheme, test_sets, [&](std::span<const layer_sample<Response>> train) {
        neuralpower_model<Response> m(degree, lambda);
        m.train(train);
        return [m](const layer_sample<Response>& s) { return m.predict(s.op); };
      });
}

}  // namespace synergy::model
