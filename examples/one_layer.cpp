// Counting one layer at compile time and reading its counts at run time.
// [docs]
#include <iostream>
#include <synergy/layers/conv2d.hpp>

// AlexNet's first convolution (Caffe): 227×227×3 input, 96 filters of 11×11, stride 4.
constexpr synergy::conv2d conv1{
    .input = {227, 227, 3}, .out_channels = 96, .kernel = synergy::square(11), .stride = {4, 4}};
static_assert(conv1.output() == synergy::shape3{55, 55, 96});
static_assert(conv1.macs() == 105'415'200);  // 55·55·96 · 11·11·3 (SyNERGY Eq 1)
static_assert(conv1.params() == 34'944);     // 11·11·3·96 weights + 96 biases

int main() {
  synergy::conv2d bad = conv1;
  bad.stride.x = 0;
  try {
    (void)bad.macs();
  } catch (const std::invalid_argument& e) {
    std::cout << e.what() << '\n';  // conv2d: stride.x = 0 (must be >= 1)
  }
}
// [/docs]
