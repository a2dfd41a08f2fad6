#pragma once
/// @file
/// What a power source declares about itself: its channels (name, domain, which one is the
/// total, which domain contains which, so that sums never count energy twice), the raw unit
/// of its sensor, how often the sensor refreshes, over what window it averages, and its clock.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/units.hpp"

namespace synergy::sources {

/// One measured quantity of a source: a rail, a RAPL zone, a GPU.
struct channel_info {
  std::string name;    ///< unique within the source: "VDD_IN", "package-0", "package-0/core"
  std::string domain;  ///< what it covers: "board", "package", "core", "uncore", "dram", "psys",
                       ///< "gpu", "rail"
  std::string parent;  ///< name of the channel whose energy already includes this one ("" = none)
  bool is_total = false;  ///< this channel alone is the whole device's power
  std::string unit;       ///< raw sensor unit as the driver documents it: "uW", "mW", "mV*mA", "uJ"
};

/// Which clock the times of a source's samples, or of a trace, are on (seconds). Only times
/// on the same clock can be compared: a trace lines up with annotator markers only when both
/// are `steady` on the same machine. Sources and traces share this one enum.
enum class time_base {
  steady,      ///< std::chrono::steady_clock (CLOCK_MONOTONIC) of the recording machine, stamped
               ///< by the sampler and the annotator; origin arbitrary (usually boot)
  unix_epoch,  ///< seconds since 1970-01-01 00:00:00 UTC (e.g. PMT dumps)
  local_wall,  ///< wall clock as logged, in local time: the logged date and time read as if
               ///< UTC, the time zone never applied (nvidia-smi, timestamped tegrastats)
  relative,    ///< seconds since the first sample or the start of the recording (perf stat -I,
               ///< MLPerf Tiny traces, tegrastats logs without timestamps)
  device,      ///< the recording device's own clock, origin unknown: a file's time column as
               ///< written (generic CSV traces)
};

/// The enumerator's name ("steady", "unix_epoch", "local_wall", "relative", "device"), for
/// output. The switch names every enumerator and has no default, so -Wswitch (in -Wall)
/// reports a new clock that has no name yet.
[[nodiscard]] constexpr std::string_view to_string(time_base t) noexcept {
  switch (t) {
    case time_base::steady:
      return "steady";
    case time_base::unix_epoch:
      return "unix_epoch";
    case time_base::local_wall:
      return "local_wall";
    case time_base::relative:
      return "relative";
    case time_base::device:
      return "device";
  }
  return "?";  // unreachable for a valid enumerator; a value cast from an integer lands here
}

/// What the value of a power sample means, and so how a region's energy is integrated from
/// it (measure/attribution.hpp). Sources declare it in `source_info::kind`, the sampler copies
/// it into its trace, and every replay reader sets it on the trace it returns. A cumulative
/// energy reading (a RAPL counter, a CSV energy column, `perf stat -I` joules) never reaches a
/// trace as such: adapters and readers turn it into `interval_mean` samples, whose step
/// integral reproduces every counter difference exactly.
enum class sample_kind {
  /// Power at the sample's time (W): a sensor read at t_k (hwmon powerN_input, INA3221 V·I,
  /// tegrastats `cur`, a probe frame), possibly averaged over the window `averaging_window`
  /// that ends there. Integrated by the rule the user chooses (trapezoid or rectangle).
  instantaneous,
  /// Mean power over the interval since the previous sample, (t_{k−1}, t_k] (W): ΔE / Δt of
  /// an energy counter. Sample 0 only marks where the first interval begins. Integrated
  /// exactly as a step function, whatever rule the user chose.
  interval_mean,
};

/// The enumerator's name ("instantaneous", "interval_mean"), for output; exhaustive switch
/// without default, so -Wswitch reports a kind that has no name yet.
[[nodiscard]] constexpr std::string_view to_string(sample_kind k) noexcept {
  switch (k) {
    case sample_kind::instantaneous:
      return "instantaneous";
    case sample_kind::interval_mean:
      return "interval_mean";
  }
  return "?";  // unreachable for a valid enumerator
}

/// Self-description of a power source or energy counter.
struct source_info {
  std::string name;                             ///< "hwmon:ina3221 (/sys/class/hwmon/hwmon2)"
  std::vector<channel_info> channels;           ///< in the order of the values read
  duration update_period{0.0 * units::second};  ///< sensor refresh period (0 = unknown)
  duration averaging_window{0.0 *
                            units::second};  ///< window each value averages (0 = instantaneous)
  /// Clock of the sample times: `steady` for a polled source (the sampler stamps its readings)
  /// and for a streaming source that maps its frames onto the host's steady clock.
  time_base clock = time_base::steady;
  frequency max_rate{1.0e6 * units::hertz};  ///< fastest sensible polling rate
  /// What each reading means: `instantaneous` for sensors of present power, `interval_mean`
  /// for energy counters read through `counter_power` (mean power since the previous read).
  /// Last member, so that positional initialisers written before it existed keep their order.
  sample_kind kind = sample_kind::instantaneous;

  /// Index of the channel called `name`; throws `std::out_of_range` listing the channels.
  [[nodiscard]] std::size_t index_of(const std::string& channel) const {
    for (std::size_t i = 0; i < channels.size(); ++i)
      if (channels[i].name == channel) return i;
    std::string known;
    for (const auto& c : channels) known += (known.empty() ? "" : ", ") + c.name;
    throw std::out_of_range(name + ": no channel '" + channel + "' (channels: " + known + ")");
  }

  /// Index of the channel flagged `is_total`, if any.
  [[nodiscard]] std::optional<std::size_t> total_channel() const {
    for (std::size_t i = 0; i < channels.size(); ++i)
      if (channels[i].is_total) return i;
    return std::nullopt;
  }

  /// Indices of the channels no other channel contains (`parent` empty or not a channel of
  /// this source): their sum counts every joule once, e.g. RAPL package-0 + package-1 + dram
  /// without core/uncore, or psys alone when the platform domain exists.
  [[nodiscard]] std::vector<std::size_t> top_level_channels() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < channels.size(); ++i) {
      bool contained = false;
      for (const auto& c : channels)
        contained = contained || (!channels[i].parent.empty() && c.name == channels[i].parent);
      if (!contained) out.push_back(i);
    }
    return out;
  }
};

}  // namespace synergy::sources
