#pragma once
/// @file
/// What both importers need to meet the same promises: model files read with errors that say
/// why not, names that are valid UTF-8 (they end up in JSON reports, whose writers reject
/// anything else), and error messages that are valid UTF-8 themselves.

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "synergy/text.hpp"

namespace synergy::io::detail {

/// Offset of the first byte of `s` that does not start or continue a well-formed UTF-8
/// sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or nullopt
/// when all of `s` is valid UTF-8. O(size).
[[nodiscard]] inline std::optional<std::size_t> invalid_utf8_at(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = byte(i);
    if (b < 0x80) {
      ++i;
      continue;
    }
    // Length and the range of the second byte (which excludes overlongs, surrogates and code
    // points above U+10FFFF); continuation bytes after the second are 0x80–0xBF.
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;  // a continuation byte without a lead byte, C0, C1 or F5–FF
    }
    if (i + 1 >= s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (i + k >= s.size() || byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    i += len;
  }
  return std::nullopt;
}

/// `s` with each byte that is not part of valid UTF-8 written as `\xHH`: valid text unchanged,
/// and the result is valid UTF-8 (for messages and derived names). O(size).
[[nodiscard]] inline std::string utf8_escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const auto bad = invalid_utf8_at(s);
    out.append(s.substr(0, bad.value_or(s.size())));
    if (!bad) break;
    static constexpr char hex[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(s[*bad]);
    out += "\\x";
    out += hex[b >> 4];
    out += hex[b & 0xF];
    s.remove_prefix(*bad + 1);
  }
  return out;
}

/// The importers' one exception type: std::invalid_argument (what the program reports as a
/// user error), with any invalid UTF-8 in `message` (a name or path quoted in it) escaped.
[[nodiscard]] inline std::invalid_argument import_error(const std::string& message) {
  return std::invalid_argument(utf8_escaped(message));
}

/// Nothing when `name` is valid UTF-8; else the reason, e.g. `"ab\xFF" is not valid UTF-8
/// (byte 2 of the name)`, where `what` is "layer name" or similar.
[[nodiscard]] inline std::optional<std::string> utf8_problem(std::string_view what,
                                                             std::string_view name) {
  const auto bad = invalid_utf8_at(name);
  if (!bad) return std::nullopt;
  return std::string(what) + " \"" + utf8_escaped(name) + "\" is not valid UTF-8 (byte " +
         std::to_string(*bad) + " of the " + std::string(what) + ")";
}

/// Opens a model file for reading (binary). Throws std::invalid_argument "<path>: cannot open:
/// <the system's reason>" or "<path>: is a directory, not a file" (synergy::open_for_reading's
/// messages, as the importers' exception type).
[[nodiscard]] inline std::ifstream open_model_file(const std::filesystem::path& file) {
  try {
    return synergy::open_for_reading(file.string());
  } catch (const std::runtime_error& e) {
    throw import_error(e.what());
  }
}

/// All bytes of a model file. Throws as open_model_file, and "<path>: read error" when reading
/// stops before the end (an I/O error).
[[nodiscard]] inline std::string read_model_file(const std::filesystem::path& file) {
  std::ifstream in = open_model_file(file);
  std::ostringstream text;
  if (in.peek() != std::ifstream::traits_type::eof()) text << in.rdbuf();
  if (in.bad() || text.bad()) throw import_error(file.string() + ": read error");
  return text.str();
}

}  // namespace synergy::io::detail
