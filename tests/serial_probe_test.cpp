// Serial probes: the ARM Energy Probe's frame decoder on hand-built bytes, and the whole
// source — handshake, configuration, streaming into the sampler, lost frames, STOP — against a
// fake probe on a pseudo-terminal (openpty) that answers as ARM's caiman expects and then
// replays a recorded frame stream.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <synergy/measure/sampler.hpp>
#include <synergy/sources/any_source.hpp>
#include <synergy/sources/serial/arm_energy_probe.hpp>
#include <thread>
#include <vector>

#include "support/fake_arm_energy_probe.hpp"

using namespace synergy;
using namespace synergy::sources;

namespace {

using synergy_test::fake_probe;
using synergy_test::put16;

struct decoded {
  std::vector<std::uint64_t> index;
  std::vector<double> values;
};

TEST(ArmEnergyProbeDecoder, FieldsInStreamOrderScaledByTheShunt) {
  // Channel 0: power, voltage, current on a 20 mΩ shunt; channel 1: power on 10 mΩ; channel 2 off.
  // Raw → unit (caiman: raw·100/R[mΩ] for power in mW and current in mA; voltage raw mV):
  //   P0 1250 → 1250·100/20 = 6,250 mW = 6.25 W; V0 5000 mV = 5 V; I0 250 → 1,250 mA = 1.25 A
  //   (5 V · 1.25 A = 6.25 W); P1 300 → 300·100/10 = 3,000 mW = 3 W.
  aep_decoder d({aep::field_power | aep::field_voltage | aep::field_current, aep::field_power, 0},
                {0.020, 0.010, 0.0});
  EXPECT_EQ(d.fields_per_frame(), 4U);
  EXPECT_EQ(d.frame_bytes(), 10U);
  std::vector<std::uint8_t> bytes;
  for (unsigned counter : {0u, 1u, 3u}) {  // frame 2 lost
    put16(bytes, counter);
    put16(bytes, 1250 + counter);
    put16(bytes, 5000);
    put16(bytes, 250);
    put16(bytes, 300);
  }
  // Any split of the stream gives the same frames.
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    aep_decoder dd = d;
    decoded out;
    const auto sink = [&](std::uint64_t i, std::span<const double> v) {
      out.index.push_back(i);
      out.values.insert(out.values.end(), v.begin(), v.end());
    };
    dd.feed(std::span(bytes).first(cut), sink);
    dd.feed(std::span(bytes).subspan(cut), sink);
    ASSERT_EQ(out.index, (std::vector<std::uint64_t>{0, 1, 3})) << cut;
    EXPECT_NEAR(out.values[0], 6.25, 1e-12);
    EXPECT_NEAR(out.values[1], 5.0, 1e-12);
    EXPECT_NEAR(out.values[2], 1.25, 1e-12);
    EXPECT_NEAR(out.values[3], 3.0, 1e-12);
    EXPECT_NEAR(out.values[8], (1253 * 100.0 / 20) / 1000, 1e-12);  // frame 3's P0
  }
}

TEST(ArmEnergyProbeDecoder, UnwrapsTheSixteenBitCounter) {
  aep_decoder d({aep::field_voltage, 0, 0}, {0, 0, 0});
  std::vector<std::uint8_t> bytes;
  for (unsigned counter : {65534u, 65535u, 0u, 2u, 2u}) {
    put16(bytes, counter);
    put16(bytes, 3300);
  }
  std::vector<std::uint64_t> idx;
  d.feed(bytes, [&](std::uint64_t i, std::span<const double> v) {
    idx.push_back(i);
    EXPECT_NEAR(v[0], 3.3, 1e-12);
  });
  // 65534, 65535, then 0 → 65536, 2 → 65538 (one lost), and a repeated counter = one whole
  // counter period later (65538 + 65536), as caiman's frame arithmetic has it.
  EXPECT_EQ(idx, (std::vector<std::uint64_t>{65534, 65535, 65536, 65538, 131074}));
}

// frame_clock on made-up arrivals (deterministic): a probe at 10 kHz sending a block per ms,
// read by a host that sees each block after a latency between 0.2 and 5 ms.
double latency_ms(int block) { return block % 37 == 0 ? 0.2 : 0.2 + (block * 7919 % 480) / 100.0; }

TEST(FrameClock, FollowsTheSmallestLatencyAndTheCrystalsDrift) {
  for (const double ppm :
       {0.0, 200.0, -200.0}) {  // probe crystal slower (+) or faster (−) than the host
    frame_clock fc(1e-4);
    const double t0 = 1000.0, rate = 1.0 + ppm * 1e-6;
    double worst_late = 0;
    for (int block = 0; block < 20'000; ++block) {  // 20 s
      const std::uint64_t last = static_cast<std::uint64_t>(block) * 10 + 9;
      const double produced = t0 + static_cast<double>(last) * 1e-4 * rate;
      fc.observe(produced + latency_ms(block) * 1e-3, last);
      if (block > 1000) worst_late = std::max(worst_late, std::abs(fc.time(last) - produced));
    }
    // After the first second, every stamp within 0.3 ms of the frame's true time: the 0.2 ms
    // floor of the latency plus what 37 blocks of drift add (0.2 ppm·s·37 ms ≪ 0.1 ms). A fixed
    // anchor would be 4 ms off after 20 s at 200 ppm.
    EXPECT_LT(worst_late, 0.3e-3) << ppm << " ppm";
  }
}

TEST(FrameClock, StampsNeverGoBackwardsAfterALateFirstBlock) {
  frame_clock fc(1e-4);
  fc.observe(10.0 + 0.005, 9);  // the first block seen 5 ms late: offset too high by 5 ms
  double previous = fc.time(9);
  for (int block = 1; block < 200; ++block) {
    const std::uint64_t first = static_cast<std::uint64_t>(block) * 10, last = first + 9;
    fc.observe(10.0 + static_cast<double>(last) * 1e-4 + 0.0002, last);
    for (std::uint64_t i = first; i <= last; ++i) {
      EXPECT_GT(fc.time(i), previous) << i;
      previous = fc.time(i);
    }
  }
  // Converged (at ≤ half a period per block) to the 0.2 ms latency of the later blocks.
  EXPECT_NEAR(fc.offset(), 10.0 + 0.0002, 1e-9);
  EXPECT_THROW(frame_clock(0.0), std::invalid_argument);
}

TEST(ArmEnergyProbeDecoder, RejectsMissingShunts) {
  EXPECT_THROW(aep_decoder({aep::field_power, 0, 0}, {0, 0, 0}), std::invalid_argument);
  EXPECT_THROW(aep_decoder({0, 0, 0}, {1, 1, 1}), std::invalid_argument);
  EXPECT_THROW(arm_energy_probe({.shunt_ohm = {0, 0, 0}}), std::invalid_argument);
  EXPECT_THROW(arm_energy_probe({.shunt_ohm = {-0.01, 0, 0}}), std::invalid_argument);
}

// 2,000 frames at 10 kHz on channels 0 (20 mΩ) and 2 (50 mΩ); frames 500–509 are missing.
// Channel 0 raw = 1000 + (k mod 100) → (1000 + k mod 100)·5 mW; channel 2 raw 400 → 400·2 = 800 mW.
std::vector<std::uint8_t> recorded_stream() {
  std::vector<std::uint8_t> s;
  for (unsigned k = 0; k < 2000; ++k) {
    if (k >= 500 && k < 510) continue;
    put16(s, k);
    put16(s, 1000 + k % 100);
    put16(s, 400);
  }
  return s;
}

TEST(ArmEnergyProbe, StreamsThroughTheSamplerWithLostFramesCounted) {
  fake_probe fake(recorded_stream(), {.bytes_per_ms = 60});
  {
    arm_energy_probe_source probe(
        fake.path(),
        arm_energy_probe({.shunt_ohm = {0.020, 0.0, 0.050}, .names = {"VDD_SOC", "", "VDD_MEM"}}));
    EXPECT_EQ(probe.protocol().protocol_version(), 20110803U);
    EXPECT_EQ(probe.protocol().vendor(), "fake probe");
    EXPECT_EQ(probe.protocol().rate_hz(), 10'000U);
    const source_info& info = probe.info();
    ASSERT_EQ(info.channels.size(), 2U);
    EXPECT_EQ(info.channels[0].name, "VDD_SOC");
    EXPECT_EQ(info.channels[1].name, "VDD_MEM");
    EXPECT_DOUBLE_EQ(info.update_period.value(), 1e-4);
    EXPECT_EQ(info.clock,
              time_base::steady);  // frames mapped onto steady_clock, so the sampler takes them
    EXPECT_EQ(fake.configs(), (std::vector<std::uint8_t>{aep::field_power, 0, aep::field_power}));

    measure::sampler_options opt;
    opt.block_period = 0.002 * units::second;
    measure::sampler s(probe, opt);
    s.start();
    for (int i = 0; i < 400 && s.stats().samples < 1990; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    s.stop();
    EXPECT_EQ(s.stats().lost, 10U);
    const measure::trace t = s.take_trace();
    ASSERT_EQ(t.size(), 1990U);
    EXPECT_EQ(t.clock, time_base::steady);
    EXPECT_EQ(t.dropped, 10U);
    // Frame times follow the probe's counter (the fake streams in real time here): increasing,
    // 100 µs apart up to the frame clock's corrections (at most half a period per block), 1.1 ms
    // across the 10 lost frames. From the first to the last frame 199.9 ms, less what the
    // clock corrects when the first block was seen late (a slow wake-up on a busy machine),
    // plus at most 500 ppm of drift over 0.2 s.
    for (std::size_t k = 1; k < t.size(); ++k) ASSERT_GT(t.time_s[k], t.time_s[k - 1]) << k;
    EXPECT_NEAR(t.time_s[500] - t.time_s[499], 11e-4, 0.5e-4 + 1e-9);
    EXPECT_LE(t.time_s[1989] - t.time_s[0], 1999e-4 + 0.2 * 5e-4 + 1e-9);
    EXPECT_GT(t.time_s[1989] - t.time_s[0], 1999e-4 - 20e-3);
    EXPECT_NEAR(t.at(0, 0), 5.0, 1e-12);            // raw 1000 · 100 / 20 mΩ = 5,000 mW
    EXPECT_NEAR(t.at(99, 0), 1099 * 5e-3, 1e-12);   // frame 99
    EXPECT_NEAR(t.at(500, 0), 1010 * 5e-3, 1e-12);  // frame 510 follows the gap
    EXPECT_NEAR(t.at(7, 1), 0.8, 1e-12);            // raw 400 · 100 / 50 mΩ = 800 mW
  }
  for (int i = 0; i < 200 && !fake.stopped; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(fake.stopped) << "STOP (0x0b) sent when the source is destroyed";
}

// The same stream through open_source and any_source (what `synergy profile --source
// arm-energy-probe --shunt 0:0.02` does): the sampler asks any_source and reads it in blocks.
TEST(ArmEnergyProbe, OpensByKindAsAStreamingAnySource) {
  fake_probe fake(recorded_stream(), {});
  detection_settings ds;
  EXPECT_THROW((void)open_source("arm-energy-probe", ds), std::invalid_argument);  // no shunts
  ds.arm_energy_probe_device = fake.path();
  ds.arm_energy_probe.shunt_ohm = {0.020, 0.0, 0.050};
  any_source src = open_source("arm-energy-probe", ds);
  EXPECT_TRUE(src.streaming());
  std::vector<double> w(2);
  EXPECT_THROW(src.read_power(w), std::logic_error);
  measure::sampler s(src);  // default options: 1 kHz requested, but a stream sets its own pace
  EXPECT_DOUBLE_EQ(s.period_s(), 1e-4);
  s.start();
  for (int i = 0; i < 400 && s.stats().samples < 1990; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.stop();
  EXPECT_EQ(s.stats().lost, 10U);
  EXPECT_EQ(s.take_trace().size(), 1990U);
}

TEST(ArmEnergyProbe, ErrorsNameTheDeviceAndTheProblem) {
  const auto message = [](fake_probe::behaviour b) {
    fake_probe fake(recorded_stream(), b);
    try {
      arm_energy_probe_source probe(
          fake.path(),
          arm_energy_probe({.shunt_ohm = {0.02}, .timeout = std::chrono::milliseconds(300)}));
    } catch (const sensor_error& e) {
      EXPECT_EQ(e.path(), fake.path());
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({.version = 20100101}).find("protocol version 20100101, expected 20110803"),
            std::string::npos);
  EXPECT_NE(message({.rate = 0}).find("rate of 0 samples/s"), std::string::npos);
  EXPECT_NE(message({.ack = 0x55}).find("answered command 0x01 with 0x55 instead of ACK 0xac"),
            std::string::npos);
  EXPECT_NE(message({.answer = false}).find("timed out reading after 300 ms"), std::string::npos);
  try {
    arm_energy_probe_source probe("/nonexistent/ttyACM9", arm_energy_probe({.shunt_ohm = {0.02}}));
    FAIL() << "no error";
  } catch (const sensor_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ttyACM9: cannot open serial device"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
