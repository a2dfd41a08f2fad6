// libFuzzer harness: PMT dumps with markers (synergy::measure::read_pmt_dump,
// include/synergy/measure/replay/pmt.hpp).
// Documented rejection: synergy::parse_error naming the file and line; anything else is a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "synergy/measure/replay/pmt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>([&] { (void)synergy::measure::read_pmt_dump(path); });
  return 0;
}
