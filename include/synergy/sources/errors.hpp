#pragma once
/// @file
/// Errors raised by power sources: every one names the sensor path, file or
/// line it is about, so that a user can look at the same place.

#include <stdexcept>
#include <string>

#include "synergy/errors.hpp"

namespace synergy::sources {

/// A sensor could not be read or gave text that is not what its driver documents.
/// `what()` names the path (or device) and the reason.
class sensor_error : public std::runtime_error {
 public:
  sensor_error(std::string path, const std::string& reason)
      : std::runtime_error(path + ": " + reason), path_(std::move(path)) {}
  /// The sysfs file, device node or library the error is about.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// The sensor exists but this process may not read it (EACCES / EPERM). For RAPL this is the
/// deliberate default since CVE-2020-8694 (Platypus: energy_uj leaked secrets through power
/// side channels, so kernels ≥ 5.10 made it root-only); the message names the remedies.
class permission_denied : public sensor_error {
 public:
  using sensor_error::sensor_error;
};

/// Malformed recorded files raise the ground floor's `synergy::parse_error` ("<file>:<line>:
/// <reason>"); named here too because readers of source logs throw it.
using synergy::parse_error;

}  // namespace synergy::sources
