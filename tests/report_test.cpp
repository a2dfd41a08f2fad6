// Reports: the per-layer table as rows, text, CSV and JSON, on a network small enough to
// derive every figure by hand.
#include <gtest/gtest.h>

#include <sstream>
#include <synergy/report/json.hpp>
#include <synergy/report/layer_table.hpp>

using namespace synergy;

namespace {

// 8×8×3 input; conv 3×3 pad 1 → 8×8×4: MACs 8·8·4·27 = 6,912, weights 108, biases 4,
// bias adds 256, data volume 192 + 108 + 256 = 556. ReLU: 256 ops, dv 512.
// pool 2×2 s2 → 4×4×4: ops 64·3 = 192, dv 256 + 64 = 320. fc → 10: MACs 640, params 650,
// ops 10, dv 64 + 640 + 10 = 714. Totals: MACs 7,552; ops 714; params 762; dv 2,102.
network tiny() {
  network n("tiny, \"quoted\"", {8, 8, 3});
  n.add("conv", conv2d{.out_channels = 4, .kernel = square(3), .padding = {1, 1}});
  n.add("relu", activation{});
  n.add("pool", max_pool2d{.kernel = square(2), .stride = {2, 2}});
  n.add("fc,1", fully_connected{.outputs = 10});
  return n;
}

TEST(Report, RowsCarryShapesAndCounts) {
  const auto rows = layer_table(tiny());
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[0].name, "conv");
  EXPECT_EQ(rows[0].type, layer_type::conv2d);
  EXPECT_EQ(rows[0].inputs.at(0), (shape3{8, 8, 3}));
  EXPECT_EQ(rows[0].output, (shape3{8, 8, 4}));
  EXPECT_EQ(rows[0].cost, (layer_cost{6'912, 256, 108, 4, 556}));
  EXPECT_EQ(rows[2].cost, (layer_cost{0, 192, 0, 0, 320}));
  EXPECT_EQ(rows[3].cost, (layer_cost{640, 10, 640, 10, 714}));
}

TEST(Report, CsvHasOneLinePerLayerAndQuotes) {
  const std::string csv = to_csv(tiny());
  std::istringstream in(csv);
  std::string header, conv, relu, pool, fc, extra;
  std::getline(in, header);
  std::getline(in, conv);
  std::getline(in, relu);
  std::getline(in, pool);
  std::getline(in, fc);
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_EQ(header,
            "name,type,inputs,in_x,in_y,in_z,out_x,out_y,out_z,macs,ops,weights,biases,"
            "params,data_volume");
  EXPECT_EQ(conv, "conv,conv2d,1,8,8,3,8,8,4,6912,256,108,4,112,556");
  EXPECT_EQ(pool, "pool,max_pool2d,1,8,8,4,4,4,4,0,192,0,0,0,320");
  EXPECT_EQ(fc, "\"fc,1\",fully_connected,1,4,4,4,1,1,10,640,10,640,10,650,714");
}

TEST(Report, TextHasHeaderRowsTypeSumsAndTotal) {
  const std::string text = to_text(tiny());
  EXPECT_NE(text.find("network tiny, \"quoted\": input 8x8x3, 4 layers"), std::string::npos);
  EXPECT_NE(text.find("MACs"), std::string::npos);
  // The TOTAL line carries 7,552 MACs, 714 ops, 762 params and 2,102 elements.
  const auto total = text.substr(text.find("TOTAL"));
  for (const char* v : {"7552", "714", "762", "2102"})
    EXPECT_NE(total.find(v), std::string::npos) << v;
  EXPECT_NE(text.find("sum max_pool2d"), std::string::npos);
  EXPECT_EQ(text.find("sum input"), std::string::npos);
}

TEST(Report, JsonHasLayersTypeSumsAndTotals) {
  const auto j = to_json(tiny());
  EXPECT_EQ(j["network"], "tiny, \"quoted\"");
  EXPECT_EQ(j["input"], nlohmann::json({8, 8, 3}));
  ASSERT_EQ(j["layers"].size(), 4U);
  EXPECT_EQ(j["layers"][3]["name"], "fc,1");
  EXPECT_EQ(j["layers"][3]["inputs"][0], nlohmann::json({4, 4, 4}));
  EXPECT_EQ(j["layers"][0]["data_volume"], 556);
  EXPECT_EQ(j["by_layer_type"]["conv2d"]["macs"], 6'912);
  EXPECT_EQ(j["by_layer_type"]["activation"]["layers"], 1);
  EXPECT_FALSE(j["by_layer_type"].contains("input"));
  EXPECT_EQ(j["totals"]["macs"], 7'552);
  EXPECT_EQ(j["totals"]["ops"], 714);
  EXPECT_EQ(j["totals"]["params"], 762);
  EXPECT_EQ(j["totals"]["data_volume"], 2'102);
  // Round trip through text.
  EXPECT_EQ(nlohmann::json::parse(j.dump()), j);
}

}  // namespace
