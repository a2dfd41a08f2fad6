// Compile-time MAC budget: the build fails if a network outgrows its budget.
// [docs]
#include <synergy/synergy.hpp>

using namespace synergy;

// A small CIFAR-10 classifier, described once and counted by the compiler.
constexpr network cifar_net() {
  network n("cifar_net", {32, 32, 3});
  n.add("conv1", conv2d{.out_channels = 32, .kernel = square(3), .padding = {1, 1}});
  n.add("relu1", activation{});
  n.add("pool1", max_pool2d{.kernel = square(2), .stride = {2, 2}});
  n.add("conv2", conv2d{.out_channels = 64, .kernel = square(3), .padding = {1, 1}});
  n.add("relu2", activation{});
  n.add("pool2", max_pool2d{.kernel = square(2), .stride = {2, 2}});
  n.add("fc", fully_connected{.outputs = 10});
  return n;
}

// conv1: 32·32·32·27 = 884,736; conv2: 16·16·64·288 = 4,718,592; fc: 4,096·10 = 40,960.
static_assert(cifar_net().totals().macs == 5'644'288);
static_assert(cifar_net().totals().macs <= 6'000'000, "cifar_net exceeds its MAC budget");
static_assert(zoo::mobilenet_v1().totals().macs < 600'000'000, "MobileNet v1 is ~569 M MACs");

int main() { return 0; }
// [/docs]
