// libFuzzer harness: other runtimes' per-layer profiles — PyTorch's profiler trace (Kineto's
// object and the legacy array) and ONNX Runtime's profiling JSON — read in every mode
// (synergy::measure::parse_runtime_trace, include/synergy/measure/runtime_trace.hpp), and the
// regions it returns checked: ordered, non-overlapping, finite, t1 >= t0. Documented
// rejection: synergy::parse_error naming the file and event; anything else is a crash.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "synergy/measure/runtime_trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(synergy_fuzz::as_text(data, size));
  using synergy::measure::pytorch_layer_events;
  for (const auto mode : {pytorch_layer_events::annotations, pytorch_layer_events::operators}) {
    synergy::measure::runtime_trace_options o;
    o.pytorch = mode;
    synergy_fuzz::accept<synergy::parse_error>([&] {
      const auto t = synergy::measure::parse_runtime_trace(text, "fuzz.json", o);
      synergy_fuzz::require(!t.layers.empty(), "a profile without layers was accepted");
      for (std::size_t i = 0; i < t.layers.size(); ++i) {
        const auto& r = t.layers[i];
        synergy_fuzz::require(std::isfinite(r.t0_s) && std::isfinite(r.t1_s) && r.t1_s >= r.t0_s,
                              "a layer with times that are not finite or end before they begin");
        if (i) synergy_fuzz::require(t.layers[i - 1].t1_s <= r.t0_s, "overlapping layers");
      }
    });
  }
  return 0;
}
