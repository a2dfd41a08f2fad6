// A consumer of the installed synergy::caffe: imports a one-layer prototxt given as text.
#include <iostream>
#include <synergy/io/caffe.hpp>

int main() {
  // AlexNet's conv1 on a 227×227×3 input: 55·55·96 outputs × 11·11·3 = 105,415,200 MACs.
  const auto r = synergy::io::import_caffe_text(R"(
    input: "data" input_dim: 1 input_dim: 3 input_dim: 227 input_dim: 227
    layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
            convolution_param { num_output: 96 kernel_size: 11 stride: 4 } })",
                                                "consumer.prototxt");
  std::cout << "caffe: " << r.net.totals().macs << " MACs\n";
  return r.net.totals().macs == 105'415'200 ? 0 : 1;
}
