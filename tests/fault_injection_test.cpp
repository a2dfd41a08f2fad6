// Fault injection for live measurement (issue 14): sensors that vanish, fail with an I/O error,
// become unreadable, counters that jump backwards, stalled and blocking sources, and clocks that
// step. Each case ends with the partial trace readable, the fault named (source or path and
// reason) in what the sampler reports, and no made-up value in the trace. Sources whose reader is
// injected stand in where a fake sysfs file cannot show the fault (root reads any file).

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_tree.hpp"
#include "synergy/measure/sampler.hpp"
#include "synergy/sources/counter_power.hpp"
#include "synergy/sources/detail/sysfs.hpp"
#include "synergy/sources/hwmon.hpp"

namespace m = synergy::measure;
namespace src = synergy::sources;
using synergy_test::temp_tree;
using namespace std::chrono_literals;

namespace {

// A one-channel polled source whose reading is injected.
struct injected_source {
  src::source_info i{"injected", {{"rail", "rail", "", true, "uW"}}};
  std::function<double()> read;
  const src::source_info& info() const { return i; }
  void read_power(std::span<double> w) { w[0] = read(); }
};

// Waits (sampling) until `fault` is set or 2 s pass; returns stop()'s error text ("" = none).
template <class S>
std::string wait_for_fault(m::sampler<S>& s) {
  for (int i = 0; i < 400 && s.stats().fault.empty(); ++i) std::this_thread::sleep_for(5ms);
  try {
    s.stop();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// Starts `s`, then as wait_for_fault.
template <class S>
std::string run_until_fault(m::sampler<S>& s) {
  s.start();
  return wait_for_fault(s);
}

// No value of the trace is zero or not finite (the sources below never read 0 W).
void expect_no_made_up_value(const m::trace& tr) {
  for (double w : tr.watts) {
    EXPECT_TRUE(std::isfinite(w));
    EXPECT_NE(w, 0.0);
  }
}

}  // namespace

TEST(fault, hwmon_file_that_vanishes_is_named_and_the_trace_kept) {
  temp_tree t;
  t.write("hwmon0/name", "ina238");
  const auto f = t.write("hwmon0/power1_input", "2500000");  // 2.5 W
  src::hwmon_source h(t.root() / "hwmon0");
  m::sampler s(h);
  s.start();
  std::this_thread::sleep_for(20ms);
  // A removed device's attribute reads nothing: model it by emptying the open file.
  std::ofstream(f, std::ios::trunc);
  const std::string err = wait_for_fault(s);
  EXPECT_NE(err.find("power1_input"), std::string::npos) << err;
  EXPECT_NE(s.stats().fault.find("power1_input"), std::string::npos) << s.stats().fault;
  EXPECT_NE(s.stats().fault.find("empty"), std::string::npos) << s.stats().fault;
  const auto tr = s.take_trace();
  ASSERT_GT(tr.size(), 0u);
  for (double w : tr.watts) EXPECT_DOUBLE_EQ(w, 2.5);
  ASSERT_FALSE(tr.notes.empty());
  EXPECT_NE(tr.notes.back().find("power1_input"), std::string::npos);
}

// EIO-like failures: a sensor read by path each time (open + read, as detail::read_int does)
// whose file is replaced by a directory (read: EISDIR) or removed (open: ENOENT).
TEST(fault, read_errors_carry_path_and_errno_text) {
  temp_tree t;
  const auto f = t.write("sensor/power1_input", "1000000");
  // The directory stands where the file was: the reader is pointed at it in one atomic step
  // (removing a file and creating a directory in its place would leave an ENOENT window).
  const auto dir = t.root() / "sensor/power2_input";
  std::filesystem::create_directories(dir);
  for (const bool as_dir : {true, false}) {
    t.write("sensor/power1_input", "1000000");
    std::atomic<bool> swapped{false};
    injected_source is;
    is.read = [&] {
      return static_cast<double>(src::detail::read_int(swapped && as_dir ? dir : f)) * 1e-6;
    };
    m::sampler s(is);
    s.start();
    std::this_thread::sleep_for(10ms);
    if (!as_dir) std::filesystem::remove(f);
    swapped = true;
    const std::string err = wait_for_fault(s);
    const std::string fault = s.stats().fault;
    EXPECT_NE(fault.find((as_dir ? dir : f).string()), std::string::npos) << fault;
    EXPECT_NE(fault.find(as_dir ? std::strerror(EISDIR) : std::strerror(ENOENT)), std::string::npos)
        << fault;
    EXPECT_EQ(err, fault);
    const auto tr = s.take_trace();
    ASSERT_GT(tr.size(), 0u);
    expect_no_made_up_value(tr);
  }
}

// Permissions flipping mid-run (RAPL after a kernel update, an admin's chmod): root ignores mode
// bits, so the reader raises what a refused open raises.
TEST(fault, permission_flip_is_a_permission_denied_fault) {
  std::atomic<bool> flipped{false};
  injected_source is;
  is.read = [&]() -> double {
    if (flipped)
      src::detail::raise_errno("/sys/class/powercap/intel-rapl:0/energy_uj", EACCES, "open");
    return 3.0;
  };
  m::sampler s(is);
  s.start();
  std::this_thread::sleep_for(10ms);
  flipped = true;
  for (int i = 0; i < 400 && s.stats().fault.empty(); ++i) std::this_thread::sleep_for(5ms);
  EXPECT_THROW(s.stop(), src::permission_denied);
  EXPECT_NE(s.stats().fault.find("energy_uj"), std::string::npos);
  EXPECT_NE(s.stats().fault.find(std::strerror(EACCES)), std::string::npos);
  expect_no_made_up_value(s.take_trace());
}

namespace {
// An energy counter with RAPL's range (max_energy_range_uj of a real package zone) whose
// readings are scripted; past the script it repeats the last one.
struct scripted_counter {
  src::source_info i{"scripted rapl", {{"package-0", "package", "", true, "uJ"}}};
  std::vector<std::uint64_t> script;
  std::size_t k = 0;
  const src::source_info& info() const { return i; }
  src::counter_spec spec(std::size_t) const { return {1e-6, 262143328850}; }
  void read_counters(std::span<std::uint64_t> c) {
    c[0] = script[std::min(k, script.size() - 1)];
    ++k;
  }
};
}  // namespace

// A real wrap (from 100 µJ below the range to 50: 151 µJ) passes; a jump from 5e9 to 4e9 µJ
// would be a wrap only if 262143328850 − 5e9 + 4e9 + 1 µJ ≈ 261 kJ were used between two reads,
// far above max power: it is named as a counter going backwards.
TEST(fault, counter_jumping_backwards_is_not_a_wrap) {
  src::counter_unwrapper u({1e-6, 262143328850}, 1000.0);
  EXPECT_EQ(u.update(262143328850 - 100, 0.0), 0u);
  EXPECT_EQ(u.update(50, 0.001), 151u);
  EXPECT_EQ(u.wraps(), 1u);
  src::counter_unwrapper v({1e-6, 262143328850}, 1000.0);
  (void)v.update(5'000'000'000, 0.0);
  EXPECT_THROW((void)v.update(4'000'000'000, 0.001), std::domain_error);

  scripted_counter c;
  c.script = {5'000'000'000, 5'000'001'000, 5'000'002'000, 4'000'000'000};
  src::counter_power<scripted_counter> p(c);
  m::sampler s(p);
  const std::string err = run_until_fault(s);
  EXPECT_NE(err.find("backwards"), std::string::npos) << err;
  EXPECT_NE(s.stats().fault.find("scripted rapl"), std::string::npos);
  EXPECT_NE(s.stats().fault.find("package-0"), std::string::npos);
  const auto tr = s.take_trace();
  EXPECT_EQ(tr.size(), 2u);  // the two readings before the jump
  expect_no_made_up_value(tr);
}

// A stalled counter repeats its value: counter_power reads 0 W, which the sampler reports as
// readings unchanged for `stale_after` (never silently zero).
TEST(fault, stalled_counter_is_reported) {
  scripted_counter c;
  c.script = {1000, 2000, 3000};  // then 3000 forever
  src::counter_power<scripted_counter> p(c);
  m::sampler_options o;
  o.stale_after = 0.05 * synergy::units::second;
  m::sampler s(p, o);
  s.start();
  for (int i = 0; i < 200 && s.stats().warnings.empty(); ++i) std::this_thread::sleep_for(5ms);
  s.stop();
  const auto st = s.stats();
  ASSERT_EQ(st.warnings.size(), 1u);
  EXPECT_NE(st.warnings[0].find("scripted rapl"), std::string::npos) << st.warnings[0];
  EXPECT_NE(st.warnings[0].find("unchanged"), std::string::npos) << st.warnings[0];
  EXPECT_TRUE(st.fault.empty());
  const auto tr = s.take_trace();
  ASSERT_FALSE(tr.notes.empty());
  EXPECT_NE(tr.notes.back().find("unchanged"), std::string::npos);
}

// A read that blocks: the sampler reports it while running, and stop() returns after
// read_timeout with the fault instead of hanging; the trace so far is readable.
TEST(fault, blocking_read_does_not_hang_stop) {
  std::mutex mu;
  std::condition_variable cv;
  bool block = false, release = false;
  injected_source is;
  is.read = [&] {
    std::unique_lock lock(mu);
    if (block) cv.wait_for(lock, 10s, [&] { return release; });
    return 4.0;
  };
  m::sampler_options o;
  o.read_timeout = 0.1 * synergy::units::second;
  {
    m::sampler s(is, o);
    s.start();
    std::this_thread::sleep_for(10ms);
    {
      std::lock_guard lock(mu);
      block = true;
    }
    for (int i = 0; i < 200 && s.stats().fault.empty(); ++i) std::this_thread::sleep_for(5ms);
    EXPECT_NE(s.stats().fault.find("has not returned"), std::string::npos) << s.stats().fault;
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_THROW(s.stop(), std::runtime_error);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_NE(s.stats().fault.find("injected"), std::string::npos);
    const auto tr = s.take_trace();
    EXPECT_GT(tr.size(), 0u);
    expect_no_made_up_value(tr);
    {
      std::lock_guard lock(mu);
      release = true;
    }
    cv.notify_all();
  }  // the destructor joins the thread once the read returned
}

namespace {
// A streaming source whose clock steps back by 1 s after 5 samples, or that reads NaN.
struct stepping_stream {
  src::source_info i{"stepping stream", {{"p", "board", "", true, "W"}}};
  bool nan = false;
  int n = 0;
  const src::source_info& info() const { return i; }
  std::size_t read_block(std::vector<double>& times, std::vector<double>& watts) {
    const bool bad = n >= 5;
    ++n;
    times.push_back(synergy::now_s() - (bad && !nan ? 1.0 : 0.0));
    watts.push_back(bad && nan ? std::nan("") : 1.5);
    return 1;
  }
};
}  // namespace

TEST(fault, clock_stepping_back_and_nan_readings_stop_with_the_source_named) {
  for (const bool nan : {false, true}) {
    stepping_stream ss;
    ss.nan = nan;
    m::sampler_options o;
    o.block_period = 0.001 * synergy::units::second;
    m::sampler s(ss, o);
    const std::string err = run_until_fault(s);
    const std::string fault = s.stats().fault;
    EXPECT_EQ(err, fault);
    EXPECT_NE(fault.find("stepping stream"), std::string::npos) << fault;
    EXPECT_NE(fault.find(nan ? "not a finite number" : "backwards"), std::string::npos) << fault;
    const auto tr = s.take_trace();
    EXPECT_EQ(tr.size(), 5u);  // the samples before the fault
    expect_no_made_up_value(tr);
  }
}
