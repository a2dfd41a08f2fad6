// The study stage on hand-made profiles: noise ceiling, samples of time and energy, energy
// joined to records by region id, the dataset CSV (round trip and rejected rows), and the
// study's tables. Every expected number is derived by hand in the comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <synergy/study/dataset.hpp>
#include <synergy/study/energy.hpp>
#include <synergy/study/samples.hpp>
#include <synergy/study/study.hpp>
#include <synergy/study/tables.hpp>
#include <synergy/zoo/registry.hpp>
#include <type_traits>
#include <vector>

using namespace synergy;
using namespace synergy::literals;
using run::backend;

namespace {

// Input 8×8×2 → 3×3 conv of `width` channels (padding 1) → ReLU → FC of 3 outputs.
// Counts: conv 8·8·width·3·3·2 = 1152·width MACs, ReLU 8·8·width = 64·width ops,
// FC (8·8·width)·3 = 192·width MACs.
network tiny(const std::string& name, std::int64_t width) {
  network n(name, {8, 8, 2});
  n.add("conv", conv2d{.out_channels = width, .kernel = square(3), .padding = {1, 1}});
  n.add("relu", activation{});
  n.add("fc", fully_connected{.outputs = 3});
  return n;
}

// One record of layer `id` of `net` on `be` with median time `median_s` (every round that time).
run::layer_record record(const network& net, node_id id, backend be, double median_s,
                         std::optional<double> energy_j = std::nullopt) {
  run::layer_record l;
  l.network = std::string(net.name());
  l.layer = std::string(net.name(id));
  l.layer_type = std::string(to_string(type_of(net.at(id))));
  l.node = id;
  l.cost = net.cost(id);
  l.be = be;
  l.times_s = {median_s, median_s};
  l.min_s = l.median_s = l.mean_s = median_s;
  l.energy_j = energy_j;
  return l;
}

// A file of this test (named after it: tests may run in parallel processes) in gtest's
// temporary folder, removed with the object.
struct temp_file {
  std::filesystem::path path;
  explicit temp_file(const std::string& name)
      : path(std::filesystem::path(testing::TempDir()) /
             (std::string("synergy_study_test_") +
              testing::UnitTest::GetInstance()->current_test_info()->name() + "_" + name)) {}
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() { std::filesystem::remove(path); }
};

// ---- noise ceiling ------------------------------------------------------------------------
TEST(NoiseCeiling, EvenAgainstOddRoundMedians) {
  run::profile_result r;
  // a: even rounds {10, 30} ms → median 20, odd {20, 40} → 30: Eq 8 = 100 − 10/30·100 = 200/3.
  // b: every round 5 ms → 100. c: even {4, 6} → 5, odd {10} → 10: 100 − 5/10·100 = 50.
  // Mean (200/3 + 100 + 50)/3 = 650/9; deviations −50/9, 250/9, −200/9: sample variance
  // (2500 + 62500 + 40000)/81/2 = 52500/81, sd = √52500 / 9.
  r.networks = {{"a", backend::openblas, {0.010, 0.020, 0.030, 0.040}},
                {"b", backend::openblas, {0.005, 0.005, 0.005, 0.005}},
                {"c", backend::openblas, {0.004, 0.010, 0.006}},
                {"a", backend::eigen, {0.010, 0.010}}};
  const mean_sd c = study::noise_ceiling(r, backend::openblas);
  EXPECT_NEAR(c.mean, 650.0 / 9.0, 1e-9);
  EXPECT_NEAR(c.sd, std::sqrt(52500.0) / 9.0, 1e-9);
  // Eigen: one network, equal halves → 100 (no spread over one network).
  EXPECT_NEAR(study::noise_ceiling(r, backend::eigen).mean, 100.0, 1e-12);
  r.networks.push_back({"d", backend::openblas, {0.001}});
  EXPECT_THROW((void)study::noise_ceiling(r, backend::openblas), std::invalid_argument);
  r.networks = {{"a", backend::openblas, {0.010, 0.020}}};
  EXPECT_THROW((void)study::noise_ceiling(r, backend::eigen), std::invalid_argument);
}

// ---- samples ------------------------------------------------------------------------------
TEST(Samples, TimeAndEnergyOfOneBackend) {
  const network a = tiny("tiny_a", 4);
  run::profile_result r;
  r.layers = {
      record(a, 1, backend::openblas, 4e-6, 12e-6), record(a, 2, backend::openblas, 1e-7, 3e-7),
      record(a, 3, backend::openblas, 2e-6, 5e-6), record(a, 1, backend::eigen, 9e-6, 20e-6)};
  const std::vector<network> nets{a};

  const auto t = study::samples_of<duration>(r, nets, backend::openblas);
  static_assert(std::is_same_v<decltype(t), const std::vector<model::layer_sample<duration>>>);
  ASSERT_EQ(t.size(), 3U);  // the eigen record is another backend's
  EXPECT_EQ(t[0].network, "tiny_a");
  EXPECT_EQ(t[0].layer_name, "conv");
  EXPECT_EQ(type_of(t[0].op), layer_type::conv2d);
  EXPECT_EQ(type_of(t[1].op), layer_type::activation);
  EXPECT_EQ(t[0].cost.macs, 1152 * 4);
  EXPECT_EQ(t[0].value.value(), 4e-6);  // s
  EXPECT_EQ(t[2].value.value(), 2e-6);

  const auto e = study::samples_of<energy>(r, nets, backend::eigen);
  ASSERT_EQ(e.size(), 1U);
  EXPECT_EQ(e[0].value.value(), 20e-6);  // J
  EXPECT_EQ(study::samples_of<energy>(r, nets, backend::openblas)[1].value.value(), 3e-7);

  r.layers[1].energy_j.reset();
  try {
    (void)study::samples_of<energy>(r, nets, backend::openblas);
    FAIL() << "no error";
  } catch (const std::invalid_argument& ex) {
    EXPECT_NE(std::string(ex.what()).find("layer 'relu' of 'tiny_a' has no energy"),
              std::string::npos)
        << ex.what();
  }
  EXPECT_EQ(study::samples_of<duration>(r, nets, backend::openblas).size(), 3U);  // time is there
  try {
    (void)study::samples_of<duration>(r, {tiny("tiny_b", 2)}, backend::openblas);
    FAIL() << "no error";
  } catch (const std::invalid_argument& ex) {
    EXPECT_NE(std::string(ex.what()).find("network 'tiny_a' not given"), std::string::npos)
        << ex.what();
  }
}

// ---- energy by region id ------------------------------------------------------------------
measure::region_energy measured(std::optional<std::uint32_t> id, energy e) {
  measure::region_energy x;
  x.where.name = "tiny_a/conv";
  x.where.annotation = id;
  x.value = e;
  return x;
}

TEST(AttachEnergy, ByRegionIdPerBackend) {
  const network a = tiny("tiny_a", 4);
  run::profile_result r;
  // The same layer of the same network on two backends: same name, different regions.
  r.layers = {record(a, 1, backend::openblas, 4e-6), record(a, 1, backend::eigen, 9e-6),
              record(a, 2, backend::openblas, 1e-7)};
  r.layers[0].region = measure::region_id{1};
  r.layers[1].region = measure::region_id{2};
  // Region 1: runs 3, 5, 4 mJ → median 4 mJ; region 2: 7, 9 mJ → 8 mJ; region 3 is no record's.
  const std::vector<measure::region_energy> runs{measured(1, 3.0_mJ), measured(2, 7.0_mJ),
                                                 measured(1, 5.0_mJ), measured(3, 1.0_mJ),
                                                 measured(2, 9.0_mJ), measured(1, 4.0_mJ)};
  EXPECT_EQ(study::attach_energy(r, runs), 2U);
  ASSERT_TRUE(r.layers[0].energy_j);
  ASSERT_TRUE(r.layers[1].energy_j);
  EXPECT_DOUBLE_EQ(*r.layers[0].energy_j, 0.004);
  EXPECT_DOUBLE_EQ(*r.layers[1].energy_j, 0.008);
  EXPECT_FALSE(r.layers[2].energy_j);  // no region: nothing to join
  // A region read from a file has no id: joining it by name would be guessing.
  EXPECT_THROW((void)study::attach_energy(r, {measured(std::nullopt, 1.0_mJ)}),
               std::invalid_argument);
}

// ---- dataset CSV --------------------------------------------------------------------------
TEST(DatasetCsv, RoundTrip) {
  const network a = tiny("tiny_a", 4);
  run::profile_result r;
  r.config.openblas_core = "Haswell";
  r.config.openblas_build = "OpenBLAS 0.3.21 DYNAMIC_ARCH";
  r.config.eigen_simd = "SSE, SSE2";
  r.config.compiler = "g++ 12";
  r.config.flags = "-O2";
  r.rounds = 2;
  r.layers = {record(a, 1, backend::openblas, 0.0015, 0.0125),
              record(a, 2, backend::eigen, 0.0002)};
  // Values with at most 9 significant digits survive the CSV's %.9g exactly.
  r.layers[0].min_s = 0.00125;
  r.layers[0].mean_s = 0.00175;
  r.layers[0].sd_s = 0.000125;
  const temp_file f("roundtrip.csv");
  {
    std::ofstream os(f.path);
    study::write_dataset_csv(os, r);
  }
  const auto back = study::read_dataset_csv(f.path.string());
  EXPECT_EQ(back.config.openblas_core, "Haswell");
  EXPECT_EQ(back.config.openblas_build, "OpenBLAS 0.3.21 DYNAMIC_ARCH");
  EXPECT_EQ(back.config.eigen_simd, "SSE, SSE2");
  EXPECT_EQ(back.config.compiler, "g++ 12");
  EXPECT_EQ(back.config.flags, "-O2");
  ASSERT_EQ(back.rows.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& x = back.rows[i];
    const auto& y = r.layers[i];
    EXPECT_EQ(x.line, i + 10);  // 8 configuration lines, the header (9), then the rows
    EXPECT_EQ(x.source, y.network);
    EXPECT_EQ(x.layer, y.layer);
    EXPECT_EQ(x.layer_type, y.layer_type);
    EXPECT_EQ(x.node, y.node);
    EXPECT_EQ(x.platform, run::to_string(y.be));  // the backend is the platform label
    EXPECT_EQ(x.cost[0], y.cost.macs);
    EXPECT_EQ(x.cost[1], y.cost.ops);
    EXPECT_EQ(x.cost[2], y.cost.weights);
    EXPECT_EQ(x.cost[3], y.cost.biases);
    EXPECT_EQ(x.cost[4], y.cost.data_volume);
    EXPECT_EQ(x.rounds, 2);
    EXPECT_EQ(x.min_s, y.min_s);
    EXPECT_EQ(x.time_s, y.median_s);  // the profile's median is the time fitted
    EXPECT_EQ(x.mean_s, y.mean_s);
    EXPECT_EQ(x.sd_s, y.sd_s);
    EXPECT_EQ(x.energy_j, y.energy_j);
  }
  EXPECT_EQ(back.rows[0].layer_type, "conv2d");
  EXPECT_EQ(back.rows[0].cost[0], 4608);
  EXPECT_FALSE(back.rows[1].energy_j);
  EXPECT_EQ(back.rows[1].platform, "eigen");
}

// Line 1 the header, line 2 a good row, line 3 the row under test.
void expect_rejected(const std::string& bad_row, const std::string& column) {
  const temp_file f("bad.csv");
  {
    std::ofstream os(f.path);
    os << "network,layer,layer_type,node,backend,macs,ops,weights,biases,data_volume,rounds,"
          "min_s,median_s,mean_s,sd_s,energy_J\n"
       << "tiny_a,conv,conv2d,1,openblas,4608,0,288,4,1104,2,0.001,0.0015,0.0015,0,\n"
       << bad_row << '\n';
  }
  try {
    (void)study::read_dataset_csv(f.path.string());
    ADD_FAILURE() << "accepted: " << bad_row;
  } catch (const parse_error& e) {
    EXPECT_EQ(e.file(), f.path.string());
    EXPECT_EQ(e.line(), 3U);
    EXPECT_NE(std::string(e.what()).find(f.path.string() + ":3:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'" + column + "'"), std::string::npos) << e.what();
  }
}

TEST(DatasetCsv, RejectsImpossibleRowsNamingFileAndLine) {
  // 1e30 MACs overflow a 64-bit count; a NaN node is no node; a time cannot be negative.
  expect_rejected("tiny_a,conv,conv2d,1,openblas,1e30,0,288,4,1104,2,0.001,0.0015,0.0015,0,",
                  "macs");
  expect_rejected("tiny_a,conv,conv2d,nan,openblas,4608,0,288,4,1104,2,0.001,0.0015,0.0015,0,",
                  "node");
  expect_rejected("tiny_a,conv,conv2d,1,openblas,4608,0,288,4,1104,2,0.001,-0.0015,0.0015,0,",
                  "median_s");
}

// Counters are row features: written as columns only when measured, read back as given, and
// empty (never 0) where a record has none.
TEST(DatasetCsv, CountersRoundTripAsColumns) {
  const network a = tiny("tiny_a", 4);
  run::profile_result r;
  r.rounds = 2;
  r.layers = {record(a, 1, backend::openblas, 0.0015), record(a, 2, backend::openblas, 0.0002),
              record(a, 1, backend::eigen, 0.0016)};
  const auto col = [](const char* name) { return measure::counter_column(name); };
  // A callgrind pass on openblas: instructions and LL misses; 2^53 + 2 is exact in a double and
  // needs 16 digits, which %.9g would round (the counts are not times).
  r.layers[0].counters[col("instructions")] = 9007199254740994.0;
  r.layers[0].counters[col("llc_misses")] = 12.5;  // perf scales multiplexed counts: not whole
  r.layers[1].counters[col("instructions")] = 300.0;
  r.layers[1].counters[col("llc_misses")] = 0.0;  // measured zero stays 0
  std::ostringstream os;
  study::write_dataset_csv(os, r);
  const std::string text = os.str();
  // The header ends with the two measured counters only (no cycles, simd_ops, ... columns).
  EXPECT_NE(text.find(",energy_J,instructions,llc_misses\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("simd_ops"), std::string::npos);
  const temp_file f("counters.csv");
  std::ofstream(f.path) << text;
  const auto back = study::read_dataset_csv(f.path.string());
  ASSERT_EQ(back.rows.size(), 3U);
  EXPECT_EQ(back.rows[0].counters[col("instructions")], 9007199254740994.0);
  EXPECT_EQ(back.rows[0].counters[col("llc_misses")], 12.5);
  EXPECT_EQ(back.rows[1].counters[col("llc_misses")], 0.0);
  EXPECT_FALSE(back.rows[0].counters[col("cycles")]);
  // The eigen rows were not counted: empty cells, read as not measured.
  EXPECT_FALSE(back.rows[2].counters[col("instructions")]);
  EXPECT_FALSE(back.rows[2].counters[col("llc_misses")]);
  // to_dataset carries them too.
  const auto d = study::to_dataset(r, {a});
  EXPECT_EQ(d.rows[1].counters[col("instructions")], 300.0);
  EXPECT_FALSE(d.rows[2].counters[col("instructions")]);
  // JSON: a "counters" object with the measured ones; none on an uncounted layer.
  const auto j = study::dataset_json(r);
  EXPECT_EQ(j["layers"][0]["counters"]["llc_misses"], 12.5);
  EXPECT_FALSE(j["layers"][0]["counters"].contains("cycles"));
  EXPECT_FALSE(j["layers"][2].contains("counters"));
}

TEST(DatasetCsv, CounterColumnsAreCheckedAndNeverPartial) {
  const std::string head = "network,layer,time_s,platform,simd_ops\n";
  const auto rejected = [&](const std::string& rows, std::size_t line, const std::string& what) {
    const temp_file f("partial.csv");
    std::ofstream(f.path) << head << rows;
    try {
      (void)study::read_dataset_csv(f.path.string());
      ADD_FAILURE() << "accepted: " << rows;
    } catch (const parse_error& e) {
      EXPECT_EQ(e.line(), line) << e.what();
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  rejected("a,conv,1e-6,cpu,-5\n", 2, "column 'simd_ops': -5 is negative");
  rejected("a,conv,1e-6,cpu,nan\n", 2, "column 'simd_ops': not a finite number");
  // Measured on conv (line 2), empty on relu (line 3) of the same network and platform.
  rejected("a,conv,1e-6,cpu,100\na,relu,1e-6,cpu,\n", 3,
           "column 'simd_ops': empty here but measured in line 2 of network 'a' on platform "
           "'cpu'");
  rejected("a,conv,1e-6,cpu,\na,relu,1e-6,cpu,7\n", 3, "measured here but empty in line 2");
  // Another platform (or network) may lack it: a counting pass runs on one backend.
  const temp_file f("other_platform.csv");
  std::ofstream(f.path) << head << "a,conv,1e-6,cpu,100\na,relu,1e-6,cpu,3\na,conv,1e-6,gpu,\n"
                        << "a,relu,1e-6,gpu,\nb,conv,1e-6,cpu,\n";
  const auto d = study::read_dataset_csv(f.path.string());
  EXPECT_EQ(d.rows[1].counters[measure::counter_column("simd_ops")], 3.0);
  EXPECT_FALSE(d.rows[2].counters[measure::counter_column("simd_ops")]);
}

// ---- datasets from anywhere: sources, platforms, checks ---------------------------------
// The tiny networks at the rates of tiny_profile below (time: conv 1 ns/MAC, ReLU 0.5 ns/op,
// FC 2 ns/MAC; energy: 3 nJ/MAC, 1 nJ/op, 4 nJ/MAC). Width 2: conv 1152·2 = 2304 MACs →
// 2.304 µs, 6.912 µJ; ReLU 128 ops → 0.064 µs, 0.128 µJ; FC 384 MACs → 0.768 µs, 1.536 µJ.
// Width 4 doubles and width 6 triples each of these.

// A folder of this test (removed with the object) holding the dataset and its model files.
struct temp_dir {
  std::filesystem::path path;
  temp_dir()
      : path(std::filesystem::path(testing::TempDir()) /
             (std::string("synergy_study_test_") +
              testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path / "models");
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() { std::filesystem::remove_all(path); }
  // Writes `text` to the file `name` in the folder; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

// The test's resolver: the core alone (study_test links no importer). A file source must exist
// relative to the dataset's folder; its network is built here under the graph name an exporter
// would give it (models/w2.prototxt: "main_graph", models/w4.onnx: "torch_jit", any other
// models/<stem>.onnx: "torch_jit" of width 2); "tiny_w6" plays a zoo network, and a real zoo
// name is taken from the zoo.
study::network_resolver test_resolver(const std::filesystem::path& expected_dir) {
  return [expected_dir](const std::string& source, const std::filesystem::path& dir) -> network {
    EXPECT_EQ(dir, expected_dir);
    const std::filesystem::path p(source);
    if (p.extension() == ".prototxt" || p.extension() == ".onnx") {
      if (!std::filesystem::exists(dir / p)) throw std::invalid_argument("no such file");
      if (source == "models/w2.prototxt") return tiny("main_graph", 2);
      if (source == "models/w4.onnx") return tiny("torch_jit", 4);
      return tiny("torch_jit", 2);
    }
    if (source == "tiny_w6") return tiny("tiny_w6", 6);
    return zoo::by_name(source);
  };
}

const char* const minimal_csv =
    "network,layer,time_s,energy_J,platform\n"
    "models/w2.prototxt,conv,2.304e-6,6.912e-6,cpu-1t\n"
    "models/w2.prototxt,relu,0.064e-6,0.128e-6,cpu-1t\n"
    "models/w2.prototxt,fc,0.768e-6,1.536e-6,cpu-1t\n"
    "models/w4.onnx,conv,4.608e-6,13.824e-6,cpu-1t\n"
    "models/w4.onnx,fc,1.536e-6,3.072e-6,cpu-1t\n"  // rows in any order
    "models/w4.onnx,relu,0.128e-6,0.256e-6,cpu-1t\n"
    "tiny_w6,conv,6.912e-6,20.736e-6,cpu-1t\n"
    "tiny_w6,relu,0.192e-6,0.384e-6,cpu-1t\n"
    "tiny_w6,fc,2.304e-6,4.608e-6,cpu-1t\n"
    // Another board at half the times, without energy.
    "models/w2.prototxt,conv,1.152e-6,,jetson-orin/trt\n"
    "models/w2.prototxt,relu,0.032e-6,,jetson-orin/trt\n"
    "models/w2.prototxt,fc,0.384e-6,,jetson-orin/trt\n"
    "models/w4.onnx,conv,2.304e-6,,jetson-orin/trt\n"
    "models/w4.onnx,relu,0.064e-6,,jetson-orin/trt\n"
    "models/w4.onnx,fc,0.768e-6,,jetson-orin/trt\n";

TEST(DatasetFromAnywhere, GenericGraphNamesGiveWayToTheFileStem) {
  for (const char* g : {"torch_jit", "main_graph", "torch-jit-export", ""})
    EXPECT_TRUE(study::is_generic_graph_name(g)) << g;
  EXPECT_FALSE(study::is_generic_graph_name("resnet18"));
  EXPECT_FALSE(study::is_generic_graph_name("torch_jit_2"));
  EXPECT_EQ(study::dataset_network_name(tiny("torch_jit", 2), "a/b/resnet18.onnx"), "resnet18");
  EXPECT_EQ(study::dataset_network_name(tiny("main_graph", 2), "mobilenet.v2.onnx"),
            "mobilenet.v2");
  EXPECT_EQ(study::dataset_network_name(tiny("AlexNet", 2), "models/bvlc.prototxt"), "AlexNet");
}

TEST(DatasetFromAnywhere, MinimalCsvTakesCostsFromTheSources) {
  const temp_dir dir;
  dir.write("models/w2.prototxt", "name: \"main_graph\"\n");  // read by the resolver only
  dir.write("models/w4.onnx", "stand-in");
  const auto d = study::load_dataset(dir.write("data.csv", minimal_csv), test_resolver(dir.path));
  ASSERT_EQ(d.networks.size(), 3U);
  EXPECT_EQ(d.networks[0].name, "w2");  // graph "main_graph": the file's stem
  EXPECT_EQ(d.networks[1].name, "w4");  // graph "torch_jit"
  EXPECT_EQ(d.networks[2].name, "tiny_w6");
  EXPECT_EQ(d.platforms(), (std::vector<std::string>{"cpu-1t", "jetson-orin/trt"}));
  ASSERT_EQ(d.rows.size(), 15U);
  EXPECT_EQ(d.rows[4].network, "w4");
  EXPECT_EQ(d.rows[4].layer, "fc");
  EXPECT_EQ(d.rows[4].node, node_id{3});  // input 0, conv 1, relu 2, fc 3
  EXPECT_EQ(d.rows[4].line, 6U);

  // --platform's choice: only that platform's rows, descriptors and costs from the sources.
  const auto cpu = study::samples_of<duration>(d, "cpu-1t");
  ASSERT_EQ(cpu.size(), 9U);
  EXPECT_EQ(cpu[0].network, "w2");
  EXPECT_EQ(cpu[0].cost.macs, 2304);  // 8·8·2 outputs · 3·3·2 MACs each
  EXPECT_EQ(type_of(cpu[0].op), layer_type::conv2d);
  EXPECT_EQ(cpu[4].cost.macs, 768);  // w4's FC: 8·8·4 inputs · 3 outputs
  EXPECT_EQ(cpu[4].value.value(), 1.536e-6);
  EXPECT_EQ(study::samples_of<energy>(d, "cpu-1t")[6].value.value(), 20.736e-6);
  const auto trt = study::samples_of<duration>(d, "jetson-orin/trt");
  ASSERT_EQ(trt.size(), 6U);
  EXPECT_EQ(trt[3].value.value(), 2.304e-6);
  EXPECT_THROW((void)study::samples_of<energy>(d, "jetson-orin/trt"), std::invalid_argument);
  EXPECT_TRUE(study::samples_of<duration>(d, "no such platform").empty());

  // The paper's model recovers each platform's rates: 1 and 0.5 ns per conv MAC.
  const auto t = study::run_study<duration>(d, study::study_models()[0].name);
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(t[0].platform, "cpu-1t");
  EXPECT_EQ(t[1].platform, "jetson-orin/trt");
  EXPECT_NEAR(value_in(t[0].fit_all.model.per_driver(model::layer_class::conv), units::nanosecond),
              1.0, 1e-9);
  EXPECT_NEAR(value_in(t[1].fit_all.model.per_driver(model::layer_class::conv), units::nanosecond),
              0.5, 1e-9);
  EXPECT_NEAR(t[0].leave_network_out.relative_accuracy.mean, 100.0, 1e-6);
  EXPECT_FALSE(t[0].noise_ceiling);  // a CSV alone has no per-round totals
  std::ostringstream t7;
  study::write_table7(t7, t);
  EXPECT_NE(t7.str().find("| cpu-1t, paper | jetson-orin/trt, paper |"), std::string::npos)
      << t7.str();
}

TEST(DatasetFromAnywhere, ThreeColumnsAreEnoughWithARealZooNetwork) {
  // Every layer of the zoo's all_cnn_c at 1 ms, without platform or energy columns.
  const network net = zoo::by_name("all_cnn_c");
  std::string csv = "network,layer,time_s\n";
  for (node_id id = 1; id < net.size(); ++id)
    csv += "all_cnn_c," + std::string(net.name(id)) + ",0.001\n";
  const temp_dir dir;
  const auto d = study::load_dataset(dir.write("data.csv", csv), test_resolver(dir.path));
  EXPECT_EQ(d.platforms(), std::vector<std::string>{study::default_platform});
  const auto s = study::samples_of<duration>(d, "default");
  ASSERT_EQ(s.size(), net.size() - 1);
  for (node_id id = 1; id < net.size(); ++id) {
    EXPECT_EQ(s[id - 1].cost.macs, net.cost(id).macs);
    EXPECT_EQ(s[id - 1].value.value(), 0.001);
  }
}

// Writes `csv` (with the tiny models) and expects load_dataset to reject it at `line`,
// naming `what` (a column in quotes, or another phrase).
void expect_dataset_error(const std::string& csv, std::size_t line, const std::string& what) {
  const temp_dir dir;
  dir.write("models/w2.prototxt", "");
  dir.write("models/w4.onnx", "");
  dir.write("w4.onnx", "");
  const std::string file = dir.write("data.csv", csv);
  try {
    (void)study::load_dataset(file, test_resolver(dir.path));
    ADD_FAILURE() << "accepted:\n" << csv;
  } catch (const parse_error& e) {
    EXPECT_EQ(e.file(), file);
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(DatasetFromAnywhere, EveryErrorNamesFileLineAndField) {
  const std::string head = "network,layer,time_s,energy_J\n";
  const std::string w2 = "models/w2.prototxt,conv,1e-6,2e-6\nmodels/w2.prototxt,relu,1e-7,2e-7\n";
  expect_dataset_error(head + w2 + "models/w2.prototxt,pool,1e-6,2e-6\n", 4,
                       "column 'layer': 'pool' is not a node of 'models/w2.prototxt'");
  expect_dataset_error(head + w2 + "models/w2.prototxt,data,1e-6,2e-6\n", 4,
                       "column 'layer': 'data' is the input");
  expect_dataset_error("network,time_s\nmodels/w2.prototxt,1e-6\n", 1, "missing column 'layer'");
  expect_dataset_error("network,layer\nmodels/w2.prototxt,conv\n", 1, "missing column 'time_s'");
  expect_dataset_error("network,layer,time_s,median_s\nmodels/w2.prototxt,conv,1,1\n", 1,
                       "'time_s' and 'median_s'");
  expect_dataset_error("network,layer,time_s,energy_j\nmodels/w2.prototxt,conv,1,1\n", 1,
                       "unknown column 'energy_j'");
  expect_dataset_error(head + w2 + "models/w2.prototxt,fc,-1e-6,2e-6\n", 4,
                       "column 'time_s': -1e-6 is negative");
  expect_dataset_error(head + w2 + "models/w2.prototxt,fc,inf,2e-6\n", 4,
                       "column 'time_s': not a finite number");
  expect_dataset_error(head + w2 + "models/w2.prototxt,fc,1e-6,nan\n", 4,
                       "column 'energy_J': not a finite number");
  expect_dataset_error(head + w2 + "models/w2.prototxt,fc,,2e-6\n", 4, "column 'time_s': empty");
  expect_dataset_error(head + w2 + ",fc,1e-6,2e-6\n", 4, "column 'network': empty");
  expect_dataset_error("network,layer,time_s,platform\nmodels/w2.prototxt,conv,1e-6,\n", 2,
                       "column 'platform': empty");
  // A given cost differing from the source's: conv of width 2 has 2304 MACs.
  expect_dataset_error(
      "network,layer,time_s,macs\nmodels/w2.prototxt,conv,1e-6,2304\n"
      "models/w2.prototxt,relu,1e-7,0\nmodels/w2.prototxt,fc,1e-6,385\n",
      4, "column 'macs': 385 in the file, 384 from 'models/w2.prototxt'");
  expect_dataset_error("network,layer,time_s,layer_type\nmodels/w2.prototxt,conv,1e-6,pooling\n", 2,
                       "column 'layer_type': 'pooling' in the file, 'conv2d'");
  expect_dataset_error("network,layer,time_s,node\nmodels/w2.prototxt,relu,1e-6,3\n", 2,
                       "column 'node': 3 in the file, 2 in");
  // Coverage: w2 on its (default) platform lacks fc; reported at the group's first row.
  expect_dataset_error(
      head + "models/w4.onnx,conv,1,1\nmodels/w4.onnx,relu,1,1\n" + "models/w4.onnx,fc,1,1\n" + w2,
      5, "network 'w2' on platform 'default' has no row for 1 of its 3 layers ('fc')");
  expect_dataset_error(head + w2 + "models/w2.prototxt,conv,1e-6,2e-6\n", 4,
                       "'conv' of 'w2' on platform 'default' already has a row (line 2)");
  // Two exports named torch_jit in files of one stem would merge under one name.
  expect_dataset_error(head + "models/w4.onnx,conv,1,1\nw4.onnx,conv,1,1\n", 3,
                       "column 'network': 'w4.onnx' is network 'w4', as is 'models/w4.onnx'");
  expect_dataset_error(head + "models/missing.onnx,conv,1,1\n", 2,
                       "column 'network': cannot load 'models/missing.onnx': no such file");
  expect_dataset_error(head + "no_such_zoo_net,conv,1,1\n", 2, "column 'network': cannot load");
}

// ---- the study and its tables -------------------------------------------------------------
// Four tiny networks whose layers cost exactly conv 1 ns/MAC, ReLU 0.5 ns/op, FC 2 ns/MAC of
// time and 3 nJ/MAC, 1 nJ/op, 4 nJ/MAC of energy: the paper's model (Σ value = a · Σ driver per
// class) recovers these rates and predicts every held-out network exactly.
run::profile_result tiny_profile(std::vector<network>& nets) {
  run::profile_result r;
  for (std::int64_t w : {2, 4, 6, 8}) {
    nets.push_back(tiny("tiny_w" + std::to_string(w), w));
    const network& n = nets.back();
    const auto wd = static_cast<double>(w);
    r.layers.push_back(record(n, 1, backend::openblas, 1152 * wd * 1e-9, 1152 * wd * 3e-9));
    r.layers.push_back(record(n, 2, backend::openblas, 64 * wd * 0.5e-9, 64 * wd * 1e-9));
    r.layers.push_back(record(n, 3, backend::openblas, 192 * wd * 2e-9, 192 * wd * 4e-9));
    // Network total 1568·w ns in every round: a noise ceiling of 100 %.
    const double total = 1568 * wd * 1e-9;
    r.networks.push_back({std::string(n.name()), backend::openblas, {total, total}});
  }
  return r;
}

TEST(Study, PaperModelOfTimeAndEnergyOnExactData) {
  std::vector<network> nets;
  const auto r = tiny_profile(nets);
  const std::string paper = study::study_models()[0].name;

  const auto t = study::run_study<duration>(r, nets, paper);
  ASSERT_EQ(t.size(), 1U);
  static_assert(std::is_same_v<decltype(t[0].fit_all), model::fit_result<duration>>);
  const auto& tm = t[0].fit_all.model;
  EXPECT_NEAR(value_in(tm.per_driver(model::layer_class::conv), units::nanosecond), 1.0, 1e-9);
  EXPECT_NEAR(value_in(tm.per_driver(model::layer_class::activation), units::nanosecond), 0.5,
              1e-9);
  EXPECT_NEAR(value_in(tm.per_driver(model::layer_class::fully_connected), units::nanosecond), 2.0,
              1e-9);
  EXPECT_NEAR(t[0].leave_network_out.relative_accuracy.mean, 100.0, 1e-6);
  ASSERT_EQ(t[0].leave_network_out.networks.size(), 4U);
  // Held out tiny_w2: measured total 1568 · 2 ns = 3.136 µs.
  EXPECT_EQ(t[0].leave_network_out.networks[0].network, "tiny_w2");
  EXPECT_NEAR(value_in(t[0].leave_network_out.networks[0].measured, units::microsecond), 3.136,
              1e-12);
  ASSERT_TRUE(t[0].noise_ceiling);
  EXPECT_NEAR(t[0].noise_ceiling->mean, 100.0, 1e-9);
  EXPECT_TRUE(t[0].held_out.networks.empty());  // GoogLeNet, AlexNet, VGG_CNN_S not profiled

  const auto e = study::run_study<energy>(r, nets, paper);
  ASSERT_EQ(e.size(), 1U);
  EXPECT_NEAR(value_in(e[0].fit_all.model.per_driver(model::layer_class::conv), units::joule), 3e-9,
              1e-18);
  EXPECT_NEAR(e[0].leave_network_out.relative_accuracy.mean, 100.0, 1e-6);
  // Held out tiny_w8 energy: 8 · (1152 · 3 + 64 · 1 + 192 · 4) nJ = 8 · 4288 nJ = 34.304 µJ.
  EXPECT_NEAR(value_in(e[0].leave_network_out.networks[3].measured, units::microjoule), 34.304,
              1e-9);
}

TEST(Study, TablesSayWhatTheyMeasureAndWhyTable8IsEmpty) {
  std::vector<network> nets;
  const auto r = tiny_profile(nets);
  const auto t = study::run_study<duration>(r, nets);
  ASSERT_EQ(t.size(), 2U);  // the paper's model and the class-aware one
  std::ostringstream t8;
  study::write_table8(t8, t);
  // One explanatory line, no table header over no rows.
  EXPECT_EQ(t8.str(),
            "(not run: the dataset lacks at least one of the held-out networks googlenet "
            "alexnet vgg_cnn_s)\n");
  std::ostringstream t7;
  study::write_table7(t7, t);
  EXPECT_NE(t7.str().find("| conv |"), std::string::npos) << t7.str();
  EXPECT_NE(t7.str().find("(latency;"), std::string::npos) << t7.str();

  std::ostringstream e7, e8;
  const auto e = study::run_study<energy>(r, nets);
  study::write_table7(e7, e);
  study::write_table8(e8, e);
  EXPECT_NE(e7.str().find("(energy;"), std::string::npos) << e7.str();
  const std::string e8s = e8.str();
  EXPECT_EQ(std::count(e8s.begin(), e8s.end(), '\n'), 1);
  EXPECT_EQ(e8s.rfind("(not run:", 0), 0U) << e8s;
}

TEST(Study, Table8PrintsTheResponsesUnit) {
  // One held-out network measured 500 mJ, predicted 400 mJ of which 100 mJ by the fallback (its
  // LRN layers), 100 mJ of layers unmodelled: Eq 8 = 100 − 100/500 · 100 = 80 %; from the
  // fallback 100 / 400 = 25 %; left out 100 / (500 + 100) = 16.7 %.
  study::study_result<energy> r;
  r.platform = "openblas";
  r.spec = study::study_models()[0];
  // Member by member: robust to fields added to network_prediction.
  model::network_prediction<energy> p;
  p.network = "alexnet";
  p.measured = 500.0_mJ;
  p.predicted = 400.0_mJ;
  p.unmodelled = 100.0_mJ;
  p.from_fallback = 100.0_mJ;
  p.fallback_classes = {model::layer_class::lrn};
  r.held_out.networks = {p};
  r.held_out.relative_accuracy = {80.0, 0.0};
  r.held_out_options = {{model::weighting::relative, model::calibration::platform}};
  std::ostringstream os;
  study::write_table8(os, std::vector<study::study_result<energy>>{r});
  const std::string t = os.str();
  EXPECT_NE(t.find("| measured mJ | predicted mJ |"), std::string::npos) << t;
  EXPECT_NE(t.find("| openblas | paper | relative, calibrated | alexnet | 500.00 | 400.00 | 80.0 % "
                   "| 25.0 % (lrn); left out: 16.7 % of the measured energy |"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("ceiling n/a"), std::string::npos) << t;
}

TEST(Study, OptionsSummaryCountsTheFits) {
  using model::calibration;
  using model::weighting;
  EXPECT_EQ(study::options_summary({{weighting::relative, calibration::none},
                                    {weighting::absolute, calibration::none},
                                    {weighting::relative, calibration::none}}),
            "relative ×2, absolute ×1");
  EXPECT_EQ(study::options_summary({}), "—");
  EXPECT_EQ(study::fit_label({weighting::absolute, calibration::platform}), "absolute, calibrated");
}

TEST(Study, ClassNoTrainingNetworkHasIsPredictedByTheFallback) {
  // The four tiny networks plus tiny_lrn (conv of width 4, ReLU, LRN, FC), the only network
  // with LRN. Left out, its LRN is predicted by the memory-bound fallback fitted on the other
  // networks' ReLUs: 0.5 ns per op over 64·w ops and 128·w elements (input + output) of data
  // volume = 0.25 ns per element; LRN on 8×8×4 moves 256 + 256 = 512 elements: 128 ns.
  // Predicted: conv 1152·4·1 ns = 4608 + ReLU 64·4·0.5 = 128 + LRN 128 + FC 192·4·2 = 1536:
  // 6400 ns; measured (LRN measured 1 µs): 4608 + 128 + 1000 + 1536 = 7272 ns.
  std::vector<network> nets;
  auto r = tiny_profile(nets);
  network n("tiny_lrn", {8, 8, 2});
  n.add("conv", conv2d{.out_channels = 4, .kernel = square(3), .padding = {1, 1}});
  n.add("relu", activation{});
  n.add("norm", lrn{});
  n.add("fc", fully_connected{.outputs = 3});
  nets.push_back(n);
  for (const auto& [id, t] : std::vector<std::pair<node_id, double>>{
           {1, 4608e-9}, {2, 128e-9}, {3, 1000e-9}, {4, 1536e-9}})
    r.layers.push_back(record(n, id, backend::openblas, t));
  r.networks.push_back({"tiny_lrn", backend::openblas, {7272e-9, 7272e-9}});
  const auto t = study::run_study<duration>(r, nets, study::study_models()[0].name);
  ASSERT_EQ(t.size(), 1U);
  const auto& lno = t[0].leave_network_out.networks;
  ASSERT_EQ(lno.size(), 5U);
  const auto& p = lno[0];  // in name order: tiny_lrn, tiny_w2, ...
  ASSERT_EQ(p.network, "tiny_lrn");
  EXPECT_NEAR(value_in(p.measured, units::nanosecond), 7272, 1e-6);
  EXPECT_NEAR(value_in(p.predicted, units::nanosecond), 6400, 1e-6);
  EXPECT_NEAR(value_in(p.from_fallback, units::nanosecond), 128, 1e-6);
  EXPECT_EQ(p.fallback_classes, std::vector<model::layer_class>{model::layer_class::lrn});
  EXPECT_EQ(p.unmodelled.value(), 0.0);
  // Every other network has no class the others lack: nothing from a fallback.
  for (std::size_t i = 1; i < 5; ++i)
    EXPECT_EQ(lno[i].from_fallback.value(), 0.0) << lno[i].network;
  ASSERT_EQ(t[0].leave_network_out_options.size(), 5U);  // one fit per left-out network
  // The model fitted on all networks has a fallback too (for networks it is asked to predict).
  EXPECT_TRUE(t[0].whole.model.fallback.fitted);
}

}  // namespace
