#pragma once
/// @file
/// Marking the layers of a program that `synergy record` runs: `process_annotator()` is one
/// annotator per process; when the environment variable SYNERGY_MARKER_FILE names a file (as
/// `synergy record` sets it), the regions are written there as the library's marker CSV when
/// the process exits normally (or when `flush_process_markers()` is called). Times are on
/// CLOCK_MONOTONIC, the clock of the recorder's sampler, so trace and markers line up.
///
///     auto& marks = synergy::measure::process_annotator();
///     const auto conv1 = marks.region("conv1", "Convolution");
///     { synergy::measure::annotator::scope s(marks, conv1); run_conv1(); }

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "synergy/measure/annotation.hpp"
#include "synergy/measure/markers.hpp"

namespace synergy::measure {

/// Name of the environment variable `synergy record` sets.
inline constexpr const char* marker_file_variable = "SYNERGY_MARKER_FILE";

/// Writes the process annotator's regions to $SYNERGY_MARKER_FILE (no-op when unset).
/// Throws std::runtime_error naming the file when it cannot be written.
inline void flush_process_markers(const annotator& a) {
  const char* path = std::getenv(marker_file_variable);
  if (!path || !*path) return;
  std::ofstream out(path, std::ios::trunc);
  if (!out) throw std::runtime_error(std::string(path) + ": cannot write markers");
  write_region_csv(out, a.regions());
}

namespace detail {
struct process_annotator_holder {
  annotator a;
  ~process_annotator_holder() {
    try {
      flush_process_markers(a);
    } catch (const std::exception& e) {  // exiting: stderr is the last place to say it
      std::fprintf(stderr, "synergy: markers not written: %s\n", e.what());
    }
  }
};
}  // namespace detail

/// The process-wide annotator (created on first use; written out at exit).
[[nodiscard]] inline annotator& process_annotator() {
  static detail::process_annotator_holder h;
  return h.a;
}

}  // namespace synergy::measure
