// A consumer of the installed synergy::onnx: compiles, links, and reports a missing file.
#include <iostream>
#include <stdexcept>
#include <synergy/io/onnx.hpp>

int main() {
  try {
    (void)synergy::io::import_onnx("/nonexistent/model.onnx");
  } catch (const std::invalid_argument& e) {
    std::cout << "onnx: " << e.what() << '\n';
    return 0;
  }
  return 1;
}
