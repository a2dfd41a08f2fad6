#pragma once
/// @file
/// The two kinds of sensor (design §3): a **power source** gives the present power of each
/// channel; an **energy counter** gives cumulative energy per channel as a raw counter that
/// may wrap. Adapters (counter_power.hpp) turn a counter into a power source, and the
/// measurement layer integrates power into energy.
///
/// Writing a source for a new board: a class with `info()` and `read_power(span<double>)`
/// (see examples/custom_power_source.cpp and docs/writing-a-power-source.md).

#include <concepts>
#include <cstdint>
#include <span>
#include <vector>

#include "synergy/sources/source_info.hpp"

namespace synergy::sources {

/// A power source: `info()` describes the channels; `read_power(w)` writes the present power
/// of every channel, in watts, into `w` (`w.size() == info().channels.size()`), and throws
/// `sensor_error` when the sensor cannot be read. Called from the sampler thread only.
/// Optional members the sampler uses when present: `std::optional<double> reading_time_s()`,
/// the steady-clock time (s) the last reading belongs to (counter_power: the end of the
/// interval it averaged), which then stamps the sample; `lost_samples()`, samples lost.
template <class S>
concept power_source = requires(S& s, const S& cs, std::span<double> watts) {
  { cs.info() } -> std::convertible_to<const source_info&>;
  s.read_power(watts);
};

/// A streaming source: a sensor that produces samples at its own rate (a probe streaming
/// frames, a replayed recording). `read_block(times, watts)` appends every sample produced
/// since the previous call — its steady-clock time (s) to `times` and its channels (W,
/// row-major) to `watts` — and returns how many. The sampler then wakes only every few ms
/// and takes whole blocks, instead of waking once per sample.
template <class S>
concept streaming_source = requires(S& s, const S& cs, std::vector<double>& times,
                                    std::vector<double>& watts) {
  { cs.info() } -> std::convertible_to<const source_info&>;
  { s.read_block(times, watts) } -> std::convertible_to<std::size_t>;
};

/// Wrap-around description of one raw energy counter: the counter counts `joules_per_count`
/// per step and rolls over to 0 after `max_count` (so Δ = (max − prev) + cur + 1 on a wrap).
struct counter_spec {
  double joules_per_count = 1.0e-6;      ///< e.g. 1e-6 for RAPL energy_uj
  std::uint64_t max_count = UINT64_MAX;  ///< e.g. max_energy_range_uj
};

/// An energy counter: `info()` describes the channels, `spec(i)` the counter of channel i,
/// and `read_counters(c)` writes the raw cumulative count of every channel into `c`.
template <class S>
concept energy_counter = requires(S& s, const S& cs, std::span<std::uint64_t> counts,
                                  std::size_t i) {
  { cs.info() } -> std::convertible_to<const source_info&>;
  { cs.spec(i) } -> std::convertible_to<counter_spec>;
  s.read_counters(counts);
};

}  // namespace synergy::sources
