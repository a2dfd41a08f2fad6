// libFuzzer harness: profiling dataset JSON, per-round network totals
// (synergy::study::read_dataset_json_networks, include/synergy/study/dataset.hpp).
// Documented rejection: synergy::parse_error naming the file and line; anything else is a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "synergy/study/dataset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>(
      [&] { (void)synergy::study::read_dataset_json_networks(path); });
  return 0;
}
