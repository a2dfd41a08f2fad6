// The single header: the core and the modelling parts in one file. docs/getting-started.md
// gives the compile line, which the test consumer.single_header runs as written.
// [docs]
#include <cmath>
#include <iostream>
#include <synergy/synergy.hpp>  // single_include/synergy/synergy.hpp

int main() {
  // Count: AlexNet's conv1 on a 227×227×3 input is 55·55·96 outputs × 11·11·3 = 105,415,200 MACs.
  synergy::network net("alexnet_conv1", {227, 227, 3});
  net.add("conv1",
          synergy::conv2d{.out_channels = 96, .kernel = synergy::square(11), .stride = {4, 4}});
  std::cout << net.totals().macs << " MACs\n";

  // Model: three measurements on the line 2 mJ + 5 mJ per GMAC give back that line.
  Eigen::MatrixXd gmacs(3, 1);
  gmacs << 0.1, 0.5, 1.0;
  Eigen::VectorXd millijoules(3);
  millijoules << 2.5, 4.5, 7.0;
  synergy::model::least_squares<> fit;
  fit.train(gmacs, millijoules);
  std::cout << fit.intercept() << " mJ + " << fit.coefficients()(0) << " mJ per GMAC\n";
  // prints: 105415200 MACs
  //         2 mJ + 5 mJ per GMAC
  const bool right = net.totals().macs == 105'415'200 && std::abs(fit.intercept() - 2) < 1e-9 &&
                     std::abs(fit.coefficients()(0) - 5) < 1e-9;
  return right ? 0 : 1;
}
// [/docs]
