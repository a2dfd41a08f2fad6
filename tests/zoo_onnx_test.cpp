// The torchvision zoo networks against their ONNX exports (issue 12): each zoo network equals
// the import of tests/data/onnx/<name>.onnx (torchvision 0.14, opset 13, weights as typed graph
// inputs, BatchNorm folded by the exporter) layer by layer — same layer count, and per layer
// the same name, type, producers, output shape and cost. The two were written independently
// (the zoo from torchvision's module definitions, the importer from the ONNX ops), so agreement
// checks both.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <synergy/io/onnx.hpp>
#include <synergy/zoo.hpp>
#include <vector>

namespace {

using namespace synergy;
using synergy::io::import_onnx;
using synergy::io::onnx_import;

struct zoo_case {
  const char* name;  // zoo name = file stem
  network (*make)();
};

// gtest prints a parameter by its name (else as raw bytes).
void PrintTo(const zoo_case& c, std::ostream* os) { *os << c.name; }

std::string shape_text(shape3 s) {
  return std::to_string(s.x) + "x" + std::to_string(s.y) + "x" + std::to_string(s.z);
}

std::string cost_text(const layer_cost& c) {
  return "macs " + std::to_string(c.macs) + ", ops " + std::to_string(c.ops) + ", weights " +
         std::to_string(c.weights) + ", biases " + std::to_string(c.biases) + ", data volume " +
         std::to_string(c.data_volume);
}

std::vector<std::string_view> producer_names(const network& n, node_id id) {
  std::vector<std::string_view> out;
  for (node_id p : n.inputs(id)) out.push_back(p == 0 ? std::string_view("<input>") : n.name(p));
  return out;
}

class ZooOnnx : public ::testing::TestWithParam<zoo_case> {};

TEST_P(ZooOnnx, ZooNetworkEqualsItsOnnxImportLayerByLayer) {
  const zoo_case& c = GetParam();
  const auto file = std::filesystem::path(__FILE__).parent_path() / "data" / "onnx" /
                    (std::string(c.name) + ".onnx");
  std::optional<onnx_import> imported;
  try {
    imported.emplace(import_onnx(file));
  } catch (const std::exception& e) {
    // Not skipped: a file the importer cannot read yet is a failure of this test.
    FAIL() << file << ": the ONNX importer failed: " << e.what();
  }
  const network& onnx = imported->net;
  const network zoo = c.make();
  EXPECT_EQ(onnx.output(0), zoo.output(0)) << "input shape";
  // Node by node in order: both follow the ONNX graph's topological order.
  const std::size_t common = std::min(onnx.size(), zoo.size());
  int reported = 0;
  for (node_id i = 1; i < common && reported < 10; ++i) {
    const bool same = onnx.name(i) == zoo.name(i) && type_of(onnx.at(i)) == type_of(zoo.at(i)) &&
                      producer_names(onnx, i) == producer_names(zoo, i) &&
                      onnx.output(i) == zoo.output(i) && onnx.cost(i) == zoo.cost(i);
    if (same) continue;
    ++reported;
    ADD_FAILURE() << c.name << " node " << i << ":\n  onnx: " << onnx.name(i) << " ("
                  << to_string(type_of(onnx.at(i))) << ") → " << shape_text(onnx.output(i)) << "; "
                  << cost_text(onnx.cost(i)) << "\n  zoo:  " << zoo.name(i) << " ("
                  << to_string(type_of(zoo.at(i))) << ") → " << shape_text(zoo.output(i)) << "; "
                  << cost_text(zoo.cost(i));
  }
  EXPECT_EQ(onnx.size(), zoo.size()) << c.name << ": layer count";
  EXPECT_EQ(onnx.totals(), zoo.totals()) << c.name;
}

// The zoo's torchvision networks, each with its export.
const zoo_case cases[] = {
    {"mobilenet_v3_large", zoo::mobilenet_v3_large},
    {"mobilenet_v3_small", zoo::mobilenet_v3_small},
    {"efficientnet_b0", zoo::efficientnet_b0},
    {"shufflenet_v2_x1_0", zoo::shufflenet_v2_x1_0},
    {"mnasnet1_0", zoo::mnasnet1_0},
    {"regnet_y_400mf", zoo::regnet_y_400mf},
    {"convnext_tiny", zoo::convnext_tiny},
};

INSTANTIATE_TEST_SUITE_P(Torchvision, ZooOnnx, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<zoo_case>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
