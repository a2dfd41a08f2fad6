// libFuzzer harness: hardware-counter logs of `perf stat -I <ms> -x<sep>` — several events per
// interval, per-CPU and aggregated ids, both decimal marks (synergy::measure::
// read_perf_stat_counters, include/synergy/measure/replay/perf_stat_counters.hpp). Documented
// rejection: synergy::parse_error naming the file and line; anything else is a crash. An
// accepted log must give every interval one slot per event, a finite value or none (never a
// made-up 0 for `<not counted>`), and intervals of one id in time order.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "fuzz_support.hpp"
#include "synergy/measure/replay/perf_stat_counters.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<synergy::parse_error>([&] {
    const auto log = synergy::measure::read_perf_stat_counters(path);
    synergy_fuzz::require(!log.events.empty() && !log.intervals.empty(), "an empty log accepted");
    for (std::size_t e = 0; e < log.events.size(); ++e)
      synergy_fuzz::require(log.index_of(log.events[e]) == e, "events not unique");
    std::map<std::string, double> last;  // where → time of its previous interval
    for (const auto& iv : log.intervals) {
      synergy_fuzz::require(iv.values.size() == log.events.size(), "an interval lacks a slot");
      const auto prev = last.find(iv.where);
      synergy_fuzz::require(prev == last.end() || prev->second < iv.t_s,
                            "intervals of one id out of order");
      last[iv.where] = iv.t_s;
      for (const auto& v : iv.values) {
        synergy_fuzz::require(!v.value || std::isfinite(*v.value), "a counter is not finite");
        synergy_fuzz::require(v.value.has_value() == v.status.empty(),
                              "a value and a not-counted status together");
        synergy_fuzz::require(std::isfinite(v.running_pct), "a percentage is not finite");
      }
    }
  });
  return 0;
}
