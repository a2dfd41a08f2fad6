// libFuzzer harness: one tegrastats line (synergy::sources::parse_tegrastats_line,
// include/synergy/sources/tegrastats_line.hpp). Documented rejection: std::invalid_argument for a
// rail value out of the range of a double. Checked promise: every rail value is a finite,
// non-negative number (the grammar has no sign).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "fuzz_support.hpp"
#include "synergy/sources/tegrastats_line.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  synergy_fuzz::accept<std::invalid_argument>([&] {
    const auto r = synergy::sources::parse_tegrastats_line(synergy_fuzz::as_text(data, size));
    if (!r) return;
    for (const auto& rail : r->rails) {
      synergy_fuzz::require(std::isfinite(rail.cur_mw) && rail.cur_mw >= 0, "rail cur not finite");
      synergy_fuzz::require(std::isfinite(rail.avg_mw) && rail.avg_mw >= 0, "rail avg not finite");
      synergy_fuzz::require(!rail.max_mw || (std::isfinite(*rail.max_mw) && *rail.max_mw >= 0),
                            "rail max not finite");
    }
  });
  return 0;
}
