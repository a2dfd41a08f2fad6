#pragma once
/// @file
/// Intel/AMD RAPL through the powercap framework (Documentation/power/powercap/powercap.rst):
/// `/sys/class/powercap/intel-rapl:N` (zones: package-N, psys) and `intel-rapl:N:M`
/// (subzones: core, uncore, dram), each with `name`, `energy_uj` (µJ, wraps after
/// `max_energy_range_uj`) and constraints. Since CVE-2020-8694 (kernel 5.10) `energy_uj` is
/// readable by root only: this raises `permission_denied` with the remedies, never 0.
///
/// Containment, so that sums never count twice: core and uncore (PP0/PP1) are inside their
/// package; psys (platform) contains the packages and dram; dram, although listed as a
/// package subzone on servers, is *not* inside the package's energy (Intel SDM vol. 3B §15.10).

#include <algorithm>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "synergy/sources/concepts.hpp"
#include "synergy/sources/detail/sysfs.hpp"

namespace synergy::sources {

/// Remedies printed with a RAPL permission error.
inline constexpr const char* rapl_permission_help =
    "RAPL energy_uj is root-only since Linux 5.10 (CVE-2020-8694, 'Platypus': unprivileged "
    "energy readings leaked secrets through power side channels). Run as root, or grant read "
    "access for this session (sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj "
    "/sys/class/powercap/intel-rapl:*:*/energy_uj), or use a udev rule for a trusted group";

/// All RAPL powercap zones under `root` as an `energy_counter`.
class rapl_counter {
 public:
  /// Reads every `intel-rapl:*` zone under `root` (default /sys/class/powercap; the MMIO
  /// duplicate `intel-rapl-mmio:*` is skipped since it measures the same package). Throws
  /// `sensor_error` when there is no zone, `permission_denied` (with the CVE-2020-8694
  /// explanation) when energy_uj is not readable.
  explicit rapl_counter(const std::filesystem::path& root = "/sys/class/powercap") {
    std::vector<std::filesystem::path> zones;
    for (const auto& p : detail::list_prefixed(root, "intel-rapl:")) zones.push_back(p);
    // Subzones may also be nested only (intel-rapl:0/intel-rapl:0:1) in some listings.
    for (std::size_t i = 0, n = zones.size(); i < n; ++i)
      for (const auto& s : detail::list_prefixed(zones[i], "intel-rapl:"))
        if (std::find_if(zones.begin(), zones.end(), [&](const auto& z) {
              return z.filename() == s.filename();
            }) == zones.end())
          zones.push_back(s);
    if (zones.empty()) throw sensor_error(root.string(), "no RAPL powercap zone (intel-rapl:N)");
    std::sort(zones.begin(), zones.end(), [](const auto& a, const auto& b) {
      return a.filename().string() < b.filename().string();
    });
    for (const auto& z : zones) add_zone(z);
    link_parents();
    info_.name = "rapl powercap (" + root.string() + ")";
    info_.update_period = duration::from_value(1e-3);  // RAPL MSRs update about every 1 ms
  }

  [[nodiscard]] const source_info& info() const noexcept { return info_; }
  [[nodiscard]] counter_spec spec(std::size_t i) const { return {1.0e-6, zones_.at(i).max_range}; }
  /// Largest power a zone's constraints declare (W), 0 when none does (bounds the wrap warning).
  [[nodiscard]] double max_power_w(std::size_t i) const { return zones_.at(i).max_power_w; }

  void read_counters(std::span<std::uint64_t> counts) {
    for (std::size_t i = 0; i < zones_.size(); ++i)
      counts[i] = static_cast<std::uint64_t>(zones_[i].energy.read_int());
  }

 private:
  struct zone {
    std::string id;  ///< "intel-rapl:0:1"
    detail::attribute_file energy;
    std::uint64_t max_range = 0;
    double max_power_w = 0;
  };

  void add_zone(const std::filesystem::path& z) {
    const std::string id = z.filename().string();
    const std::string name = detail::read_text(z / "name");
    detail::attribute_file f;
    try {
      f = detail::attribute_file(z / "energy_uj");
      (void)f.read_int();
    } catch (const permission_denied& e) {
      throw permission_denied(e.path(), std::string(e.what()).substr(e.path().size() + 2) + ". " +
                                            rapl_permission_help);
    }
    const auto range = detail::read_int(z / "max_energy_range_uj");
    if (range <= 0)
      throw sensor_error((z / "max_energy_range_uj").string(), "not a positive range");
    double pmax = 0;
    for (int c = 0; c < 4; ++c) {
      const auto p = z / ("constraint_" + std::to_string(c) + "_max_power_uw");
      std::error_code ec;
      if (std::filesystem::exists(p, ec))
        pmax = std::max(pmax, static_cast<double>(detail::read_int(p)) * 1e-6);
    }
    const bool sub = std::count(id.begin(), id.end(), ':') == 2;
    const std::string domain = name.rfind("package", 0) == 0 ? "package" : name;
    zones_.push_back({id, std::move(f), static_cast<std::uint64_t>(range), pmax});
    // Channel names: top zones by their own name, subzones as "<package>/<name>".
    info_.channels.push_back({sub ? id : name, domain, "", domain == "psys", "uJ"});
  }

  void link_parents() {
    std::string psys;
    for (const auto& c : info_.channels)
      if (c.domain == "psys") psys = c.name;
    for (std::size_t i = 0; i < zones_.size(); ++i) {
      auto& c = info_.channels[i];
      const std::string& id = zones_[i].id;
      if (std::count(id.begin(), id.end(), ':') == 2) {
        const std::string parent_id = id.substr(0, id.rfind(':'));
        std::string parent_name;
        for (std::size_t j = 0; j < zones_.size(); ++j)
          if (zones_[j].id == parent_id) parent_name = info_.channels[j].name;
        c.name = parent_name + "/" + c.domain;
        c.parent = c.domain == "dram" ? psys : parent_name;  // dram is not inside the package
      } else if (c.domain != "psys") {
        c.parent = psys;
      }
    }
  }

  source_info info_;
  std::vector<zone> zones_;
};

}  // namespace synergy::sources
