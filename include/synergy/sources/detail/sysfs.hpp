#pragma once
/// @file
/// Reading sysfs attribute files: one value per file, as the kernel's sysfs rules say
/// (Documentation/filesystems/sysfs.rst). Every failure names the path and the errno.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "synergy/sources/errors.hpp"

namespace synergy::sources::detail {

/// Throws `permission_denied` for EACCES/EPERM, else `sensor_error`, with strerror text.
[[noreturn]] inline void raise_errno(const std::string& path, int err, const char* doing) {
  std::string reason = std::string(doing) + ": " + std::strerror(err);
  if (err == EACCES || err == EPERM) throw permission_denied(path, reason);
  throw sensor_error(path, reason);
}

/// An open sysfs attribute read again and again with pread (one syscall per read, no
/// reopen), as a sampler does at kHz rates. Move-only; closes on destruction.
class attribute_file {
 public:
  attribute_file() = default;
  /// Opens `path` read-only; throws `permission_denied` or `sensor_error` naming it.
  explicit attribute_file(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) raise_errno(path_.string(), errno, "open");
  }
  attribute_file(attribute_file&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_) {
    o.fd_ = -1;
  }
  attribute_file& operator=(attribute_file&& o) noexcept {
    if (this != &o) {
      close();
      path_ = std::move(o.path_);
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  attribute_file(const attribute_file&) = delete;
  attribute_file& operator=(const attribute_file&) = delete;
  ~attribute_file() { close(); }

  /// Reads the whole value as a signed integer (trailing newline allowed). Throws naming the
  /// path when the read fails (a sensor that disappeared gives ENODEV/ENOENT) or the text is
  /// not an integer.
  [[nodiscard]] std::int64_t read_int() const {
    char buf[64];
    const ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    if (n < 0) raise_errno(path_.string(), errno, "read");
    if (n == 0) throw sensor_error(path_.string(), "read: empty file (sensor gone?)");
    return parse_int(std::string_view(buf, static_cast<std::size_t>(n)), path_.string());
  }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  /// Parses a sysfs integer: optional sign, digits, optional trailing whitespace.
  static std::int64_t parse_int(std::string_view text, const std::string& where) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\0'))
      text.remove_suffix(1);
    std::int64_t v = 0;
    const auto* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc{} || p != end || text.empty())
      throw sensor_error(where, "not an integer: '" + std::string(text) + "'");
    return v;
  }

 private:
  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  std::filesystem::path path_;
  int fd_ = -1;
};

/// Whole text of a small attribute file without the trailing newline; throws naming the path.
[[nodiscard]] inline std::string read_text(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) raise_errno(path.string(), errno, "open");
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      raise_errno(path.string(), err, "read");
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

/// Integer value of an attribute file (one open + read); throws naming the path.
[[nodiscard]] inline std::int64_t read_int(const std::filesystem::path& path) {
  return attribute_file::parse_int(read_text(path), path.string());
}

/// Entries of `dir` whose file name starts with `prefix`, sorted naturally ("hwmon2" <
/// "hwmon10"); empty when `dir` does not exist.
[[nodiscard]] inline std::vector<std::filesystem::path> list_prefixed(
    const std::filesystem::path& dir, std::string_view prefix) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const std::string x = a.filename().string(), y = b.filename().string();
    return x.size() != y.size() ? x.size() < y.size() : x < y;
  });
  return out;
}

}  // namespace synergy::sources::detail
