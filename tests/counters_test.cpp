// Hardware counters (issue 15): perf_event group reads and their multiplexing scale, event
// resolution on a fake sysfs tree, detection on a tree without a CPU PMU, recorded
// `perf stat -I -x` output, the project's counters.csv, the callgrind stand-in's dump parser,
// and the counter model on made-up cases whose fits are derived by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <synergy/measure/replay/perf_stat_counters.hpp>
#include <synergy/model/counter_model.hpp>
#include <synergy/model/counter_model_file.hpp>
#include <synergy/network.hpp>
#include <synergy/run/callgrind_counters.hpp>
#include <synergy/run/counting_pass.hpp>
#include <synergy/sources/perf_counters.hpp>
#include <vector>

namespace fs = std::filesystem;
using namespace synergy;

namespace {

const fs::path data = fs::path(__FILE__).parent_path() / "data" / "counters";
const fs::path devices = data / "sysfs" / "bus" / "event_source" / "devices";

template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace

// ---- event resolution -------------------------------------------------------------------

TEST(counter_events, generic_names_are_hardware_events) {
  const auto e = sources::resolve_counter_event("instructions", devices);
  EXPECT_EQ(e.type, static_cast<std::uint32_t>(PERF_TYPE_HARDWARE));
  EXPECT_EQ(e.config, static_cast<std::uint64_t>(PERF_COUNT_HW_INSTRUCTIONS));
  EXPECT_EQ(e.pmu, "");
  EXPECT_EQ(sources::resolve_counter_event("cache-misses", devices).config,
            static_cast<std::uint64_t>(PERF_COUNT_HW_CACHE_MISSES));
}

TEST(counter_events, raw_codes) {
  // r01c7: fp_arith_inst_retired.scalar_double on Intel = event 0xc7, umask 0x01 → 0x01c7.
  const auto e = sources::resolve_counter_event("r01c7", devices);
  EXPECT_EQ(e.type, static_cast<std::uint32_t>(PERF_TYPE_RAW));
  EXPECT_EQ(e.config, 0x01c7u);
  // Not hexadecimal after the r: a sysfs name like Arm's remote_access, unknown here.
  EXPECT_NE(message_of<sources::sensor_error>([] {
              (void)sources::resolve_counter_event("rxyz", devices);
            }).find("unknown event"),
            std::string::npos);
}

TEST(counter_events, terms_through_format_files) {
  // cpu/format: event = config:0-7, umask = config:8-15, inv = config:23, cmask = config:24-31.
  // event=0xc7,umask=0x20 → 0xc7 | 0x20 << 8 = 0x20c7; type from cpu/type (4).
  const auto e = sources::resolve_counter_event("cpu/event=0xc7,umask=0x20/", devices);
  EXPECT_EQ(e.type, 4u);
  EXPECT_EQ(e.pmu, "cpu");
  EXPECT_EQ(e.config, 0x20c7u);
  // inv (a bare term = 1) sets bit 23; cmask=2 puts 2 at bit 24: 0xc0 | 1<<23 | 2<<24.
  EXPECT_EQ(sources::resolve_counter_event("cpu/event=0xc0,inv,cmask=2/", devices).config,
            0xc0u | (1u << 23) | (2u << 24));
  // mem-loads is "event=0xcd,umask=0x1,ldlat=3" with ldlat = config1:0-15.
  const auto m = sources::resolve_counter_event("cpu/mem-loads/", devices);
  EXPECT_EQ(m.config, 0x1cdu);
  EXPECT_EQ(m.config1, 3u);
}

TEST(counter_events, arm_events_by_bare_name) {
  // armv8_pmuv3_0/events/bus_access = "event=0x0019", format event = config:0-15, type 8.
  const auto b = sources::resolve_counter_event("bus_access", devices);
  EXPECT_EQ(b.pmu, "armv8_pmuv3_0");
  EXPECT_EQ(b.type, 8u);
  EXPECT_EQ(b.config, 0x19u);
  // Upper case as the TRMs write it resolves too: VFP_SPEC = 0x75.
  EXPECT_EQ(sources::resolve_counter_event("VFP_SPEC", devices).config, 0x75u);
  // ase_spec is listed by two PMUs of the fake tree: ambiguous, the message lists both.
  const auto msg = message_of<sources::sensor_error>(
      [] { (void)sources::resolve_counter_event("ase_spec", devices); });
  EXPECT_NE(msg.find("amd_like/ase_spec/"), std::string::npos) << msg;
  EXPECT_NE(msg.find("armv8_pmuv3_0/ase_spec/"), std::string::npos) << msg;
  EXPECT_EQ(sources::resolve_counter_event("armv8_pmuv3_0/ase_spec/", devices).config, 0x74u);
}

TEST(counter_events, split_format_ranges) {
  // amd_like/format/event = config:0-7,32-35: event 0x123 puts 0x23 in bits 0-7 and the
  // remaining 0x1 in bit 32; umask 0x2 at bits 8-15: 0x1_0000_0223.
  EXPECT_EQ(sources::resolve_counter_event("wide_event", devices).config, 0x100000223ull);
  // 0x1000 needs 13 bits; the two ranges hold 12.
  EXPECT_NE(message_of<sources::sensor_error>([] {
              (void)sources::resolve_counter_event("amd_like/event=0x1000/", devices);
            }).find("does not fit"),
            std::string::npos);
}

TEST(counter_events, errors_name_the_problem) {
  const auto unknown = message_of<sources::sensor_error>(
      [] { (void)sources::resolve_counter_event("no_such_event", devices); });
  EXPECT_NE(unknown.find("unknown event"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("armv8_pmuv3_0"), std::string::npos) << unknown;
  EXPECT_NE(message_of<sources::sensor_error>([] {
              (void)sources::resolve_counter_event("cpu/needs-param/", devices);
            }).find("needs a value"),
            std::string::npos);
  EXPECT_NE(message_of<sources::sensor_error>([] {
              (void)sources::resolve_counter_event("cpu/event=1,bogus=2/", devices);
            }).find("unknown term 'bogus'"),
            std::string::npos);
  EXPECT_NE(message_of<sources::sensor_error>([] {
              (void)sources::resolve_counter_event("nopmu/event=1/", devices);
            }).find("no such PMU"),
            std::string::npos);
}

// ---- group reads and multiplexing ---------------------------------------------------------

TEST(counter_group, read_format_buffer) {
  // { nr, time_enabled, time_running, {value, id} × nr }
  const std::uint64_t words[] = {2, 1000, 900, 123, 7, 456, 8};
  const auto r = sources::parse_group_read(words, 2, "test");
  EXPECT_EQ(r.time_enabled_ns, 1000u);
  EXPECT_EQ(r.time_running_ns, 900u);
  EXPECT_EQ(r.values, (std::vector<std::uint64_t>{123, 456}));
  EXPECT_EQ(r.ids, (std::vector<std::uint64_t>{7, 8}));
  const std::uint64_t wrong_nr[] = {3, 1000, 900, 123, 7, 456, 8};
  EXPECT_THROW((void)sources::parse_group_read(wrong_nr, 2, "test"), sources::sensor_error);
  const std::uint64_t short_buf[] = {2, 1000, 900, 123, 7};
  EXPECT_THROW((void)sources::parse_group_read(short_buf, 2, "test"), sources::sensor_error);
}

TEST(counter_group, multiplexing_is_scaled_and_reported) {
  // Before: enabled 1000 ns, running 1000 ns, counts 100 and 50. After: enabled 3000,
  // running 2000, counts 700 and 250. In the region: Δenabled 2000, Δrunning 1000 (the
  // group ran half the time), Δcounts 600 and 200 → scaled 600·2000/1000 = 1200 and
  // 200·2 = 400; multiplexed, running fraction 0.5.
  const std::uint64_t a[] = {2, 1000, 1000, 100, 7, 50, 8};
  const std::uint64_t b[] = {2, 3000, 2000, 700, 7, 250, 8};
  const auto s = sources::scale_between(sources::parse_group_read(a, 2, "a"),
                                        sources::parse_group_read(b, 2, "b"));
  ASSERT_EQ(s.values.size(), 2u);
  EXPECT_DOUBLE_EQ(*s.values[0], 1200.0);
  EXPECT_DOUBLE_EQ(*s.values[1], 400.0);
  EXPECT_TRUE(s.multiplexed);
  EXPECT_DOUBLE_EQ(s.running_fraction, 0.5);
  EXPECT_EQ(s.enabled_ns, 2000u);
  EXPECT_EQ(s.running_ns, 1000u);
}

TEST(counter_group, never_running_is_not_counted_not_zero) {
  // Δenabled 500, Δrunning 0: the group never got the PMU; values are "not counted".
  const std::uint64_t a[] = {1, 1000, 1000, 100, 7};
  const std::uint64_t b[] = {1, 1500, 1000, 100, 7};
  const auto s = sources::scale_between(sources::parse_group_read(a, 1, "a"),
                                        sources::parse_group_read(b, 1, "b"));
  ASSERT_EQ(s.values.size(), 1u);
  EXPECT_FALSE(s.values[0].has_value());
  EXPECT_FALSE(s.multiplexed);
  EXPECT_DOUBLE_EQ(s.running_fraction, 0.0);
}

TEST(counter_group, full_time_is_not_multiplexed) {
  // Δenabled = Δrunning = 400: scale 1, Δcount 30 stays 30.
  const std::uint64_t a[] = {1, 100, 100, 10, 7};
  const std::uint64_t b[] = {1, 500, 500, 40, 7};
  const auto s = sources::scale_between(sources::parse_group_read(a, 1, "a"),
                                        sources::parse_group_read(b, 1, "b"));
  EXPECT_DOUBLE_EQ(*s.values[0], 30.0);
  EXPECT_FALSE(s.multiplexed);
  EXPECT_DOUBLE_EQ(s.running_fraction, 1.0);
  // Readings of another group (other ids) are refused.
  const std::uint64_t other[] = {1, 500, 500, 40, 9};
  EXPECT_THROW((void)sources::scale_between(sources::parse_group_read(a, 1, "a"),
                                            sources::parse_group_read(other, 1, "o")),
               sources::sensor_error);
  // Found by fuzz_perf_events: Δrunning 500 > Δenabled 400 cannot come from the kernel; it
  // would scale the count by 0.8 (24 for 30). Refused, naming both.
  const std::uint64_t overrun[] = {1, 500, 600, 40, 7};
  EXPECT_EQ(message_of<sources::sensor_error>([&] {
              (void)sources::scale_between(sources::parse_group_read(a, 1, "a"),
                                           sources::parse_group_read(overrun, 1, "b"), "group");
            }),
            "group: time_running advanced 500 ns, more than time_enabled's 400 ns");
}

TEST(counter_event, format_ranges_are_read_and_checked) {
  // AMD's event select: bits 0-7 and 32-35 of config (12 bits); 0x1c7 → 0xc7 | 0x1 << 32.
  const auto r = sources::detail::parse_format("config:0-7,32-35", "f");
  ASSERT_EQ(r.size(), 2u);
  std::uint64_t config[3] = {0, 0, 0};
  sources::detail::deposit(0x1c7, r, config, "e");
  EXPECT_EQ(config[0], 0xc7u | (std::uint64_t{1} << 32));
  EXPECT_EQ(message_of<sources::sensor_error>(
                [] { (void)sources::detail::parse_format("config:64", "f"); }),
            "f: bad bit range '64' in 'config:64'");
  // Found by fuzz_perf_events: bit 3 lies inside 0-7, so 0x1c7 would have been ORed into it.
  EXPECT_EQ(message_of<sources::sensor_error>(
                [] { (void)sources::detail::parse_format("config:0-7,3", "f"); }),
            "f: bit range '3' overlaps another in 'config:0-7,3'");
}

TEST(counter_detection, vm_without_cpu_pmu_says_why) {
  sources::counter_detection_settings s;
  s.sysfs = data / "sysfs_vm";
  const auto st = sources::detect_perf_counters(s);
  EXPECT_EQ(st.kind, "perf-counters");
  EXPECT_EQ(st.state, sources::availability::absent);
  EXPECT_NE(st.reason.find("no CPU PMU"), std::string::npos) << st.reason;
  EXPECT_NE(st.reason.find("breakpoint, msr, software"), std::string::npos) << st.reason;
}

// ---- recorded perf stat -I -x ----------------------------------------------------------

TEST(perf_stat_counters, comma_separated_intervals) {
  const auto p =
      measure::read_perf_stat_counters((data / "perf_stat" / "interval_csv.txt").string());
  EXPECT_EQ(p.separator, ',');
  EXPECT_EQ(p.decimal, '.');
  ASSERT_EQ(p.events,
            (std::vector<std::string>{"instructions:u", "cycles:u", "armv8_pmuv3_0/ase_spec/u"}));
  ASSERT_EQ(p.intervals.size(), 2u);
  EXPECT_DOUBLE_EQ(p.intervals[0].t_s, 1.001023045);
  EXPECT_DOUBLE_EQ(*p.intervals[0].values[0].value, 1994214.0);
  EXPECT_DOUBLE_EQ(*p.intervals[0].values[2].value, 81920.0);
  EXPECT_DOUBLE_EQ(p.intervals[0].values[2].running_pct, 50.0);  // multiplexed, perf-scaled
  EXPECT_DOUBLE_EQ(*p.intervals[1].values[1].value, 4000000.0);
  EXPECT_FALSE(p.intervals[1].values[2].value.has_value());  // <not counted>: no value, not 0
  EXPECT_EQ(p.intervals[1].values[2].status, "not counted");
}

TEST(perf_stat_counters, semicolon_and_decimal_comma) {
  const auto p =
      measure::read_perf_stat_counters((data / "perf_stat" / "interval_semicolon_de.txt").string());
  EXPECT_EQ(p.separator, ';');
  EXPECT_EQ(p.decimal, ',');
  ASSERT_EQ(p.events, (std::vector<std::string>{"task-clock:u", "instructions:u"}));
  EXPECT_DOUBLE_EQ(*p.intervals[0].values[0].value, 1001.23);  // "1001,23" msec
  EXPECT_EQ(p.intervals[0].values[0].unit, "msec");
  EXPECT_DOUBLE_EQ(p.intervals[0].values[1].running_pct, 87.5);  // "87,50"
  EXPECT_EQ(p.intervals[1].values[1].status, "not supported");
  EXPECT_FALSE(p.intervals[1].values[1].value.has_value());
}

TEST(perf_stat_counters, malformed_files_name_the_line) {
  const auto missing = message_of<parse_error>([] {
    (void)measure::read_perf_stat_counters((data / "perf_stat" / "missing_event.txt").string());
  });
  EXPECT_NE(missing.find("missing_event.txt:3: interval ending at 2.002051 s lacks event cycles:u"),
            std::string::npos)
      << missing;
  const auto totals = message_of<parse_error>([] {
    (void)measure::read_perf_stat_counters(
        (data / "perf_stat" / "totals_not_interval.txt").string());
  });
  EXPECT_NE(totals.find(":1: first field '1994214' is not an interval time"), std::string::npos)
      << totals;
}

// ---- counters.csv -------------------------------------------------------------------------

TEST(counter_csv, round_trip_keeps_empty_cells_empty) {
  measure::counter_row r;
  r.region = "tiny/conv1";
  r.network = "tiny";
  r.layer = "conv1";
  r.layer_type = "Convolution";
  r.platform = "openblas";
  r.counter_source = "callgrind";
  r.macs = 1000;
  r.data_volume = 300;
  r.counters[measure::counter_column("instructions")] = 1000;
  r.counters[measure::counter_column("llc_misses")] = 40;
  std::ostringstream os;
  measure::write_counter_csv(os, {r});
  const std::string text = os.str();
  EXPECT_EQ(text,
            "region,network,layer,layer_type,platform,counter_source,macs,data_volume,"
            "instructions,cycles,simd_ops,llc_misses,bus_accesses,data_reads,data_writes,"
            "running_fraction\n"
            "tiny/conv1,tiny,conv1,Convolution,openblas,callgrind,1000,300,1000,,,40,,,,1\n");
  const auto path = fs::temp_directory_path() / "synergy_counters_test.csv";
  std::ofstream(path) << text;
  const auto back = measure::read_counter_csv(path.string());
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].layer_type, "Convolution");
  EXPECT_EQ(back[0].macs, 1000);
  EXPECT_DOUBLE_EQ(*back[0].counters[0], 1000.0);
  EXPECT_FALSE(back[0].counters[measure::counter_column("simd_ops")].has_value());
  std::ofstream(path) << "region,network,layer,layer_type,platform,macs,data_volume\n"
                         "a,b,c,d,e,-1,2\n";
  EXPECT_NE(message_of<parse_error>([&] {
              (void)measure::read_counter_csv(path.string());
            }).find(":2: column 'macs': '-1' is not a whole number in [0, 9000000000000000000]"),
            std::string::npos);
  // Found by fuzz_counter_csv: 1e30 MACs were cast to int64 (undefined behaviour); a count
  // is whole and fits, else the row is an error, never a number.
  for (const char* bad : {"1e30", "2.5", "nan", "9.1e18"}) {
    std::ofstream(path) << "region,network,layer,layer_type,platform,macs,data_volume\n"
                        << "a,b,c,d,e,7," << bad << "\n";
    EXPECT_NE(message_of<parse_error>([&] { (void)measure::read_counter_csv(path.string()); })
                  .find(std::string(":2: column 'data_volume': '") + bad +
                        "' is not a whole number in [0, 9000000000000000000]"),
              std::string::npos)
        << bad;
  }
  std::ofstream(path) << "region,network,layer,layer_type,platform,macs,data_volume\n"
                         "a,b,c,d,e,1e6,9e18\n";  // whole numbers in float notation are counts
  const auto big = measure::read_counter_csv(path.string());
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].macs, 1000000);
  EXPECT_EQ(big[0].data_volume, 9000000000000000000);
  fs::remove(path);
}

// ---- callgrind stand-in ---------------------------------------------------------------------

TEST(callgrind, dumps_are_read_and_matched_by_label) {
  const auto dumps = run::read_callgrind_dumps(data / "callgrind");
  ASSERT_EQ(dumps.size(), 3u);  // callgrind.out.4242, .4242.1, .4242.2 (natural order)
  EXPECT_EQ(dumps[0].trigger, "Program termination");
  EXPECT_FALSE(dumps[0].label().has_value());
  EXPECT_EQ(*dumps[1].label(), "synergy 0 tiny/conv1");
  const auto c = run::match_labels(dumps, {"synergy 0 tiny/conv1", "synergy 0 tiny/relu1"});
  ASSERT_EQ(c.size(), 2u);
  // conv1's totals line: Ir 1000, Dr 300, Dw 100, ILmr 2, DLmr 30, DLmw 8 → LL misses 40.
  EXPECT_EQ(c[0].instructions, 1000u);
  EXPECT_EQ(c[0].data_reads, 300u);
  EXPECT_EQ(c[0].data_writes, 100u);
  EXPECT_EQ(c[0].llc_misses(), 40u);
  // relu1's totals "64 16 16" omit the trailing zero costs: misses are 0, not missing.
  EXPECT_EQ(c[1].instructions, 64u);
  EXPECT_EQ(c[1].llc_misses(), 0u);
  EXPECT_NE(message_of<std::runtime_error>([&] {
              (void)run::match_labels(dumps, {"synergy 1 other/conv"});
            }).find("no callgrind dump labelled 'synergy 1 other/conv'"),
            std::string::npos);
}

TEST(callgrind, malformed_dumps_name_file_and_line) {
  const auto bad = data / "callgrind_bad";
  EXPECT_NE(message_of<parse_error>([&] {
              (void)run::read_callgrind_dump((bad / "callgrind.out.too_many").string());
            }).find(":2: 3 costs for 2 events"),
            std::string::npos);
  EXPECT_NE(message_of<parse_error>([&] {
              (void)run::read_callgrind_dump((bad / "callgrind.out.negative").string());
            }).find(":3: cost of Dr '-3' is not a non-negative integer"),
            std::string::npos);
  EXPECT_NE(message_of<parse_error>([&] {
              (void)run::read_callgrind_dump((bad / "callgrind.out.no_totals").string());
            }).find("no 'totals:' or 'summary:' line"),
            std::string::npos);
  // Found by fuzz_callgrind_dump: costs read under one `events:` list were kept when a second
  // list followed, so `count` indexed past the totals.
  EXPECT_NE(message_of<parse_error>([&] {
              (void)run::read_callgrind_dump((bad / "callgrind.out.events_twice").string());
            }).find(":3: a second 'events:' line"),
            std::string::npos);
  // Ir alone (no --cache-sim=yes): counts_of says which option is missing.
  run::callgrind_dump d;
  d.file = "x";
  d.events = {"Ir"};
  d.totals = {5};
  EXPECT_NE(
      message_of<std::runtime_error>([&] { (void)run::counts_of(d); }).find("--cache-sim=yes"),
      std::string::npos);
}

TEST(callgrind, counting_pass_refuses_to_run_outside_valgrind) {
  if (run::running_on_valgrind()) GTEST_SKIP() << "running under valgrind";
  EXPECT_THROW((void)run::callgrind_count_pass({}, run::backend::openblas), std::runtime_error);
  EXPECT_EQ(run::callgrind_label(2, "net", "conv1"), "synergy 2 net/conv1");
}

// ---- the counter model ----------------------------------------------------------------------

namespace {
model::counter_case make_case(std::string net, std::string type, double macs, double volume,
                              std::map<std::string, double> values) {
  return {std::move(net), std::move(type), macs, volume, std::move(values)};
}
}  // namespace

TEST(counter_model, exact_linear_data_fits_exactly) {
  // Made-up layers: simd = 2·MAC, bus = 0.5·MAC + 3·volume, energy = 1e-9·bus + 2e-9·simd
  // + 0.1 per network — every model below holds exactly, so every held-out error is 0.
  std::vector<model::counter_case> layers;
  const double macs[][2] = {{100, 40}, {300, 10}, {50, 500}, {800, 20}};
  const double vols[][2] = {{10, 30}, {5, 70}, {40, 20}, {9, 11}};
  for (int n = 0; n < 4; ++n)
    for (int l = 0; l < 2; ++l) {
      const double m = macs[n][l], v = vols[n][l];
      layers.push_back(make_case("n" + std::to_string(n), l == 0 ? "Convolution" : "Pooling", m, v,
                                 {{"simd_ops", 2 * m}, {"bus_accesses", 0.5 * m + 3 * v}}));
    }
  auto nets = model::aggregate(layers, model::counter_aggregation::network);
  ASSERT_EQ(nets.size(), 4u);
  // n0: MAC 140, volume 40 → simd 280, bus 70 + 120 = 190.
  EXPECT_DOUBLE_EQ(nets[0].macs, 140);
  EXPECT_DOUBLE_EQ(nets[0].value("bus_accesses"), 190);
  for (auto& c : nets)
    c.values["energy_J"] = 1e-9 * c.value("bus_accesses") + 2e-9 * c.value("simd_ops") + 0.1;

  const auto simd = model::fit_counter_model(nets, "simd_ops", {"macs"}, false);
  EXPECT_NEAR(simd.coefficients[0], 2.0, 1e-12);
  const auto bus = model::fit_counter_model(nets, "bus_accesses", {"macs", "data_volume"}, false);
  EXPECT_NEAR(bus.coefficients[0], 0.5, 1e-12);
  EXPECT_NEAR(bus.coefficients[1], 3.0, 1e-12);
  const auto e = model::fit_counter_model(nets, "energy_J", {"bus_accesses", "simd_ops"}, true);
  EXPECT_NEAR(e.coefficients[0], 1e-9, 1e-18);
  EXPECT_NEAR(e.coefficients[1], 2e-9, 1e-18);
  EXPECT_NEAR(e.intercept, 0.1, 1e-12);

  EXPECT_NEAR(model::leave_network_out_error(nets, "simd_ops", {"macs"}, false).mean, 0, 1e-9);
  EXPECT_NEAR(
      model::leave_network_out_error(nets, "energy_J", {"bus_accesses", "simd_ops"}, true).mean, 0,
      1e-9);
  EXPECT_NEAR(model::chained_leave_network_out_error(nets, "energy_J", "bus_accesses", "simd_ops",
                                                     true, false, true)
                  .mean,
              0, 1e-9);
  // Per layer type too: one line per network plus one per type, all exact.
  const auto subs = model::sub_model_errors(layers, "bus_accesses", true);
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_EQ(subs[0].layer_type, "");
  EXPECT_EQ(subs[1].layer_type, "Convolution");
  for (const auto& s : subs) {
    ASSERT_TRUE(s.error) << s.layer_type << ": " << s.why_not;
    EXPECT_NEAR(s.error->mean, 0, 1e-9) << s.layer_type;
  }
}

TEST(counter_model, leave_network_out_errors_by_hand) {
  // Two networks with MAC 1: A has simd 2, B has simd 4. simd ≈ a·MAC without intercept:
  // trained on A, a = 2, predicts 2 for B (measured 4): error 50 %; trained on B, a = 4,
  // predicts 4 for A (measured 2): error 100 %. Mean 75 %, sd sqrt((25² + 25²) / 1) = 35.355.
  const std::vector<model::counter_case> cases{make_case("A", "", 1, 0, {{"simd_ops", 2}}),
                                               make_case("B", "", 1, 0, {{"simd_ops", 4}})};
  const auto e = model::leave_network_out_error(cases, "simd_ops", {"macs"}, false);
  EXPECT_NEAR(e.mean, 75.0, 1e-9);
  EXPECT_NEAR(e.sd, std::sqrt(2 * 25.0 * 25.0), 1e-9);
}

TEST(counter_model, sums_with_holes_are_dropped_not_zero) {
  // n0's second layer has no llc_misses: the network sum of llc_misses would be wrong, so it
  // is absent; its instructions (both layers have them) sum to 3.
  const std::vector<model::counter_case> layers{
      make_case("n0", "Convolution", 1, 1, {{"instructions", 1}, {"llc_misses", 5}}),
      make_case("n0", "ReLU", 1, 1, {{"instructions", 2}})};
  const auto nets = model::aggregate(layers, model::counter_aggregation::network);
  ASSERT_EQ(nets.size(), 1u);
  EXPECT_DOUBLE_EQ(nets[0].value("instructions"), 3);
  EXPECT_EQ(nets[0].values.count("llc_misses"), 0u);
  EXPECT_THROW((void)nets[0].value("llc_misses"), std::invalid_argument);
}

TEST(counter_model, cases_grouped_by_layer_type_in_order_of_appearance) {
  // Two networks' layers: n0 has two convolutions (summed into one MAC_sum case of 3 + 4 MACs)
  // and a ReLU; n1 a ReLU first, then a convolution. Types in order of first appearance
  // (Convolution, ReLU), each with one case per network in order of appearance.
  const std::vector<model::counter_case> layers{
      make_case("n0", "Convolution", 3, 1, {{"instructions", 1}}),
      make_case("n0", "ReLU", 0, 2, {{"instructions", 2}}),
      make_case("n0", "Convolution", 4, 1, {{"instructions", 5}}),
      make_case("n1", "ReLU", 0, 6, {{"instructions", 7}}),
      make_case("n1", "Convolution", 10, 1, {{"instructions", 11}})};
  const auto groups = model::cases_by_layer_type(layers);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].first, "Convolution");
  ASSERT_EQ(groups[0].second.size(), 2u);
  EXPECT_EQ(groups[0].second[0].network, "n0");
  EXPECT_DOUBLE_EQ(groups[0].second[0].macs, 7);
  EXPECT_DOUBLE_EQ(groups[0].second[0].value("instructions"), 6);
  EXPECT_EQ(groups[0].second[1].network, "n1");
  EXPECT_DOUBLE_EQ(groups[0].second[1].macs, 10);
  EXPECT_EQ(groups[1].first, "ReLU");
  ASSERT_EQ(groups[1].second.size(), 2u);
  EXPECT_EQ(groups[1].second[0].network, "n0");
  EXPECT_DOUBLE_EQ(groups[1].second[1].value("instructions"), 7);
}

TEST(counter_model, chain_predicts_from_macs_and_survives_json) {
  // Same made-up law as above: simd = 2·MAC, bus = 0.5·MAC + 3·volume, energy = 1e-9·bus +
  // 2e-9·simd + 0.1. Networks (MAC, volume): (140, 40), (310, 75), (550, 60), (820, 20).
  std::vector<model::counter_case> nets;
  const double mv[][2] = {{140, 40}, {310, 75}, {550, 60}, {820, 20}};
  for (int n = 0; n < 4; ++n) {
    const double m = mv[n][0], v = mv[n][1];
    const double simd = 2 * m, bus = 0.5 * m + 3 * v;
    nets.push_back(make_case(
        "n" + std::to_string(n), "", m, v,
        {{"simd_ops", simd}, {"bus_accesses", bus}, {"energy_J", 1e-9 * bus + 2e-9 * simd + 0.1}}));
  }
  const auto chain =
      model::fit_counter_chain(nets, "energy_J", "bus_accesses", "simd_ops", true, false, true);
  // A new network of 1000 MACs and 100 elements: simd 2000, bus 500 + 300 = 800,
  // energy 1e-9·800 + 2e-9·2000 + 0.1 = 0.1000048 J.
  const auto [bus, simd] = chain.counters(1000, 100);
  EXPECT_NEAR(bus, 800, 1e-9);
  EXPECT_NEAR(simd, 2000, 1e-9);
  EXPECT_NEAR(chain.predict(1000, 100), 0.1000048, 1e-12);
  const auto back = model::counter_chain_from_json(model::to_json(chain), "network");
  EXPECT_NEAR(back.predict(1000, 100), 0.1000048, 1e-12);
  // Bad files name the field.
  auto j = model::to_json(chain);
  j["bus_from_macs"].erase("intercept");
  EXPECT_NE(message_of<std::invalid_argument>([&] {
              (void)model::counter_chain_from_json(j, "network");
            }).find("network.bus_from_macs"),
            std::string::npos);
  j = model::to_json(chain);
  j["target_from_counters"]["features"] = {"bus_accesses", "cycles"};
  EXPECT_NE(message_of<std::invalid_argument>([&] {
              (void)model::counter_chain_from_json(j, "network");
            }).find("'cycles' is not predicted by a sub-model"),
            std::string::npos);
  j = model::to_json(chain);
  j["simd_from_macs"]["coefficients"] = {1.0, 2.0};
  EXPECT_NE(message_of<std::invalid_argument>([&] {
              (void)model::counter_chain_from_json(j, "network");
            }).find("1 features, 2 coefficients"),
            std::string::npos);
}

TEST(counter_model_file, counter_pair_prefers_the_papers_counters) {
  std::string why;
  EXPECT_FALSE(model::choose_counter_pair({}, why));
  EXPECT_EQ(why, "no row has counter columns (profile with --counters callgrind or perf)");
  // callgrind's stand-ins: instructions for SIMD, last-level misses for bus accesses.
  std::vector<model::counter_case> c{
      make_case("a", "conv2d", 10, 5, {{"instructions", 1}, {"llc_misses", 2}}),
      make_case("b", "conv2d", 20, 5, {{"instructions", 3}, {"llc_misses", 4}})};
  auto p = model::choose_counter_pair(c, why);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->simd, "instructions");
  EXPECT_EQ(p->bus, "llc_misses");
  // The paper's own counters win when every case has them.
  for (auto& x : c) x.values["simd_ops"] = x.values["bus_accesses"] = 1;
  p = model::choose_counter_pair(c, why);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->simd, "simd_ops");
  EXPECT_EQ(p->bus, "bus_accesses");
  // A counter one case lacks is no column: b has no bus counter at all.
  c[1].values.erase("bus_accesses");
  c[1].values.erase("llc_misses");
  EXPECT_FALSE(model::choose_counter_pair(c, why));
  EXPECT_EQ(why, "the rows lack bus_accesses and llc_misses");
}

TEST(counter_model_file, fitted_file_predicts_a_network_by_hand) {
  // Per network one fully_connected layer on the made-up law simd = 2·MAC, bus = 0.5·MAC +
  // 3·volume, energy = 1e-9·bus + 2e-9·simd + 0.1, and one max_pool2d layer with no MACs
  // and zero counts, so the per-type chain of max_pool2d is not modelled.
  std::vector<model::counter_case> layers;
  const double mv[][2] = {{140, 40}, {310, 75}, {550, 60}, {820, 20}};
  for (int n = 0; n < 4; ++n) {
    const double m = mv[n][0], v = mv[n][1], simd = 2 * m, bus = 0.5 * m + 3 * v;
    const std::string net = "n" + std::to_string(n);
    layers.push_back(make_case(
        net, "fully_connected", m, v,
        {{"simd_ops", simd}, {"bus_accesses", bus}, {"energy_J", 1e-9 * bus + 2e-9 * simd + 0.1}}));
    layers.push_back(make_case(net, "max_pool2d", 0, 0,
                               {{"simd_ops", 0}, {"bus_accesses", 0}, {"energy_J", 0}}));
  }
  std::string why;
  const auto p = model::choose_counter_pair(layers, why);
  ASSERT_TRUE(p);
  const auto errors = model::counter_model_errors(layers, *p, "energy_J");
  ASSERT_TRUE(errors.chained);
  EXPECT_NEAR(errors.chained->mean, 0, 1e-6);  // the law holds exactly
  const auto j = model::counter_model_json(layers, *p, "energy_J", "energy", errors);
  EXPECT_TRUE(model::is_counter_model(j));
  EXPECT_EQ(j.at("response").at("unit"), "J");
  EXPECT_TRUE(j.at("layer_types").contains("fully_connected"));
  EXPECT_EQ(j.at("not_modelled").at("max_pool2d"), "no MACs: the chain starts from MACs");
  // input 1×1×10 → fc 5 → fc 2: MACs 10·5 + 5·2 = 60; data volume (in + weights + out)
  // (10 + 50 + 5) + (5 + 10 + 2) = 82. Through the law: simd 120, bus 30 + 246 = 276,
  // energy 276e-9 + 240e-9 + 0.1 = 0.100000516 J.
  network net("tiny", {1, 1, 10});
  const node_id a = net.add("fc1", fully_connected{.outputs = 5, .bias = false}, {0});
  net.add("fc2", fully_connected{.outputs = 2, .bias = false}, {a});
  const auto pr = model::predict_with_counter_model(j, net);
  EXPECT_EQ(pr.key, "energy_J");
  EXPECT_DOUBLE_EQ(pr.macs, 60);
  EXPECT_DOUBLE_EQ(pr.data_volume, 82);
  EXPECT_NEAR(pr.simd_count, 120, 1e-6);
  EXPECT_NEAR(pr.bus_count, 276, 1e-6);
  EXPECT_NEAR(pr.total, 0.100000516, 1e-12);
  ASSERT_EQ(pr.by_layer_type.count("fully_connected"), 1u);
  EXPECT_NEAR(pr.by_layer_type.at("fully_connected"), 0.100000516, 1e-12);
  // A file without the chain names what is missing.
  auto bad = j;
  bad.erase("network");
  EXPECT_EQ(
      message_of<std::invalid_argument>([&] { (void)model::predict_with_counter_model(bad, net); }),
      "counter model: no 'network' chain");
}

TEST(counting_pass, counters_attach_to_profile_records) {
  // Two layers of network n on openblas and one on eigen; a perf pass on openblas counted
  // instructions on both layers but cycles on one only (the group never ran in the other).
  run::profile_result r;
  for (const char* layer : {"conv", "relu"}) {
    run::layer_record l;
    l.network = "n";
    l.layer = layer;
    l.be = run::backend::openblas;
    r.layers.push_back(l);
  }
  r.layers.push_back(r.layers[0]);
  r.layers[2].be = run::backend::eigen;
  const auto row = [](const char* layer, double instructions, std::optional<double> cycles) {
    measure::counter_row c;
    c.network = "n";
    c.layer = layer;
    c.platform = "openblas";
    c.counters[measure::counter_column("instructions")] = instructions;
    c.counters[measure::counter_column("cycles")] = cycles;
    return c;
  };
  auto stray = row("fc", 1, 1);  // a layer the profile has not: reported, not attached
  const auto said =
      run::attach_counters(r, {row("conv", 100, 50), row("relu", 7, std::nullopt), stray});
  const auto ins = measure::counter_column("instructions"), cyc = measure::counter_column("cycles");
  EXPECT_EQ(r.layers[0].counters[ins], 100.0);
  EXPECT_EQ(r.layers[1].counters[ins], 7.0);
  EXPECT_FALSE(r.layers[2].counters[ins]);  // eigen was not counted
  // cycles on 1 of 2 layers: cleared on both, never a partial sum.
  EXPECT_FALSE(r.layers[0].counters[cyc]);
  EXPECT_FALSE(r.layers[1].counters[cyc]);
  ASSERT_EQ(said.size(), 2u);
  EXPECT_NE(said[0].find("1 counted layers match no profiled layer"), std::string::npos) << said[0];
  EXPECT_NE(said[1].find("cycles counted on 1 of the 2 layers of n on openblas"), std::string::npos)
      << said[1];
}
