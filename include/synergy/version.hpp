#pragma once
/// @file
/// Library version.

namespace synergy {
/// Major, minor and patch version of the library (semantic versioning).
inline constexpr int version_major = 0;
inline constexpr int version_minor = 1;
inline constexpr int version_patch = 0;
}  // namespace synergy
