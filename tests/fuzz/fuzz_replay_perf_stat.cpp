// libFuzzer harness: perf stat / pinpoint energy output (synergy::measure::read_perf_stat,
// include/synergy/measure/replay/perf_stat.hpp), both locales, totals and intervals.
// Documented rejection: synergy::parse_error naming the file and line; anything else is a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "synergy/measure/replay/perf_stat.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>([&] { (void)synergy::measure::read_perf_stat(path); });
  return 0;
}
