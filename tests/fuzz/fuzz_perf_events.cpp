// libFuzzer harness: what the hardware-counter source reads from the kernel
// (include/synergy/sources/perf_counters.hpp): a PMU format file's text ("config:0-7,32-35";
// synergy::sources::detail::parse_format) with a value deposited through it (detail::deposit,
// as perf's pmu_format_value()), and group read buffers (parse_group_read, scale_between) made
// of the input's bytes. Documented rejection: synergy::sources::sensor_error naming the file or
// group; anything else is a crash. Promises checked: a deposited value reads back from its bits
// unchanged, and a scaled count is finite and not negative, or absent (never a made-up 0).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "synergy/sources/perf_counters.hpp"

namespace sd = synergy::sources::detail;

namespace {

// The value the ranges hold in `config`, lowest bits first (the inverse of deposit).
std::uint64_t extract(const std::vector<sd::format_range>& ranges,
                      const std::uint64_t (&config)[3]) {
  std::uint64_t v = 0;
  unsigned shift = 0;
  for (const auto& r : ranges) {
    const unsigned width = r.hi - r.lo + 1;
    if (shift < 64) v |= ((config[r.field] >> r.lo) & sd::low_bits(width)) << shift;
    shift += width;
  }
  return v;
}

void format_and_value(std::string_view text) {
  const auto nl = text.find('\n');
  const std::string format(text.substr(0, nl));
  const std::string value(nl == std::string_view::npos ? "" : text.substr(nl + 1));
  synergy_fuzz::accept<synergy::sources::sensor_error>([&] {
    const auto ranges = sd::parse_format(format, "format");
    const auto v = sd::parse_u64(value);
    if (!v) return;
    std::uint64_t config[3] = {0, 0, 0};
    sd::deposit(*v, ranges, config, "event");
    synergy_fuzz::require(extract(ranges, config) == *v, "a deposited value reads back changed");
  });
}

void group_reads(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint64_t> words(size / 8);
  if (!words.empty()) std::memcpy(words.data(), data, words.size() * 8);
  const std::size_t half = words.size() / 2;
  const std::span<const std::uint64_t> a(words.data(), half), b(words.data() + half, half);
  const std::size_t events = half >= 3 ? (half - 3) / 2 : 0;
  synergy_fuzz::accept<synergy::sources::sensor_error>([&] {
    const auto s =
        synergy::sources::scale_between(synergy::sources::parse_group_read(a, events, "group"),
                                        synergy::sources::parse_group_read(b, events, "group"));
    synergy_fuzz::require(s.values.size() == events, "a counter lost");
    for (const auto& v : s.values)
      synergy_fuzz::require(!v || (std::isfinite(*v) && *v >= 0), "a bad scaled count");
    synergy_fuzz::require(s.running_fraction >= 0 && s.running_fraction <= 1,
                          "running fraction out of [0, 1]");
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  format_and_value(synergy_fuzz::as_text(data, size));
  group_reads(data, size);
  return 0;
}
