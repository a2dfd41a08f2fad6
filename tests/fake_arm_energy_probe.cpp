// A fake ARM Energy Probe as a process, for the end-to-end test of `synergy record --shunt`:
// prints the pseudo-terminal to open, answers the handshake, then streams frames at twice the
// probe's real rate (so that frame times, counted from the first frame, run ahead of the clock
// and every region of the recorded program lies inside the trace) until STOP, or for at most
// `seconds`. Channel 0: raw 1000 (5 W on a 20 mΩ shunt); channel 2: raw 400 (0.8 W on 50 mΩ).
//   fake_arm_energy_probe [seconds=30]
#include "support/fake_arm_energy_probe.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 30.0;
  const auto frames = static_cast<unsigned>(seconds * 20'000);
  std::vector<std::uint8_t> stream;
  stream.reserve(frames * 6U);
  for (unsigned k = 0; k < frames; ++k) {
    synergy_test::put16(stream, k & 0xffff);
    synergy_test::put16(stream, 1000);
    synergy_test::put16(stream, 400);
  }
  synergy_test::fake_probe fake(std::move(stream), {.bytes_per_ms = 120});
  std::cout << fake.path() << std::endl;
  while (!fake.stopped && !fake.replayed)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::cerr << "fake probe: " << (fake.stopped ? "stopped by the host" : "stream ended") << '\n';
  return 0;
}
