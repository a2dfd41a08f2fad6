#pragma once
/// @file
/// Jetson INA3221 through the L4T ≤ 32 IIO driver `ina3221x` (TX1, TX2, Xavier, Nano):
/// `/sys/bus/i2c/drivers/ina3221x/<addr>/iio:deviceN/` with `rail_name_K`,
/// `in_powerK_input` (mW), `in_voltageK_input` (mV), `in_currentK_input` (mA), K = 0..2.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "synergy/sources/concepts.hpp"
#include "synergy/sources/detail/sysfs.hpp"
#include "synergy/sources/hwmon.hpp"

namespace synergy::sources {

/// The rails of every `ina3221x` IIO device under `root` as a `power_source`.
class jetson_iio_source {
 public:
  /// `root`: the driver folder (/sys/bus/i2c/drivers/ina3221x), one I²C device folder, or one
  /// iio:deviceN folder. Uses `in_powerK_input` (mW) when present, else V·I. `total_rail`
  /// overrides the total (default VDD_IN / POM_5V_IN). Throws `sensor_error` if no rail.
  explicit jetson_iio_source(const std::filesystem::path& root = "/sys/bus/i2c/drivers/ina3221x",
                             const std::string& total_rail = "") {
    std::vector<std::filesystem::path> devices;
    collect(root, devices, 0);
    std::sort(devices.begin(),
              devices.end());  // directory order is arbitrary: 0-0040 before 0-0041
    for (const auto& d : devices) add_device(d);
    if (reads_.empty())
      throw sensor_error(root.string(), "no ina3221x rail (rail_name_K with in_powerK_input)");
    info_.name = "jetson ina3221x (" + root.string() + ")";
    for (auto& c : info_.channels)
      c.is_total = total_rail.empty() ? detail::is_module_input_rail(c.name) : c.name == total_rail;
  }
  [[nodiscard]] const source_info& info() const noexcept { return info_; }

  /// Present power per rail in W.
  void read_power(std::span<double> watts) {
    for (std::size_t i = 0; i < reads_.size(); ++i) watts[i] = reads_[i].watts();
  }

 private:
  static void collect(const std::filesystem::path& d, std::vector<std::filesystem::path>& out,
                      int depth) {
    std::error_code ec;
    if (std::filesystem::exists(d / "rail_name_0", ec)) {
      out.push_back(d);
      return;
    }
    if (depth >= 2) return;
    for (std::filesystem::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_directory(ec)) collect(it->path(), out, depth + 1);
  }
  void add_device(const std::filesystem::path& d) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (int k = 0; k < 8; ++k) {
      const std::string K = std::to_string(k);
      if (!fs::exists(d / ("rail_name_" + K), ec)) continue;
      const std::string rail = detail::read_text(d / ("rail_name_" + K));
      if (fs::exists(d / ("in_power" + K + "_input"), ec)) {
        info_.channels.push_back({rail, "rail", "", false, "mW"});
        reads_.push_back(
            {detail::attribute_file(d / ("in_power" + K + "_input")), std::nullopt, 1e-3});
      } else {
        info_.channels.push_back({rail, "rail", "", false, "mV*mA"});
        reads_.push_back({detail::attribute_file(d / ("in_voltage" + K + "_input")),
                          detail::attribute_file(d / ("in_current" + K + "_input")), 1e-6});
      }
    }
  }
  source_info info_;
  std::vector<detail::rail_reader> reads_;
};

}  // namespace synergy::sources
