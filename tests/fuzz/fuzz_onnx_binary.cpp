// libFuzzer harness: the ONNX importer on binary protobuf files (synergy::io::import_onnx,
// include/synergy/io/onnx.hpp). Documented rejections: std::invalid_argument (unreadable or
// malformed file, failed shape inference, no 4-D input, unsupported op, asymmetric padding,
// shapes that disagree with ONNX's, network::add's descriptor errors) and std::overflow_error
// (a count that does not fit in 64 bits, re-thrown by network::add).
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "fuzz_support.hpp"
#include "synergy/io/onnx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy::io::onnx_options lenient;
  lenient.unsupported_as_zero_cost = true;
  for (const auto& options : {synergy::io::onnx_options{}, lenient})
    synergy_fuzz::accept<std::invalid_argument, std::overflow_error>(
        [&] { (void)synergy::io::import_onnx(path, options); });
  return 0;
}
