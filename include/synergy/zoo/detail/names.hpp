#pragma once
/// @file
/// Layer names built in constant expressions ("fire2/squeeze1x1", "res2a_branch2a").

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace synergy::zoo::detail {

/// A name of at most 127 characters assembled from string and integer parts (torchvision's ONNX
/// node names reach 73:
/// "/features/features.1/features.1.0/block/block.1/scale_activation/Sigmoid"); converts to
/// std::string_view (valid while the object lives — network::add copies it).
class name_buf {
 public:
  template <class... Parts>
  constexpr explicit name_buf(const Parts&... parts) {
    (append(parts), ...);
  }
  constexpr operator std::string_view() const { return {data_.data(), size_}; }  // NOLINT
  /// Number of characters.
  [[nodiscard]] constexpr std::size_t size() const { return size_; }
  /// Cuts the name back to its first `n` characters (n ≤ size()) and appends `parts`: one
  /// buffer then names all the layers of a block, their common prefix written once — names
  /// cost steps of the compilers' constant-evaluation budget per character.
  template <class... Parts>
  constexpr name_buf& reset(std::size_t n, const Parts&... parts) {
    size_ = n;
    (append(parts), ...);
    return *this;
  }

 private:
  constexpr void append(std::string_view s) {
    for (char c : s) data_[size_++] = c;  // zoo names are short; out of range fails constexpr
  }
  constexpr void append(const char* s) { append(std::string_view(s)); }
  constexpr void append(char c) { data_[size_++] = c; }
  template <class I>
  requires std::is_integral_v<I>
  constexpr void append(I v) {
    std::array<char, 20> digits{};
    std::size_t n = 0;
    auto u = static_cast<std::uint64_t>(v);
    do digits[n++] = static_cast<char>('0' + u % 10);
    while ((u /= 10) != 0);
    while (n > 0) data_[size_++] = digits[--n];
  }

  std::array<char, 128> data_{};
  std::size_t size_ = 0;
};

}  // namespace synergy::zoo::detail
