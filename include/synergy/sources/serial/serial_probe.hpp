#pragma once
/// @file
/// A power probe on a serial line as a `streaming_source`: the shape every serial probe
/// follows (the ARM Energy Probe in arm_energy_probe.hpp; a Monsoon, a PowerSensor3 or a
/// home-made INA219 board the same way). The probe's protocol is a small class — handshake,
/// frame decoder, stop — and `serial_probe<Protocol>` does the rest: the device, reading
/// without blocking, frame times from the probe's own frame counter, lost frames counted.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "synergy/clock.hpp"
#include "synergy/sources/concepts.hpp"
#include "synergy/sources/errors.hpp"
#include "synergy/sources/serial/frame_clock.hpp"
#include "synergy/sources/serial/serial_port.hpp"
#include "synergy/sources/source_info.hpp"

namespace synergy::sources {

/// Frames decoded from a probe's byte stream.
struct probe_frames {
  std::vector<std::uint64_t>
      index;  ///< frame number, 0 = the first frame after start; a gap = lost frames
  std::vector<double> watts;  ///< row-major: `info().channels.size()` values (W) per frame

  /// Empties both vectors (keeps their capacity).
  void clear() noexcept {
    index.clear();
    watts.clear();
  }
};

/// A serial probe's protocol:
/// - `start(port)` does the handshake, configures the probe, starts streaming and returns the
///   source's description (its channels, and `update_period` = one frame, which must be > 0);
/// - `decode(bytes, frames)` appends every frame completed by `bytes` to `frames` — keeping a
///   partial frame for the next call — with its index counted from 0 at start (a counter that
///   wraps is unwrapped by the protocol), and throws `sensor_error` on bytes it cannot read;
/// - `stop(port)` stops streaming; called from the destructor, so it must not throw.
template <class P>
concept serial_probe_protocol = requires(P& p, serial_port& port,
                                         std::span<const std::uint8_t> bytes, probe_frames& out) {
  { p.start(port) } -> std::same_as<source_info>;
  p.decode(bytes, out);
  { p.stop(port) }
  noexcept;
};

/// A `streaming_source` reading the probe that `Protocol` speaks on a serial device.
///
/// Time base: frame k is stamped offset + k·period on steady_clock, the offset tracked by a
/// `frame_clock` from the arrival of every block (the constructor waits for the first one,
/// polling every 100 µs): stamps follow the probe's own clock, late by the smallest recent
/// arrival latency, with the crystal's drift followed up to 500 ppm; they never go backwards.
/// Frames missing from the counter sequence are never invented: they are counted in
/// `lost_samples()` (which the sampler adds to the trace's `dropped`).
template <serial_probe_protocol Protocol>
class serial_probe {
 public:
  /// Opens `device`, runs `protocol.start`, and waits up to `first_frame_timeout` for the first
  /// frame. Throws what serial_port and the protocol throw, and `sensor_error` naming the device
  /// when no frame comes.
  explicit serial_probe(
      const std::string& device, Protocol protocol = {}, unsigned baud = 0,
      std::chrono::milliseconds first_frame_timeout = std::chrono::milliseconds(2000))
      : port_(device, baud),
        protocol_(std::move(protocol)),
        info_(start()),
        clock_(info_.update_period.value()) {
    wait_for_first_frame(first_frame_timeout);
  }
  serial_probe(const serial_probe&) = delete;
  serial_probe& operator=(const serial_probe&) = delete;
  ~serial_probe() { protocol_.stop(port_); }

  /// What the protocol's `start` declared: channels (W), update period = one frame, rate.
  [[nodiscard]] const source_info& info() const noexcept { return info_; }

  /// Appends every frame received since the last call (streaming_source). Throws
  /// `sensor_error` when the device fails or the protocol cannot decode its bytes.
  std::size_t read_block(std::vector<double>& times, std::vector<double>& watts) {
    if (drain()) clock_.observe(synergy::now_s(), pending_.index.back());
    const std::size_t n = pending_.index.size();
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint64_t i = pending_.index[k];
      if (i < next_index_)
        throw sensor_error(port_.path(), "frame " + std::to_string(i) + " after frame " +
                                             std::to_string(next_index_ - 1) +
                                             ": frame numbers must increase");
      lost_ += i - next_index_;
      next_index_ = i + 1;
      times.push_back(clock_.time(i));
    }
    watts.insert(watts.end(), pending_.watts.begin(), pending_.watts.end());
    pending_.clear();
    return n;
  }

  /// Frames the probe's counter shows missing (lost on the line or in the probe) so far.
  [[nodiscard]] std::uint64_t lost_samples() const noexcept { return lost_; }
  /// The protocol object (for probe-specific state: firmware version, vendor string…).
  [[nodiscard]] const Protocol& protocol() const noexcept { return protocol_; }

 private:
  // The protocol's start, checked: a probe without channels or frame period cannot stream.
  source_info start() {
    source_info info = protocol_.start(port_);
    if (info.channels.empty() || !(info.update_period.value() > 0)) {
      protocol_.stop(port_);
      throw std::logic_error(port_.path() +
                             ": the probe protocol declared no channel or no frame period");
    }
    return info;
  }

  // Decodes whatever has arrived; true when that completed a frame.
  bool drain() {
    const std::size_t before = pending_.index.size();
    for (;;) {
      const std::size_t got = port_.read_available(buffer_);
      if (got > 0) protocol_.decode(std::span<const std::uint8_t>(buffer_.data(), got), pending_);
      if (got < buffer_.size()) return pending_.index.size() > before;
    }
  }

  void wait_for_first_frame(std::chrono::milliseconds timeout) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    while (pending_.index.empty()) {
      if (clock::now() > deadline) {
        protocol_.stop(port_);
        throw sensor_error(port_.path(), "no frame within " + std::to_string(timeout.count()) +
                                             " ms of starting the probe");
      }
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      if (drain()) clock_.observe(synergy::now_s(), pending_.index.back());
    }
  }

  serial_port port_;
  Protocol protocol_;
  source_info info_;
  frame_clock clock_;
  std::uint64_t next_index_ = 0, lost_ = 0;
  probe_frames pending_;
  std::vector<std::uint8_t> buffer_ = std::vector<std::uint8_t>(4096);
};

}  // namespace synergy::sources
