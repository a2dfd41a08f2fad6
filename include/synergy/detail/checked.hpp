#pragma once
/// @file
/// Overflow-checked 64-bit counting and descriptor validation shared by every layer.
///
/// Why a non-constexpr raise function: calling it during constant evaluation is ill-formed,
/// so an invalid descriptor in a `static_assert` stops compilation, and both g++ and clang
/// print the call with its arguments (layer, field, value, rule) in the diagnostic. At run
/// time the same call throws `std::invalid_argument` with that text.

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace synergy::detail {

/// Throws `std::invalid_argument` "<layer>: <field> = <value> (<rule>)". Never constexpr.
[[noreturn]] inline void invalid_descriptor(std::string_view layer, std::string_view field,
                                            std::int64_t value, std::string_view rule) {
  throw std::invalid_argument(std::string(layer) + ": " + std::string(field) + " = " +
                              std::to_string(value) + " (" + std::string(rule) + ")");
}

/// Throws `std::overflow_error` naming the count that does not fit in 64 bits. Never constexpr.
[[noreturn]] inline void count_overflow(std::string_view what) {
  throw std::overflow_error(std::string(what) + ": 64-bit overflow");
}

/// Fails (compile time) or throws (run time) unless `ok`.
constexpr void require(bool ok, const char* layer, const char* field, std::int64_t value,
                       const char* rule) {
  if (!ok) invalid_descriptor(layer, field, value, rule);
}

/// a · b for non-negative counts; fails on 64-bit overflow. O(1).
constexpr std::int64_t mul(std::int64_t a, std::int64_t b, const char* what) {
  if (a != 0 && b > std::numeric_limits<std::int64_t>::max() / a) count_overflow(what);
  return a * b;
}

/// a + b for non-negative counts; fails on 64-bit overflow. O(1).
constexpr std::int64_t add(std::int64_t a, std::int64_t b, const char* what) {
  if (b > std::numeric_limits<std::int64_t>::max() - a) count_overflow(what);
  return a + b;
}

/// Product of all factors, overflow-checked (factors must be >= 0).
template <class... Ts>
constexpr std::int64_t product(const char* what, std::int64_t first, Ts... rest) {
  std::int64_t r = first;
  ((r = mul(r, static_cast<std::int64_t>(rest), what)), ...);
  return r;
}

/// Sum of all terms, overflow-checked (terms must be >= 0).
template <class... Ts>
constexpr std::int64_t sum(const char* what, std::int64_t first, Ts... rest) {
  std::int64_t r = first;
  ((r = add(r, static_cast<std::int64_t>(rest), what)), ...);
  return r;
}

/// floor(a / b) for b > 0 and any sign of a (C++ `/` truncates toward zero).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/// ceil(a / b) for b > 0 and any sign of a.
constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

}  // namespace synergy::detail
