// libFuzzer harness: fitted-model JSON files (synergy::model::network_model_from_json,
// include/synergy/model/persistence.hpp), read as energy and as duration models. Documented
// rejections: nlohmann::json::exception for text that is not JSON (nlohmann::json::parse throws
// parse_error, or out_of_range.406 for a number it cannot hold such as 1e88888; `synergy
// predict` reports both as "not JSON") and std::invalid_argument naming the field for JSON that
// is not a model of that response.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fuzz_support.hpp"
#include "synergy/model/persistence.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {  // not JSON: documented by nlohmann::json::parse
    return 0;
  }
  synergy_fuzz::accept<std::invalid_argument>(
      [&] { (void)synergy::model::network_model_from_json<synergy::energy>(j); });
  synergy_fuzz::accept<std::invalid_argument>(
      [&] { (void)synergy::model::network_model_from_json<synergy::duration>(j); });
  return 0;
}
