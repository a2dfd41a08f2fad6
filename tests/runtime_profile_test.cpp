// Other runtimes' per-layer profiles (measure/runtime_trace.hpp, study/runtime_profile.hpp):
// the fixtures of tests/data/runtime_profiles (README.md there says how each was made) read
// with values checked by hand against the files, broken inputs, conversion to dataset rows and
// attribution of a synthetic power trace with these profiles as markers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <synergy/measure/attribution.hpp>
#include <synergy/measure/markers.hpp>
#include <synergy/measure/runtime_trace.hpp>
#include <synergy/study/runtime_profile.hpp>

namespace fs = std::filesystem;
using namespace synergy;
using measure::runtime_trace_format;

namespace {

const fs::path fixtures = fs::path(__FILE__).parent_path() / "data" / "runtime_profiles";

std::string fixture(const char* name) { return (fixtures / name).string(); }

// The network of tiny.onnx as synergy names its nodes (the ONNX node names; BatchNorm folded
// into the convolution at export): 8×8×3 → Conv 4 → Relu → MaxPool 2 → Flatten → Gemm 5.
network tiny_net() {
  network n("tiny", {8, 8, 3});
  n.add("/features/features.0/Conv",
        conv2d{.out_channels = 4, .kernel = square(3), .padding = {1, 1}});
  n.add("/features/features.2/Relu", activation{});
  n.add("/features/features.3/MaxPool", max_pool2d{.kernel = square(2), .stride = {2, 2}});
  n.add("/Flatten", flatten{});
  n.add("/fc/Gemm", fully_connected{.outputs = 5});
  return n;
}

// Parses `text` as a runtime profile and returns the error message ("" when it parses).
std::string error_of(const std::string& text, const measure::runtime_trace_options& o = {}) {
  try {
    (void)measure::parse_runtime_trace(text, "t.json", o);
  } catch (const parse_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// onnxruntime_profile.json (hand-written): 36 events, of which 10 are "_kernel_time" node
// events (5 nodes × 2 runs); the rest are Session events and fences.
TEST(runtime_profile, reads_onnxruntime_node_events) {
  const auto t = measure::read_runtime_trace(fixture("onnxruntime_profile.json"));
  EXPECT_EQ(t.format, runtime_trace_format::onnxruntime);
  EXPECT_EQ(t.events, 36u);
  ASSERT_EQ(t.layers.size(), 10u);
  EXPECT_EQ(t.other, 26u);
  EXPECT_FALSE(t.anchored);
  // First run's Conv: ts 2021 µs, dur 120 µs → [2.021e-3, 2.141e-3) s.
  EXPECT_EQ(t.layers[0].name, "/features/features.0/Conv");
  EXPECT_EQ(t.layers[0].op_type, "Conv");
  EXPECT_DOUBLE_EQ(t.layers[0].t0_s, 2021e-6);
  EXPECT_DOUBLE_EQ(t.layers[0].t1_s, 2141e-6);
  EXPECT_EQ(t.layers[0].run, 0);
  // Second run's Gemm: ts 3165, dur 26 → run 1.
  EXPECT_EQ(t.layers[9].name, "/fc/Gemm");
  EXPECT_EQ(t.layers[9].op_type, "Gemm");
  EXPECT_NEAR(t.layers[9].t1_s - t.layers[9].t0_s, 26e-6, 1e-12);
  EXPECT_EQ(t.layers[9].run, 1);
}

// pytorch_trace.json (made by tools/profile_pytorch.py with Debian's torch 1.13, which has no
// Kineto: the legacy form, a bare array without "cat"): annotations are the events whose
// names have no "::"; 11 of them, the anchor among them.
TEST(runtime_profile, reads_pytorch_legacy_annotations_with_anchor) {
  const auto t = measure::read_runtime_trace(fixture("pytorch_trace.json"));
  EXPECT_EQ(t.format, runtime_trace_format::pytorch);
  EXPECT_TRUE(t.anchored);
  ASSERT_EQ(t.layers.size(), 10u);
  // The anchor: steady_s 10962.953761683 at ts 151 µs, so t = ts·1e-6 + 10962.953610683.
  // First Conv: ts 198, dur 52 (event 8 of the file).
  EXPECT_EQ(t.layers[0].name, "/features/features.0/Conv");
  EXPECT_NEAR(t.layers[0].t0_s, 10962.953610683 + 198e-6, 1e-9);
  EXPECT_NEAR(t.layers[0].t1_s - t.layers[0].t0_s, 52e-6, 1e-9);
  // BatchNorm's annotation carries its module path (it has no ONNX node): ts 258, dur 33.
  EXPECT_EQ(t.layers[1].name, "features.1");
  EXPECT_NEAR(t.layers[1].t1_s - t.layers[1].t0_s, 33e-6, 1e-9);
  EXPECT_EQ(t.layers[5].name, "/features/features.0/Conv");
  EXPECT_EQ(t.layers[5].run, 1);
  // An offset is added after the anchor.
  measure::runtime_trace_options o;
  o.offset_s = 2;
  const auto shifted = measure::read_runtime_trace(fixture("pytorch_trace.json"), o);
  EXPECT_NEAR(shifted.layers[0].t0_s - t.layers[0].t0_s, 2.0, 1e-9);
}

// The outermost operators of the legacy trace: in the first forward the first "aten::" events
// under the Conv annotation is aten::conv2d, which contains the rest of the convolution.
TEST(runtime_profile, pytorch_operators_take_the_outermost) {
  measure::runtime_trace_options o;
  o.pytorch = measure::pytorch_layer_events::operators;
  const auto t = measure::read_runtime_trace(fixture("pytorch_trace.json"), o);
  ASSERT_FALSE(t.layers.empty());
  EXPECT_GT(t.nested, 0u);
  for (const auto& r : t.layers) EXPECT_NE(r.name.find("::"), std::string::npos) << r.name;
  for (std::size_t i = 1; i < t.layers.size(); ++i)
    EXPECT_LE(t.layers[i - 1].t1_s, t.layers[i].t0_s) << "outermost operators do not overlap";
}

// kineto_trace.json (hand-written in Kineto's form): user annotations are layers, the
// profiler's ProfilerStep#1 and metadata/python_function events are not; ts is Kineto's clock.
TEST(runtime_profile, reads_pytorch_kineto_form) {
  const auto t = measure::read_runtime_trace(fixture("kineto_trace.json"));
  EXPECT_EQ(t.format, runtime_trace_format::pytorch);
  ASSERT_EQ(t.layers.size(), 2u);
  // Kineto counts µs since the epoch: times count from the first layer's begin, which
  // time_base names (1669000000000100 µs), so that durations keep their µs.
  EXPECT_EQ(t.layers[0].name, "/features/features.0/Conv");
  EXPECT_EQ(t.layers[0].t0_s, 0.0);
  EXPECT_NE(t.time_base.find("1669000000000100"), std::string::npos) << t.time_base;
  EXPECT_NEAR(t.layers[0].t1_s, 50e-6, 1e-12);
  EXPECT_NEAR(t.layers[1].t0_s, 60e-6, 1e-12);
  EXPECT_EQ(t.layers[1].name, "/features/features.2/Relu");
  EXPECT_NEAR(t.layers[1].t1_s - t.layers[1].t0_s, 12e-6, 1e-12);
  EXPECT_EQ(t.other, 7u);
  measure::runtime_trace_options o;
  o.pytorch = measure::pytorch_layer_events::operators;
  const auto ops = measure::read_runtime_trace(fixture("kineto_trace.json"), o);
  // aten::conv2d (aten::convolution nested), aten::relu, aten::flatten.
  ASSERT_EQ(ops.layers.size(), 3u);
  EXPECT_EQ(ops.nested, 1u);
  EXPECT_EQ(ops.layers[0].op_type, "aten::conv2d");
}

TEST(runtime_profile, prefix_chooses_and_strips) {
  measure::runtime_trace_options o;
  o.prefix = "/features/";
  const auto t = measure::read_runtime_trace(fixture("onnxruntime_profile.json"), o);
  ASSERT_EQ(t.layers.size(), 6u);  // Conv, Relu, MaxPool × 2 runs
  EXPECT_EQ(t.layers[0].name, "features.0/Conv");
}

TEST(runtime_profile, errors_name_file_and_event) {
  const std::string ort_head = R"([{"cat":"Session","name":"model_run","ts":0,"dur":9},)";
  EXPECT_NE(error_of("not json").find("t.json:0: not JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"a":1})").find("not a runtime profile"), std::string::npos);
  EXPECT_NE(error_of(R"([{"cat":"Node","name":"a_kernel_time","ts":1,"dur":1},{"name":"x"}])")
                .find("unknown profile format"),
            std::string::npos);
  EXPECT_NE(error_of(ort_head +
                     R"({"cat":"Node","name":"c_kernel_time","ts":1,"args":{"op_name":"Conv"}}])")
                .find("event 1 ('c_kernel_time'): no 'dur'"),
            std::string::npos);
  EXPECT_NE(
      error_of(
          ort_head +
          R"({"cat":"Node","name":"c_kernel_time","ts":-1,"dur":1,"args":{"op_name":"Conv"}}])")
          .find("'ts' is negative"),
      std::string::npos);
  EXPECT_NE(
      error_of(
          ort_head +
          R"({"cat":"Node","name":"c_kernel_time","ts":"1","dur":1,"args":{"op_name":"Conv"}}])")
          .find("'ts' is not a number"),
      std::string::npos);
  EXPECT_NE(error_of(ort_head + R"({"cat":"Node","name":"c_kernel_time","ts":1,"dur":1}])")
                .find("no string 'args.op_name'"),
            std::string::npos);
  EXPECT_NE(
      error_of(ort_head +
               R"({"cat":"Node","name":"_kernel_time","ts":1,"dur":1,"args":{"op_name":"Conv"}}])")
          .find("the node has no name"),
      std::string::npos);
  // Two nodes at once (a parallel executor): refused, naming both events.
  EXPECT_NE(
      error_of(ort_head +
               R"({"cat":"Node","name":"a_kernel_time","ts":1,"dur":5,"args":{"op_name":"Conv"}},
                                  {"cat":"Node","name":"b_kernel_time","ts":3,"dur":5,"args":{"op_name":"Relu"}}])")
          .find("event 2 ('b') overlaps event 1 ('a')"),
      std::string::npos);
  // Nested annotations are refused too.
  EXPECT_NE(error_of(R"([{"name":"outer","ts":0,"dur":10},{"name":"inner","ts":2,"dur":3}])")
                .find("event 1 ('inner') lies inside event 0 ('outer')"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"name":"aten::add","ts":0,"dur":10}])").find("no layer events"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"name":"synergy.anchor","ts":0,"dur":1,"args":{"steady_s":"x"}},
                        {"name":"a","ts":2,"dur":1}])")
                .find("'args.steady_s' is not a finite number"),
            std::string::npos);
  // JSON has no NaN; a number too large for a double is not finite.
  EXPECT_NE(error_of(R"([{"name":"a","ts":1e999,"dur":1}])").find("not JSON"), std::string::npos);
}

// Dataset rows from ONNX Runtime: every node matched by name. Means by hand from the fixture:
// Conv (120 + 100)/2 = 110 µs, Relu (10 + 8)/2 = 9, MaxPool (20 + 16)/2 = 18, Flatten 2,
// Gemm (30 + 26)/2 = 28.
TEST(runtime_profile, onnxruntime_to_dataset_rows) {
  const auto p = study::profile_to_rows(
      measure::read_runtime_trace(fixture("onnxruntime_profile.json")), tiny_net());
  ASSERT_EQ(p.rows.size(), 5u);
  EXPECT_EQ(p.matched, 10u);
  EXPECT_EQ(p.unmatched_events, 0u);
  EXPECT_TRUE(p.missing.empty());
  const double mean[] = {110e-6, 9e-6, 18e-6, 2e-6, 28e-6};
  const double min[] = {100e-6, 8e-6, 16e-6, 2e-6, 26e-6};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(p.rows[i].mean_s, mean[i], 1e-12) << p.rows[i].layer;
    EXPECT_NEAR(p.rows[i].min_s, min[i], 1e-12) << p.rows[i].layer;
    EXPECT_EQ(p.rows[i].rounds, 2u);
  }
  // sd of {120, 100} µs: |120 − 110|·√2 = 14.142… µs.
  EXPECT_NEAR(p.rows[0].sd_s, 10e-6 * std::sqrt(2.0), 1e-12);
  std::ostringstream csv;
  study::write_profile_dataset_csv(csv, p, "tiny.onnx", "onnxruntime-1.16/cpu");
  EXPECT_EQ(csv.str().substr(0, csv.str().find('\n')),
            "network,layer,time_s,platform,rounds,min_s,mean_s,sd_s");
  EXPECT_NE(csv.str().find("tiny.onnx,/fc/Gemm,2.8e-05,onnxruntime-1.16/cpu,2,2.6e-05,2.8e-05,"),
            std::string::npos);
}

// Dataset rows from the PyTorch trace: BatchNorm "features.1" has no node in its scope
// ("/features/features.1/"), so its time goes to the Conv before it: (52 + 33) and (21 + 19)
// µs → mean 62.5 µs. Flatten is a functional op without annotation: no event, time 0.
TEST(runtime_profile, pytorch_to_dataset_rows_folds_batch_norm) {
  const auto p = study::profile_to_rows(measure::read_runtime_trace(fixture("pytorch_trace.json")),
                                        tiny_net());
  EXPECT_EQ(p.matched, 8u);
  EXPECT_EQ(p.folded, 2u);
  EXPECT_EQ(p.unmatched_events, 0u);
  ASSERT_EQ(p.missing.size(), 1u);
  EXPECT_EQ(p.missing[0], "/Flatten");
  // Times on the steady clock (≈ 1e4 s) resolve 2e-12 s: compared to 1e-11.
  EXPECT_NEAR(p.rows[0].mean_s, 62.5e-6, 1e-11);
  EXPECT_NEAR(p.rows[0].min_s, 40e-6, 1e-11);
  EXPECT_NEAR(p.rows[1].mean_s, (12e-6 + 7e-6) / 2, 1e-11);
  EXPECT_EQ(p.rows[3].rounds, 0u);
  EXPECT_EQ(p.rows[3].mean_s, 0.0);
}

// Events that name no layer are counted and named, never used.
TEST(runtime_profile, unmatched_events_are_counted) {
  const auto t = measure::parse_runtime_trace(
      R"([{"name":"/fc/Gemm","ts":0,"dur":4},{"name":"/not/a/Node","ts":5,"dur":1},
          {"name":"/not/a/Node","ts":7,"dur":1}])",
      "t.json");
  const auto p = study::profile_to_rows(t, tiny_net());
  EXPECT_EQ(p.matched, 1u);
  EXPECT_EQ(p.unmatched_events, 2u);
  ASSERT_EQ(p.unmatched.size(), 1u);
  EXPECT_EQ(p.unmatched.at("/not/a/Node"), 2u);
  EXPECT_EQ(p.missing.size(), 4u);
}

TEST(runtime_profile, torch_module_scopes) {
  EXPECT_EQ(study::detail::torch_module_scope("features.0"), "/features/features.0/");
  EXPECT_EQ(study::detail::torch_module_scope("layer1.0.conv1"), "/layer1/layer1.0/conv1/");
  EXPECT_EQ(study::detail::torch_module_scope("layer1.0.downsample.0"),
            "/layer1/layer1.0/downsample/downsample.0/");
  EXPECT_EQ(study::detail::torch_module_scope("fc"), "/fc/");
}

// read_marker_file tells a runtime profile by content, whatever its name.
TEST(runtime_profile, marker_files_recognise_profiles) {
  const auto tmp = fs::temp_directory_path() / "synergy_runtime_profile_markers.txt";
  fs::copy_file(fixture("onnxruntime_profile.json"), tmp, fs::copy_options::overwrite_existing);
  const auto rs = measure::read_marker_file(tmp.string());
  fs::remove(tmp);
  ASSERT_EQ(rs.size(), 10u);
  EXPECT_EQ(rs[4].name, "/fc/Gemm");
}

// Attribution of a synthetic trace with the ONNX Runtime profile as markers: a step power of
// 2 W until 2.5 ms, then 6 W, sampled every 1 µs (trapezoid: exact for a step between samples
// except the one interval holding the step). Run 0's Conv [2021, 2141) µs lies in the 2 W part:
// 2 W × 120 µs = 240 µJ; run 1's Conv [3021, 3121) µs in the 6 W part: 6 W × 100 µs = 600 µJ.
TEST(runtime_profile, attribution_with_profile_markers) {
  measure::trace tr;
  tr.channels = {"power"};
  for (int k = 0; k <= 4000; ++k) {
    tr.time_s.push_back(k * 1e-6);
    tr.watts.push_back(k * 1e-6 < 2.5e-3 ? 2.0 : 6.0);
  }
  const auto rs = measure::read_marker_file(fixture("onnxruntime_profile.json"));
  const auto e = measure::attribute(tr, rs);
  ASSERT_EQ(e.size(), 10u);
  EXPECT_NEAR(e[0].value.value(), 240e-6, 1e-12);
  EXPECT_NEAR(e[5].value.value(), 600e-6, 1e-12);
  // Gemm of run 0: [2190, 2220) µs at 2 W = 60 µJ.
  EXPECT_NEAR(e[4].value.value(), 60e-6, 1e-12);
}
