// ONNX importer: small graphs built in code (weights as initializers or typed inputs, symbolic
// batch), errors, and the real PyTorch exports of ../shared/data/onnx with their exact MACs.
#include <gtest/gtest.h>

#include <filesystem>
#include <synergy/io/onnx.hpp>

using namespace synergy;
using namespace synergy::io;

namespace {

void set_type(onnx::ValueInfoProto* v, const std::string& name, std::vector<std::int64_t> dims,
              bool symbolic_batch = false) {
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    auto* d = t->mutable_shape()->add_dim();
    if (i == 0 && symbolic_batch)
      d->set_dim_param("N");
    else
      d->set_dim_value(dims[i]);
  }
}

onnx::NodeProto* add_node(onnx::GraphProto* g, const std::string& op, const std::string& name,
                          std::vector<std::string> in, std::vector<std::string> out) {
  auto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (auto& i : in) n->add_input(i);
  for (auto& o : out) n->add_output(o);
  return n;
}

void ints(onnx::NodeProto* n, const std::string& name, std::vector<std::int64_t> v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (auto x : v) a->add_ints(x);
}

void weight(onnx::GraphProto* g, const std::string& name, std::vector<std::int64_t> dims,
            bool as_input) {
  if (as_input) {
    set_type(g->add_input(), name, dims);
    return;
  }
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  std::int64_t count = 1;
  for (auto d : dims) {
    t->add_dims(d);
    count *= d;
  }
  for (std::int64_t i = 0; i < count; ++i) t->add_float_data(0.f);
}

// 8×8×3 → Conv 3×3 pad 1 → 4 (8·8·4·27 = 6,912 MACs) → Relu → MaxPool 2×2/2 (4×4×4) → Flatten →
// Gemm → 10 (64·10 = 640 MACs).
onnx::ModelProto small_model(bool weights_as_inputs, bool symbolic_batch) {
  onnx::ModelProto m;
  m.set_ir_version(7);
  m.add_opset_import()->set_version(13);
  auto* g = m.mutable_graph();
  g->set_name("small");
  set_type(g->add_input(), "x", {1, 3, 8, 8}, symbolic_batch);
  weight(g, "w", {4, 3, 3, 3}, weights_as_inputs);
  weight(g, "b", {4}, weights_as_inputs);
  weight(g, "fw", {10, 64}, weights_as_inputs);
  weight(g, "fb", {10}, weights_as_inputs);
  auto* conv = add_node(g, "Conv", "conv", {"x", "w", "b"}, {"c"});
  ints(conv, "kernel_shape", {3, 3});
  ints(conv, "pads", {1, 1, 1, 1});
  add_node(g, "Relu", "relu", {"c"}, {"r"});
  auto* pool = add_node(g, "MaxPool", "pool", {"r"}, {"p"});
  ints(pool, "kernel_shape", {2, 2});
  ints(pool, "strides", {2, 2});
  add_node(g, "Flatten", "flat", {"p"}, {"f"});
  auto* gemm = add_node(g, "Gemm", "fc", {"f", "fw", "fb"}, {"y"});
  auto* t = gemm->add_attribute();
  t->set_name("transB");
  t->set_type(onnx::AttributeProto::INT);
  t->set_i(1);
  set_type(g->add_output(), "y", {1, 10}, symbolic_batch);
  return m;
}

TEST(OnnxImport, WeightsAsInitializersOrInputsAndSymbolicBatch) {
  for (bool as_inputs : {false, true})
    for (bool symbolic : {false, true}) {
      const auto r = import_onnx_model(small_model(as_inputs, symbolic), "small.onnx");
      const network& n = r.net;
      ASSERT_EQ(n.size(), 6U) << as_inputs << symbolic;
      EXPECT_EQ(n.output(0), (shape3{8, 8, 3}));
      EXPECT_EQ(n.output(*n.find("pool")), (shape3{4, 4, 4}));
      EXPECT_EQ(n.totals().macs, 6'912 + 640);
      EXPECT_EQ(n.totals().params(), 108 + 4 + 640 + 10);
    }
}

TEST(OnnxImport, ErrorsNameTheNodeAndListTheSupportedOps) {
  auto m = small_model(false, false);
  m.mutable_graph()->mutable_node(1)->set_op_type("Swish");
  try {
    (void)import_onnx_model(m, "m.onnx");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("m.onnx: node 'relu' (Swish): unsupported: Swish (supported: Conv, Gemm"),
              std::string::npos)
        << what;
  }
  const auto zero = import_onnx_model(m, "m.onnx", {.unsupported_as_zero_cost = true});
  ASSERT_EQ(zero.notes.size(), 1U);
  EXPECT_EQ(zero.notes[0].type, "Swish");
  auto asym = small_model(false, false);
  ints(asym.mutable_graph()->mutable_node(0), "pads", {0, 0, 1, 1});
  asym.mutable_graph()->mutable_node(0)->mutable_attribute()->DeleteSubrange(1, 1);
  EXPECT_THROW((void)import_onnx_model(asym, "a.onnx"), std::invalid_argument);
  EXPECT_THROW((void)import_onnx("/nonexistent.onnx"), std::invalid_argument);
  auto one_d = small_model(false, false);
  ints(one_d.mutable_graph()->mutable_node(2), "strides", {2});  // MaxPool strides with 1 value
  one_d.mutable_graph()->mutable_node(2)->mutable_attribute()->DeleteSubrange(1, 1);
  try {
    (void)import_onnx_model(one_d, "s.onnx");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("node 'pool' (MaxPool): strides has 1 values (2-D only)"),
              std::string::npos)
        << e.what();
  }
}

// Opset ≥ 11 Pad takes its pads as a second input; torch.onnx emits them from a Constant node
// (torchvision's DenseNet-121 and Inception-v3 exports do). Pad 1 around the 8×8 input, then a
// 3×3 conv without padding: the same 8·8·4·27 = 6,912 MACs as small_model's padded conv.
onnx::ModelProto padded_model(bool pads_as_initializer, bool raw) {
  auto m = small_model(false, false);
  auto* g = m.mutable_graph();
  onnx::TensorProto pads;
  pads.set_name("pads");
  pads.set_data_type(onnx::TensorProto::INT64);
  pads.add_dims(8);
  const std::int64_t v[8] = {0, 0, 1, 1, 0, 0, 1, 1};  // N C H W begins, then ends
  if (raw)
    pads.set_raw_data(std::string(reinterpret_cast<const char*>(v), sizeof v));  // little-endian host
  else
    for (auto x : v) pads.add_int64_data(x);
  if (pads_as_initializer) {
    *g->add_initializer() = pads;
  } else {
    auto* c = add_node(g, "Constant", "pads_const", {}, {"pads"});
    auto* a = c->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    *a->mutable_t() = pads;
  }
  auto* pad = add_node(g, "Pad", "pad", {"x", "pads"}, {"xp"});
  auto* conv = g->mutable_node(0);
  conv->set_input(0, "xp");
  conv->mutable_attribute()->DeleteSubrange(1, 1);  // drop the conv's own pads
  // Nodes must stay topologically sorted: move the new ones in front of the conv.
  auto* nodes = g->mutable_node();
  for (int i = nodes->size() - 1; i > 0; --i) nodes->SwapElements(i, i - 1);
  if (!pads_as_initializer)
    for (int i = nodes->size() - 1; i > 0; --i) nodes->SwapElements(i, i - 1);
  (void)pad;
  return m;
}

TEST(OnnxImport, PadsFromAConstantInputAreFoldedIntoTheConv) {
  for (bool init : {false, true})
    for (bool raw : {false, true}) {
      const auto r = import_onnx_model(padded_model(init, raw), "p.onnx");
      EXPECT_EQ(r.net.output(*r.net.find("conv")), (shape3{8, 8, 4})) << init << raw;
      EXPECT_EQ(r.net.totals().macs, 6'912 + 640) << init << raw;
      ASSERT_EQ(r.notes.size(), 1U);
      EXPECT_EQ(r.notes[0].type, "Pad");
    }
  // Pads computed at run time (here: by an op the importer passes through) cannot be folded.
  auto m = padded_model(false, false);
  m.mutable_graph()->mutable_node(0)->set_op_type("ComputePads");
  m.mutable_graph()->mutable_node(0)->add_input("x");
  m.mutable_graph()->mutable_node(0)->mutable_attribute()->Clear();
  try {
    (void)import_onnx_model(m, "c.onnx", {.unsupported_as_zero_cost = true});
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("node 'pad' (Pad): pads 'pads' are computed at run time"), std::string::npos)
        << e.what();
  }
}

// The real exports: MACs of convolutions and FC layers as ../shared/data/onnx/README.md gives
// them (counted there with PyTorch forward hooks).
TEST(OnnxImport, TorchvisionExportsGiveTheirExactMacs) {
  const auto dir = std::filesystem::path(SYNERGY_SHARED_DATA) / "onnx";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no " << dir;
  const std::pair<const char*, std::int64_t> cases[] = {
      {"resnet18_op13.weights_as_inputs.onnx", 1'814'073'344},
      {"mobilenet_v2_op13.weights_as_inputs.onnx", 300'774'272},
      {"squeezenet1_1_op11.weights_as_inputs.onnx", 349'151'936},
  };
  for (const auto& [file, macs] : cases) {
    const auto r = import_onnx(dir / file);
    const auto s = r.net.by_layer_type();
    EXPECT_EQ(s[layer_type::conv2d].cost.macs + s[layer_type::depthwise_conv2d].cost.macs +
                  s[layer_type::fully_connected].cost.macs,
              macs)
        << file;
  }
}

}  // namespace
