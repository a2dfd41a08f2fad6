// libFuzzer harness: fitted-model JSON files (synergy::model::network_model_from_json,
// include/synergy/model/persistence.hpp), read as energy and as duration models, and as a
// counter model predicting a two-layer network (synergy::model::predict_with_counter_model,
// include/synergy/model/counter_model_file.hpp; `synergy predict` reads both kinds). Documented
// rejections: nlohmann::json::exception for text that is not JSON (nlohmann::json::parse throws
// parse_error, or out_of_range.406 for a number it cannot hold such as 1e88888; `synergy
// predict` reports both as "not JSON") and std::invalid_argument naming the field for JSON that
// is not a model of that response.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fuzz_support.hpp"
#include "synergy/model/counter_model_file.hpp"
#include "synergy/model/persistence.hpp"

namespace {
// input 1×1×10 → fully_connected 5 → fully_connected 2 (MACs 60, data volume 82).
const synergy::network& tiny() {
  static const synergy::network net = [] {
    synergy::network n("tiny", {1, 1, 10});
    const synergy::node_id a =
        n.add("fc1", synergy::fully_connected{.outputs = 5, .bias = false}, {0});
    n.add("fc2", synergy::fully_connected{.outputs = 2, .bias = false}, {a});
    return n;
  }();
  return net;
}
}  // namespace

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
  synergy_fuzz::accept<std::invalid_argument>(
      [&] { (void)synergy::model::predict_with_counter_model(j, tiny()); });
  return 0;
}
