#pragma once
/// @file
/// Which power sources this machine has, and for each one it lacks, why: absent, permission
/// denied (RAPL since CVE-2020-8694), present but counting zero (virtual machines often
/// expose RAPL registers that never advance), or unsupported.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "synergy/sources/counter_power.hpp"
#include "synergy/sources/hwmon.hpp"
#include "synergy/sources/jetson_iio.hpp"
#include "synergy/sources/nvml.hpp"
#include "synergy/sources/perf_power.hpp"
#include "synergy/sources/rapl.hpp"
#include "synergy/sources/serial/arm_energy_probe.hpp"

namespace synergy::sources {

/// Outcome of probing one kind of source.
enum class availability { available, absent, permission_denied, counting_zero, unsupported };

/// Text of an availability ("available", "absent", …).
[[nodiscard]] inline const char* to_string(availability a) {
  switch (a) {
    case availability::available:
      return "available";
    case availability::absent:
      return "absent";
    case availability::permission_denied:
      return "permission denied";
    case availability::counting_zero:
      return "counting zero";
    case availability::unsupported:
      return "unsupported";
  }
  return "?";
}

/// One kind of source and what probing it found.
struct source_status {
  std::string kind;   ///< "rapl", "perf-power", "hwmon", "jetson-ina3221x", "nvml", "tegrastats"
  std::string where;  ///< sysfs path, library or program probed
  availability state = availability::absent;
  std::string reason;                 ///< why not available, or what was found
  std::vector<std::string> channels;  ///< channel names when available
  /// `open_source(kind)` can open it with no further settings (false for the ARM Energy Probe,
  /// which needs its shunt resistances, so that `first_available` never picks it).
  bool opens_by_kind = true;
};

/// Where to look (tests point these at fake trees).
struct detection_settings {
  std::filesystem::path sysfs = "/sys";
  std::string nvml_library = "libnvidia-ml.so.1";
  std::string tegrastats = "tegrastats";
  std::filesystem::path dev = "/dev";  ///< where tty device nodes are
  /// ARM Energy Probe for `open_source("arm-energy-probe")`: its device ("" = the one found by
  /// its USB ids) and its shunts (needed to open it; not needed to detect it).
  std::string arm_energy_probe_device;
  arm_energy_probe_options arm_energy_probe;
  std::chrono::milliseconds probe{60};  ///< wait between two counter reads
};

namespace detail {

inline std::vector<std::string> names(const source_info& i) {
  std::vector<std::string> out;
  for (const auto& c : i.channels) out.push_back(c.name);
  return out;
}

/// Reads a counter twice `wait` apart; counting_zero when no channel advanced.
template <class C>
source_status probe_counter(C& c, source_status s, std::chrono::milliseconds wait) {
  std::vector<std::uint64_t> a(c.info().channels.size()), b(a.size());
  c.read_counters(a);
  std::this_thread::sleep_for(wait);
  c.read_counters(b);
  s.channels = names(c.info());
  if (a == b) {
    s.state = availability::counting_zero;
    s.reason = "counters did not advance in " + std::to_string(wait.count()) +
               " ms (the registers exist but count nothing, as in most virtual machines)";
  } else {
    s.state = availability::available;
    s.reason = std::to_string(a.size()) + " channels counting";
  }
  return s;
}

template <class F>
source_status probe(source_status s, F&& f) {
  try {
    return f(s);
  } catch (const permission_denied& e) {
    s.state = availability::permission_denied;
    s.reason = e.what();
  } catch (const sensor_error& e) {
    s.state = availability::unsupported;
    s.reason = e.what();
  }
  return s;
}

inline bool on_path(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "";
  std::size_t b = 0;
  while (b <= p.size()) {
    const auto e = std::min(p.find(':', b), p.size());
    if (::access((p.substr(b, e - b) + "/" + program).c_str(), X_OK) == 0) return true;
    b = e + 1;
  }
  return false;
}

/// ARM Energy Probes among the USB serial devices: ttyACM* whose USB device has the ids
/// 0d28:0004 (release) or 1fc9:0003 (prototype), as caiman's auto-detection matches them.
/// The device is not opened (that starts a capture); only its node's access is checked.
inline source_status detect_arm_energy_probe(const detection_settings& s) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path tty = s.sysfs / "class/tty";
  source_status st{"arm-energy-probe",
                   tty.string(),
                   availability::absent,
                   "no USB serial device with ids 0d28:0004 or 1fc9:0003",
                   {},
                   false};
  for (const fs::path& entry : list_prefixed(tty, "ttyACM")) {
    const fs::path usb_device =
        fs::canonical(entry / "device", ec).parent_path();  // device/ is its interface
    if (ec) continue;
    std::string ids;
    try {
      ids = read_text(usb_device / "idVendor") + ":" + read_text(usb_device / "idProduct");
    } catch (const sensor_error&) {
      continue;  // not a USB device (no ids)
    }
    if (ids != "0d28:0004" && ids != "1fc9:0003") continue;
    const fs::path node = s.dev / entry.filename();
    st.where = node.string();
    if (::access(node.c_str(), R_OK | W_OK) != 0) {
      const int err = errno;
      st.state = err == ENOENT ? availability::absent : availability::permission_denied;
      st.reason = "ARM Energy Probe (USB " + ids + ") at " + node.string() + ": " +
                  std::strerror(err) +
                  (err == ENOENT ? "" : " (add the user to the 'dialout' group)");
    } else {
      st.state = availability::available;
      st.reason =
          "ARM Energy Probe (USB " + ids + "); opening it needs the shunt resistances (--shunt)";
    }
    return st;
  }
  return st;
}

}  // namespace detail

/// Probes every supported kind of source. Never throws for a missing sensor: each kind gets
/// a status with its reason. Takes about 2 × `probe` when counters exist.
[[nodiscard]] inline std::vector<source_status> detect_sources(const detection_settings& s = {}) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<source_status> out;
  const fs::path powercap = s.sysfs / "class/powercap";
  if (detail::list_prefixed(powercap, "intel-rapl:").empty())
    out.push_back({"rapl",
                   powercap.string(),
                   availability::absent,
                   "no intel-rapl:* zone (no RAPL driver: not an Intel/AMD x86 host, or a virtual "
                   "machine that hides it)",
                   {}});
  else
    out.push_back(detail::probe({"rapl", powercap.string(), availability::absent, "", {}},
                                [&](source_status st) {
                                  rapl_counter c(powercap);
                                  return detail::probe_counter(c, st, s.probe);
                                }));
  const fs::path pmu = s.sysfs / "bus/event_source/devices/power";
  if (!fs::exists(pmu / "type", ec))
    out.push_back({"perf-power",
                   pmu.string(),
                   availability::absent,
                   "no perf power PMU (kernel exposes no RAPL events)",
                   {}});
  else
    out.push_back(detail::probe({"perf-power", pmu.string(), availability::absent, "", {}},
                                [&](source_status st) {
                                  perf_power_counter c(pmu);
                                  return detail::probe_counter(c, st, s.probe);
                                }));
  const fs::path hw = s.sysfs / "class/hwmon";
  out.push_back(
      detail::probe({"hwmon", hw.string(), availability::absent, "", {}}, [&](source_status st) {
        if (detail::hwmon_dirs(hw).empty()) {
          st.reason = "no hwmon device";
          return st;
        }
        try {
          hwmon_source h(hw);
          std::vector<double> w(h.info().channels.size());
          h.read_power(w);
          st.state = availability::available;
          st.channels = detail::names(h.info());
          st.reason = std::to_string(w.size()) + " power channels";
        } catch (const permission_denied&) {
          throw;
        } catch (const sensor_error& e) {
          st.state = availability::absent;
          st.reason = std::string("hwmon devices but no power channel: ") + e.what();
        }
        return st;
      }));
  const fs::path iio = s.sysfs / "bus/i2c/drivers/ina3221x";
  if (!fs::exists(iio, ec))
    out.push_back({"jetson-ina3221x",
                   iio.string(),
                   availability::absent,
                   "no ina3221x driver (not a Jetson on L4T <= 32)",
                   {}});
  else
    out.push_back(detail::probe({"jetson-ina3221x", iio.string(), availability::absent, "", {}},
                                [&](source_status st) {
                                  jetson_iio_source j(iio);
                                  std::vector<double> w(j.info().channels.size());
                                  j.read_power(w);
                                  st.state = availability::available;
                                  st.channels = detail::names(j.info());
                                  st.reason = std::to_string(w.size()) + " rails";
                                  return st;
                                }));
  out.push_back(
      detail::probe({"nvml", s.nvml_library, availability::absent, "", {}}, [&](source_status st) {
        try {
          nvml_source n(s.nvml_library);
          st.state = availability::available;
          st.channels = detail::names(n.info());
          st.reason = n.instantaneous()
                          ? "instantaneous power field"
                          : "1 s averaged power only (nvmlDeviceGetPowerUsage on Ampere+)";
        } catch (const sensor_error& e) {
          const bool no_lib = std::string(e.what()).find("dlopen failed") != std::string::npos;
          st.state = no_lib ? availability::absent : availability::unsupported;
          st.reason = e.what();
        }
        return st;
      }));
  if (detail::on_path(s.tegrastats))
    out.push_back({"tegrastats",
                   s.tegrastats,
                   availability::available,
                   "program found (rails depend on the board)",
                   {}});
  else
    out.push_back(
        {"tegrastats", s.tegrastats, availability::absent, "program not found (not a Jetson)", {}});
  out.push_back(detail::detect_arm_energy_probe(s));
  return out;
}

}  // namespace synergy::sources
