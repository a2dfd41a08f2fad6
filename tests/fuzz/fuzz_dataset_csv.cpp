// libFuzzer harness: profiling dataset CSV (synergy::study::read_dataset_csv,
// include/synergy/study/dataset.hpp).
// Documented rejection: synergy::parse_error naming the file and line; anything else is a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "synergy/study/dataset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>([&] { (void)synergy::study::read_dataset_csv(path); });
  return 0;
}
