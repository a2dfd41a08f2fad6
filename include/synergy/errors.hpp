#pragma once
/// @file
/// Errors about input files shared by every stage that reads text or binary files (replay
/// readers, marker files, datasets): each names the file and line it is about.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace synergy {

/// A recorded trace, log, marker file or dataset is malformed; `what()` is
/// "<file>:<line>: <reason>".
class parse_error : public std::runtime_error {
 public:
  parse_error(const std::string& file, std::size_t line, const std::string& reason)
      : std::runtime_error(file + ":" + std::to_string(line) + ": " + reason),
        file_(file),
        line_(line) {}
  /// The file the error is about.
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  /// 1-based line (0 for binary files and whole-file problems).
  [[nodiscard]] std::size_t line() const noexcept { return line_; }

 private:
  std::string file_;
  std::size_t line_;
};

}  // namespace synergy
