#pragma once
/// @file
/// Linux hwmon power sensors (Documentation/hwmon/sysfs-interface.rst):
///   - `powerN_input` in µW (INA238, INA226, many PMICs), label `powerN_label`;
///   - `inN_input` (mV) × `currN_input` (mA) pairs named by `inN_label` — the mainline
///     INA3221 driver used by Jetson L4T ≥ 35, which has no power file (P = V·I);
///   - `energyN_input` in µJ (INA238), read through `hwmon_energy` as an energy counter.
/// A device folder may hold its hwmon one level down (`<dev>/hwmon/hwmonN`, as
/// /sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3 on AGX Orin); both layouts are found.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "synergy/sources/concepts.hpp"
#include "synergy/sources/detail/sysfs.hpp"

namespace synergy::sources {

namespace detail {

/// hwmon folders under `root`: `root` itself when it has a `name` file, its `hwmonN`
/// children, and their nested `hwmon/hwmonN` (device folders).
inline std::vector<std::filesystem::path> hwmon_dirs(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  std::error_code ec;
  auto add_with_nested = [&](const fs::path& d) {
    if (fs::exists(d / "name", ec)) out.push_back(d);
    for (const auto& n : list_prefixed(d / "hwmon", "hwmon")) out.push_back(n);
  };
  add_with_nested(root);
  for (const auto& d : list_prefixed(root, "hwmon")) add_with_nested(d);
  return out;
}

/// Rail names that are a whole Jetson module's input (the total), by board documentation:
/// VDD_IN (TX2, Xavier NX, Orin NX/Nano), POM_5V_IN (Nano). AGX Orin has none.
inline bool is_module_input_rail(const std::string& label) {
  return label == "VDD_IN" || label == "POM_5V_IN";
}

inline std::string label_or(const std::filesystem::path& f, const std::string& fallback) {
  std::error_code ec;
  return std::filesystem::exists(f, ec) ? read_text(f) : fallback;
}

/// One rail read from sysfs: a power file (`scale` W per unit: 1e-6 for µW, 1e-3 for mW), or
/// a voltage (mV) and a current (mA) file whose product is µW.
struct rail_reader {
  attribute_file value;
  std::optional<attribute_file> current;
  double scale = 1e-6;
  /// Present power in W; throws `sensor_error` naming the file.
  [[nodiscard]] double watts() const {
    return current ? static_cast<double>(value.read_int()) *
                         static_cast<double>(current->read_int()) * 1e-6
                   : static_cast<double>(value.read_int()) * scale;
  }
};

}  // namespace detail

/// Power channels of one or more hwmon devices as a `power_source`.
class hwmon_source {
 public:
  /// Finds every power channel under `root`: a hwmon class folder (/sys/class/hwmon), one
  /// hwmonN folder, or a device folder with a nested hwmon/hwmonN. Skips V/I pairs whose
  /// `inN_enable` is 0 and voltages without a matching current (INA3221's in4–in7 shunt sums).
  /// `total_rail` overrides which channel is the total (default: VDD_IN / POM_5V_IN).
  /// Throws `sensor_error` when no power channel exists, `permission_denied` when unreadable.
  explicit hwmon_source(const std::filesystem::path& root = "/sys/class/hwmon",
                        const std::string& total_rail = "") {
    for (const auto& dir : detail::hwmon_dirs(root)) add_device(dir);
    if (info_.channels.empty())
      throw sensor_error(root.string(),
                         "no hwmon power channel (powerN_input or inN_input+currN_input)");
    info_.name = "hwmon (" + root.string() + ")";
    info_.update_period =
        duration::from_value(0.0);  // driver-specific; INA3221 default 1.1 ms × averaging
    for (auto& c : info_.channels)
      c.is_total = total_rail.empty() ? detail::is_module_input_rail(c.name) : c.name == total_rail;
  }

  [[nodiscard]] const source_info& info() const noexcept { return info_; }

  /// Present power of every channel in W (µW files × 1e-6; mV × mA × 1e-6).
  void read_power(std::span<double> watts) {
    for (std::size_t i = 0; i < reads_.size(); ++i) watts[i] = reads_[i].watts();
  }

 private:
  void add_device(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const std::string dev = detail::label_or(dir / "name", dir.filename().string());
    for (int n = 0; n < 32; ++n) {
      const fs::path p = dir / ("power" + std::to_string(n) + "_input");
      if (!fs::exists(p, ec)) continue;
      const std::string label = detail::label_or(dir / ("power" + std::to_string(n) + "_label"),
                                                 dev + "/power" + std::to_string(n));
      info_.channels.push_back({label, "rail", "", false, "uW"});
      reads_.push_back({detail::attribute_file(p), std::nullopt, 1e-6});
    }
    for (int n = 0; n < 32; ++n) {
      const std::string N = std::to_string(n);
      const fs::path v = dir / ("in" + N + "_input"), c = dir / ("curr" + N + "_input");
      if (!fs::exists(v, ec) || !fs::exists(c, ec)) continue;
      if (fs::exists(dir / ("in" + N + "_enable"), ec) &&
          detail::read_int(dir / ("in" + N + "_enable")) == 0)
        continue;
      const std::string label = detail::label_or(dir / ("in" + N + "_label"), dev + "/in" + N);
      if (label.find("shunt") != std::string::npos) continue;  // INA3221 "sum of shunt voltages"
      info_.channels.push_back({label, "rail", "", false, "mV*mA"});
      reads_.push_back({detail::attribute_file(v), detail::attribute_file(c), 1e-6});
    }
  }

  source_info info_;
  std::vector<detail::rail_reader> reads_;
};

/// `energyN_input` channels (µJ, e.g. INA238) of hwmon devices as an `energy_counter`.
class hwmon_energy {
 public:
  /// Finds every energyN_input under `root` (same layouts as `hwmon_source`); throws
  /// `sensor_error` when there is none.
  explicit hwmon_energy(const std::filesystem::path& root = "/sys/class/hwmon") {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const auto& dir : detail::hwmon_dirs(root)) {
      const std::string dev = detail::label_or(dir / "name", dir.filename().string());
      for (int n = 0; n < 32; ++n) {
        const fs::path p = dir / ("energy" + std::to_string(n) + "_input");
        if (!fs::exists(p, ec)) continue;
        const std::string label = detail::label_or(dir / ("energy" + std::to_string(n) + "_label"),
                                                   dev + "/energy" + std::to_string(n));
        info_.channels.push_back({label, "rail", "", false, "uJ"});
        files_.emplace_back(p);
      }
    }
    if (files_.empty())
      throw sensor_error(root.string(), "no hwmon energy channel (energyN_input)");
    info_.name = "hwmon energy (" + root.string() + ")";
  }
  [[nodiscard]] const source_info& info() const noexcept { return info_; }
  /// µJ counters; the hwmon ABI makes them 64-bit and monotonic.
  [[nodiscard]] counter_spec spec(std::size_t) const noexcept { return {1.0e-6, UINT64_MAX}; }
  void read_counters(std::span<std::uint64_t> counts) {
    for (std::size_t i = 0; i < files_.size(); ++i)
      counts[i] = static_cast<std::uint64_t>(files_[i].read_int());
  }

 private:
  source_info info_;
  std::vector<detail::attribute_file> files_;
};

}  // namespace synergy::sources
