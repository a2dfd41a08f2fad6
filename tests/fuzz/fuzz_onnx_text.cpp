// libFuzzer harness: the ONNX importer on models in protobuf text format (ModelProto as
// `protoc --decode=onnx.ModelProto` prints it), parsed here with libprotobuf's TextFormat and
// handed to synergy::io::import_onnx_model (include/synergy/io/onnx.hpp). Text that is not a
// ModelProto is not the importer's input and is skipped. Documented rejections:
// std::invalid_argument and std::overflow_error, as for fuzz_onnx_binary.
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "fuzz_support.hpp"
#include "synergy/io/onnx.hpp"

namespace {

// Discards the text parser's messages: libprotobuf would otherwise log each one to stderr,
// which slows the fuzzer and buries its report.
class silent_errors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onnx::ModelProto model;
  silent_errors errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(synergy_fuzz::as_text(data, size)), &model)) return 0;
  synergy::io::onnx_options lenient;
  lenient.unsupported_as_zero_cost = true;
  for (const auto& options : {synergy::io::onnx_options{}, lenient})
    synergy_fuzz::accept<std::invalid_argument, std::overflow_error>(
        [&] { (void)synergy::io::import_onnx_model(model, "fuzz.textproto", options); });
  return 0;
}
