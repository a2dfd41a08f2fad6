// Build-time generator for model_emitted_header_test: writes a model with known coefficients
// (conv 1 nJ/MAC, FC 2 nJ/MAC, op-driven classes 0.1 nJ/op, data-movement classes
// 0.05 nJ/element), after a round trip through JSON, as a C++ header.
#include <fstream>
#include <iostream>
#include <synergy/model/persistence.hpp>

int main(int argc, char** argv) {
  using namespace synergy::model;
  if (argc != 2) {
    std::cerr << "usage: model_emit_header OUTPUT.hpp\n";
    return 2;
  }
  network_model<synergy::energy> m;
  for (std::size_t i = 0; i < layer_class_count; ++i) {
    const auto c = static_cast<layer_class>(i);
    if (c == layer_class::no_cost) continue;
    const driver d = driver_of(c);
    const double k = d == driver::macs ? (c == layer_class::fully_connected ? 2e-9 : 1e-9)
                                       : (d == driver::ops ? 1e-10 : 5e-11);
    m[c] = {true, k, 0, 0};
  }
  const auto loaded =
      network_model_from_json<synergy::energy>(nlohmann::json::parse(to_json(m).dump()));
  std::ofstream os(argv[1]);
  write_cpp_header(os, loaded, "test_energy_model");
  return os ? 0 : 1;
}
