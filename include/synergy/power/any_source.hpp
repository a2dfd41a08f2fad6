#pragma once
/// @file
/// `any_source`: any polled power source behind one type, chosen at run time (a command-line
/// `--source` flag), and `open_source`, which opens a source by its detection kind.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "synergy/power/concepts.hpp"
#include "synergy/power/counter_power.hpp"
#include "synergy/power/detect.hpp"
#include "synergy/power/hwmon.hpp"
#include "synergy/power/jetson_iio.hpp"
#include "synergy/power/nvml.hpp"
#include "synergy/power/perf_power.hpp"
#include "synergy/power/rapl.hpp"
#include "synergy/power/tegrastats_live.hpp"

namespace synergy::sources {

/// Type-erased `power_source` (one virtual call per read).
class any_source {
 public:
  template <power_source S>
  explicit any_source(std::unique_ptr<S> s) : self_(std::make_unique<model<S>>(std::move(s))) {}
  [[nodiscard]] const source_info& info() const { return self_->info(); }
  void read_power(std::span<double> w) { self_->read(w); }

 private:
  struct concept_t {
    virtual ~concept_t() = default;
    virtual const source_info& info() const = 0;
    virtual void read(std::span<double>) = 0;
  };
  template <class S>
  struct model final : concept_t {
    explicit model(std::unique_ptr<S> p) : s(std::move(p)) {}
    const source_info& info() const override { return s->info(); }
    void read(std::span<double> w) override { s->read_power(w); }
    std::unique_ptr<S> s;
  };
  std::unique_ptr<concept_t> self_;
};

namespace detail {
/// Owns an energy counter and its power adapter together.
template <class C>
struct owned_counter_power {
  std::unique_ptr<C> counter;
  counter_power<C> power;
  explicit owned_counter_power(std::unique_ptr<C> c) : counter(std::move(c)), power(*counter) {}
  const source_info& info() const { return power.info(); }
  void read_power(std::span<double> w) { power.read_power(w); }
};
}  // namespace detail

/// Opens the source of detection kind `kind` ("rapl", "perf-power", "hwmon",
/// "jetson-ina3221x", "nvml", "tegrastats") at the places `s` names. Throws `sensor_error` /
/// `permission_denied` as the source does, and std::invalid_argument for an unknown kind.
[[nodiscard]] inline any_source open_source(const std::string& kind, const detection_settings& s = {}) {
  if (kind == "rapl")
    return any_source(std::make_unique<detail::owned_counter_power<rapl_counter>>(std::make_unique<rapl_counter>(s.sysfs / "class/powercap")));
  if (kind == "perf-power")
    return any_source(std::make_unique<detail::owned_counter_power<perf_power_counter>>(
        std::make_unique<perf_power_counter>(s.sysfs / "bus/event_source/devices/power")));
  if (kind == "hwmon") return any_source(std::make_unique<hwmon_source>(s.sysfs / "class/hwmon"));
  if (kind == "jetson-ina3221x") return any_source(std::make_unique<jetson_iio_source>(s.sysfs / "bus/i2c/drivers/ina3221x"));
  if (kind == "nvml") return any_source(std::make_unique<nvml_source>(s.nvml_library));
  if (kind == "tegrastats") return any_source(std::make_unique<tegrastats_source>(s.tegrastats));
  if (kind == "arm-energy-probe")
    throw std::invalid_argument("arm-energy-probe is a streaming source that needs the shunt resistance of each "
                                "channel: open it with arm_energy_probe_source (docs/measurement.md)");
  throw std::invalid_argument("unknown power source '" + kind + "' (rapl, perf-power, hwmon, jetson-ina3221x, nvml, tegrastats)");
}

/// The first available source of `detect_sources(s)`, or nullopt (then `why` lists the
/// reasons of every kind).
[[nodiscard]] inline std::optional<std::string> first_available(const detection_settings& s, std::string* why = nullptr) {
  for (const auto& st : detect_sources(s)) {
    if (st.state == availability::available && st.opens_by_kind) return st.kind;
    if (why) *why += st.kind + ": " + to_string(st.state) + " — " + st.reason + "\n";
  }
  return std::nullopt;
}

}  // namespace synergy::sources
