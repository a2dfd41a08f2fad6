#pragma once
/// @file
/// The ARM Energy Probe — the probe SyNERGY used on the Snapdragon 820 — over its USB serial
/// device (/dev/ttyACM0; USB ids 0d28:0004, prototype 1fc9:0003): up to 3 channels at 10 kHz.
///
/// Protocol, as ARM's reference capture tool implements it (ARM-software/caiman,
/// caiman/EnergyProbe.cpp and SessionData.cpp, firmware protocol version 20110803):
/// - sync: send nine 0x00 and 0xFF (reset), then read until eight 0xFF bytes in a row;
/// - every command byte is answered by ACK 0xAC (0x00 bytes before it are skipped): VERSION 0x01
///   (then a little-endian uint32, 20110803), VENDOR 0x03 (then a NUL-terminated string), RATE
///   0x05 (then a little-endian uint32, samples/s), CONFIG 0x07 channel mask (mask bits: 1 power,
///   2 voltage, 4 current; sent for channels 0, 1, 2), START 0x09; STOP 0x0B is not answered;
/// - after START, frames: a little-endian uint16 frame counter, then one little-endian uint16
///   per enabled field — channel 0's power, voltage, current (those enabled), then channel 1's,
///   then channel 2's. A counter that skips values means lost frames.
/// - units: voltage in mV; power (mW) and current (mA) scale with the shunt: raw · 100 / R with R
///   the shunt in mΩ (so raw is mW at a 100 mΩ shunt).

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/sources/serial/serial_probe.hpp"

namespace synergy::sources {

/// Protocol constants of the ARM Energy Probe (see the file comment for their source).
namespace aep {
inline constexpr std::uint8_t cmd_version = 0x01, cmd_vendor = 0x03, cmd_rate = 0x05,
                              cmd_config = 0x07, cmd_start = 0x09, cmd_stop = 0x0b,
                              cmd_reset = 0xff, ack = 0xac;
inline constexpr std::uint32_t protocol_version = 20110803;
inline constexpr std::uint8_t field_power = 1, field_voltage = 2, field_current = 4;
inline constexpr std::size_t channels = 3;
}  // namespace aep

/// Decoder of the probe's frame stream (no device: feed it bytes). Values come out in SI units
/// — W, V, A — in stream order: per channel its enabled fields in the order power, voltage,
/// current. Frame indexes unwrap the 16-bit counter and count from counter 0 (the first frame
/// after START), so that frames before a first non-zero counter count as lost, as in caiman.
class aep_decoder {
 public:
  /// `fields[c]`: mask of channel c (aep::field_*); `shunt_ohm[c]`: its shunt resistance (Ω),
  /// > 0 wherever power or current is enabled. Throws std::invalid_argument naming the channel.
  aep_decoder(std::array<std::uint8_t, aep::channels> fields,
              std::array<double, aep::channels> shunt_ohm) {
    for (std::size_t c = 0; c < aep::channels; ++c) {
      if (fields[c] & ~0x07)
        throw std::invalid_argument("aep_decoder: channel " + std::to_string(c) +
                                    ": field mask > 7");
      const bool scaled = fields[c] & (aep::field_power | aep::field_current);
      if (scaled && !(shunt_ohm[c] > 0 && std::isfinite(shunt_ohm[c])))
        throw std::invalid_argument("aep_decoder: channel " + std::to_string(c) +
                                    ": shunt resistance must be > 0 Ω");
      for (std::uint8_t bit : {aep::field_power, aep::field_voltage, aep::field_current})
        if (fields[c] & bit)
          scale_.push_back(bit == aep::field_voltage ? 1e-3 : 1e-4 / shunt_ohm[c]);
    }
    if (scale_.empty()) throw std::invalid_argument("aep_decoder: no field enabled on any channel");
    values_.resize(scale_.size());
  }

  /// 16-bit values per frame after the counter.
  [[nodiscard]] std::size_t fields_per_frame() const noexcept { return scale_.size(); }
  /// Bytes per frame (counter + fields).
  [[nodiscard]] std::size_t frame_bytes() const noexcept { return 2 * (1 + scale_.size()); }

  /// Decodes `bytes` (any split: a partial frame waits for the next call) and calls
  /// `sink(std::uint64_t index, std::span<const double> values)` for every complete frame.
  template <class Sink>
  void feed(std::span<const std::uint8_t> bytes, Sink&& sink) {
    for (const std::uint8_t b : bytes) {
      partial_[have_++] = b;
      if (have_ < frame_bytes()) continue;
      have_ = 0;
      const std::uint16_t counter = word(0);
      if (!started_) {
        index_ = counter;
        started_ = true;
      } else {
        // Difference modulo 2¹⁶; an equal counter means a whole counter period was lost.
        const std::uint16_t step = static_cast<std::uint16_t>(counter - last_counter_);
        index_ += step == 0 ? 65536u : step;
      }
      last_counter_ = counter;
      for (std::size_t f = 0; f < scale_.size(); ++f) values_[f] = word(1 + f) * scale_[f];
      sink(index_, std::span<const double>(values_));
    }
  }

 private:
  [[nodiscard]] std::uint16_t word(std::size_t i) const noexcept {
    return static_cast<std::uint16_t>(partial_[2 * i] | (partial_[2 * i + 1] << 8));
  }

  std::vector<double> scale_;   // raw → W, V or A, per field in stream order
  std::vector<double> values_;  // the frame being handed to the sink
  std::array<std::uint8_t, 2 * (1 + 3 * aep::channels)> partial_{};
  std::size_t have_ = 0;
  bool started_ = false;
  std::uint16_t last_counter_ = 0;
  std::uint64_t index_ = 0;
};

/// Configuration of an ARM Energy Probe session.
struct arm_energy_probe_options {
  /// Shunt resistance of each probe channel in Ω (caiman's `-r <channel>:<mΩ>` / 1000); 0 =
  /// channel not connected. At least one must be > 0.
  std::array<double, aep::channels> shunt_ohm{};
  /// Channel names in the trace.
  std::array<std::string, aep::channels> names{"channel0", "channel1", "channel2"};
  /// Time limit for each answer of the probe.
  std::chrono::milliseconds timeout{1000};
  /// Bytes read while looking for the sync sequence before giving up (a probe still streaming
  /// from an earlier session sends data first).
  std::size_t max_sync_bytes = 1 << 20;
};

/// The ARM Energy Probe's protocol (a `serial_probe_protocol`): the power of every connected
/// channel, in W, at the probe's rate (10 kHz). Use it as `arm_energy_probe_source`.
class arm_energy_probe {
 public:
  /// Throws std::invalid_argument when no shunt is > 0 or one is negative or not finite.
  explicit arm_energy_probe(arm_energy_probe_options options = {}) : opt_(std::move(options)) {
    bool any = false;
    for (std::size_t c = 0; c < aep::channels; ++c) {
      const double r = opt_.shunt_ohm[c];
      if (!(r >= 0) || !std::isfinite(r))
        throw std::invalid_argument("arm_energy_probe: channel " + std::to_string(c) +
                                    ": shunt must be ≥ 0 Ω");
      any = any || r > 0;
    }
    if (!any)
      throw std::invalid_argument(
          "arm_energy_probe: no channel has a shunt resistance (shunt_ohm all 0)");
  }

  /// Sync, version check, vendor, rate, channel configuration, START. Throws `sensor_error`
  /// naming the device: no sync, an answer other than ACK, a protocol version other than
  /// 20110803, a rate of 0 or above 1 MHz, a timeout.
  source_info start(serial_port& port) {
    sync(port);
    command(port, aep::cmd_version);
    version_ = read_u32(port);
    if (version_ != aep::protocol_version)
      throw sensor_error(port.path(), "ARM Energy Probe protocol version " +
                                          std::to_string(version_) + ", expected " +
                                          std::to_string(aep::protocol_version) +
                                          " (update the probe firmware)");
    command(port, aep::cmd_vendor);
    vendor_ = read_string(port);
    command(port, aep::cmd_rate);
    rate_ = read_u32(port);
    if (rate_ == 0 || rate_ > 1'000'000)
      throw sensor_error(port.path(), "ARM Energy Probe reports a rate of " +
                                          std::to_string(rate_) + " samples/s");
    std::array<std::uint8_t, aep::channels> fields{};
    for (std::size_t c = 0; c < aep::channels; ++c) {
      fields[c] = opt_.shunt_ohm[c] > 0 ? aep::field_power : 0;
      const std::uint8_t config[] = {aep::cmd_config, static_cast<std::uint8_t>(c), fields[c]};
      port.write(config, opt_.timeout);
      read_ack(port, aep::cmd_config);
    }
    decoder_.emplace(fields, opt_.shunt_ohm);
    command(port, aep::cmd_start);
    return describe(port.path());
  }

  /// Decodes frames into W per connected channel (serial_probe_protocol). std::logic_error
  /// before `start`.
  void decode(std::span<const std::uint8_t> bytes, probe_frames& out) {
    if (!decoder_) throw std::logic_error("arm_energy_probe: decode before start");
    decoder_->feed(bytes, [&](std::uint64_t index, std::span<const double> watts) {
      out.index.push_back(index);
      out.watts.insert(out.watts.end(), watts.begin(), watts.end());
    });
  }

  /// Sends STOP (not acknowledged by the probe); errors are ignored (called on destruction).
  void stop(serial_port& port) noexcept {
    try {
      const std::uint8_t c[] = {aep::cmd_stop};
      port.write(c, opt_.timeout);
    } catch (...) {  // the device may already be gone; nothing more to do
    }
  }

  /// Firmware protocol version the probe reported in `start` (20110803).
  [[nodiscard]] std::uint32_t protocol_version() const noexcept { return version_; }
  /// Vendor string the probe reported in `start`.
  [[nodiscard]] const std::string& vendor() const noexcept { return vendor_; }
  /// Frame rate (frames/s) the probe reported in `start`, 10,000 on the ARM Energy Probe.
  [[nodiscard]] std::uint32_t rate_hz() const noexcept { return rate_; }

 private:
  void sync(serial_port& port) {
    const std::uint8_t reset[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, aep::cmd_reset};
    port.write(reset, opt_.timeout);
    std::uint8_t b = 0;
    for (std::size_t seen = 0, run = 0; run < 8; ++seen) {
      if (seen == opt_.max_sync_bytes)
        throw sensor_error(port.path(),
                           "no sync sequence (eight 0xFF) from the ARM Energy Probe in " +
                               std::to_string(seen) + " bytes");
      port.read_exact(std::span<std::uint8_t>(&b, 1), opt_.timeout);
      run = b == 0xff ? run + 1 : 0;
    }
  }
  void command(serial_port& port, std::uint8_t cmd) {
    port.write(std::span<const std::uint8_t>(&cmd, 1), opt_.timeout);
    read_ack(port, cmd);
  }
  void read_ack(serial_port& port, std::uint8_t cmd) {
    for (std::uint8_t b = 0;;) {
      port.read_exact(std::span<std::uint8_t>(&b, 1), opt_.timeout);
      if (b == aep::ack) return;
      if (b != 0)
        throw sensor_error(port.path(), "ARM Energy Probe answered command 0x" + hex(cmd) +
                                            " with 0x" + hex(b) + " instead of ACK 0xac");
    }
  }
  std::uint32_t read_u32(serial_port& port) {
    std::uint8_t b[4];
    port.read_exact(b, opt_.timeout);
    return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
           static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
  }
  std::string read_string(serial_port& port) {
    std::string s;
    for (std::uint8_t b = 0;;) {
      port.read_exact(std::span<std::uint8_t>(&b, 1), opt_.timeout);
      if (b == 0) return s;
      if (s.size() == 79)
        throw sensor_error(port.path(), "ARM Energy Probe vendor string longer than 79 bytes");
      s.push_back(static_cast<char>(b));
    }
  }
  static std::string hex(std::uint8_t v) {
    const char* d = "0123456789abcdef";
    return {d[v >> 4], d[v & 15]};
  }
  source_info describe(const std::string& path) const {
    source_info info;
    info.name = "arm-energy-probe (" + path + (vendor_.empty() ? "" : ", " + vendor_) + ")";
    for (std::size_t c = 0; c < aep::channels; ++c)
      if (opt_.shunt_ohm[c] > 0) info.channels.push_back({opt_.names[c], "rail", "", false, "mW"});
    info.update_period = (1.0 / rate_) * units::second;
    info.averaging_window = 0.0 * units::second;  // not documented by the reference tool
    info.clock = time_base::steady;  // frame numbers are mapped onto steady_clock by frame_clock
    info.max_rate = static_cast<double>(rate_) * units::hertz;
    return info;
  }

  arm_energy_probe_options opt_;
  std::optional<aep_decoder> decoder_;
  std::uint32_t version_ = 0, rate_ = 0;
  std::string vendor_;
};

/// The ARM Energy Probe as a streaming power source:
/// `arm_energy_probe_source probe("/dev/ttyACM0", arm_energy_probe({.shunt_ohm = {0.02}}));`
using arm_energy_probe_source = serial_probe<arm_energy_probe>;

}  // namespace synergy::sources
