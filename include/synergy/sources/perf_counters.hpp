#pragma once
/// @file
/// Hardware performance counters of this process through `perf_event_open(2)`, read as one
/// *group* (leader + members, scheduled onto the PMU together) at region boundaries: the
/// counts behind SyNERGY's first model (PDPTA'18: energy from SIMD instructions and bus
/// accesses on a Jetson TX1). Events are given as perf spells them:
///   - generic hardware names: `instructions`, `cycles`, `cache-misses`, … (PERF_TYPE_HARDWARE);
///   - raw codes: `r01c7` (PERF_TYPE_RAW, config 0x01c7: umask 0x01, event 0xc7 on x86);
///   - sysfs events: `ase_spec`, `armv8_pmuv3_0/bus_access/`, resolved from
///     `<devices>/<pmu>/events/<name>` ("event=0x74") through `<pmu>/format/<term>`
///     ("config:0-15");
///   - terms: `cpu/event=0xc7,umask=0x01/`.
/// Multiplexing (more groups than counters) is scaled as perf does, value · enabled / running,
/// and reported with every reading (`counter_sample::multiplexed`, `running_fraction`), never
/// silently; a group that never ran (running = 0) reads "not counted", never 0.
/// Sources: perf_event_open(2) (read_format, PERF_FORMAT_GROUP), the kernel's
/// Documentation/ABI/testing/sysfs-bus-event_source-devices-{format,events}.

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/sources/detail/sysfs.hpp"
#include "synergy/sources/detect.hpp"
#include "synergy/sources/errors.hpp"

namespace synergy::sources {

/// Where the kernel lists its PMUs (one folder per PMU: `type`, `format/`, `events/`).
inline constexpr const char* default_pmu_devices = "/sys/bus/event_source/devices";

/// One event resolved to what `perf_event_attr` needs.
struct counter_event {
  std::string name;  ///< as the user wrote it: "instructions", "r01c7", "cpu/event=0xc7/"
  std::string pmu;   ///< PMU folder it was resolved in ("cpu", "armv8_pmuv3_0"); "" for
                     ///< generic hardware names and raw codes
  std::uint32_t type = PERF_TYPE_HARDWARE;  ///< perf_event_attr.type
  std::uint64_t config = 0;                 ///< perf_event_attr.config
  std::uint64_t config1 = 0;                ///< perf_event_attr.config1 (e.g. ldlat, offcore)
  std::uint64_t config2 = 0;                ///< perf_event_attr.config2
};

namespace detail {

/// perf's generic hardware event names (tools/perf/util/parse-events.c, event_symbols_hw).
struct generic_event {
  std::string_view name;
  std::uint64_t config;
};
inline constexpr generic_event generic_events[] = {
    {"cycles", PERF_COUNT_HW_CPU_CYCLES},
    {"cpu-cycles", PERF_COUNT_HW_CPU_CYCLES},
    {"instructions", PERF_COUNT_HW_INSTRUCTIONS},
    {"cache-references", PERF_COUNT_HW_CACHE_REFERENCES},
    {"cache-misses", PERF_COUNT_HW_CACHE_MISSES},
    {"branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    {"branch-instructions", PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    {"branch-misses", PERF_COUNT_HW_BRANCH_MISSES},
    {"bus-cycles", PERF_COUNT_HW_BUS_CYCLES},
    {"stalled-cycles-frontend", PERF_COUNT_HW_STALLED_CYCLES_FRONTEND},
    {"stalled-cycles-backend", PERF_COUNT_HW_STALLED_CYCLES_BACKEND},
    {"ref-cycles", PERF_COUNT_HW_REF_CPU_CYCLES},
};

/// A number as sysfs and perf write them: "0x1c7", "0X1C7" or decimal "455". nullopt otherwise.
inline std::optional<std::uint64_t> parse_u64(std::string_view s) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// The lowest `width` bits set (1 ≤ width ≤ 64; a shift by 64 would be undefined).
[[nodiscard]] constexpr std::uint64_t low_bits(unsigned width) {
  return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
}

/// One bit range of a format: bits lo..hi of config field `field` (0 = config, 1 = config1,
/// 2 = config2).
struct format_range {
  int field = 0;
  unsigned lo = 0, hi = 0;
};

/// Parses a PMU format file's text: "config:0-7", "config1:0-15", "config:21" (one bit),
/// "config:0-7,32-35" (AMD's 12-bit event split in two ranges). Throws `sensor_error` naming
/// `where` for anything else, ranges that overlap included.
inline std::vector<format_range> parse_format(const std::string& text, const std::string& where) {
  const auto colon = text.find(':');
  if (colon == std::string::npos)
    throw sensor_error(where, "format '" + text + "' has no ':' (expected e.g. config:0-7)");
  const std::string field = text.substr(0, colon);
  int f = -1;
  if (field == "config") f = 0;
  if (field == "config1") f = 1;
  if (field == "config2") f = 2;
  if (f < 0)
    throw sensor_error(where, "format field '" + field + "' is not config, config1, config2");
  std::vector<format_range> out;
  std::uint64_t used = 0;  // bits of the field already taken by an earlier range
  std::string_view rest = std::string_view(text).substr(colon + 1);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    const auto dash = part.find('-');
    const auto lo = parse_u64(part.substr(0, dash));
    const auto hi = dash == std::string_view::npos ? lo : parse_u64(part.substr(dash + 1));
    if (!lo || !hi || *hi < *lo || *hi > 63)
      throw sensor_error(where, "bad bit range '" + std::string(part) + "' in '" + text + "'");
    // Overlapping ranges would OR two parts of a value into the same bits.
    const std::uint64_t bits = low_bits(static_cast<unsigned>(*hi - *lo + 1)) << *lo;
    if (used & bits)
      throw sensor_error(
          where, "bit range '" + std::string(part) + "' overlaps another in '" + text + "'");
    used |= bits;
    out.push_back({f, static_cast<unsigned>(*lo), static_cast<unsigned>(*hi)});
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  if (out.empty()) throw sensor_error(where, "format '" + text + "' has no bit range");
  return out;
}

/// Deposits `value` into the ranges in order, lowest bits first, as perf's pmu_format_value()
/// does; throws `sensor_error` naming `where` when the value does not fit.
inline void deposit(std::uint64_t value, const std::vector<format_range>& ranges,
                    std::uint64_t (&config)[3], const std::string& where) {
  const std::uint64_t original = value;
  for (const auto& r : ranges) {
    const unsigned width = r.hi - r.lo + 1;
    config[r.field] |= (value & low_bits(width)) << r.lo;
    value = width == 64 ? 0 : value >> width;
  }
  if (value != 0)
    throw sensor_error(where, "value " + std::to_string(original) + " does not fit its format");
}

/// Applies "event=0x74,umask=0x1,inv" (a bare term means 1) through the format files of the
/// PMU folder `pmu_dir`. `config=`, `config1=`, `config2=` set the fields directly; `period`
/// and `freq` concern sampling and are ignored (this source only counts). Throws
/// `sensor_error` naming `where` for an unknown term, a "?" value (an event that needs a
/// parameter) or a value that is not a number.
inline void apply_terms(const std::string& terms, const std::filesystem::path& pmu_dir,
                        counter_event& e, const std::string& where) {
  std::uint64_t config[3] = {e.config, e.config1, e.config2};
  std::string_view rest = terms;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string term(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!term.empty() && std::isspace(static_cast<unsigned char>(term.back()))) term.pop_back();
    if (term.empty()) continue;
    const auto eq = term.find('=');
    const std::string key = term.substr(0, eq);
    const std::string text = eq == std::string::npos ? "1" : term.substr(eq + 1);
    if (text == "?")
      throw sensor_error(where, "term '" + key + "' needs a value (give it: " + key + "=N)");
    const auto value = parse_u64(text);
    if (!value) throw sensor_error(where, "term '" + term + "': '" + text + "' is not a number");
    if (key == "period" || key == "freq") continue;
    if (key == "config" || key == "config1" || key == "config2") {
      config[key == "config" ? 0 : key == "config1" ? 1 : 2] = *value;
      continue;
    }
    const auto fmt = pmu_dir / "format" / key;
    std::error_code ec;
    if (!std::filesystem::exists(fmt, ec))
      throw sensor_error(where, "unknown term '" + key + "': no " + fmt.string());
    deposit(*value, parse_format(read_text(fmt), fmt.string()), config, where);
  }
  e.config = config[0];
  e.config1 = config[1];
  e.config2 = config[2];
}

/// The PMU `pmu`'s perf type number (`<devices>/<pmu>/type`); throws naming the path.
inline std::uint32_t pmu_type(const std::filesystem::path& devices, const std::string& pmu) {
  const auto p = devices / pmu / "type";
  std::error_code ec;
  if (!std::filesystem::exists(p, ec))
    throw sensor_error((devices / pmu).string(), "no such PMU (no 'type' file)");
  return static_cast<std::uint32_t>(read_int(p));
}

/// Names of the PMU folders under `devices`, sorted.
inline std::vector<std::string> pmu_names(const std::filesystem::path& devices) {
  std::vector<std::string> out;
  for (const auto& p : list_prefixed(devices, "")) out.push_back(p.filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

/// Lower case copy (Arm's sysfs names are lower case; the TRMs write ASE_SPEC).
inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Whether a PMU folder name is a CPU core PMU: x86 "cpu" (hybrid "cpu_core", "cpu_atom"), Arm
/// "armv8_pmuv3_0", "armv8_cortex_a57", "armv7_cortex_a15".
inline bool is_core_pmu(const std::string& name) {
  return name == "cpu" || name.rfind("cpu_", 0) == 0 || name.rfind("armv8", 0) == 0 ||
         name.rfind("armv7", 0) == 0;
}

}  // namespace detail

/// Resolves one event spelling (see the file comment) against the PMUs under `devices`.
/// Throws `sensor_error` naming the spelling and the file consulted: unknown name (listing
/// the PMUs searched), a name several PMUs define (give `pmu/name/`), a bad raw code, an
/// unknown format term.
[[nodiscard]] inline counter_event resolve_counter_event(
    const std::string& spec, const std::filesystem::path& devices = default_pmu_devices) {
  namespace fs = std::filesystem;
  counter_event e;
  e.name = spec;
  for (const auto& g : detail::generic_events)
    if (g.name == spec) {
      e.type = PERF_TYPE_HARDWARE;
      e.config = g.config;
      return e;
    }
  // r<hex> is a raw code, as in perf; other names starting with 'r' (Arm's remote_access)
  // are sysfs events.
  if (const auto v = spec.size() > 1 && spec[0] == 'r' ? detail::parse_u64("0x" + spec.substr(1))
                                                       : std::nullopt) {
    e.type = PERF_TYPE_RAW;
    e.config = *v;
    return e;
  }
  std::error_code ec;
  if (const auto slash = spec.find('/'); slash != std::string::npos) {
    // pmu/terms/ or pmu/event-name/ (the trailing slash is optional here)
    e.pmu = spec.substr(0, slash);
    std::string inner = spec.substr(slash + 1);
    if (!inner.empty() && inner.back() == '/') inner.pop_back();
    e.type = detail::pmu_type(devices, e.pmu);
    const fs::path pmu_dir = devices / e.pmu;
    if (inner.find('=') == std::string::npos &&
        fs::exists(pmu_dir / "events" / detail::lower(inner), ec)) {
      const auto file = pmu_dir / "events" / detail::lower(inner);
      detail::apply_terms(detail::read_text(file), pmu_dir, e, file.string());
    } else if (inner.find('=') != std::string::npos) {
      detail::apply_terms(inner, pmu_dir, e, spec);
    } else {
      throw sensor_error(spec, "PMU '" + e.pmu + "' has no event '" + inner + "' (no " +
                                   (pmu_dir / "events" / detail::lower(inner)).string() + ")");
    }
    return e;
  }
  // A bare sysfs event name: search every PMU's events/ folder.
  const std::string want = detail::lower(spec);
  std::vector<std::string> found;
  const auto pmus = detail::pmu_names(devices);
  for (const auto& p : pmus)
    if (fs::is_regular_file(devices / p / "events" / want, ec)) found.push_back(p);
  if (found.empty()) {
    std::string searched;
    for (const auto& p : pmus) searched += (searched.empty() ? "" : ", ") + p;
    throw sensor_error(spec,
                       "unknown event: not a generic hardware event, not a raw code "
                       "(rNNNN), and no PMU under " +
                           devices.string() +
                           " lists it (PMUs: " + (searched.empty() ? "none" : searched) + ")");
  }
  if (found.size() > 1) {
    std::string list;
    for (const auto& p : found) list += (list.empty() ? "" : ", ") + p + "/" + want + "/";
    throw sensor_error(spec, "event defined by several PMUs; choose one: " + list);
  }
  e.pmu = found.front();
  e.type = detail::pmu_type(devices, e.pmu);
  const auto file = devices / e.pmu / "events" / want;
  detail::apply_terms(detail::read_text(file), devices / e.pmu, e, file.string());
  return e;
}

/// One read of a counter group, as the kernel returns it for read_format =
/// PERF_FORMAT_GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING | ID:
/// `{ u64 nr; u64 time_enabled; u64 time_running; { u64 value; u64 id; } values[nr]; }`.
/// Values are cumulative since the group was opened, in group order (leader first).
struct group_reading {
  std::uint64_t time_enabled_ns = 0;  ///< ns the group was enabled
  std::uint64_t time_running_ns = 0;  ///< ns it was actually on the PMU (< enabled: multiplexed)
  std::vector<std::uint64_t> values;  ///< raw counts, one per event
  std::vector<std::uint64_t> ids;     ///< kernel event ids (PERF_EVENT_IOC_ID), one per event
};

/// Decodes a group read buffer (64-bit words). Throws `sensor_error` naming `where` when
/// `nr` is not `events` or the buffer's length is not 3 + 2·nr words.
[[nodiscard]] inline group_reading parse_group_read(std::span<const std::uint64_t> words,
                                                    std::size_t events, const std::string& where) {
  if (words.empty() || words[0] != events)
    throw sensor_error(
        where, "group read holds " +
                   (words.empty() ? std::string("nothing") : std::to_string(words[0]) + " events") +
                   ", expected " + std::to_string(events));
  if (words.size() != 3 + 2 * events)
    throw sensor_error(where, "group read of " + std::to_string(words.size()) +
                                  " words, expected " + std::to_string(3 + 2 * events));
  group_reading r;
  r.time_enabled_ns = words[1];
  r.time_running_ns = words[2];
  for (std::size_t i = 0; i < events; ++i) {
    r.values.push_back(words[3 + 2 * i]);
    r.ids.push_back(words[4 + 2 * i]);
  }
  return r;
}

/// Counts of one region (between two readings), scaled for multiplexing.
struct counter_sample {
  /// Δvalue · Δenabled / Δrunning per event; nullopt = not counted (the group never ran on
  /// the PMU in the region: Δrunning = 0), never 0.
  std::vector<std::optional<double>> values;
  std::uint64_t enabled_ns = 0;  ///< Δtime_enabled
  std::uint64_t running_ns = 0;  ///< Δtime_running
  /// The group shared the PMU with others during the region (0 < Δrunning < Δenabled): the
  /// values are extrapolations, as perf stat's "(xx.xx%)" column says.
  bool multiplexed = false;
  /// Δrunning / Δenabled: 1 = counted all along, 0 = not counted (also when Δenabled = 0).
  double running_fraction = 0;
};

/// The region between readings `before` and `after` of the same group. Throws
/// `sensor_error` naming `where` when the two readings belong to different events (ids or
/// sizes differ), a counter or time went backwards, or the group ran longer than it was
/// enabled.
[[nodiscard]] inline counter_sample scale_between(const group_reading& before,
                                                  const group_reading& after,
                                                  const std::string& where = "counter group") {
  if (before.ids != after.ids || before.values.size() != after.values.size())
    throw sensor_error(where, "readings of different counter groups");
  if (after.time_enabled_ns < before.time_enabled_ns ||
      after.time_running_ns < before.time_running_ns)
    throw sensor_error(where, "time_enabled or time_running went backwards");
  counter_sample s;
  s.enabled_ns = after.time_enabled_ns - before.time_enabled_ns;
  s.running_ns = after.time_running_ns - before.time_running_ns;
  // A group cannot run longer than it is enabled; scaling by enabled / running < 1 would
  // shrink every count.
  if (s.running_ns > s.enabled_ns)
    throw sensor_error(where, "time_running advanced " + std::to_string(s.running_ns) +
                                  " ns, more than time_enabled's " + std::to_string(s.enabled_ns) +
                                  " ns");
  s.multiplexed = s.running_ns > 0 && s.running_ns < s.enabled_ns;
  s.running_fraction = s.enabled_ns == 0
                           ? 0.0
                           : static_cast<double>(s.running_ns) / static_cast<double>(s.enabled_ns);
  for (std::size_t i = 0; i < after.values.size(); ++i) {
    if (after.values[i] < before.values[i])
      throw sensor_error(where, "counter " + std::to_string(i) + " went backwards");
    if (s.running_ns == 0) {
      s.values.emplace_back(std::nullopt);
      continue;
    }
    const double delta = static_cast<double>(after.values[i] - before.values[i]);
    s.values.emplace_back(delta * static_cast<double>(s.enabled_ns) /
                          static_cast<double>(s.running_ns));
  }
  return s;
}

/// A group of counters of this process (all its threads' counts are not inherited: the runner
/// is single-threaded), user space only (exclude_kernel, so perf_event_paranoid 2 allows it).
/// Open, `enable()`, then `read()` at region boundaries and `scale_between` the readings.
/// Move-only; closes its descriptors.
class perf_counter_group {
 public:
  /// Resolves and opens `events` (the first is the group leader) under `devices`. Throws
  /// `sensor_error` for an unknown event or an event this PMU cannot count (ENOENT,
  /// EOPNOTSUPP, EINVAL), and `permission_denied` naming perf_event_paranoid (EACCES, EPERM).
  explicit perf_counter_group(const std::vector<std::string>& events,
                              const std::filesystem::path& devices = default_pmu_devices) {
    if (events.empty()) throw sensor_error("perf counter group", "no events given");
    for (const auto& n : events) events_.push_back(resolve_counter_event(n, devices));
    for (const auto& e : events_) open_one(e);
  }
  perf_counter_group(perf_counter_group&& o) noexcept
      : events_(std::move(o.events_)), fds_(std::move(o.fds_)) {
    o.fds_.clear();
  }
  perf_counter_group& operator=(perf_counter_group&&) = delete;
  perf_counter_group(const perf_counter_group&) = delete;
  perf_counter_group& operator=(const perf_counter_group&) = delete;
  ~perf_counter_group() {
    for (auto it = fds_.rbegin(); it != fds_.rend(); ++it) ::close(*it);
  }

  [[nodiscard]] const std::vector<counter_event>& events() const noexcept { return events_; }

  /// Starts (or resumes) counting for the whole group.
  void enable() { group_ioctl(PERF_EVENT_IOC_ENABLE, "enable"); }
  /// Stops counting for the whole group.
  void disable() { group_ioctl(PERF_EVENT_IOC_DISABLE, "disable"); }

  /// Reads every counter of the group at once (one read(2) of the leader). Throws
  /// `sensor_error` when the read fails or is short.
  [[nodiscard]] group_reading read() const {
    std::vector<std::uint64_t> buf(3 + 2 * events_.size());
    const ssize_t n = ::read(fds_.front(), buf.data(), buf.size() * sizeof(std::uint64_t));
    if (n < 0) detail::raise_errno("perf counter group " + events_.front().name, errno, "read");
    buf.resize(static_cast<std::size_t>(n) / sizeof(std::uint64_t));
    return parse_group_read(buf, events_.size(), "perf counter group " + events_.front().name);
  }

 private:
  void open_one(const counter_event& e) {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = e.type;
    attr.config = e.config;
    attr.config1 = e.config1;
    attr.config2 = e.config2;
    attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED |
                       PERF_FORMAT_TOTAL_TIME_RUNNING | PERF_FORMAT_ID;
    attr.disabled = fds_.empty() ? 1 : 0;  // the leader starts the group
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    const int leader = fds_.empty() ? -1 : fds_.front();
    const long fd = ::syscall(SYS_perf_event_open, &attr, 0, -1, leader, 0UL);
    if (fd < 0) {
      const int err = errno;
      const std::string where = "perf_event_open(" + e.name + ")";
      if (err == EACCES || err == EPERM)
        throw permission_denied(where, std::string(std::strerror(err)) +
                                           ": this process may not count; lower "
                                           "/proc/sys/kernel/perf_event_paranoid to 2 or less "
                                           "(user-space counts) or grant CAP_PERFMON");
      if (err == ENOENT || err == EOPNOTSUPP || err == EINVAL)
        throw sensor_error(where, std::string(std::strerror(err)) +
                                      ": the PMU does not support this event (type " +
                                      std::to_string(e.type) + ", config 0x" + hex(e.config) + ")");
      detail::raise_errno(where, err, "perf_event_open");
    }
    fds_.push_back(static_cast<int>(fd));
  }

  void group_ioctl(unsigned long request, const char* what) {
    if (::ioctl(fds_.front(), request, PERF_IOC_FLAG_GROUP) != 0)
      detail::raise_errno("perf counter group " + events_.front().name, errno, what);
  }

  static std::string hex(std::uint64_t v) {
    char buf[17];
    const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, 16);
    return std::string(buf, p);
  }

  std::vector<counter_event> events_;
  std::vector<int> fds_;
};

/// Where `detect_perf_counters` looks (tests point these at fake trees).
struct counter_detection_settings {
  std::filesystem::path sysfs = "/sys";
  std::filesystem::path proc = "/proc";
  std::vector<std::string> events{"instructions", "cycles"};  ///< the group tried
};

/// Whether this process can count `settings.events` as a group, and if not why: no CPU PMU
/// under `<sysfs>/bus/event_source/devices` (virtual machines without a virtual PMU: the
/// reason lists the PMUs present), permission (names perf_event_paranoid's value), an event
/// the PMU cannot count, or counters that stay at zero. Kind "perf-counters". Never throws
/// for a missing PMU.
[[nodiscard]] inline source_status detect_perf_counters(const counter_detection_settings& s = {}) {
  const auto devices = s.sysfs / "bus/event_source/devices";
  source_status st{"perf-counters", devices.string(), availability::absent, "", {}};
  const auto pmus = detail::pmu_names(devices);
  if (std::none_of(pmus.begin(), pmus.end(), detail::is_core_pmu)) {
    std::string list;
    for (const auto& p : pmus) list += (list.empty() ? "" : ", ") + p;
    st.reason = "no CPU PMU (no cpu or armv8_* folder; PMUs here: " +
                (list.empty() ? std::string("none") : list) +
                "): a virtual machine without a virtual PMU, or a kernel without perf events";
    return st;
  }
  std::string paranoid = "unknown";
  try {
    paranoid = detail::read_text(s.proc / "sys/kernel/perf_event_paranoid");
  } catch (const sensor_error&) {
    // the reason then says "unknown"
  }
  return detail::probe(st, [&](source_status out) {
    try {
      perf_counter_group g(s.events, devices);
      const auto a = g.read();
      g.enable();
      volatile std::uint64_t sink = 0;
      for (std::uint64_t i = 0; i < 1000000; ++i) sink = sink + i;
      g.disable();
      const auto sample = scale_between(a, g.read());
      out.channels = s.events;
      const bool zero = std::all_of(sample.values.begin(), sample.values.end(),
                                    [](const auto& v) { return !v || *v == 0; });
      out.state = zero ? availability::counting_zero : availability::available;
      out.reason = zero ? "the group opened but counted nothing in a busy loop"
                        : std::to_string(s.events.size()) + " counters in one group" +
                              (sample.multiplexed ? " (multiplexed while probing)" : "");
    } catch (const permission_denied& e) {
      throw permission_denied(e.path(),
                              std::string(e.what()) + " (perf_event_paranoid = " + paranoid + ")");
    }
    return out;
  });
}

}  // namespace synergy::sources
