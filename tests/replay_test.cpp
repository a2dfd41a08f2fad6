// Replay readers on the real logs of ../shared/data/power_logs (values asserted are the ones
// a reader sees in the files) and the MLPerf Tiny traces (energy of every window against the
// independently reported EnergyRunner figure).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/temp_tree.hpp"
#include "synergy/measure/attribution.hpp"
#include "synergy/measure/markers.hpp"
#include "synergy/measure/replay/csv.hpp"
#include "synergy/measure/replay/mlperf_tiny.hpp"
#include "synergy/measure/replay/nvidia_smi.hpp"
#include "synergy/measure/replay/perf_stat.hpp"
#include "synergy/measure/replay/pmt.hpp"
#include "synergy/measure/replay/tegrastats.hpp"

namespace fs = std::filesystem;
namespace m = synergy::measure;
namespace src = synergy::sources;

namespace {
const fs::path data = fs::path(SYNERGY_SHARED_DATA);
std::string log(const std::string& f) { return (data / "power_logs" / f).string(); }
#define NEED_DATA()                     \
  if (!fs::exists(data / "power_logs")) \
  GTEST_SKIP() << "../shared/data absent: real-log tests skipped"
}  // namespace

TEST(tegrastats, xavier_nx_timestamped_mw_cur_avg) {
  NEED_DATA();
  const auto tr = m::read_tegrastats_log(log("tegrastats_xavier-nx_timestamped.log"));
  ASSERT_EQ(tr.channels, (std::vector<std::string>{"VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"}));
  EXPECT_EQ(tr.size(), 103u);
  EXPECT_DOUBLE_EQ(tr.at(0, 0), 5.542);  // "VDD_IN 5542mW/5542mW"
  EXPECT_DOUBLE_EQ(tr.at(1, 1), 1.674);  // line 2: "VDD_CPU_GPU_CV 1674mW/1634mW" (cur, not avg)
  // 10-01-2025 20:05:55 → days_from_civil(2025-10-01) = 20362
  EXPECT_DOUBLE_EQ(tr.time_s[0], 20362.0 * 86400 + 20 * 3600 + 5 * 60 + 55);
  EXPECT_DOUBLE_EQ(tr.time_s[1] - tr.time_s[0], 1.0);
  EXPECT_EQ(tr.clock, src::time_base::local_wall);  // the line prefixes: local time, as logged
  bool gap_noted = false;
  for (const auto& n : tr.notes) gap_noted = gap_noted || n.find("gaps") != std::string::npos;
  EXPECT_TRUE(gap_noted);  // e.g. 20:06:10 → 20:06:12
}

TEST(tegrastats, all_four_formats_and_the_prompts) {
  NEED_DATA();
  const auto orin = m::read_tegrastats_log(log("tegrastats_agx-orin_timestamped.log"));
  EXPECT_EQ(orin.channels, (std::vector<std::string>{"VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0"}));
  EXPECT_EQ(orin.size(), 15u);
  EXPECT_DOUBLE_EQ(orin.at(0, 0), 2.798);
  EXPECT_DOUBLE_EQ(orin.at(1, 2), 3.215);

  const auto tx2 = m::read_tegrastats_log(log("tegrastats_tx2_legacy_with-prompt.log"), 1.0);
  EXPECT_EQ(tx2.size(), 2u);  // shell prompt and sudo prompt skipped
  EXPECT_EQ(tx2.width(), 6u);
  EXPECT_DOUBLE_EQ(tx2.at(0, tx2.channel_index("VDD_IN")), 3.566);  // unitless "3566/3566"
  EXPECT_DOUBLE_EQ(tx2.at(1, tx2.channel_index("VDD_IN")), 3.445);
  EXPECT_DOUBLE_EQ(tx2.time_s[1], 1.0);
  EXPECT_EQ(tx2.clock,
            src::time_base::relative);  // no timestamps: k · interval from the first record
  EXPECT_FALSE(tx2.notes.empty());

  const auto nano = m::read_tegrastats_log(log("tegrastats_nano_pom-rails_sudo.log"));
  EXPECT_EQ(nano.size(), 2u);  // blank line between records
  EXPECT_DOUBLE_EQ(nano.at(1, nano.channel_index("POM_5V_IN")), 2.980);

  const auto xavier = m::read_tegrastats_log(log("tegrastats_agx-xavier_jp42_bare-rail-names.log"));
  EXPECT_EQ(xavier.channels,
            (std::vector<std::string>{"GPU", "CPU", "SOC", "CV", "VDDRQ", "SYS5V"}));
  EXPECT_DOUBLE_EQ(xavier.at(0, 5), 3.306);

  EXPECT_DOUBLE_EQ(m::read_tegrastats_log(log("tegrastats_tx2_l4t32_vdd-sys-rails.log")).at(0, 3),
                   3.140);
  EXPECT_DOUBLE_EQ(m::read_tegrastats_log(log("tegrastats_tx2_prejp5_sudo.log")).at(0, 3), 5.297);

  std::ifstream in(log("tegrastats_agx-orin_jp72_three-values.log"));
  std::string line;
  std::getline(in, line);
  const auto r = m::parse_tegrastats_line(line);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->format, m::tegrastats_format::mw_cur_avg_max);
  ASSERT_EQ(r->rails.size(), 3u);
  EXPECT_EQ(r->rails[2].name, "VIN_SYS_5V0");
  EXPECT_EQ(r->rails[0].max_mw, std::optional<double>(5139));
}

TEST(tegrastats, tx1_log_without_rails_says_where_power_is) {
  NEED_DATA();
  try {
    (void)m::read_tegrastats_log(log("tegrastats_tx1_l4t28_no-rails.log"));
    FAIL();
  } catch (const synergy::parse_error& e) {
    EXPECT_EQ(e.line(), 1u);
    EXPECT_NE(std::string(e.what()).find("INA3221"), std::string::npos);
  }
}

TEST(nvidia_smi, timestamped_50ms_and_multi_field_logs) {
  NEED_DATA();
  const auto a = m::read_nvidia_smi_csv(log("nvidia-smi_timestamp-powerdraw_50ms.csv"));
  EXPECT_EQ(a.size(), 73u);
  EXPECT_DOUBLE_EQ(a.at(0, 0), 22.89);
  EXPECT_DOUBLE_EQ(a.at(1, 0), 22.73);
  EXPECT_NEAR(a.time_s[1] - a.time_s[0], 0.050, 1e-6);  // 33.189 → 33.239
  EXPECT_EQ(a.clock, src::time_base::local_wall);
  const auto b = m::read_nvidia_smi_csv(log("nvidia-smi_multi-field_gtx1650.csv"));
  EXPECT_EQ(b.size(), 80u);
  EXPECT_DOUBLE_EQ(b.at(0, 0), 19.46);
  EXPECT_NEAR(b.time_s[1] - b.time_s[0], 0.013, 1e-6);  // 31.779 → 31.792
}

TEST(pmt, dump_with_relative_markers_placed_by_position) {
  NEED_DATA();
  const auto d = m::read_pmt_dump(log("pmt-dump_nvml_instant-vs-average_with-markers.txt"));
  EXPECT_EQ(d.samples.channels, (std::vector<std::string>{"gpu_instant", "gpu_average"}));
  EXPECT_EQ(d.samples.size(), 57u);
  EXPECT_DOUBLE_EQ(d.samples.at(0, 0), 28.827);
  EXPECT_EQ(d.samples.clock, src::time_base::unix_epoch);  // 1733935235 s: December 2024
  ASSERT_EQ(d.markers.size(), 2u);
  // "start" (10.098 s) lies between samples ...235.227 and ...235.287; "end" (12.031 s)
  // between ...237.160 and ...237.220: offset in [1733935225.129, 1733935225.189].
  EXPECT_NEAR(d.marker_offset_s, 1733935225.159, 1e-6);
  EXPECT_NEAR(d.marker_offset_uncertainty_s, 0.030, 1e-6);
  EXPECT_EQ(d.markers[0].label, "start");
  EXPECT_NEAR(d.markers[0].t_s, 1733935235.257, 1e-6);
  EXPECT_NEAR(d.markers[1].t_s, 1733935237.190, 1e-6);
  // Between the markers the GPU draws 28.8 → 123 W (instant): energy between 1.933 s × 28.8 W
  // and 1.933 s × 124 W, and the 1 s average under-reads it (it lags the load step).
  const std::vector<m::region> r{{"run", "", d.markers[0].t_s, d.markers[1].t_s, 0, std::nullopt}};
  m::attribution_options o;
  o.channels = {0};
  const double inst = m::attribute(d.samples, r, o)[0].value.value();
  o.channels = {1};
  const double avg = m::attribute(d.samples, r, o)[0].value.value();
  EXPECT_GT(inst, 1.933 * 28.8);
  EXPECT_LT(inst, 1.933 * 124.0);
  EXPECT_LT(avg, inst);
}

TEST(perf_stat, interval_output_becomes_power_per_interval) {
  NEED_DATA();
  const auto out = m::read_perf_stat(log("perf-stat_interval_rapl_kernel-commit.txt"));
  const auto& tr = out.intervals;
  ASSERT_EQ(tr.channels, (std::vector<std::string>{"power/energy-pkg/", "power/energy-cores/"}));
  // Two intervals → three samples: 0 s (start of the first interval), then each interval's
  // mean power at its end, over (previous end, end].
  ASSERT_EQ(tr.size(), 3u);
  EXPECT_EQ(tr.kind, src::sample_kind::interval_mean);
  EXPECT_DOUBLE_EQ(tr.time_s[0], 0.0);
  EXPECT_DOUBLE_EQ(tr.at(1, 0), 3.07 / 1.000214717);
  EXPECT_DOUBLE_EQ(tr.at(2, 1), 0.52 / (2.000749289 - 1.000214717));
  EXPECT_DOUBLE_EQ(tr.time_s[1], 1.000214717);
  EXPECT_EQ(tr.clock, src::time_base::relative);  // seconds since perf started
}

TEST(perf_stat, german_locale_blocks_beside_pinpoint_blocks) {
  NEED_DATA();
  const auto out = m::read_perf_stat(log("perf-stat-rapl_and_pinpoint_de-locale.txt"));
  // Six pinpoint blocks ('.' decimals) then three perf blocks (',' decimals).
  ASSERT_EQ(out.blocks.size(), 9u);
  const auto& pin = out.blocks[0];
  ASSERT_EQ(pin.events.size(), 4u);
  EXPECT_EQ(pin.events[0].event, "nvml:nvidia_geforce_gtx_970_0");
  EXPECT_DOUBLE_EQ(*pin.events[0].joules, 14721.98);
  EXPECT_DOUBLE_EQ(*pin.events[2].joules, 2207.60);
  EXPECT_DOUBLE_EQ(*pin.elapsed_s, 105.27040362);
  const auto& de = out.blocks[6];
  EXPECT_EQ(de.decimal, ',');
  ASSERT_EQ(de.events.size(), 4u);
  EXPECT_EQ(de.events[0].event, "power/energy-cores/");
  EXPECT_DOUBLE_EQ(*de.events[0].joules, 2568.14);  // "2.568,14"
  EXPECT_DOUBLE_EQ(*de.events[1].joules, 6.45);     // "6,45"
  EXPECT_DOUBLE_EQ(*de.events[3].joules, 3066.58);  // "3.066,58"
  EXPECT_DOUBLE_EQ(*de.events[0].rsd_pct, 1.78);
  EXPECT_DOUBLE_EQ(*de.elapsed_s, 313.96);
  EXPECT_DOUBLE_EQ(*out.blocks[8].elapsed_s, 278.340);  // "278,340 +- 0,896"
  EXPECT_DOUBLE_EQ(*out.blocks[8].events[2].joules, 455.58);
}

TEST(perf_stat, not_supported_is_not_zero) {
  NEED_DATA();
  const auto out = m::read_perf_stat(log("perf-stat_power-energy-pkg_system-wide_vs_per-task.txt"));
  ASSERT_EQ(out.blocks.size(), 2u);
  ASSERT_EQ(out.blocks[0].events.size(), 1u);
  EXPECT_FALSE(out.blocks[0].events[0].joules.has_value());
  EXPECT_DOUBLE_EQ(*out.blocks[1].events[0].joules, 43.26);
  EXPECT_DOUBLE_EQ(*out.blocks[1].elapsed_s, 1.001041336);
}

TEST(perf_stat, a_later_line_of_the_block_settles_an_undecided_separator) {
  synergy_test::temp_tree t;
  // "2.568" alone may be 2568 (German grouping) or 2.568; "1,50" two lines later can only be
  // a decimal comma, so the block is German and the first count is 2568 J. The next block
  // proves nothing: '.' by default. Lines that are no energy event are other output.
  const auto p = t.write("de.txt",
                         " Performance counter stats for 'system wide':\n"
                         "          2.568 Joules power/energy-pkg/\n"
                         "          1,50 Joules power/energy-cores/\n"
                         "        12.345 msec cpu-clock\n"
                         "       2,000 seconds time elapsed\n"
                         " Performance counter stats for 'system wide':\n"
                         "          7.125 Joules power/energy-pkg/\n"
                         "   <not counted> Joules power/energy-gpu/\n"
                         "       1 seconds time elapsed\n");
  const auto out = m::read_perf_stat(p.string());
  ASSERT_EQ(out.blocks.size(), 2u);
  const auto& de = out.blocks[0];
  EXPECT_EQ(de.decimal, ',');
  ASSERT_EQ(de.events.size(), 2u);  // "msec cpu-clock" is not energy
  EXPECT_DOUBLE_EQ(*de.events[0].joules, 2568.0);
  EXPECT_EQ(de.events[0].line, 2u);
  EXPECT_DOUBLE_EQ(*de.events[1].joules, 1.5);
  EXPECT_DOUBLE_EQ(*de.elapsed_s, 2.0);
  const auto& en = out.blocks[1];
  EXPECT_EQ(en.decimal, '.');
  ASSERT_EQ(en.events.size(), 2u);
  EXPECT_DOUBLE_EQ(*en.events[0].joules, 7.125);
  EXPECT_FALSE(en.events[1].joules.has_value());  // not counted is not 0 J
  EXPECT_DOUBLE_EQ(*en.elapsed_s, 1.0);
  EXPECT_EQ(out.intervals.size(), 0u);
}

TEST(perf_stat, interval_errors_name_the_line) {
  synergy_test::temp_tree t;
  auto line_of = [&](const std::string& name, const std::string& text) -> std::size_t {
    try {
      (void)m::read_perf_stat(t.write(name, text).string());
    } catch (const synergy::parse_error& e) {
      return e.line();
    }
    return 0;
  };
  // The second interval (ending at 2 s, line 3) lacks energy-cores.
  EXPECT_EQ(line_of("missing.txt",
                    "  1.0 2.0 Joules power/energy-pkg/\n  1.0 1.0 Joules power/energy-cores/\n"
                    "  2.0 4.0 Joules power/energy-pkg/\n"),
            3u);
  // Time going backwards: 2.0 then 1.5 (line 2 is where 1.5 starts).
  EXPECT_EQ(line_of("back.txt",
                    "  2.0 2.0 Joules power/energy-pkg/\n  1.5 1.0 Joules power/energy-pkg/\n"),
            2u);
  EXPECT_EQ(line_of("nan.txt", "  1.0 lots Joules power/energy-pkg/\n"), 1u);
  // Two intervals: 2 J over (0, 1] s and 3 J over (1, 1.5] s → 2 W at 1 s, 6 W at 1.5 s.
  const auto out = m::read_perf_stat(
      t.write("ok.txt", "  1.0 2.0 Joules power/energy-pkg/\n  1.5 3.0 Joules power/energy-pkg/\n")
          .string());
  ASSERT_EQ(out.intervals.size(), 3u);
  EXPECT_DOUBLE_EQ(out.intervals.at(1, 0), 2.0);
  EXPECT_DOUBLE_EQ(out.intervals.at(2, 0), 6.0);
  EXPECT_DOUBLE_EQ(out.intervals.time_s[1], 1.0);
  EXPECT_DOUBLE_EQ(out.intervals.time_s[2], 1.5);
  EXPECT_DOUBLE_EQ(out.intervals.period_s, 1.0);
}

TEST(mlperf_tiny, every_window_within_two_samples_of_the_reported_energy) {
  const auto dir = data / "mlperf_tiny";
  if (!fs::exists(dir / "windows.csv")) GTEST_SKIP() << "../shared/data absent";
  std::ifstream in(dir / "windows.csv");
  std::string line;
  std::getline(in, line);
  std::map<std::string, m::trace> traces;
  int windows = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) f.push_back(c);
    ASSERT_EQ(f.size(), 14u) << line;
    const std::string d = f[0];
    if (!traces.count(d)) {
      traces[d] = m::read_mlperf_tiny_trace((dir / d / "trace1-energy.bin").string());
      EXPECT_EQ(traces[d].size(), std::stoul(f[2])) << d;
      EXPECT_EQ(traces[d].clock, src::time_base::relative) << d;  // sample k at k / rate
      // The JSON windows are the ones windows.csv lists.
      const auto w = m::read_mlperf_tiny_windows((dir / d / "trace1-timestamps.json").string());
      EXPECT_EQ(w.size(), 5u);
    }
    const auto& tr = traces[d];
    const double t0 = std::stod(f[4]), t1 = std::stod(f[5]), reported_uj = std::stod(f[6]);
    m::attribution_options o;
    o.rule = m::integration_rule::rectangle;
    const auto e = m::attribute(tr, {{"w" + f[3], "", t0, t1, 0, std::nullopt}}, o);
    double pmax = 0;
    for (double p : tr.watts) pmax = std::max(pmax, p);
    const double tol_uj = 2 * pmax * tr.period_s * 1e6;
    EXPECT_NEAR(e[0].value.value() * 1e6, reported_uj, tol_uj) << d << " window " << f[3];
    // Trapezoid agrees with the rectangle rule to within the same bound.
    o.rule = m::integration_rule::trapezoid;
    EXPECT_NEAR(m::attribute(tr, {{"w", "", t0, t1, 0, std::nullopt}}, o)[0].value.value() * 1e6,
                reported_uj, tol_uj);
    ++windows;
  }
  EXPECT_EQ(windows, 35);
}

TEST(csv, units_in_header_energy_columns_and_errors_with_line) {
  synergy_test::temp_tree t;
  const auto p =
      t.write("a.csv", "time [ms],VDD_IN [mW],VDD_SOC [mW]\n0,1000,200\n10,2000,300\n20,3000,400");
  const auto tr = m::read_csv_trace(p.string());
  EXPECT_EQ(tr.channels, (std::vector<std::string>{"VDD_IN", "VDD_SOC"}));
  EXPECT_DOUBLE_EQ(tr.time_s[2], 0.020);
  EXPECT_DOUBLE_EQ(tr.at(1, 0), 2.0);
  // Cumulative energy (µJ) → mean power per interval: 500 µJ in 10 ms = 0.05 W.
  const auto q = t.write("e.csv", "time_s,energy_uJ\n0,0\n0.01,500\n0.03,2500");
  // Sample k at t_k holds the mean over (t_{k−1}, t_k]; sample 0 repeats the first mean.
  const auto te = m::read_csv_trace(q.string());
  ASSERT_EQ(te.size(), 3u);
  EXPECT_EQ(te.kind, src::sample_kind::interval_mean);
  EXPECT_EQ(tr.kind, src::sample_kind::instantaneous);
  EXPECT_DOUBLE_EQ(te.time_s[1], 0.01);
  EXPECT_DOUBLE_EQ(te.at(1, 0), 0.05);
  EXPECT_DOUBLE_EQ(te.at(2, 0), 0.1);  // 2000 µJ / 20 ms
  const auto bad = t.write("b.csv", "time [s],P [W]\n0,1\n0.1,x");
  try {
    (void)m::read_csv_trace(bad.string());
    FAIL();
  } catch (const synergy::parse_error& e) {
    EXPECT_EQ(e.line(), 3u);
    EXPECT_NE(std::string(e.what()).find("b.csv:3"), std::string::npos);
  }
  EXPECT_THROW((void)m::read_csv_trace(t.write("c.csv", "when,P [W]\n0,1").string()),
               synergy::parse_error);
}

// Issue 14: counter logs say exactly how much energy was used between two readings; attribution
// must give that difference whatever --rule says. By hand: cumulative energy 100, 120, 150 J at
// 1, 2, 3 s → 20 J over [1, 2] s and 30 J over [2, 3] s; a region [1.5, 2.5] s gets half of each
// interval: 10 + 15 = 25 J. (Integrated as instantaneous samples 20 W at 2 s and 30 W at 3 s,
// the trapezoid rule would smear them: (20 + 20) / 2 · 1 = 20 J over [1, 2] only because
// sample 0 repeats sample 1 — the [2, 3] s case gives (20 + 30) / 2 = 25 J, not 30.)
TEST(counters, csv_energy_and_perf_stat_intervals_attribute_to_the_counter_difference) {
  synergy_test::temp_tree t;
  const std::vector<m::region> regions{{"a", "", 1.0, 2.0, 0, std::nullopt},
                                       {"b", "", 2.0, 3.0, 0, std::nullopt},
                                       {"c", "", 1.5, 2.5, 0, std::nullopt}};
  const double expected[] = {20.0, 30.0, 25.0};
  const auto csv =
      m::read_csv_trace(t.write("e.csv", "time [s],pkg [J]\n1,100\n2,120\n3,150").string());
  // perf stat -I: the interval ending at 1 s used 7 J, then 20 J, then 30 J.
  const auto perf = m::read_perf_stat(t.write("p.txt",
                                              "     1.000000000   7.00 Joules power/energy-pkg/\n"
                                              "     2.000000000  20.00 Joules power/energy-pkg/\n"
                                              "     3.000000000  30.00 Joules power/energy-pkg/\n")
                                          .string())
                        .intervals;
  for (const m::trace* tr : {&csv, &perf}) {
    EXPECT_EQ(tr->kind, src::sample_kind::interval_mean);
    for (const auto rule : {m::integration_rule::trapezoid, m::integration_rule::rectangle}) {
      m::attribution_options o;
      o.rule = rule;
      const auto es = m::attribute(*tr, regions, o);
      for (std::size_t i = 0; i < regions.size(); ++i) {
        EXPECT_NEAR(es[i].value.value(), expected[i], 1e-12) << regions[i].name;
        EXPECT_EQ(es[i].method, m::integration_method::step);
      }
    }
  }
  // perf's first interval (0, 1] s: 7 J.
  const auto first = m::attribute(perf, {{"first", "", 0.0, 1.0, 0, std::nullopt}});
  EXPECT_NEAR(first[0].value.value(), 7.0, 1e-12);
}

// Issue 14: nan / inf are never a time or a power, in any reader or marker convention; the
// error names the file and the line.
TEST(non_finite, every_reader_rejects_nan_and_inf_naming_file_and_line) {
  synergy_test::temp_tree t;
  auto line_of = [&](auto read, const std::string& name, const std::string& text) -> std::size_t {
    const std::string path = t.write(name, text).string();
    try {
      (void)read(path);
    } catch (const synergy::parse_error& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("finite"), std::string::npos) << e.what();
      return e.line();
    }
    ADD_FAILURE() << name << ": accepted";
    return 0;
  };
  const auto smi = [](const std::string& p) { return m::read_nvidia_smi_csv(p); };
  const std::string smi_head = "timestamp, power.draw [W]\n2024/01/02 10:00:00.000, 20.00 W\n";
  EXPECT_EQ(line_of(smi, "smi_nan.csv", smi_head + "2024/01/02 10:00:00.050, nan W\n"), 3u);
  EXPECT_EQ(line_of(smi, "smi_inf.csv", smi_head + "2024/01/02 10:00:00.050, inf W\n"), 3u);
  const auto pmt = [](const std::string& p) { return m::read_pmt_dump(p); };
  EXPECT_EQ(line_of(pmt, "pmt_nan.txt", "timestamp gpu\n100.0 20\n100.1 nan\n"), 3u);
  EXPECT_EQ(line_of(pmt, "pmt_time.txt", "timestamp gpu\n100.0 20\ninf 21\n"), 3u);
  EXPECT_EQ(line_of(pmt, "pmt_marker.txt", "timestamp gpu\n100.0 20\nM inf \"x\"\n100.1 21\n"), 3u);
  const auto csv = [](const std::string& p) { return m::read_csv_trace(p); };
  EXPECT_EQ(line_of(csv, "c_nan.csv", "time [s],P [W]\n0,1\n0.1,nan\n"), 3u);
  EXPECT_EQ(line_of(csv, "c_inf.csv", "time [s],E [J]\n0,1\ninf,2\n"), 3u);
  const auto perf = [](const std::string& p) { return m::read_perf_stat(p); };
  EXPECT_EQ(line_of(perf, "perf_nan.txt",
                    "  1.0 2.0 Joules power/energy-pkg/\n  2.0 nan Joules power/energy-pkg/\n"),
            2u);
  EXPECT_EQ(line_of(perf, "perf_total.txt", "  inf Joules power/energy-pkg/\n"), 1u);
  const auto markers = [](const std::string& p) { return m::read_marker_file(p); };
  // The NaN marker used to surface as "region ends before it starts" without a file or line.
  EXPECT_EQ(line_of(markers, "m_nan.txt", "1.0 start\nnan conv1___Convolution\n2.0 end\n"), 2u);
  EXPECT_EQ(line_of(markers, "m_inf.txt", "1.0 start\n1.5 conv1___Convolution\ninf end\n"), 3u);
  EXPECT_EQ(line_of(markers, "m_csv.csv",
                    "time [s],event,name,op_type\n1.0,begin,conv1,Convolution\nnan,end,conv1,"
                    "Convolution\n"),
            3u);
  // tegrastats: the line parser reads integers only; an interval that is no number is refused.
  EXPECT_THROW((void)m::read_tegrastats_log(t.write("tg.log", "").string(), std::nan("")),
               std::invalid_argument);
  // MLPerf Tiny windows: JSON has no nan, but 1e999 overflows to inf in some parsers.
  const auto w = t.write("w.json", "[0.0, 1.0, 1e999]");
  EXPECT_THROW((void)m::read_mlperf_tiny_windows(w.string()), std::exception);
}
