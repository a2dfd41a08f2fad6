// A consumer of the installed synergy::run (found with COMPONENTS run): runs a two-layer
// network on OpenBLAS, which links only when the package found OpenBLAS for this consumer.
#include <cmath>
#include <iostream>
#include <numeric>
#include <synergy/run/runner.hpp>
#include <synergy/synergy.hpp>

int main() {
  synergy::network net("consumer_run", {1, 1, 8});
  net.add("fc", synergy::fully_connected{.outputs = 4});
  net.add("prob", synergy::softmax{});
  synergy::run::runner r(net);
  r.run(synergy::run::backend::openblas);
  // Whatever the random weights, a softmax's outputs are positive and sum to 1.
  const auto& p = r.output(2).data;
  const double sum = std::accumulate(p.begin(), p.end(), 0.0);
  std::cout << "run: " << p.size() << " probabilities, sum " << sum << '\n';
  return p.size() == 4 && std::abs(sum - 1.0) < 1e-5 ? 0 : 1;
}
