#pragma once
/// @file
/// Errors raised by power sources and measurement: every one names the sensor path, file or
/// line it is about, so that a user can look at the same place.

#include <stdexcept>
#include <string>

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

/// A recorded trace, log or marker file is malformed; `what()` is "<file>:<line>: <reason>".
class parse_error : public std::runtime_error {
 public:
  parse_error(const std::string& file, std::size_t line, const std::string& reason)
      : std::runtime_error(file + ":" + std::to_string(line) + ": " + reason), line_(line) {}
  /// 1-based line (0 for binary files and whole-file problems).
  [[nodiscard]] std::size_t line() const noexcept { return line_; }

 private:
  std::size_t line_;
};

}  // namespace synergy::sources
