#pragma once
/// @file
/// A measured region: one layer (or any span of code) between two instants, and markers,
/// the timestamped labels that delimit regions in recorded files.

#include <cstdint>
#include <optional>
#include <string>

namespace synergy::measure {

/// A span [t0_s, t1_s) of one run of one layer on the trace's clock (s).
struct region {
  std::string name;  ///< layer name, e.g. "conv1"
  /// The operation's type as the measured program wrote it ("Convolution", "conv2d", the
  /// <OpType> of a SyNERGY marker); "" when unknown. Free text, not `synergy::layer_type`:
  /// regions come from programs and files the library does not control.
  std::string op_type;
  double t0_s = 0;  ///< begin (s)
  double t1_s = 0;  ///< end (s), >= t0_s
  int run = 0;      ///< repetition index (0-based) of this region
  /// The annotator's region id (`region_id::value`) when the region was measured in this
  /// process; none for regions read from recorded marker files. Joins regions to what the
  /// program registered without comparing names.
  std::optional<std::uint32_t> annotation;
};

/// A timestamped label: SyNERGY's convention ("start", "<name>___<OpType>", "end") or a PMT
/// marker (`M <t> "label"`).
struct marker {
  double t_s = 0;
  std::string label;
};

}  // namespace synergy::measure
