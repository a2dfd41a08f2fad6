// libFuzzer harness: marker files of every convention read_marker_file recognises —
// SyNERGY `<time_s> <label>` / `<time_s>,<label>` lines and the library's CSV with `op_type` or the
// older `layer_type` column (synergy::measure::read_marker_file,
// include/synergy/measure/markers.hpp). Documented rejection: synergy::parse_error naming the file
// and line; anything else is a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "synergy/measure/markers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>(
      [&] { (void)synergy::measure::read_marker_file(path); });
  return 0;
}
