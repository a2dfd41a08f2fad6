#pragma once
/// @file
/// A serial device (a USB CDC-ACM probe such as the ARM Energy Probe's /dev/ttyACM0, a UART,
/// a pseudo-terminal) in raw 8-bit mode, through Boost.Asio's serial_port: reads with a time
/// limit for command/answer exchanges, and reads of whatever has arrived for streaming.
/// Every error is a `sensor_error` naming the device path.

#include <sys/ioctl.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "synergy/sources/errors.hpp"

namespace synergy::sources {

/// One open serial device. Not thread-safe: use it from one thread (the sampler's).
class serial_port {
 public:
  /// Opens `path` read-write in raw mode (Asio: no echo, no line editing, 8 data bits, no
  /// parity; `baud` 0 keeps the device's rate — USB CDC-ACM devices ignore it). Throws
  /// `permission_denied` (with the dialout-group remedy) or `sensor_error` naming `path`.
  explicit serial_port(std::string path, unsigned baud = 0) : path_(std::move(path)) {
    boost::system::error_code ec;
    port_.open(path_, ec);
    if (ec == boost::system::errc::permission_denied ||
        ec == boost::system::errc::operation_not_permitted)
      throw permission_denied(path_,
                              "permission denied opening the serial device (add the user to the "
                              "'dialout' group, or a udev rule giving it access)");
    if (ec) throw sensor_error(path_, "cannot open serial device: " + ec.message());
    if (baud) port_.set_option(boost::asio::serial_port_base::baud_rate(baud), ec);
    if (ec) throw sensor_error(path_, "cannot configure serial device: " + ec.message());
  }
  serial_port(const serial_port&) = delete;
  serial_port& operator=(const serial_port&) = delete;

  /// The device path, as given (named in every error).
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// Writes every byte of `bytes` within `timeout`; throws `sensor_error` when it cannot.
  void write(std::span<const std::uint8_t> bytes, std::chrono::milliseconds timeout) {
    run_with_timeout(
        [&](auto done) {
          boost::asio::async_write(port_, boost::asio::buffer(bytes.data(), bytes.size()), done);
        },
        bytes.size(), timeout, "writing");
  }

  /// Reads exactly `buf.size()` bytes within `timeout`. Throws `sensor_error` naming the path
  /// and how many bytes came when the time runs out or the device fails or hangs up.
  void read_exact(std::span<std::uint8_t> buf, std::chrono::milliseconds timeout) {
    run_with_timeout(
        [&](auto done) {
          boost::asio::async_read(port_, boost::asio::buffer(buf.data(), buf.size()), done);
        },
        buf.size(), timeout, "reading");
  }

  /// Reads whatever has arrived, up to `buf.size()` bytes, without waiting; returns how many
  /// (0 when nothing is pending). Throws `sensor_error` when the device fails or hangs up.
  std::size_t read_available(std::span<std::uint8_t> buf) {
    int pending = 0;  // bytes the tty holds: reading no more than that never blocks
    if (::ioctl(port_.native_handle(), FIONREAD, &pending) != 0)
      throw sensor_error(path_, std::string("serial device failed (unplugged or closed?): ") +
                                    std::strerror(errno));
    if (pending <= 0 || buf.empty()) return 0;
    boost::system::error_code ec;
    const std::size_t n = port_.read_some(
        boost::asio::buffer(buf.data(), std::min(buf.size(), static_cast<std::size_t>(pending))),
        ec);
    if (ec)
      throw sensor_error(path_,
                         "serial read failed (device unplugged or closed?): " + ec.message());
    return n;
  }

 private:
  // Starts an async operation, runs it for at most `timeout`, cancels it when time runs out.
  template <class Start>
  void run_with_timeout(Start start, std::size_t wanted, std::chrono::milliseconds timeout,
                        const char* what) {
    boost::system::error_code result;
    std::size_t got = 0;
    bool done = false;
    ctx_.restart();
    start([&](const boost::system::error_code& ec, std::size_t n) {
      result = ec;
      got = n;
      done = true;
    });
    ctx_.run_for(timeout);
    if (!done) {
      boost::system::error_code ignored;
      port_.cancel(ignored);
      ctx_.restart();
      ctx_.run();  // completes the cancelled operation
      throw sensor_error(
          path_, std::string("timed out ") + what + " after " + std::to_string(timeout.count()) +
                     " ms (" + std::to_string(got) + " of " + std::to_string(wanted) + " bytes)");
    }
    if (result)
      throw sensor_error(path_, std::string("serial ") + what + " failed after " +
                                    std::to_string(got) + " of " + std::to_string(wanted) +
                                    " bytes: " + result.message());
  }

  std::string path_;
  boost::asio::io_context ctx_;
  boost::asio::serial_port port_{ctx_};
};

}  // namespace synergy::sources
