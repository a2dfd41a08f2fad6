#pragma once
// A fake ARM Energy Probe on the master side of a pseudo-terminal (openpty): answers the
// handshake as ARM's caiman expects it (see synergy/sources/serial/arm_energy_probe.hpp), then
// replays a recorded frame stream — in 64-byte packets as fast as the line takes them, or paced
// at a given number of bytes per millisecond (real time). Used by tests/serial_probe_test.cpp
// and bench/probe_load.cpp.

#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <synergy/sources/serial/arm_energy_probe.hpp>
#include <thread>
#include <vector>

namespace synergy_test {

namespace aep = synergy::sources::aep;

inline void put16(std::vector<std::uint8_t>& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v & 0xff));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
inline void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

class fake_probe {
 public:
  struct behaviour {
    std::uint32_t version = aep::protocol_version;
    std::uint32_t rate = 10'000;
    bool answer = true;            // false: never answers (a dead device)
    std::uint8_t ack = aep::ack;   // what a command is answered with
    std::size_t bytes_per_ms = 0;  // 0: replay as fast as possible; else paced in real time
  };

  fake_probe(std::vector<std::uint8_t> stream, behaviour b) : stream_(std::move(stream)), b_(b) {
    termios raw{};
    cfmakeraw(&raw);
    if (::openpty(&master_, &slave_, nullptr, &raw, nullptr) != 0)
      throw std::runtime_error("openpty failed");
    path_ = ::ttyname(slave_);
    thread_ = std::thread([this] { serve(); });
  }
  ~fake_probe() {
    quit_ = true;
    thread_.join();
    ::close(master_);
    ::close(slave_);
  }
  [[nodiscard]] const std::string& path() const { return path_; }
  // Channel masks received, in order. A copy taken under the lock: the fake's thread appends
  // while the test reads, and only the mutex orders the two (a sleep does not).
  [[nodiscard]] std::vector<std::uint8_t> configs() const {
    std::lock_guard lock(configs_mutex_);
    return configs_;
  }
  std::atomic<bool> stopped{false};   // STOP received
  std::atomic<bool> replayed{false};  // the whole stream has been sent
  std::atomic<double> cpu_s{0.0};     // CPU time of the fake's thread when the replay ended

 private:
  void send(const std::vector<std::uint8_t>& b) {
    for (std::size_t done = 0; done < b.size();) {
      const auto n = ::write(master_, b.data() + done, b.size() - done);
      if (n > 0) done += static_cast<std::size_t>(n);
    }
  }
  bool next(std::uint8_t& c) {  // one byte from the host, or false when quitting
    while (!quit_) {
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, 10) == 1 && ::read(master_, &c, 1) == 1) return true;
    }
    return false;
  }
  void serve() {
    std::uint8_t c = 0;
    int zeros = 0;
    while (next(c)) {
      if (!b_.answer) continue;
      if (c == 0) {
        ++zeros;
        continue;
      }
      if (c == aep::cmd_reset && zeros >= 9) {
        send({0x12, 0x34, 0xff, 0xff, 0x00});  // leftover bytes of an earlier stream
        send(std::vector<std::uint8_t>(8, 0xff));
      } else if (c == aep::cmd_version) {
        std::vector<std::uint8_t> r{0x00, b_.ack};
        put32(r, b_.version);
        send(r);
      } else if (c == aep::cmd_vendor) {
        const std::string v = "fake probe";
        std::vector<std::uint8_t> r;  // byte by byte: g++ 12 -O2 warns falsely on insert here
        r.push_back(b_.ack);
        for (const char ch : v) r.push_back(static_cast<std::uint8_t>(ch));
        r.push_back(0);
        send(r);
      } else if (c == aep::cmd_rate) {
        std::vector<std::uint8_t> r{b_.ack};
        put32(r, b_.rate);
        send(r);
      } else if (c == aep::cmd_config) {
        std::uint8_t ch = 0, mask = 0;
        next(ch);
        next(mask);
        {
          std::lock_guard lock(configs_mutex_);
          configs_.push_back(mask);
        }
        send({b_.ack});
      } else if (c == aep::cmd_start) {
        send({b_.ack});
        replay();
      } else if (c == aep::cmd_stop) {
        stopped = true;
      }
      zeros = 0;
    }
  }

  // A STOP byte waiting on the line (checked between packets while streaming).
  bool stop_requested() {
    pollfd p{master_, POLLIN, 0};
    std::uint8_t c = 0;
    if (::poll(&p, 1, 0) == 1 && ::read(master_, &c, 1) == 1 && c == aep::cmd_stop) stopped = true;
    return stopped;
  }

  // After START: the recorded stream in 64-byte USB packets 200 µs apart, or paced: every
  // millisecond the bytes of that millisecond (10 kHz × 6-byte frames = 60 bytes).
  void replay() {
    using clock = std::chrono::steady_clock;
    auto next = clock::now();
    const std::size_t chunk = b_.bytes_per_ms ? b_.bytes_per_ms : 64;
    for (std::size_t i = 0; i < stream_.size() && !quit_ && !stop_requested(); i += chunk) {
      send({stream_.begin() + static_cast<std::ptrdiff_t>(i),
            stream_.begin() + static_cast<std::ptrdiff_t>(std::min(i + chunk, stream_.size()))});
      if (b_.bytes_per_ms) {
        next += std::chrono::milliseconds(1);
        std::this_thread::sleep_until(next);
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    }
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    cpu_s = static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    replayed = true;
  }

  std::vector<std::uint8_t> stream_;
  mutable std::mutex configs_mutex_;
  std::vector<std::uint8_t> configs_;  // guarded by configs_mutex_
  behaviour b_;
  int master_ = -1, slave_ = -1;
  std::string path_;
  std::thread thread_;
  std::atomic<bool> quit_{false};
};

}  // namespace synergy_test
