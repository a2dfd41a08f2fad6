#pragma once
/// @file
/// NVIDIA GPUs through NVML, loaded with dlopen("libnvidia-ml.so.1") at run time: no build
/// dependency, and a clear "absent" answer on machines without the driver.
///
/// What NVML gives (NVML API reference): `nvmlDeviceGetPowerUsage` is the *1 s average* on
/// Ampere and newer (instantaneous before); field `NVML_FI_DEV_POWER_INSTANT` (186) is the
/// instantaneous power where the driver offers it; `nvmlDeviceGetTotalEnergyConsumption`
/// is a mJ counter (Volta and newer) that refreshes only every 10–100 ms. This source uses
/// the instantaneous field when the driver answers it and otherwise the averaged call with
/// `averaging_window` = 1 s declared; "not supported" answers are reported, never read as 0.

#include <dlfcn.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "synergy/sources/concepts.hpp"
#include "synergy/sources/errors.hpp"

namespace synergy::sources {

namespace detail::nvml {
// The few NVML ABI items used, as the public NVML API reference documents them.
using device_t = struct device_st*;
using return_t = int;
inline constexpr return_t success = 0;
inline constexpr return_t not_supported = 3;
inline constexpr unsigned field_power_average = 185;  // NVML_FI_DEV_POWER_AVERAGE (mW, 1 s)
inline constexpr unsigned field_power_instant = 186;  // NVML_FI_DEV_POWER_INSTANT (mW)
struct field_value {
  unsigned field_id;
  unsigned scope_id;
  long long timestamp;
  long long latency_us;
  int value_type;  // 0 double, 1 uint, 2 ulong, 3 ulonglong, 4 slonglong, 5 sint, 6 ushort
  return_t result;
  union {
    double d;
    unsigned ui;
    unsigned long ul;
    unsigned long long ull;
    long long sll;
    int si;
    unsigned short us;
  } value;
};
inline double as_double(const field_value& f) {
  switch (f.value_type) {
    case 0:
      return f.value.d;
    case 1:
      return f.value.ui;
    case 2:
      return static_cast<double>(f.value.ul);
    case 3:
      return static_cast<double>(f.value.ull);
    case 4:
      return static_cast<double>(f.value.sll);
    case 5:
      return f.value.si;
    default:
      return f.value.us;
  }
}
}  // namespace detail::nvml

/// Every NVIDIA GPU of this machine as a `power_source` (one channel per GPU, "gpu<i>").
class nvml_source {
 public:
  /// Loads `library` (default libnvidia-ml.so.1) and initialises NVML. Throws `sensor_error`
  /// naming the library when it is absent, a symbol is missing, init fails or no GPU exists.
  explicit nvml_source(const std::string& library = "libnvidia-ml.so.1") : library_(library) {
    lib_ = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib_)
      throw sensor_error(library,
                         std::string("dlopen failed: ") + ::dlerror() + " (no NVIDIA driver here)");
    load(init_, "nvmlInit_v2");
    load(shutdown_, "nvmlShutdown");
    load(count_, "nvmlDeviceGetCount_v2");
    load(handle_, "nvmlDeviceGetHandleByIndex_v2");
    load(usage_, "nvmlDeviceGetPowerUsage");
    load(fields_, "nvmlDeviceGetFieldValues");
    load(error_string_, "nvmlErrorString");
    check(init_(), "nvmlInit_v2");
    initialised_ = true;
    unsigned n = 0;
    check(count_(&n), "nvmlDeviceGetCount_v2");
    if (n == 0) throw sensor_error(library, "NVML reports no GPU");
    for (unsigned i = 0; i < n; ++i) {
      detail::nvml::device_t d{};
      check(handle_(i, &d), "nvmlDeviceGetHandleByIndex_v2");
      devices_.push_back(d);
    }
    probe_instant();
    info_.name = "nvml (" + library + ")";
    for (unsigned i = 0; i < n; ++i)
      info_.channels.push_back({"gpu" + std::to_string(i), "gpu", "", n == 1, "mW"});
    info_.update_period = duration::from_value(0.02);  // driver refresh, typically 20–100 ms
    info_.averaging_window = duration::from_value(instant_ ? 0.0 : 1.0);
    info_.max_rate = frequency::from_value(100.0);
  }
  nvml_source(const nvml_source&) = delete;
  nvml_source& operator=(const nvml_source&) = delete;
  ~nvml_source() {
    if (initialised_) shutdown_();
    if (lib_) ::dlclose(lib_);
  }

  [[nodiscard]] const source_info& info() const noexcept { return info_; }
  /// True when the instantaneous field is used; false: 1 s averages (declared in info()).
  [[nodiscard]] bool instantaneous() const noexcept { return instant_; }

  void read_power(std::span<double> watts) {
    for (std::size_t i = 0; i < devices_.size(); ++i) {
      if (instant_) {
        detail::nvml::field_value f{};
        f.field_id = detail::nvml::field_power_instant;
        check(fields_(devices_[i], 1, &f), "nvmlDeviceGetFieldValues");
        check(f.result, "NVML_FI_DEV_POWER_INSTANT");
        watts[i] = detail::nvml::as_double(f) * 1e-3;
      } else {
        unsigned mw = 0;
        check(usage_(devices_[i], &mw), "nvmlDeviceGetPowerUsage");
        watts[i] = mw * 1e-3;
      }
    }
  }

 private:
  template <class F>
  void load(F& fn, const char* name) {
    void* p = ::dlsym(lib_, name);
    if (!p) throw sensor_error(library_, std::string("missing symbol ") + name);
    fn = reinterpret_cast<F>(p);
  }
  void check(detail::nvml::return_t r, const char* call) const {
    if (r == detail::nvml::success) return;
    const std::string text = error_string_ ? error_string_(r) : "error " + std::to_string(r);
    throw sensor_error(
        library_,
        std::string(call) + ": " + text +
            (r == detail::nvml::not_supported ? " (not supported by this GPU/driver)" : ""));
  }
  void probe_instant() {
    detail::nvml::field_value f{};
    f.field_id = detail::nvml::field_power_instant;
    instant_ =
        fields_(devices_[0], 1, &f) == detail::nvml::success && f.result == detail::nvml::success;
  }

  std::string library_;
  void* lib_ = nullptr;
  bool initialised_ = false, instant_ = false;
  detail::nvml::return_t (*init_)() = nullptr;
  detail::nvml::return_t (*shutdown_)() = nullptr;
  detail::nvml::return_t (*count_)(unsigned*) = nullptr;
  detail::nvml::return_t (*handle_)(unsigned, detail::nvml::device_t*) = nullptr;
  detail::nvml::return_t (*usage_)(detail::nvml::device_t, unsigned*) = nullptr;
  detail::nvml::return_t (*fields_)(detail::nvml::device_t, int,
                                    detail::nvml::field_value*) = nullptr;
  const char* (*error_string_)(detail::nvml::return_t) = nullptr;
  std::vector<detail::nvml::device_t> devices_;
  source_info info_;
};

}  // namespace synergy::sources
