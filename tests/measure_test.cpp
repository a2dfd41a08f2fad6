// Attribution (hand-derived and analytic cases), annotations, marker files, and the sampler
// (rate, drops, streaming to a readable file, error propagation) on synthetic sources.

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/temp_tree.hpp"
#include "synergy/measure/annotation.hpp"
#include "synergy/measure/attribution.hpp"
#include "synergy/measure/markers.hpp"
#include "synergy/measure/replay/csv.hpp"
#include "synergy/measure/sampler.hpp"
#include "synergy/measure/synthetic_source.hpp"
#include "synergy/sources/counter_power.hpp"
#include "synergy/sources/errors.hpp"

namespace m = synergy::measure;
namespace src = synergy::sources;
using namespace synergy::literals;

namespace {
m::trace linear_trace() {  // P(t) = 1 + 2t W sampled at t = 0, 1, 2, 3 s
  m::trace tr;
  tr.channels = {"p"};
  for (int k = 0; k < 4; ++k) {
    const double p = 1 + 2.0 * k;
    tr.push(k, std::span<const double>(&p, 1));
  }
  tr.period_s = 1;
  return tr;
}
}  // namespace

TEST(attribution, hand_derived_rectangle_trapezoid_baseline_and_flags) {
  const auto tr = linear_trace();
  const std::vector<m::region> r{{"a", "conv", 0.5, 2.5, 0, std::nullopt},
                                 {"b", "pool", 1.2, 1.3, 0, std::nullopt},
                                 {"c", "fc", 0.0, 3.0, 0, std::nullopt}};
  m::attribution_options o;
  o.update_period = 0.5_s;
  const auto trap = m::attribute(tr, r, o);
  // ∫_{0.5}^{2.5} (1 + 2t) dt = [t + t²] = 8.75 − 0.75 = 8 J (linear: trapezoid is exact).
  EXPECT_NEAR(trap[0].value.value(), 8.0, 1e-12);
  EXPECT_NEAR(trap[1].value.value(), 0.1 * (1 + 2 * 1.25), 1e-12);  // 0.35 J
  EXPECT_TRUE(trap[1].below_update_period);                         // 0.1 s < 0.5 s
  EXPECT_FALSE(trap[0].below_update_period);
  EXPECT_NEAR(trap[2].value.value(), 12.0, 1e-12);  // 3 + 9
  // Rectangle (Eq 5): samples at t = 1, 2 inside [0.5, 2.5): 3·1 + 5·1 = 8 J.
  o.rule = m::integration_rule::rectangle;
  const auto rect = m::attribute(tr, r, o);
  EXPECT_DOUBLE_EQ(rect[0].value.value(), 8.0);
  EXPECT_EQ(rect[0].samples, 2u);
  EXPECT_TRUE(rect[1].no_samples);  // no sample in [1.2, 1.3): flagged, not a measured 0
  // [0, 3): samples 0, 1, 2 held 1 s each: 1 + 3 + 5 = 9 J.
  EXPECT_DOUBLE_EQ(rect[2].value.value(), 9.0);
  // Idle baseline 1 W over 2 s: 8 − 2 = 6 J.
  o.rule = m::integration_rule::trapezoid;
  o.idle_power = 1.0_W;
  EXPECT_NEAR(m::attribute(tr, r, o)[0].value.value(), 6.0, 1e-12);
  EXPECT_NEAR(m::mean_power(tr, 0, 3).value(), 4.0, 1e-12);
}

TEST(attribution, errors_name_the_region) {
  const auto tr = linear_trace();
  try {
    (void)m::attribute(tr, {{"late", "conv", 2.0, 4.0, 3, std::nullopt}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'late' (run 3)"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)m::attribute(tr, {{"back", "", 2.0, 1.0, 0, std::nullopt}}),
               std::invalid_argument);
  m::trace two = tr;
  two.channels = {"a", "b"};
  two.watts.resize(8, 0.0);
  EXPECT_THROW((void)m::attribute(two, {{"x", "", 0, 1, 0, std::nullopt}}),
               std::invalid_argument);  // which channels?
}

TEST(attribution, analytic_curve_exact_energy_per_region) {
  // P(t) = 10 + 4 sin(2π·3·t) W sampled at 1 kHz for 2 s; exact energy known in closed form.
  const m::synthetic_source s(10, 4, 3, 0.0);
  m::trace tr;
  tr.channels = {"p"};
  tr.period_s = 1e-3;
  for (int k = 0; k <= 2000; ++k) {
    const double t = k * 1e-3, p = s.power_at(t);
    tr.push(t, std::span<const double>(&p, 1));
  }
  std::vector<m::region> rs;
  for (int i = 0; i < 50; ++i)
    rs.push_back({"r" + std::to_string(i), "", 0.013 * i + 0.0004,
                  0.013 * i + 0.0004 + 0.0217 * (1 + i % 5), 0, std::nullopt});
  const auto trap = m::attribute(tr, rs);
  m::attribution_options o;
  o.rule = m::integration_rule::rectangle;
  const auto rect = m::attribute(tr, rs, o);
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const double exact = s.exact_energy(rs[i].t0_s, rs[i].t1_s);
    // Trapezoid error ≤ L·h²·max|P''|/12 = 0.11 · 1e-6 · 4·(6π)² / 12 ≈ 1.3e-5 J.
    EXPECT_NEAR(trap[i].value.value(), exact, 2e-5) << i;
    // Rectangle: within two samples' energy (2 · 14 W · 1 ms).
    EXPECT_NEAR(rect[i].value.value(), exact, 0.028) << i;
  }
}

TEST(attribution, per_layer_runs_and_op_types) {
  const auto tr = linear_trace();
  const std::vector<m::region> r{{"c1", "conv", 0, 1, 0, std::nullopt},
                                 {"c1", "conv", 1, 2, 1, std::nullopt},
                                 {"p1", "pool", 2, 3, 0, std::nullopt}};
  const auto s = m::summarise_runs(m::attribute(tr, r));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].runs, 2u);
  EXPECT_NEAR(s[0].energy_j.mean, (2.0 + 4.0) / 2, 1e-12);  // runs: 2 J and 4 J
  EXPECT_NEAR(s[0].energy_j.sd, std::sqrt(2.0), 1e-12);
  const auto by = m::energy_by_op_type(s);
  EXPECT_NEAR(by.at("pool"), 6.0, 1e-12);
}

TEST(annotation, pairs_nesting_runs_and_errors) {
  m::annotator a;
  const auto c1 = a.region("conv1", "Convolution"), r1 = a.region("relu1", "ReLU");
  EXPECT_EQ(a.region("conv1", "Convolution").value, c1.value);  // interned
  a.record(c1, true, 1.0);
  a.record(c1, false, 2.0);
  a.record(r1, true, 2.0);
  a.record(r1, false, 2.5);
  a.record(c1, true, 3.0);
  a.record(c1, true, 3.1);  // nested same region
  a.record(c1, false, 3.2);
  a.record(c1, false, 4.0);
  const auto rs = a.regions();
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(rs[0].name, "conv1");
  EXPECT_EQ(rs[0].run, 0);
  EXPECT_EQ(rs[2].t0_s, 3.0);
  EXPECT_EQ(rs[2].t1_s, 4.0);  // outer
  EXPECT_EQ(rs[3].t0_s, 3.1);
  m::annotator bad;
  bad.record(bad.region("x"), false, 1.0);
  EXPECT_THROW((void)bad.regions(), std::logic_error);
  m::annotator open;
  open.record(open.region("y"), true, 1.0);
  EXPECT_THROW((void)open.regions(), std::logic_error);
}

TEST(annotation, an_id_never_issued_is_an_error_naming_it) {
  // Annotator `a` has issued ids 0 and 1 only; id 2 (issued by `other`, its third region)
  // would index past a's table in regions(): begin/end/record refuse it, naming the id and
  // a's region count, and record nothing.
  m::annotator a, other;
  (void)a.region("conv1");
  (void)a.add_region("conv1");
  (void)other.region("p"), (void)other.region("q");
  const auto foreign = other.region("r");
  ASSERT_EQ(foreign.value, 2u);
  try {
    a.begin(foreign);
    FAIL() << "expected std::out_of_range";
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string(e.what()).find("region id 2 "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("has 2 regions"), std::string::npos) << e.what();
  }
  EXPECT_THROW(a.end(foreign), std::out_of_range);
  EXPECT_THROW(a.record(m::region_id{7}, true, 1.0), std::out_of_range);
  EXPECT_EQ(a.size(), 0u);
  EXPECT_TRUE(a.regions().empty());
  a.record(m::region_id{1}, true, 1.0);  // the last issued id is accepted
  a.record(m::region_id{1}, false, 2.0);
  EXPECT_EQ(a.regions().size(), 1u);
}

TEST(annotation, scopes_from_many_threads_are_all_kept) {
  m::annotator a;
  std::vector<std::thread> th;
  for (int t = 0; t < 4; ++t)
    th.emplace_back([&a, t] {
      const auto id = a.region("layer" + std::to_string(t), "conv2d");
      for (int i = 0; i < 1000; ++i) m::annotator::scope s(a, id);
    });
  for (auto& x : th) x.join();
  const auto rs = a.regions();
  EXPECT_EQ(rs.size(), 4000u);
  for (const auto& r : rs) EXPECT_LE(r.t0_s, r.t1_s);
}

TEST(markers, synergy_convention_round_trip_and_file_formats) {
  const std::vector<m::region> rs{{"conv1", "Convolution", 1.0, 1.5, 0, std::nullopt},
                                  {"pool1", "Pooling", 1.5, 1.7, 0, std::nullopt},
                                  {"conv1", "Convolution", 2.0, 2.4, 1, std::nullopt},
                                  {"pool1", "Pooling", 2.4, 2.5, 1, std::nullopt}};
  const auto ms = m::synergy_markers_from_regions(rs);
  ASSERT_EQ(ms.size(), 8u);  // start, 2 layers, end — twice
  EXPECT_EQ(ms[0].label, "start");
  EXPECT_EQ(ms[1].label, "conv1___Convolution");
  EXPECT_EQ(ms[3].label, "end");
  EXPECT_DOUBLE_EQ(ms[3].t_s, 1.7);
  const auto back = m::regions_from_synergy_markers(ms);
  ASSERT_EQ(back.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(back[i].name, rs[i].name);
    EXPECT_EQ(back[i].op_type, rs[i].op_type);
    EXPECT_DOUBLE_EQ(back[i].t0_s, rs[i].t0_s);
    EXPECT_DOUBLE_EQ(back[i].t1_s, rs[i].t1_s);
    EXPECT_EQ(back[i].run, rs[i].run);
  }
  synergy_test::temp_tree t;
  std::ostringstream a, b;
  m::write_synergy_markers(a, ms);
  m::write_region_csv(b, rs);
  for (const auto& text : {a.str(), b.str()}) {
    const auto p = t.write("markers.txt", text);
    const auto rd = m::read_marker_file(p.string());
    ASSERT_EQ(rd.size(), 4u);
    EXPECT_EQ(rd[3].name, "pool1");
    EXPECT_NEAR(rd[3].t1_s, 2.5, 1e-9);
  }
  EXPECT_EQ(b.str().substr(0, b.str().find('\n')), "time [s],event,name,op_type");
  const auto bad = t.write("bad.txt", "1.0 start\n1.1 conv1\n1.2 end");
  try {
    (void)m::read_marker_file(bad.string());
    FAIL();
  } catch (const synergy::parse_error& e) {
    EXPECT_NE(std::string(e.what()).find("'conv1'"), std::string::npos) << e.what();
  }
}

TEST(markers, library_csv_reads_the_op_type_column_and_its_older_name) {
  synergy_test::temp_tree t;
  // Written by hand: one file with today's header, one with the header of recordings made
  // before the column was renamed. Both give conv1 (Convolution) over [1, 1.5] s and relu1
  // without an op type over [1.5, 1.75] s.
  const std::string rows =
      "1.0,begin,conv1,Convolution\n1.5,end,conv1,Convolution\n1.5,begin,relu1,\n1.75,end,relu1,\n";
  for (const char* column : {"op_type", "layer_type"}) {
    const auto p = t.write(std::string(column) + ".csv",
                           std::string("time [s],event,name,") + column + "\n" + rows);
    const auto rd = m::read_marker_file(p.string());
    ASSERT_EQ(rd.size(), 2u) << column;
    EXPECT_EQ(rd[0].name, "conv1");
    EXPECT_EQ(rd[0].op_type, "Convolution") << column;
    EXPECT_DOUBLE_EQ(rd[0].t0_s, 1.0);
    EXPECT_DOUBLE_EQ(rd[0].t1_s, 1.5);
    EXPECT_EQ(rd[1].name, "relu1");
    EXPECT_EQ(rd[1].op_type, "");
    EXPECT_DOUBLE_EQ(rd[1].t1_s, 1.75);
  }
  // Any other fourth column is not guessed at: the error names the file's line 1.
  const auto odd = t.write("odd.csv", "time [s],event,name,kind\n" + rows);
  try {
    (void)m::read_marker_file(odd.string());
    FAIL();
  } catch (const synergy::parse_error& e) {
    EXPECT_NE(std::string(e.what()).find(":1:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("op_type"), std::string::npos) << e.what();
  }
}

// Traces and sources share one clock enum; its names are what output shows.
static_assert(src::to_string(src::time_base::steady) == "steady");
static_assert(src::to_string(src::time_base::unix_epoch) == "unix_epoch");
static_assert(src::to_string(src::time_base::local_wall) == "local_wall");
static_assert(src::to_string(src::time_base::relative) == "relative");
static_assert(src::to_string(src::time_base::device) == "device");

TEST(trace_clock, csv_time_column_is_the_devices_and_a_new_trace_is_steady) {
  EXPECT_EQ(m::trace{}.clock, src::time_base::steady);
  synergy_test::temp_tree t;
  // A CSV's time column can start anywhere (here 100 s): its origin is the writer's, unknown.
  const auto p = t.write("t.csv", "time [s],p [W]\n100.0,1.0\n100.5,2.0\n");
  const auto tr = m::read_csv_trace(p.string());
  EXPECT_EQ(tr.clock, src::time_base::device);
  EXPECT_DOUBLE_EQ(tr.time_s[0], 100.0);
}

namespace {
/// A streaming source on a clock the sampler cannot line up with markers.
struct device_clock_stream {
  src::source_info i{"device-clock stream",
                     {{"c", "board", "", true, "W"}},
                     synergy::duration::from_value(1e-3),
                     synergy::duration::from_value(0.0),
                     src::time_base::device,
                     synergy::frequency::from_value(1e3),
                     src::sample_kind::instantaneous};
  const src::source_info& info() const { return i; }
  std::size_t read_block(std::vector<double>&, std::vector<double>&) { return 0; }
};
}  // namespace

TEST(sampler, streaming_source_off_the_steady_clock_is_refused) {
  device_clock_stream d;
  try {
    m::sampler s(d);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'device-clock stream'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("device clock"), std::string::npos) << e.what();
  }
  m::synthetic_source polled(5, 1, 2);
  m::sampler ok(polled);
  EXPECT_EQ(ok.take_trace().clock, src::time_base::steady);
}

namespace {
/// A source that counts reads and fails after `fail_after` of them.
struct counting_source {
  src::source_info i{"counting", {{"c", "board", "", true, "W"}}};
  std::atomic<std::uint64_t> reads{0};
  std::uint64_t fail_after = UINT64_MAX;
  const src::source_info& info() const { return i; }
  void read_power(std::span<double> w) {
    if (++reads > fail_after) throw src::sensor_error("/fake/sensor", "gone");
    w[0] = 1.0;
  }
};
}  // namespace

TEST(sampler, samples_a_synthetic_curve_and_streams_a_readable_file) {
  synergy_test::temp_tree t;
  m::synthetic_source s(10, 4, 5);
  m::sampler_options o;
  o.rate = 1000.0_Hz;
  o.stream_to = (t.root() / "trace.csv").string();
  m::sampler smp(s, o);
  smp.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  // While running, the stream is already a readable partial trace.
  const auto partial = m::read_csv_trace(o.stream_to);
  EXPECT_GT(partial.size(), 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  smp.stop();
  const auto st = smp.stats();
  const auto tr = smp.take_trace();
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_EQ(tr.size(), st.samples);
  EXPECT_GT(tr.size(), 150u);  // 300 ms at 1 kHz, allowing a loaded machine
  for (std::size_t k = 0; k < tr.size(); ++k)
    EXPECT_NEAR(tr.at(k, 0), s.power_at(tr.time_s[k]), 0.2);
  const auto file = m::read_csv_trace(o.stream_to);
  ASSERT_EQ(file.size(), tr.size());
  EXPECT_NEAR(file.time_s.back(), tr.time_s.back(), 1e-9);
  EXPECT_NEAR(file.at(file.size() - 1, 0), tr.at(tr.size() - 1, 0), 1e-6);
  // Trapezoid energy of the sampled trace against the closed form, over its span.
  const double exact = s.exact_energy(tr.time_s.front(), tr.time_s.back());
  const double e =
      m::attribute(tr, {{"all", "", tr.time_s.front(), tr.time_s.back(), 0, std::nullopt}})[0]
          .value.value();
  EXPECT_NEAR(e, exact, 0.01 * exact);
}

TEST(sampler, full_ring_drops_are_counted_and_errors_rethrown) {
  counting_source c;
  m::sampler_options o;
  o.rate = 2000.0_Hz;
  o.ring_capacity = 4;  // drained every 20 ms: most readings cannot fit
  m::sampler smp(c, o);
  smp.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  smp.stop();
  const auto st = smp.stats();
  EXPECT_GT(st.dropped, 0u);
  EXPECT_EQ(st.samples + st.dropped, c.reads.load());  // every reading accounted for
  EXPECT_EQ(smp.take_trace().dropped, st.dropped);

  counting_source f;
  f.fail_after = 10;
  m::sampler s2(f);
  s2.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_THROW(s2.stop(), src::sensor_error);
}

TEST(sampler, streaming_source_delivered_in_blocks_at_its_own_rate) {
  // A 2 kHz recording replayed as a stream: every sample arrives, in order, at 0.5 ms spacing.
  m::trace rec;
  rec.channels = {"p"};
  rec.period_s = 0.5e-3;
  for (int k = 0; k < 100; ++k) {
    const double p = k;
    rec.push(k * 0.5e-3, std::span<const double>(&p, 1));
  }
  m::replay_source r(rec);
  static_assert(synergy::sources::streaming_source<m::replay_source>);
  m::sampler s(r);
  s.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  s.stop();
  const auto tr = s.take_trace();
  EXPECT_EQ(s.stats().dropped, 0u);
  ASSERT_GT(tr.size(), 150u);  // ≈ 240 in 120 ms
  for (std::size_t k = 1; k < tr.size(); ++k) {
    EXPECT_NEAR(tr.time_s[k] - tr.time_s[k - 1], 0.5e-3, 1e-9);
    EXPECT_EQ(tr.at(k, 0), static_cast<double>(k % 100));
  }
}

namespace {
// The case by hand: an energy counter reads 0, 10, 30, 60 J at t = 0, 1, 2, 3 s, so
// the mean power is 10 W over (0, 1], 20 W over (1, 2], 30 W over (2, 3] (sample 0 repeats 10).
m::trace counter_trace() {
  m::trace tr;
  tr.channels = {"pkg"};
  tr.kind = src::sample_kind::interval_mean;
  const double p[] = {10, 10, 20, 30};
  for (int k = 0; k < 4; ++k) tr.push(k, std::span<const double>(&p[k], 1));
  tr.period_s = 1;
  return tr;
}
}  // namespace

TEST(attribution, interval_mean_samples_integrate_to_the_counter_difference_under_both_rules) {
  const auto tr = counter_trace();
  const std::vector<m::region> r{
      {"one_interval", "", 1.0, 2.0, 0, std::nullopt},  // 30 − 10 = 20 J
      {"inside", "", 1.25, 1.75, 0, std::nullopt},      // half of (1, 2]: 20 W × 0.5 s = 10 J
      {"straddles", "", 0.5, 2.5, 0, std::nullopt},     // 10·0.5 + 20 + 30·0.5 = 40 J
      {"all", "", 0.0, 3.0, 0, std::nullopt},           // 60 − 0 = 60 J
      {"at_a_sample", "", 2.0, 2.0, 0, std::nullopt}};  // 0 J
  const double expected[] = {20, 10, 40, 60, 0};
  for (const auto rule : {m::integration_rule::trapezoid, m::integration_rule::rectangle}) {
    m::attribution_options o;
    o.rule = rule;
    const auto es = m::attribute(tr, r, o);
    for (std::size_t i = 0; i < r.size(); ++i) {
      EXPECT_DOUBLE_EQ(es[i].value.value(), expected[i]) << r[i].name;
      EXPECT_EQ(es[i].method, m::integration_method::step);
      EXPECT_FALSE(es[i].no_samples);
    }
    // Idle baseline: 20 J − 5 W × 1 s = 15 J.
    o.idle_power = synergy::power::from_value(5.0);
    EXPECT_DOUBLE_EQ(m::attribute(tr, {r[0]}, o)[0].value.value(), 15.0);
    // Beyond the last reading nothing is known, whatever the rule.
    EXPECT_THROW((void)m::attribute(tr, {{"late", "", 2.5, 3.5, 0, std::nullopt}}, o),
                 std::invalid_argument);
  }
  // The bug: the same values read as instantaneous power give the trapezoid (10 + 20) / 2 =
  // 15 J over [1, 2] s instead of the 20 J the counter says.
  auto wrong = tr;
  wrong.kind = src::sample_kind::instantaneous;
  EXPECT_DOUBLE_EQ(m::attribute(wrong, {r[0]})[0].value.value(), 15.0);
  EXPECT_DOUBLE_EQ(m::mean_power(tr, 1.0, 3.0).value(), 25.0);  // (20 + 30) J / 2 s
}

TEST(attribution, integration_method_table_and_non_finite_regions) {
  using k = src::sample_kind;
  EXPECT_EQ(m::integration_for(k::interval_mean, m::integration_rule::rectangle),
            m::integration_method::step);
  EXPECT_EQ(m::integration_for(k::interval_mean, m::integration_rule::trapezoid),
            m::integration_method::step);
  EXPECT_EQ(m::integration_for(k::instantaneous, m::integration_rule::rectangle),
            m::integration_method::rectangle);
  EXPECT_EQ(m::integration_for(k::instantaneous, m::integration_rule::trapezoid),
            m::integration_method::trapezoid);
  EXPECT_NE(m::describe(m::integration_method::step).find("counter"), std::string_view::npos);
  EXPECT_EQ(src::to_string(k::interval_mean), "interval_mean");
  try {
    (void)m::attribute(linear_trace(), {{"n", "", std::nan(""), 1.0, 0, std::nullopt}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not finite"), std::string::npos) << e.what();
  }
}

// An interval-mean trace written as CSV holds cumulative energy (J) and reads back as an
// interval-mean trace with the same integrals: 0, 20, 50 J at 1, 2, 3 s (sample 0 is 0 J).
TEST(attribution, interval_mean_csv_round_trip_keeps_kind_and_energy) {
  synergy_test::temp_tree t;
  const auto tr = counter_trace();
  const auto path = t.root() / "c.csv";
  {
    std::ofstream out(path);
    m::write_csv(out, tr);
  }
  std::ifstream in(path);
  std::string header, row0, row2;
  std::getline(in, header);
  std::getline(in, row0);
  std::getline(in, row2);
  std::getline(in, row2);
  EXPECT_EQ(header, "time [s],pkg [J]");
  EXPECT_EQ(row0, "0.000000000,0.000000");
  EXPECT_EQ(row2, "2.000000000,30.000000");  // 10 J + 20 J
  const auto back = m::read_csv_trace(path.string());
  EXPECT_EQ(back.kind, src::sample_kind::interval_mean);
  const auto e = m::attribute(back, {{"x", "", 0.5, 2.5, 0, std::nullopt}});
  EXPECT_NEAR(e[0].value.value(), 40.0, 1e-9);
}

namespace {
// An energy counter that gains 1000 µJ per read (the constructor's reference read included).
struct stepping_counter {
  src::source_info i{"stepping counter", {{"pkg", "package", "", true, "uJ"}}};
  std::uint64_t next = 0;
  const src::source_info& info() const { return i; }
  src::counter_spec spec(std::size_t) const { return {1e-6, UINT64_MAX}; }
  void read_counters(std::span<std::uint64_t> c) {
    c[0] = next;
    next += 1000;
  }
};
}  // namespace

// Through counter_power and the sampler, the trace is interval-mean and attributing it from
// sample 1 to the last sample gives the counter difference: (n − 1) reads after sample 1's at
// 1000 µJ each... sample k holds read k + 1, so [t_1, t_{n−1}] spans n − 2 reads = (n − 2) mJ.
TEST(sampler, counter_power_trace_is_interval_mean_and_streams_cumulative_energy) {
  synergy_test::temp_tree t;
  stepping_counter c;
  src::counter_power<stepping_counter> p(c);
  EXPECT_EQ(p.info().kind, src::sample_kind::interval_mean);
  m::sampler_options o;
  o.rate = 200.0 * synergy::units::hertz;
  o.stream_to = (t.root() / "s.csv").string();
  m::sampler s(p, o);
  s.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  s.stop();
  const auto tr = s.take_trace();
  ASSERT_GE(tr.size(), 3u);
  EXPECT_EQ(tr.kind, src::sample_kind::interval_mean);
  const double expected = static_cast<double>(tr.size() - 2) * 1e-3;
  const m::region all{"all", "", tr.time_s[1], tr.time_s.back(), 0, std::nullopt};
  EXPECT_NEAR(m::attribute(tr, {all})[0].value.value(), expected, 1e-12);
  const auto back = m::read_csv_trace(o.stream_to);
  EXPECT_EQ(back.kind, src::sample_kind::interval_mean);
  // The file rounds times to ns and energy to µJ: the difference survives to about 1 µJ.
  m::region all_back = all;
  all_back.t0_s = back.time_s[1];
  all_back.t1_s = back.time_s.back();
  EXPECT_NEAR(m::attribute(back, {all_back})[0].value.value(), expected, 2e-6);
}
