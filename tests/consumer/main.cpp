// A consumer of synergy::synergy: counts a layer at compile time and a network at run time.
#include <iostream>
#include <synergy/synergy.hpp>

// 55·55·96 outputs × 11·11·3 MACs each = 105,415,200 (AlexNet conv1, Caffe, 227×227 input).
static_assert(synergy::conv2d{.input = {227, 227, 3},
                              .out_channels = 96,
                              .kernel = synergy::square(11),
                              .stride = {4, 4}}
                  .macs() == 105'415'200);

int main() {
  synergy::network net("consumer", {227, 227, 3});
  net.add("conv1",
          synergy::conv2d{.out_channels = 96, .kernel = synergy::square(11), .stride = {4, 4}});
  std::cout << synergy::to_json(net).dump() << '\n';
  return net.totals().macs == 105'415'200 ? 0 : 1;
}
