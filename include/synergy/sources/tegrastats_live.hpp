#pragma once
/// @file
/// tegrastats as a live power source: runs `tegrastats --interval <ms>` as a child process,
/// parses every line it prints (all four formats, see tegrastats_line.hpp) in a
/// reader thread, and reports the latest rail values. tegrastats itself averages over its
/// interval and prints at most every few ms, declared in `info()`.

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "synergy/sources/concepts.hpp"
#include "synergy/sources/errors.hpp"
#include "synergy/sources/tegrastats_line.hpp"

namespace synergy::sources {

/// Rails of a running `tegrastats` as a `power_source`.
class tegrastats_source {
 public:
  /// Starts `program --interval interval_ms` and waits up to `timeout_s` for its first record
  /// with rails. Throws `sensor_error` naming the program when it cannot start, exits, prints
  /// no record in time, or prints records without rails (TX1).
  explicit tegrastats_source(const std::string& program = "tegrastats", int interval_ms = 10,
                             double timeout_s = 5.0)
      : program_(program) {
    int fds[2];
    if (::pipe(fds) != 0) throw sensor_error(program, "pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw sensor_error(program, "fork failed");
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      const std::string iv = std::to_string(interval_ms);
      ::execlp(program.c_str(), program.c_str(), "--interval", iv.c_str(),
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    pipe_ = ::fdopen(fds[0], "r");
    reader_ = std::thread([this] { read_loop(); });
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (!latest_.empty() || !failure_.empty()) break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        shutdown();
        throw sensor_error(program, "no tegrastats record with power rails within " +
                                        std::to_string(timeout_s) + " s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::string failed;
    {
      std::lock_guard lock(mutex_);
      failed = failure_;
    }
    if (!failed.empty()) {
      shutdown();
      throw sensor_error(program, failed);
    }
    std::lock_guard lock(mutex_);
    for (const auto& n : names_)
      info_.channels.push_back({n, "rail", "", n == "VDD_IN" || n == "POM_5V_IN", "mW"});
    info_.name = "tegrastats (" + program + " --interval " + std::to_string(interval_ms) + ")";
    info_.update_period = duration::from_value(interval_ms * 1e-3);
    info_.averaging_window = duration::from_value(interval_ms * 1e-3);
    info_.max_rate = frequency::from_value(1000.0 / interval_ms);
  }
  tegrastats_source(const tegrastats_source&) = delete;
  tegrastats_source& operator=(const tegrastats_source&) = delete;
  ~tegrastats_source() { shutdown(); }

  [[nodiscard]] const source_info& info() const noexcept { return info_; }
  /// Lines parsed so far.
  [[nodiscard]] std::uint64_t records() const noexcept { return records_.load(); }

  /// Latest `cur` value of every rail (W). Throws `sensor_error` once tegrastats has exited
  /// or printed a record whose rails differ from the first.
  void read_power(std::span<double> watts) {
    std::lock_guard lock(mutex_);
    if (!failure_.empty()) throw sensor_error(program_, failure_);
    for (std::size_t i = 0; i < watts.size(); ++i) watts[i] = latest_[i] * 1e-3;
  }

 private:
  void read_loop() {
    char* line = nullptr;
    std::size_t cap = 0;
    ssize_t len;
    while ((len = ::getline(&line, &cap, pipe_)) > 0) {
      std::optional<tegrastats_record> r;
      std::string bad;
      try {
        r = parse_tegrastats_line(std::string_view(line, static_cast<std::size_t>(len)));
      } catch (const std::invalid_argument& e) {
        bad = e.what();
      }
      std::lock_guard lock(mutex_);
      if (!bad.empty()) {
        failure_ = bad;
        break;
      }
      if (!r) continue;
      if (r->rails.empty()) {
        failure_ =
            "tegrastats prints no power rails on this board (TX1/L4T 28): use the INA3221 sysfs "
            "sources";
        break;
      }
      if (names_.empty())
        for (const auto& x : r->rails) names_.push_back(x.name);
      if (r->rails.size() != names_.size()) {
        failure_ = "rails changed from " + std::to_string(names_.size()) + " to " +
                   std::to_string(r->rails.size());
        break;
      }
      latest_.resize(names_.size());
      for (std::size_t i = 0; i < names_.size(); ++i) latest_[i] = r->rails[i].cur_mw;
      ++records_;
    }
    std::free(line);
    std::lock_guard lock(mutex_);
    if (failure_.empty() && !stopping_) failure_ = "tegrastats exited (end of its output)";
  }

  void shutdown() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    if (reader_.joinable()) reader_.join();
    if (pipe_) ::fclose(pipe_);
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
    pipe_ = nullptr;
    pid_ = -1;
  }

  std::string program_;
  pid_t pid_ = -1;
  std::FILE* pipe_ = nullptr;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::vector<std::string> names_;
  std::vector<double> latest_;  // mW
  std::string failure_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> records_{0};
  source_info info_;
};

}  // namespace synergy::sources
