// libFuzzer harness: the sysfs text helpers (include/synergy/sources/detail/sysfs.hpp and
// sources/perf_power.hpp): the integer parser (attribute_file::parse_int, and read_int on a
// file), the cpu-list parser (parse_cpu_list) and the PMU event-config parser
// (parse_perf_event_config), each on the whole input. Documented rejection:
// synergy::sources::sensor_error naming the path.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "synergy/sources/detail/sysfs.hpp"
#include "synergy/sources/perf_power.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace d = synergy::sources::detail;
  using synergy::sources::sensor_error;
  const std::string text(synergy_fuzz::as_text(data, size));
  synergy_fuzz::accept<sensor_error>([&] { (void)d::attribute_file::parse_int(text, "fuzz"); });
  const auto& path = synergy_fuzz::as_file(data, size);
  synergy_fuzz::accept<sensor_error>([&] { (void)d::read_int(path); });
  synergy_fuzz::accept<sensor_error>([&] {
    const auto cpus = d::parse_cpu_list(text, "fuzz/cpumask");
    // Promised: CPU numbers in [0, max_cpu_number], never an empty list.
    synergy_fuzz::require(!cpus.empty(), "parse_cpu_list returned an empty list");
    for (const int c : cpus)
      synergy_fuzz::require(c >= 0 && c <= d::max_cpu_number, "cpu number out of range");
  });
  synergy_fuzz::accept<sensor_error>([&] { (void)d::parse_perf_event_config(text, "fuzz/event"); });
  return 0;
}
