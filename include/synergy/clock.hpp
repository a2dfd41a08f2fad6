#pragma once
/// @file
/// The one clock of measurement: std::chrono::steady_clock (CLOCK_MONOTONIC on Linux, shared
/// by all processes of a machine, so a recorder and the program it runs agree), as seconds.
/// Ground floor: power sources, the sampler, annotations and the runner all read it.

#include <chrono>

namespace synergy {

/// Seconds on steady_clock. Never jumps with wall-clock changes (unlike PMT's wall clock).
[[nodiscard]] inline double now_s() noexcept {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace synergy
