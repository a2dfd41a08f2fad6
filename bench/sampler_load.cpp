// Sampler goal (issue 4): sustain >= 10 kHz on a replay source using < 2 % of one core.
// Samples a replayed trace at the requested rate for the requested seconds, streaming (the
// replay releases blocks at its own rate, as a probe does) and polled (one wake-up per
// sample), and prints the achieved rate, dropped and missed readings, and the CPU time of the
// whole process (sampling and drain threads) as a share of one core.
//   usage: sampler_load [rate_hz=10000] [seconds=5]
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <synergy/measure/sampler.hpp>
#include <synergy/measure/synthetic_source.hpp>
#include <thread>

namespace m = synergy::measure;

static double cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

/// The replay seen only as a polled source (hides read_block).
struct polled_replay {
  m::replay_source& r;
  const synergy::sources::source_info& info() const { return r.info(); }
  void read_power(std::span<double> w) { r.read_power(w); }
};

template <class Source>
static void run(const char* mode, Source& src, double rate, double seconds) {
  m::sampler_options o;
  o.rate = synergy::frequency::from_value(rate);
  m::sampler s(src, o);
  const double c0 = cpu_s(), t0 = synergy::now_s();
  s.start();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  s.stop();
  const double wall = synergy::now_s() - t0, cpu = cpu_s() - c0;
  const auto st = s.stats();
  std::printf(
      "%s, %.0f Hz for %.1f s: %llu samples = %.0f Hz achieved, %llu dropped, %llu missed ticks; "
      "CPU %.3f s = %.2f %% of one core (goal < 2 %%)\n",
      mode, rate, wall, static_cast<unsigned long long>(st.samples), st.samples / wall,
      static_cast<unsigned long long>(st.dropped), static_cast<unsigned long long>(st.missed), cpu,
      100 * cpu / wall);
}

int main(int argc, char** argv) {
  const double rate = argc > 1 ? std::atof(argv[1]) : 10000.0;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
  m::trace tr;
  tr.channels = {"VDD_IN", "VDD_SOC"};
  for (int k = 0; k < 1000; ++k) {
    const double w[2] = {5.0 + k % 7 * 0.1, 1.2};
    tr.push(k * 1e-3, w);
  }
  tr.period_s = 1.0 / rate;
  m::replay_source src(tr);
  run("streaming", src, rate, seconds);
  polled_replay polled{src};
  run("polled", polled, rate, seconds);
  return 0;
}
