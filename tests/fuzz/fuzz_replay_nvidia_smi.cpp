// libFuzzer harness: nvidia-smi CSV logs (synergy::measure::read_nvidia_smi_csv,
// include/synergy/measure/replay/nvidia_smi.hpp), power column chosen by the reader.
// Documented rejection: synergy::parse_error naming the file and line; anything else is a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "synergy/measure/replay/nvidia_smi.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>(
      [&] { (void)synergy::measure::read_nvidia_smi_csv(path); });
  return 0;
}
