// Regressors against certified and hand-derived solutions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <synergy/model/lasso.hpp>
#include <synergy/model/least_squares.hpp>
#include <synergy/model/nnls.hpp>
#include <synergy/model/ridge.hpp>
#include <vector>

using namespace synergy::model;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// NIST StRD "Longley" (../shared/data/nist_strd): certified parameter estimates, residual
// standard deviation and R² (itl.nist.gov/div898/strd/lls/data/Longley.shtml).
const double certified_b[] = {-3482258.63459582, 15.0618722713733,  -0.358191792925910E-01,
                              -2.02022980381683, -1.03322686717359, -0.511041056535807E-01,
                              1829.15146461355};
const double certified_residual_sd = 304.854073561965;

bool read_longley(MatrixXd& x, VectorXd& y) {
  const auto file = std::filesystem::path(SYNERGY_SHARED_DATA) / "nist_strd" / "longley.csv";
  std::ifstream in(file);
  if (!in) return false;
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::vector<double> v;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) v.push_back(std::stod(f));
    rows.push_back(v);
  }
  x.resize(static_cast<Eigen::Index>(rows.size()), 6);
  y.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    y(r) = rows[i].at(1);
    for (int j = 0; j < 6; ++j) x(r, j) = rows[i].at(static_cast<std::size_t>(j) + 2);
  }
  return true;
}

TEST(LeastSquares, LongleyToCertifiedDigits) {
  MatrixXd x;
  VectorXd y;
  if (!read_longley(x, y)) GTEST_SKIP() << "no ../shared/data/nist_strd/longley.csv";
  ASSERT_EQ(x.rows(), 16);
  least_squares<double> ols;
  ols.train(x, y);
  // At least 11 significant digits on every parameter (NIST's data set is ill-conditioned;
  // measured here: 11.6 on the worst parameter, 13.5 on the residual SD, with g++ and clang at
  // -O0 and -O2 alike).
  EXPECT_NEAR(ols.intercept(), certified_b[0], 1e-11 * std::abs(certified_b[0]));
  for (int j = 0; j < 6; ++j)
    EXPECT_NEAR(ols.coefficients()(j), certified_b[j + 1], 1e-11 * std::abs(certified_b[j + 1]))
        << "B" << j + 1;
  EXPECT_NEAR(ols.residual_sd(), certified_residual_sd, 1e-13 * certified_residual_sd);
  EXPECT_EQ(ols.rank(), 7);
}

// y = 1 + 2·x1 − 3·x2 exactly, x2 = x1² so the columns are independent.
TEST(LeastSquares, RecoversAnExactLinearModelInFloatAndDouble) {
  MatrixXd x(5, 2);
  VectorXd y(5);
  for (int i = 0; i < 5; ++i) {
    x(i, 0) = i;
    x(i, 1) = i * i;
    y(i) = 1 + 2.0 * i - 3.0 * i * i;
  }
  least_squares<double> d;
  d.train(x, y);
  EXPECT_NEAR(d.intercept(), 1.0, 1e-12);
  EXPECT_NEAR(d.coefficients()(0), 2.0, 1e-12);
  EXPECT_NEAR(d.coefficients()(1), -3.0, 1e-12);
  least_squares<float> f;
  f.train(x.cast<float>(), y.cast<float>());
  EXPECT_NEAR(f.coefficients()(1), -3.0F, 1e-4F);
  // Through the origin: y = 2·x exactly.
  least_squares<double> origin(false);
  MatrixXd x1 = x.leftCols(1);
  origin.train(x1, 2 * x1.col(0));
  EXPECT_EQ(origin.intercept(), 0.0);
  EXPECT_NEAR(origin.coefficients()(0), 2.0, 1e-12);
  EXPECT_NEAR(origin.predict(MatrixXd::Constant(1, 1, 10.0))(0), 20.0, 1e-12);
}

TEST(LeastSquares, BadInputIsAClearError) {
  least_squares<double> ols;
  MatrixXd x(3, 2);
  x << 1, 2, 2, 4, 3, 6;  // column 1 = 2 · column 0
  VectorXd y(3);
  y << 1, 2, 3;
  try {
    ols.train(x, y);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rank deficient (rank 2 of 3"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ols.train(MatrixXd::Ones(2, 2), VectorXd::Ones(2)), std::invalid_argument);
  MatrixXd nan = MatrixXd::Ones(4, 1);
  nan(2, 0) = std::nan("");
  EXPECT_THROW(ols.train(nan, VectorXd::Ones(4)), std::invalid_argument);
  EXPECT_THROW(ols.train(MatrixXd::Ones(4, 1), VectorXd::Ones(3)), std::invalid_argument);
  EXPECT_THROW((void)least_squares<double>().predict(MatrixXd::Ones(1, 1)), std::invalid_argument);
}

// Ridge on x = (−1, 0, 1), y = (−2, 0, 2): Xcᵀ Xc = 2, Xcᵀ y = 4, so b = 4 / (2 + λ).
TEST(Ridge, HandDerivedShrinkage) {
  MatrixXd x(3, 1);
  x << -1, 0, 1;
  VectorXd y(3);
  y << -2, 0, 2;
  for (double lambda : {0.0, 2.0, 6.0}) {
    ridge<double> r(lambda);
    r.train(x, y);
    EXPECT_NEAR(r.coefficients()(0), 4.0 / (2.0 + lambda), 1e-12) << lambda;
    EXPECT_NEAR(r.intercept(), 0.0, 1e-12);
  }
  EXPECT_THROW(ridge<double>(-1.0), std::invalid_argument);
}

// NNLS: X = [1 0; 1 1; 1 2], y = (2, 1, 0), no intercept. Unconstrained: b = (2, −1). With
// b ≥ 0: b2 = 0 and b1 = mean(y) = 1; KKT: x2ᵀ(y − X·b) = (0, 1, 2)·(1, 0, −1) = −2 ≤ 0.
TEST(NonNegativeLeastSquares, HandDerivedActiveSet) {
  MatrixXd x(3, 2);
  x << 1, 0, 1, 1, 1, 2;
  VectorXd y(3);
  y << 2, 1, 0;
  non_negative_least_squares<double> nnls(false);
  nnls.train(x, y);
  EXPECT_NEAR(nnls.coefficients()(0), 1.0, 1e-12);
  EXPECT_EQ(nnls.coefficients()(1), 0.0);
  // When the unconstrained solution is non-negative, NNLS equals OLS: y = 3·x1 + 0.5·x2.
  VectorXd y2 = 3 * x.col(0) + 0.5 * x.col(1);
  nnls.train(x, y2);
  EXPECT_NEAR(nnls.coefficients()(0), 3.0, 1e-12);
  EXPECT_NEAR(nnls.coefficients()(1), 0.5, 1e-12);
}

// Lasso on an orthogonal design with xⱼᵀxⱼ / n = 1: b_j = S(xⱼᵀy / n, λ).
// X = [1 1; 1 −1; −1 1; −1 −1], y = (3, 1, −1, −3): x1ᵀy/n = 8/4 = 2, x2ᵀy/n = 4/4 = 1.
TEST(Lasso, HandDerivedSoftThresholding) {
  MatrixXd x(4, 2);
  x << 1, 1, 1, -1, -1, 1, -1, -1;
  VectorXd y(4);
  y << 3, 1, -1, -3;
  const double expect[][3] = {{0.0, 2.0, 1.0}, {0.5, 1.5, 0.5}, {1.5, 0.5, 0.0}, {2.5, 0.0, 0.0}};
  for (const auto& e : expect) {
    lasso<double> l(e[0]);
    l.train(x, y);
    EXPECT_NEAR(l.coefficients()(0), e[1], 1e-9) << "lambda " << e[0];
    EXPECT_NEAR(l.coefficients()(1), e[2], 1e-9) << "lambda " << e[0];
    EXPECT_NEAR(l.intercept(), 0.0, 1e-12);
  }
}

}  // namespace
