#pragma once
/// @file
/// Reading text files line by line, with errors that name the file and the reason (ground
/// floor: replay readers, marker files, datasets and the program all read text this way).

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace synergy {

/// Opens `path` for reading in binary mode. Throws std::runtime_error "<path>: cannot open:
/// <reason>" (the system's reason, e.g. "No such file or directory", "Permission denied") or
/// "<path>: is a directory".
[[nodiscard]] inline std::ifstream open_for_reading(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw std::runtime_error(path + ": is a directory, not a file");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int e = errno;
    throw std::runtime_error(path + ": cannot open: " + (e ? std::strerror(e) : "unknown reason"));
  }
  return in;
}

/// All lines of a text file, without '\n' (and without a '\r' before it). Throws as
/// `open_for_reading`. O(file size).
[[nodiscard]] inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in = open_for_reading(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace synergy
