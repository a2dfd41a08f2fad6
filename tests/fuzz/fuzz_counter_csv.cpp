// libFuzzer harness: the project's per-region hardware-counter file `counters.csv` (columns by
// name, any order; synergy::measure::read_counter_csv,
// include/synergy/measure/replay/perf_stat_counters.hpp). Documented rejection:
// synergy::parse_error naming the file and line; anything else is a crash. An accepted row
// must hold non-negative counts and finite, non-negative counters (an empty cell: none).
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "synergy/measure/replay/perf_stat_counters.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>([&] {
    for (const auto& r : synergy::measure::read_counter_csv(path)) {
      synergy_fuzz::require(r.macs >= 0 && r.data_volume >= 0, "a negative count accepted");
      for (const auto& c : r.counters)
        synergy_fuzz::require(!c || (std::isfinite(*c) && *c >= 0), "a bad counter accepted");
      synergy_fuzz::require(std::isfinite(r.running_fraction) && r.running_fraction >= 0,
                            "a bad running fraction accepted");
    }
  });
  return 0;
}
