// Power sources on fake sysfs trees built in temporary folders (this machine has no sensor):
// hwmon (flat and nested Jetson layouts, INA238 µW/µJ), the L4T ≤ 32 IIO driver, RAPL
// powercap (hierarchy from a real powercap-info listing, wraps from a real energy_uj log),
// the perf power PMU description, permission errors, a sensor vanishing mid-run, detection.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_tree.hpp"
#include "synergy/measure/sampler.hpp"
#include "synergy/sources/any_source.hpp"
#include "synergy/sources/counter_power.hpp"
#include "synergy/sources/detect.hpp"
#include "synergy/sources/hwmon.hpp"
#include "synergy/sources/jetson_iio.hpp"
#include "synergy/sources/perf_power.hpp"
#include "synergy/sources/rapl.hpp"
#include "synergy/sources/tegrastats_live.hpp"

namespace src = synergy::sources;
using synergy_test::temp_tree;

namespace {
const std::filesystem::path logs = std::filesystem::path(SYNERGY_SHARED_DATA) / "power_logs";

// The AGX Orin layout of alumet-dev/alumet#212 and jetson_stats#428: the I²C device folder
// holds hwmon/hwmonN; labels VDD_GPU_SOC, VDD_CPU_CV, VIN_SYS_5V0; in7 "sum of shunt voltages".
void make_orin_ina3221(const temp_tree& t, const std::string& dev) {
  t.write(dev + "/name", "ina3221");
  const std::string h = dev + "/hwmon/hwmon2/";
  t.write(h + "name", "ina3221");
  const char* labels[] = {"VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0"};
  const int mv[] = {5000, 5000, 5000}, ma[] = {560, 160, 663};
  for (int n = 1; n <= 3; ++n) {
    t.write(h + "in" + std::to_string(n) + "_label", labels[n - 1]);
    t.write(h + "in" + std::to_string(n) + "_input", std::to_string(mv[n - 1]));
    t.write(h + "curr" + std::to_string(n) + "_input", std::to_string(ma[n - 1]));
    t.write(h + "in" + std::to_string(n) + "_enable", "1");
  }
  t.write(h + "in7_label", "sum of shunt voltages");
  t.write(h + "in7_input", "88");
}
}  // namespace

TEST(hwmon, nested_jetson_orin_layout_gives_v_times_i) {
  temp_tree t;
  make_orin_ina3221(t, "bus/i2c/drivers/ina3221/1-0041");
  src::hwmon_source s(t.root() / "bus/i2c/drivers/ina3221/1-0041");
  ASSERT_EQ(s.info().channels.size(), 3u);  // in7 (no curr7) skipped
  EXPECT_EQ(s.info().channels[0].name, "VDD_GPU_SOC");
  EXPECT_EQ(s.info().channels[2].unit, "mV*mA");
  EXPECT_FALSE(s.info().total_channel().has_value());  // AGX Orin has no module-input rail
  EXPECT_EQ(s.info().clock, src::time_base::steady);   // polled: the sampler stamps its readings
  std::vector<double> w(3);
  s.read_power(w);
  EXPECT_DOUBLE_EQ(w[0], 2.8);    // 5000 mV × 560 mA = 2.8 W
  EXPECT_DOUBLE_EQ(w[1], 0.8);    // 5000 × 160
  EXPECT_DOUBLE_EQ(w[2], 3.315);  // 5000 × 663
}

TEST(hwmon, class_folder_with_flat_devices_and_disabled_channel) {
  temp_tree t;
  // Xavier NX style (L4T 35): VDD_IN is the total; channel 3 disabled.
  t.write("hwmon1/name", "ina3221");
  t.write("hwmon1/in1_label", "VDD_IN");
  t.write("hwmon1/in1_input", "5080");
  t.write("hwmon1/curr1_input", "1091");
  t.write("hwmon1/in2_label", "VDD_CPU_GPU_CV");
  t.write("hwmon1/in2_input", "5072");
  t.write("hwmon1/curr2_input", "314");
  t.write("hwmon1/in3_label", "VDD_SOC");
  t.write("hwmon1/in3_input", "5080");
  t.write("hwmon1/curr3_input", "243");
  t.write("hwmon1/in3_enable", "0");
  // INA238: power in µW, energy in µJ.
  t.write("hwmon10/name", "ina238");
  t.write("hwmon10/power1_input", "1234567");
  t.write("hwmon10/energy1_input", "5000000");
  t.write("hwmon0/name", "acpitz");  // a thermal sensor: no power channel
  src::hwmon_source s(t.root());
  ASSERT_EQ(s.info().channels.size(), 3u);
  EXPECT_EQ(s.info().total_channel(), std::optional<std::size_t>(0));
  std::vector<double> w(3);
  s.read_power(w);
  EXPECT_DOUBLE_EQ(w[0], 5.54228);   // 5080 mV × 1091 mA
  EXPECT_DOUBLE_EQ(w[1], 1.592608);  // 5072 × 314
  EXPECT_DOUBLE_EQ(w[2], 1.234567);  // µW
  src::hwmon_energy e(t.root());
  ASSERT_EQ(e.info().channels.size(), 1u);
  std::vector<std::uint64_t> c(1);
  e.read_counters(c);
  EXPECT_EQ(c[0], 5000000u);
  EXPECT_DOUBLE_EQ(e.spec(0).joules_per_count, 1e-6);
}

TEST(hwmon, no_power_channel_is_an_error_naming_the_folder) {
  temp_tree t;
  t.write("hwmon0/name", "acpitz");
  t.write("hwmon0/temp1_input", "40000");
  try {
    src::hwmon_source s(t.root());
    FAIL();
  } catch (const src::sensor_error& e) {
    EXPECT_NE(std::string(e.what()).find(t.root().string()), std::string::npos);
  }
}

TEST(hwmon, sensor_that_vanishes_mid_run_stops_the_sampler_with_its_path) {
  temp_tree t;
  make_orin_ina3221(t, "dev");
  src::hwmon_source s(t.root() / "dev");
  synergy::measure::sampler smp(s);
  smp.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  // A sysfs attribute of a removed device reads nothing: model it by emptying the file.
  std::ofstream(t.root() / "dev/hwmon/hwmon2/curr2_input", std::ios::trunc);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  try {
    smp.stop();
    FAIL() << "the sampling error was swallowed";
  } catch (const src::sensor_error& e) {
    EXPECT_NE(std::string(e.what()).find("curr2_input"), std::string::npos) << e.what();
  }
  const auto tr = smp.take_trace();
  EXPECT_GT(tr.size(), 0u);  // what was sampled before the failure is kept
}

TEST(jetson_iio, l4t32_ina3221x_power_files_in_mw) {
  temp_tree t;
  // TX2 (L4T 32): two INA3221 at 0x40 and 0x41; values as tegrastats_tx2_l4t32 shows them.
  const std::string a = "ina3221x/0-0040/iio:device0/", b = "ina3221x/0-0041/iio:device1/";
  t.write(a + "rail_name_0", "VDD_SYS_GPU");
  t.write(a + "in_power0_input", "153");
  t.write(a + "rail_name_1", "VDD_SYS_SOC");
  t.write(a + "in_power1_input", "536");
  t.write(a + "rail_name_2", "VDD_4V0_WIFI");
  t.write(a + "in_power2_input", "633");
  t.write(b + "rail_name_0", "VDD_IN");
  t.write(b + "in_power0_input", "3140");
  t.write(b + "rail_name_1", "VDD_SYS_CPU");
  t.write(b + "in_voltage1_input", "19000");  // no power file: V × I
  t.write(b + "in_current1_input", "28");
  src::jetson_iio_source s(t.root() / "ina3221x");
  ASSERT_EQ(s.info().channels.size(), 5u);
  EXPECT_EQ(s.info().total_channel(), std::optional<std::size_t>(3));
  std::vector<double> w(5);
  s.read_power(w);
  EXPECT_DOUBLE_EQ(w[0], 0.153);
  EXPECT_DOUBLE_EQ(w[3], 3.140);
  EXPECT_DOUBLE_EQ(w[4], 0.532);  // 19000 mV × 28 mA
}

TEST(rapl, hierarchy_from_a_real_powercap_info_listing) {
  // ColinIanKing/powerstat#15: package-0 (core, uncore) and psys, ranges 262143328850 µJ,
  // package long_term max_power_uw 55000000.
  temp_tree t;
  t.write("intel-rapl:0/name", "package-0");
  t.write("intel-rapl:0/max_energy_range_uj", "262143328850");
  t.write("intel-rapl:0/constraint_0_max_power_uw", "55000000");
  t.write("intel-rapl:0/energy_uj", "1000");
  t.write("intel-rapl:0:0/name", "core");
  t.write("intel-rapl:0:0/max_energy_range_uj", "262143328850");
  t.write("intel-rapl:0:0/energy_uj", "10");
  t.write("intel-rapl:0:1/name", "uncore");
  t.write("intel-rapl:0:1/max_energy_range_uj", "262143328850");
  t.write("intel-rapl:0:1/energy_uj", "20");
  t.write("intel-rapl:1/name", "psys");
  t.write("intel-rapl:1/max_energy_range_uj", "262143328850");
  t.write("intel-rapl:1/energy_uj", "3000");
  t.write("intel-rapl-mmio:0/name", "package-0");  // MMIO duplicate: must be ignored
  src::rapl_counter r(t.root());
  const auto& ch = r.info().channels;
  ASSERT_EQ(ch.size(), 4u);
  EXPECT_EQ(ch[0].name, "package-0");
  EXPECT_EQ(ch[0].parent, "psys");
  EXPECT_EQ(ch[1].name, "package-0/core");
  EXPECT_EQ(ch[1].parent, "package-0");
  EXPECT_EQ(ch[2].name, "package-0/uncore");
  EXPECT_EQ(ch[3].name, "psys");
  EXPECT_TRUE(ch[3].is_total);
  EXPECT_EQ(r.info().top_level_channels(), std::vector<std::size_t>{3});  // psys alone
  EXPECT_EQ(r.spec(0).max_count, 262143328850u);
  EXPECT_DOUBLE_EQ(r.max_power_w(0), 55.0);
  std::vector<std::uint64_t> c(4);
  r.read_counters(c);
  EXPECT_EQ(c, (std::vector<std::uint64_t>{1000, 10, 20, 3000}));
}

TEST(rapl, server_dram_subzone_is_not_inside_its_package) {
  // thermal_daemon#45 (Haswell): dram is intel-rapl:0:2, range 262143999938 (> 2^32).
  temp_tree t;
  t.write("intel-rapl:0/name", "package-0");
  t.write("intel-rapl:0/max_energy_range_uj", "262143999938");
  t.write("intel-rapl:0/energy_uj", "5");
  t.write("intel-rapl:0:2/name", "dram");
  t.write("intel-rapl:0:2/max_energy_range_uj", "262143999938");
  t.write("intel-rapl:0:2/energy_uj", "2469474853");
  t.write("intel-rapl:1/name", "package-1");
  t.write("intel-rapl:1/max_energy_range_uj", "262143999938");
  t.write("intel-rapl:1/energy_uj", "7");
  src::rapl_counter r(t.root());
  const auto& ch = r.info().channels;
  ASSERT_EQ(ch.size(), 3u);
  EXPECT_EQ(ch[1].name, "package-0/dram");
  EXPECT_EQ(ch[1].parent, "");  // no psys: top level beside the packages
  EXPECT_EQ(r.info().top_level_channels(), (std::vector<std::size_t>{0, 1, 2}));
  std::vector<std::uint64_t> c(3);
  r.read_counters(c);
  EXPECT_EQ(c[1], 2469474853u);
  EXPECT_EQ(r.spec(1).max_count, 262143999938u);
}

TEST(rapl, wrap_rule_and_a_real_log_with_two_wraparounds) {
  // (max − prev) + cur + 1, by hand with max = 99: 90 → 5 is 9 + 5 + 1 = 15.
  static_assert(src::counter_delta(90, 5, 99) == 15);
  static_assert(src::counter_delta(5, 90, 99) == 85);
  static_assert(src::counter_delta(0, 0, 99) == 0);
  EXPECT_THROW((void)src::counter_delta(100, 5, 99), std::domain_error);
  // s-tui#29: 54 one-second reads of energy_uj with two wraps. With the range the reporter
  // guessed (2^37 − 1), the total is last − first + 2 · 2^37 = 241,291,568,608 µJ.
  const auto path = logs / "powercap_energy_uj_1s-poll_with-wraparounds.txt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "../shared/data absent";
  std::ifstream in(path);
  src::counter_unwrapper u({1e-6, (1ull << 37) - 1}, 0.0);
  std::uint64_t v = 0, n = 0;
  while (in >> v) u.update(v, static_cast<double>(n++));
  EXPECT_EQ(n, 54u);
  EXPECT_EQ(u.wraps(), 2u);
  EXPECT_EQ(u.total(), 241291568608u);
}

TEST(rapl, gap_long_enough_to_hide_a_second_wrap_is_warned) {
  // Range 1 J (1e6 µJ), bound 10 W: a 0.2 s gap could take 2 J — two wraps look like one.
  src::counter_unwrapper u({1e-6, 999999}, 10.0);
  u.update(900000, 0.0);
  u.update(100000, 0.05);  // one wrap in 50 ms: fine (0.5 J possible)
  EXPECT_EQ(u.risky_gaps(), 0u);
  u.update(200000, 0.25);
  EXPECT_EQ(u.risky_gaps(), 1u);
  EXPECT_EQ(u.total(), 200000u + 100000u);  // (999999 − 900000) + 100000 + 1, then 100000
}

TEST(rapl, counter_adapter_on_a_fake_tree_never_reports_negative_power) {
  temp_tree t;
  t.write("intel-rapl:0/name", "package-0");
  t.write("intel-rapl:0/max_energy_range_uj", "999999");
  t.write("intel-rapl:0/energy_uj", "999000");
  src::rapl_counter r(t.root());
  src::counter_power p(r, 100.0);
  std::vector<double> w(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  p.read_power(w);
  EXPECT_EQ(w[0], 0.0);  // the counter has not moved since the constructor read it: 0 W, measured
  t.write("intel-rapl:0/energy_uj", "500");  // wrapped: 999 + 500 + 1 = 1500 µJ
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  p.read_power(w);
  EXPECT_GT(w[0], 0.0);
  EXPECT_EQ(p.counters()[0].total(), 1500u);
  EXPECT_EQ(p.counters()[0].wraps(), 1u);
}

TEST(rapl, unreadable_energy_is_permission_denied_with_cve_explanation) {
  temp_tree t;
  t.write("intel-rapl:0/name", "package-0");
  t.write("intel-rapl:0/max_energy_range_uj", "262143328850");
  const auto f = t.write("intel-rapl:0/energy_uj", "1");
  std::filesystem::permissions(f, std::filesystem::perms::owner_read);  // 0400, as since Linux 5.10
  const auto root = t.root();
  EXPECT_TRUE(synergy_test::as_unprivileged([root] {
    try {
      src::rapl_counter r(root);
    } catch (const src::permission_denied& e) {
      const std::string w = e.what();
      return w.find("energy_uj") != std::string::npos &&
             w.find("CVE-2020-8694") != std::string::npos;
    }
    return false;
  }));
}

TEST(perf_power, pmu_description_as_the_kernel_commit_shows_it) {
  // Linux 410136f5dd96: energy-cores.scale 2.3283064365386962890625e-10, unit Joules.
  temp_tree t;
  t.write("power/type", "19");
  t.write("power/cpumask", "0,18");
  t.write("power/events/energy-cores", "event=0x01");
  t.write("power/events/energy-cores.scale", "2.3283064365386962890625e-10");
  t.write("power/events/energy-cores.unit", "Joules");
  t.write("power/events/energy-pkg", "event=0x02");
  t.write("power/events/energy-pkg.scale", "2.3283064365386962890625e-10");
  t.write("power/events/energy-pkg.unit", "Joules");
  const auto d = src::perf_power_counter::describe(t.root() / "power");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].name, "energy-cores");
  EXPECT_EQ(d[0].config, 1u);
  EXPECT_EQ(d[1].config, 2u);
  EXPECT_DOUBLE_EQ(d[1].scale, 1.0 / 4294967296.0);  // 2^-32 J
  EXPECT_EQ(src::detail::parse_cpu_list("0,18", "x"), (std::vector<int>{0, 18}));
  EXPECT_EQ(src::detail::parse_cpu_list("0-2,4", "x"), (std::vector<int>{0, 1, 2, 4}));
  EXPECT_THROW((void)src::detail::parse_cpu_list("0;1", "x"), src::sensor_error);
  t.write("power/events/energy-ram", "event=0x03");
  t.write("power/events/energy-ram.unit", "Watts");
  EXPECT_THROW((void)src::perf_power_counter::describe(t.root() / "power"), src::sensor_error);
}

// Cpu lists the kernel never writes (Documentation/admin-guide/cputopology.rst: unsigned
// decimal numbers and ranges a-b with a <= b, comma-separated) must throw, never allocate or
// wrap: 65535 is the largest number accepted (max_cpu_number), so 65536 is refused.
TEST(perf_power, cpu_list_rejects_what_the_kernel_never_writes) {
  EXPECT_EQ(src::detail::parse_cpu_list("65535", "x"), (std::vector<int>{65535}));
  EXPECT_EQ(src::detail::parse_cpu_list("3-5", "x"), (std::vector<int>{3, 4, 5}));
  for (const char* bad : {"65536", "99999999999", "-1", "+1", "0,-1", "0-2147483647", "5-3", "",
                          "0,,1", "0-", "-0"}) {
    EXPECT_THROW((void)src::detail::parse_cpu_list(bad, "cpumask"), src::sensor_error)
        << "'" << bad << "'";
    try {
      (void)src::detail::parse_cpu_list(bad, "cpumask");
    } catch (const src::sensor_error& e) {
      EXPECT_NE(std::string(e.what()).find("cpumask"), std::string::npos) << e.what();
    }
  }
}

TEST(detect, fake_machine_with_rapl_that_counts_zero_and_a_jetson_hwmon) {
  temp_tree t;
  t.write("class/powercap/intel-rapl:0/name", "psys");
  t.write("class/powercap/intel-rapl:0/max_energy_range_uj", "262143328850");
  t.write("class/powercap/intel-rapl:0/energy_uj", "0");
  make_orin_ina3221(t, "class/hwmon/hwmon3/device_unused");
  t.write("class/hwmon/hwmon3/name", "ina3221");
  t.write("class/hwmon/hwmon3/in1_label", "VDD_IN");
  t.write("class/hwmon/hwmon3/in1_input", "5000");
  t.write("class/hwmon/hwmon3/curr1_input", "1000");
  src::detection_settings s;
  s.sysfs = t.root();
  s.nvml_library = "libsynergy-no-such-nvml.so";
  s.tegrastats = "synergy-no-such-tegrastats";
  s.probe = std::chrono::milliseconds(5);
  const auto st = src::detect_sources(s);
  auto find = [&](const std::string& k) {
    for (const auto& x : st)
      if (x.kind == k) return x;
    throw std::runtime_error("no status " + k);
  };
  EXPECT_EQ(find("rapl").state, src::availability::counting_zero);
  EXPECT_EQ(find("perf-power").state, src::availability::absent);
  EXPECT_EQ(find("hwmon").state, src::availability::available);
  EXPECT_EQ(find("hwmon").channels.front(), "VDD_IN");
  EXPECT_EQ(find("jetson-ina3221x").state, src::availability::absent);
  EXPECT_EQ(find("nvml").state, src::availability::absent);
  EXPECT_NE(find("nvml").reason.find("dlopen"), std::string::npos);
  EXPECT_EQ(find("tegrastats").state, src::availability::absent);
  EXPECT_EQ(find("arm-energy-probe").state, src::availability::absent);
}

TEST(detect, arm_energy_probe_found_by_its_usb_ids_in_a_fake_tree) {
  // As on a real machine: class/tty/ttyACMn/device links to the USB interface, whose parent
  // (the USB device) holds idVendor/idProduct. ttyACM0 is another CDC-ACM device.
  temp_tree t;
  const auto usb_tty = [&](const std::string& tty, const std::string& port, const char* vendor,
                           const char* product) {
    const auto dev = "devices/usb1/" + port;
    t.write(dev + "/idVendor", std::string(vendor) + "\n");
    t.write(dev + "/idProduct", std::string(product) + "\n");
    std::filesystem::create_directories(t.root() / dev / (port + ":1.0"));
    std::filesystem::create_directories(t.root() / "class/tty" / tty);
    std::filesystem::create_directory_symlink(t.root() / dev / (port + ":1.0"),
                                              t.root() / "class/tty" / tty / "device");
  };
  usb_tty("ttyACM0", "1-1", "2341", "0043");
  usb_tty("ttyACM1", "1-2", "0d28", "0004");
  src::detection_settings s;
  s.sysfs = t.root();
  s.dev = t.root() / "dev";
  // The device node is missing: found by its ids, but absent, naming the node.
  auto st = src::detail::detect_arm_energy_probe(s);
  EXPECT_EQ(st.state, src::availability::absent);
  EXPECT_EQ(st.where, (t.root() / "dev/ttyACM1").string());
  EXPECT_NE(st.reason.find("USB 0d28:0004"), std::string::npos) << st.reason;
  t.write("dev/ttyACM1", "");
  st = src::detail::detect_arm_energy_probe(s);
  EXPECT_EQ(st.state, src::availability::available) << st.reason;
  EXPECT_FALSE(st.opens_by_kind);
  EXPECT_THROW((void)src::open_source("arm-energy-probe", s),
               std::invalid_argument);  // no shunts given
}

TEST(detect, this_machine_answers_for_every_kind_with_a_reason) {
  const auto st = src::detect_sources();
  ASSERT_EQ(st.size(), 7u);
  for (const auto& s : st) {
    EXPECT_FALSE(s.reason.empty()) << s.kind;
    std::cout << s.kind << ": " << src::to_string(s.state) << " — " << s.reason << '\n';
  }
}

TEST(tegrastats_live, child_process_lines_become_samples) {
  // A stand-in tegrastats that echoes its --interval into the VDD_SOC rail, JetPack 5 style.
  temp_tree t;
  const auto p = t.write(
      "tegrastats",
      "#!/bin/sh\n[ \"$1\" = --interval ] || exit 2\n"
      "while true; do echo \"10-01-2025 20:05:55 RAM 2274/6834MB (lfb 27x4MB) CPU [99%@1189] "
      "VDD_IN 5542mW/5542mW VDD_SOC ${2}mW/${2}mW\"; sleep 0.01; done");
  std::filesystem::permissions(p, std::filesystem::perms::owner_all);
  src::tegrastats_source s(p.string(), 20);
  ASSERT_EQ(s.info().channels.size(), 2u);
  EXPECT_TRUE(s.info().channels[0].is_total);
  EXPECT_DOUBLE_EQ(s.info().update_period.value(), 0.020);
  std::vector<double> w(2);
  s.read_power(w);
  EXPECT_DOUBLE_EQ(w[0], 5.542);
  EXPECT_DOUBLE_EQ(w[1], 0.020);  // "20mW": the interval reached the child
  EXPECT_GE(s.records(), 1u);
}

TEST(tegrastats_live, board_without_rails_is_an_error) {
  temp_tree t;
  const auto p = t.write("tegrastats",
                         "#!/bin/sh\nwhile true; do echo 'RAM 3468/3983MB cpu [17%]@408 EMC "
                         "1%@408'; sleep 0.01; done");
  std::filesystem::permissions(p, std::filesystem::perms::owner_all);
  EXPECT_THROW(src::tegrastats_source(p.string(), 10, 2.0), src::sensor_error);
  EXPECT_THROW(src::tegrastats_source((t.root() / "missing").string(), 10, 0.5), src::sensor_error);
}
