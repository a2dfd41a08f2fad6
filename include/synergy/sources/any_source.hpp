#pragma once
/// @file
/// `any_source`: any power source — polled or streaming — behind one type, chosen at run time
/// (a command-line `--source` flag), and `open_source`, which opens a source by its detection kind.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/sources/concepts.hpp"
#include "synergy/sources/counter_power.hpp"
#include "synergy/sources/detect.hpp"
#include "synergy/sources/hwmon.hpp"
#include "synergy/sources/jetson_iio.hpp"
#include "synergy/sources/nvml.hpp"
#include "synergy/sources/perf_power.hpp"
#include "synergy/sources/rapl.hpp"
#include "synergy/sources/serial/arm_energy_probe.hpp"
#include "synergy/sources/tegrastats_live.hpp"

namespace synergy::sources {

/// Any source behind one type, chosen at run time (a command-line `--source` flag): a polled
/// `power_source` (one virtual call per read) or a `streaming_source` such as a probe (one
/// virtual call per block). The sampler asks `streaming()` and reads it the matching way.
class any_source {
 public:
  /// A polled source (a type that is both, like replay_source, is used polled).
  template <power_source S>
  explicit any_source(std::unique_ptr<S> s) : self_(std::make_unique<polled<S>>(std::move(s))) {}
  /// A streaming source.
  template <streaming_source S>
  requires(!power_source<S>) explicit any_source(std::unique_ptr<S> s)
      : self_(std::make_unique<streamed<S>>(std::move(s))) {}

  [[nodiscard]] const source_info& info() const { return self_->info(); }
  /// True when the source streams (read it with `read_block`), false when it is polled.
  [[nodiscard]] bool streaming() const { return self_->streaming(); }
  /// Polled sources: the present power of every channel (W). std::logic_error on a streaming one.
  void read_power(std::span<double> w) { self_->read(w); }
  /// Streaming sources: the samples since the last call. std::logic_error on a polled one.
  std::size_t read_block(std::vector<double>& times, std::vector<double>& watts) {
    return self_->block(times, watts);
  }
  /// Samples the source itself lost (a probe's missing frames); 0 for sources that cannot tell.
  [[nodiscard]] std::uint64_t lost_samples() const { return self_->lost(); }
  /// Steady-clock time (s) of the last polled reading, for sources that stamp their own
  /// readings (`counter_power`: the end of the interval it averaged); nullopt for the others.
  [[nodiscard]] std::optional<double> reading_time_s() const { return self_->reading_time(); }

 private:
  struct concept_t {
    virtual ~concept_t() = default;
    virtual const source_info& info() const = 0;
    virtual bool streaming() const = 0;
    virtual void read(std::span<double>) = 0;
    virtual std::size_t block(std::vector<double>&, std::vector<double>&) = 0;
    virtual std::uint64_t lost() const = 0;
    virtual std::optional<double> reading_time() const = 0;
  };
  template <class S>
  struct holder : concept_t {
    explicit holder(std::unique_ptr<S> p) : s(std::move(p)) {}
    const source_info& info() const override { return s->info(); }
    std::uint64_t lost() const override {
      if constexpr (requires { s->lost_samples(); })
        return s->lost_samples();
      else
        return 0;
    }
    std::optional<double> reading_time() const override {
      if constexpr (requires { s->reading_time_s(); })
        return s->reading_time_s();
      else
        return std::nullopt;
    }
    std::unique_ptr<S> s;
  };
  template <class S>
  struct polled final : holder<S> {
    using holder<S>::holder;
    bool streaming() const override { return false; }
    void read(std::span<double> w) override { this->s->read_power(w); }
    std::size_t block(std::vector<double>&, std::vector<double>&) override {
      throw std::logic_error(this->s->info().name + ": a polled source has no read_block");
    }
  };
  template <class S>
  struct streamed final : holder<S> {
    using holder<S>::holder;
    bool streaming() const override { return true; }
    void read(std::span<double>) override {
      throw std::logic_error(this->s->info().name + ": a streaming source has no read_power");
    }
    std::size_t block(std::vector<double>& t, std::vector<double>& w) override {
      return this->s->read_block(t, w);
    }
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
  std::optional<double> reading_time_s() const noexcept { return power.reading_time_s(); }
};
}  // namespace detail

/// Opens the ARM Energy Probe at `s.arm_energy_probe_device`, or the one `detect_sources`
/// finds, with the shunts of `s.arm_energy_probe`. Throws std::invalid_argument when no shunt
/// is given, `sensor_error` (with detection's reason) when no probe is found, and what the
/// probe's handshake throws.
[[nodiscard]] inline std::unique_ptr<arm_energy_probe_source> open_arm_energy_probe(
    const detection_settings& s) {
  bool shunts = false;
  for (double r : s.arm_energy_probe.shunt_ohm) shunts = shunts || r > 0;
  if (!shunts)
    throw std::invalid_argument(
        "arm-energy-probe needs the shunt resistance of each connected channel "
        "(arm_energy_probe_options::shunt_ohm; synergy --shunt CHANNEL:OHM)");
  std::string device = s.arm_energy_probe_device;
  if (device.empty()) {
    const auto st = detail::detect_arm_energy_probe(s);
    if (st.state != availability::available)
      throw sensor_error(st.where, "arm-energy-probe: " + st.reason);
    device = st.where;
  }
  return std::make_unique<arm_energy_probe_source>(device, arm_energy_probe(s.arm_energy_probe));
}

/// Opens the source of detection kind `kind` ("rapl", "perf-power", "hwmon",
/// "jetson-ina3221x", "nvml", "tegrastats", "arm-energy-probe") at the places `s` names.
/// Throws `sensor_error` / `permission_denied` as the source does, and std::invalid_argument
/// for an unknown kind or a probe without its shunts.
[[nodiscard]] inline any_source open_source(const std::string& kind,
                                            const detection_settings& s = {}) {
  if (kind == "rapl")
    return any_source(std::make_unique<detail::owned_counter_power<rapl_counter>>(
        std::make_unique<rapl_counter>(s.sysfs / "class/powercap")));
  if (kind == "perf-power")
    return any_source(std::make_unique<detail::owned_counter_power<perf_power_counter>>(
        std::make_unique<perf_power_counter>(s.sysfs / "bus/event_source/devices/power")));
  if (kind == "hwmon") return any_source(std::make_unique<hwmon_source>(s.sysfs / "class/hwmon"));
  if (kind == "jetson-ina3221x")
    return any_source(std::make_unique<jetson_iio_source>(s.sysfs / "bus/i2c/drivers/ina3221x"));
  if (kind == "nvml") return any_source(std::make_unique<nvml_source>(s.nvml_library));
  if (kind == "tegrastats") return any_source(std::make_unique<tegrastats_source>(s.tegrastats));
  if (kind == "arm-energy-probe") return any_source(open_arm_energy_probe(s));
  throw std::invalid_argument(
      "unknown power source '" + kind +
      "' (rapl, perf-power, hwmon, jetson-ina3221x, nvml, tegrastats, arm-energy-probe)");
}

/// The first available source of `detect_sources(s)`, or nullopt (then `why` lists the
/// reasons of every kind).
[[nodiscard]] inline std::optional<std::string> first_available(const detection_settings& s,
                                                                std::string* why = nullptr) {
  for (const auto& st : detect_sources(s)) {
    if (st.state == availability::available && st.opens_by_kind) return st.kind;
    if (why) *why += st.kind + ": " + to_string(st.state) + " — " + st.reason + "\n";
  }
  return std::nullopt;
}

}  // namespace synergy::sources
