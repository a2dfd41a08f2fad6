// libFuzzer harness: the Caffe prototxt importer (synergy::io::import_caffe_text,
// include/synergy/io/caffe.hpp). Documented rejections: std::invalid_argument (syntax, blobs,
// layer types, no input, network::add's descriptor errors) and std::overflow_error (a count that
// does not fit in 64 bits: network::add re-throws it with the layer's name).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "fuzz_support.hpp"
#include "synergy/io/caffe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(synergy_fuzz::as_text(data, size));
  // Strict defaults, then the options that reach the other paths: train-phase filtering, an
  // explicit input shape for data layers, unsupported types as zero-cost pass-throughs.
  synergy::io::caffe_options lenient;
  lenient.input_shape = synergy::shape3{32, 32, 3};
  lenient.train_phase = true;
  lenient.unsupported_as_zero_cost = true;
  for (const auto& options : {synergy::io::caffe_options{}, lenient})
    synergy_fuzz::accept<std::invalid_argument, std::overflow_error>(
        [&] { (void)synergy::io::import_caffe_text(text, "fuzz.prototxt", options); });
  return 0;
}
