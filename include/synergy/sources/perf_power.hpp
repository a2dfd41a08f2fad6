#pragma once
/// @file
/// RAPL through the perf `power` PMU (kernel arch/x86/events/rapl.c): events
/// `/sys/bus/event_source/devices/power/events/energy-{pkg,cores,gpu,ram,psys}` with
/// `.scale` (J per count, e.g. 2.3283064365386962890625e-10 = 2⁻³²) and `.unit` (Joules),
/// opened system-wide (pid −1) on one CPU per package as listed in `cpumask`; per-task
/// counting is "<not supported>". perf accumulates to 64 bits, so no wrap handling is needed.

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "synergy/sources/concepts.hpp"
#include "synergy/sources/detail/sysfs.hpp"

namespace synergy::sources {

namespace detail {

/// `perf_event_attr.config` from a PMU event description such as "event=0x02" (the power
/// PMU's only format term, `format/event` = config:0-7). Throws `sensor_error` naming `where`.
inline std::uint64_t parse_perf_event_config(const std::string& text, const std::string& where) {
  const auto pos = text.find("event=");
  if (pos == std::string::npos) throw sensor_error(where, "no 'event=' term in '" + text + "'");
  std::size_t end = 0;
  try {
    const auto v = std::stoull(text.substr(pos + 6), &end, 0);
    return v;
  } catch (const std::exception&) {
    throw sensor_error(where, "bad event number in '" + text + "'");
  }
}

/// Largest CPU number accepted in a cpu list: Linux's NR_CPUS is at most 8192 (x86-64
/// MAXSMP); 65535 leaves room and bounds the list's size, so "0-2147483647" is an error, not an
/// allocation of 2^31 ints.
inline constexpr int max_cpu_number = 65535;

/// CPU numbers of a sysfs cpu list ("0", "0,18", "0-1,4": Documentation/admin-guide/cputopology
/// .rst) in the order written. Throws `sensor_error` naming `where` for anything else: signs,
/// spaces, a range whose end is below its start, a number above `max_cpu_number`. O(CPUs).
inline std::vector<int> parse_cpu_list(const std::string& text, const std::string& where) {
  std::vector<int> cpus;
  std::size_t i = 0;
  const auto bad = [&](const std::string& why) {
    return sensor_error(where, "bad cpu list '" + text + "': " + why);
  };
  auto number = [&]() {
    int v = 0;
    const auto [p, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
    if (ec == std::errc::result_out_of_range || (ec == std::errc{} && v > max_cpu_number))
      throw bad("cpu number above " + std::to_string(max_cpu_number));
    if (ec != std::errc{} || v < 0 || text[i] == '-')
      throw bad("expected a cpu number at offset " + std::to_string(i));
    i = static_cast<std::size_t>(p - text.data());
    return v;
  };
  while (i < text.size()) {
    const int a = number();
    int b = a;
    if (i < text.size() && text[i] == '-') {
      ++i;
      b = number();
      if (b < a)
        throw bad("range " + std::to_string(a) + "-" + std::to_string(b) +
                  " ends before it starts");
    }
    for (int c = a; c <= b; ++c) cpus.push_back(c);
    if (i < text.size() && text[i] == ',')
      ++i;
    else if (i < text.size())
      throw bad("unexpected '" + std::string(1, text[i]) + "' at offset " + std::to_string(i));
  }
  if (cpus.empty()) throw sensor_error(where, "empty cpu list");
  return cpus;
}

/// Domain and parent domain of a power PMU event name.
inline std::pair<std::string, std::string> perf_event_domain(const std::string& event) {
  if (event == "energy-psys") return {"psys", ""};
  if (event == "energy-pkg") return {"package", "psys"};
  if (event == "energy-ram") return {"dram", "psys"};
  if (event == "energy-cores") return {"core", "package"};
  if (event == "energy-gpu") return {"uncore", "package"};
  return {event.substr(event.find('-') + 1), ""};
}

}  // namespace detail

/// The perf power PMU's energy events as an `energy_counter` (one channel per event and
/// package). Needs perf_event_paranoid ≤ 0 or CAP_PERFMON for system-wide events.
class perf_power_counter {
 public:
  /// Opens `events` (e.g. {"energy-pkg"}; empty = every energy-* event) of the PMU at
  /// `pmu_dir`. Throws `sensor_error` when the PMU or an event is absent, and
  /// `permission_denied` (naming perf_event_paranoid) when the kernel refuses the open.
  explicit perf_power_counter(
      const std::filesystem::path& pmu_dir = "/sys/bus/event_source/devices/power",
      std::vector<std::string> events = {}) {
    read_description(pmu_dir, events);
    open_all(pmu_dir);
  }
  perf_power_counter(const perf_power_counter&) = delete;
  perf_power_counter& operator=(const perf_power_counter&) = delete;
  ~perf_power_counter() {
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
  }

  [[nodiscard]] const source_info& info() const noexcept { return info_; }
  [[nodiscard]] counter_spec spec(std::size_t i) const { return {scales_.at(i), UINT64_MAX}; }

  void read_counters(std::span<std::uint64_t> counts) {
    for (std::size_t i = 0; i < fds_.size(); ++i) {
      std::uint64_t v = 0;
      if (::read(fds_[i], &v, sizeof v) != static_cast<ssize_t>(sizeof v))
        detail::raise_errno(info_.name + " " + info_.channels[i].name, errno, "read");
      counts[i] = v;
    }
  }

  /// Event list, scales and cpus of a PMU folder without opening anything (what detection
  /// and tests use). Each entry: event name, config, scale (J/count), unit text.
  struct event_description {
    std::string name;
    std::uint64_t config;
    double scale;
    std::string unit;
  };
  static std::vector<event_description> describe(const std::filesystem::path& pmu_dir) {
    std::vector<event_description> out;
    for (const auto& p : detail::list_prefixed(pmu_dir / "events", "energy-")) {
      const std::string n = p.filename().string();
      if (n.find('.') != std::string::npos) continue;
      const auto text = detail::read_text(p);
      double scale = 1.0;
      std::string unit = "Joules";
      std::error_code ec;
      if (std::filesystem::exists(pmu_dir / "events" / (n + ".scale"), ec)) {
        const auto s = detail::read_text(pmu_dir / "events" / (n + ".scale"));
        try {
          scale = std::stod(s);
        } catch (const std::exception&) {
          throw sensor_error((pmu_dir / "events" / (n + ".scale")).string(),
                             "not a number: '" + s + "'");
        }
      }
      if (std::filesystem::exists(pmu_dir / "events" / (n + ".unit"), ec))
        unit = detail::read_text(pmu_dir / "events" / (n + ".unit"));
      if (unit != "Joules")
        throw sensor_error((pmu_dir / "events" / (n + ".unit")).string(),
                           "unit '" + unit + "', expected Joules");
      out.push_back({n, detail::parse_perf_event_config(text, p.string()), scale, unit});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
  }

 private:
  void read_description(const std::filesystem::path& pmu_dir,
                        const std::vector<std::string>& wanted) {
    std::error_code ec;
    if (!std::filesystem::exists(pmu_dir / "type", ec))
      throw sensor_error(pmu_dir.string(), "no perf power PMU (RAPL not exposed to perf)");
    type_ = static_cast<std::uint32_t>(detail::read_int(pmu_dir / "type"));
    cpus_ = detail::parse_cpu_list(detail::read_text(pmu_dir / "cpumask"),
                                   (pmu_dir / "cpumask").string());
    for (const auto& e : describe(pmu_dir))
      if (wanted.empty() || std::find(wanted.begin(), wanted.end(), e.name) != wanted.end())
        events_.push_back(e);
    for (const auto& w : wanted)
      if (std::none_of(events_.begin(), events_.end(), [&](const auto& e) { return e.name == w; }))
        throw sensor_error((pmu_dir / "events" / w).string(), "no such power event");
    if (events_.empty()) throw sensor_error(pmu_dir.string(), "no energy-* event");
    info_.name = "perf power PMU (" + pmu_dir.string() + ")";
    info_.update_period = duration::from_value(1e-3);
  }

  void open_all(const std::filesystem::path& pmu_dir) {
    for (std::size_t pkg = 0; pkg < cpus_.size(); ++pkg)
      for (const auto& e : events_) {
        if (e.name == "energy-psys" && pkg > 0)
          continue;  // one platform domain, not one per package
        perf_event_attr attr{};
        attr.type = type_;
        attr.size = sizeof attr;
        attr.config = e.config;
        const long fd = ::syscall(SYS_perf_event_open, &attr, -1, cpus_[pkg], -1, 0UL);
        if (fd < 0) {
          const int err = errno;
          const std::string where =
              (pmu_dir / "events" / e.name).string() + " on cpu " + std::to_string(cpus_[pkg]);
          if (err == EACCES || err == EPERM)
            throw permission_denied(where,
                                    "perf_event_open refused: system-wide events need "
                                    "/proc/sys/kernel/perf_event_paranoid <= 0 or CAP_PERFMON");
          detail::raise_errno(where, err, "perf_event_open");
        }
        fds_.push_back(static_cast<int>(fd));
        scales_.push_back(e.scale);
        const auto [domain, parent] = detail::perf_event_domain(e.name);
        // Built by append: `"-" + std::to_string(…)` trips g++ 12's false -Wrestrict at -O3
        // (GCC bug 105329), which the main job's Release build turns into an error.
        std::string suffix;
        if (cpus_.size() > 1) suffix.append("-").append(std::to_string(pkg));
        const std::string parent_name = parent.empty()
                                            ? ""
                                            : (parent == "psys"      ? "energy-psys"
                                               : parent == "package" ? "energy-pkg" + suffix
                                                                     : "");
        info_.channels.push_back({e.name + (domain == "psys" ? "" : suffix), domain, parent_name,
                                  domain == "psys", "J*scale"});
      }
  }

  std::uint32_t type_ = 0;
  std::vector<int> cpus_;
  std::vector<event_description> events_;
  std::vector<int> fds_;
  std::vector<double> scales_;
  source_info info_;
};

}  // namespace synergy::sources
