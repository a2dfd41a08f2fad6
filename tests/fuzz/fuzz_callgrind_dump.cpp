// libFuzzer harness: one callgrind dump of the counting pass (synergy::run::read_callgrind_dump,
// include/synergy/run/callgrind_counters.hpp): `events:`, `desc: Trigger:`, `summary:` and
// `totals:` lines. Documented rejection: synergy::parse_error naming the file and line;
// anything else is a crash. An accepted dump must hold one total per event, each of which
// `count` finds.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "synergy/run/callgrind_counters.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>([&] {
    const auto d = synergy::run::read_callgrind_dump(path);
    synergy_fuzz::require(!d.events.empty() && d.totals.size() == d.events.size(),
                          "totals and events differ in number");
    for (const auto& e : d.events) synergy_fuzz::require(d.count(e).has_value(), "an event lost");
    (void)d.label();
  });
  return 0;
}
