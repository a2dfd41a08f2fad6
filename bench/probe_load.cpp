// The ARM Energy Probe path under load: a fake probe on a pseudo-terminal streams 10 kHz frames
// (two channels, 6 bytes each) in real time, 60 bytes per millisecond, for the requested
// seconds; the sampler reads them through serial_probe<arm_energy_probe> in 5 ms blocks.
// Prints the frames received and lost, and the CPU time of the process less the fake probe's
// own thread (so: the sampling and drain threads, plus the main thread idling), as a share of
// one core. Goal (issue 4): 10 kHz at < 2 % of a core.
//   usage: probe_load [seconds=5]
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <synergy/clock.hpp>
#include <synergy/measure/sampler.hpp>
#include <synergy/sources/serial/arm_energy_probe.hpp>
#include <thread>

#include "../tests/support/fake_arm_energy_probe.hpp"

namespace m = synergy::measure;
namespace src = synergy::sources;

static double cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
  const auto frames = static_cast<unsigned>(seconds * 10'000);
  std::vector<std::uint8_t> stream;
  for (unsigned k = 0; k < frames; ++k) {
    synergy_test::put16(stream, k & 0xffff);
    synergy_test::put16(stream, 1000 + k % 100);
    synergy_test::put16(stream, 400);
  }
  synergy_test::fake_probe fake(stream, {.bytes_per_ms = 60});
  const double c0 = cpu_s(), t0 = synergy::now_s();
  src::arm_energy_probe_source probe(fake.path(),
                                     src::arm_energy_probe({.shunt_ohm = {0.02, 0.05, 0}}));
  m::sampler s(probe);
  s.start();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));  // the main thread idles
  while (!fake.replayed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the last block
  s.stop();
  const double wall = synergy::now_s() - t0, cpu = cpu_s() - c0 - fake.cpu_s;
  const auto st = s.stats();
  std::printf(
      "ARM Energy Probe (fake, pty), 10 kHz for %.2f s: %llu of %u frames = %.0f Hz, %llu lost, "
      "%llu dropped; "
      "CPU without the fake %.3f s = %.2f %% of one core (goal < 2 %%)\n",
      wall, static_cast<unsigned long long>(st.samples), frames,
      static_cast<double>(st.samples) / wall, static_cast<unsigned long long>(st.lost),
      static_cast<unsigned long long>(st.dropped), cpu, 100 * cpu / wall);
  return st.samples == frames ? 0 : 1;
}
