// ONNX importer: small graphs built in code (weights as initializers or typed inputs, symbolic
// batch), errors, and the real PyTorch exports of ../shared/data/onnx with their exact MACs.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <synergy/io/onnx.hpp>
#include <synergy/report/json.hpp>
#include <tuple>

#include "support/documented_list.hpp"

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
// An opset-13 model whose graph has the input "x" of 1×3×8×8, for tests to add nodes to.
onnx::ModelProto model_with_input() {
  onnx::ModelProto m;
  m.set_ir_version(7);
  m.add_opset_import()->set_version(13);
  set_type(m.mutable_graph()->add_input(), "x", {1, 3, 8, 8});
  return m;
}

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
    pads.set_raw_data(
        std::string(reinterpret_cast<const char*>(v), sizeof v));  // little-endian host
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
    EXPECT_NE(std::string(e.what()).find("node 'pad' (Pad): pads 'pads' are computed at run time"),
              std::string::npos)
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

// Issue 12: torchvision 0.14's modern ConvNets, exported at opset 13 with weights as typed graph
// inputs (tests/data/onnx/, written by tools/export_torchvision_onnx.py --weightless). Each
// imports with no unsupported op, and its MACs — convolutions and linear layers, the only layers
// with MACs — equal the conv + linear multiply-adds of PyTorch forward hooks on the same models
// (exact) and torchvision's published GFLOPS to the two decimals it gives. torchvision's
// figure is fvcore's convention, conv and linear only: the squeeze-and-excitation products,
// activations (hard-swish, SiLU, GELU), LayerNorm, additions and pooling are ops here, not MACs,
// and fvcore leaves them out as well.
TEST(OnnxImport, ModernConvNetsImportWithTorchvisionsMacs) {
  const auto dir = std::filesystem::path(__FILE__).parent_path() / "data" / "onnx";
  struct expected {
    const char* file;
    std::int64_t hooks;  // PyTorch forward hooks on Conv2d and Linear (see docs/importers.md)
    double gmacs;        // torchvision's model docs, "GFLOPS"
  };
  const expected cases[] = {
      {"mobilenet_v3_large", 216'589'760, 0.22}, {"mobilenet_v3_small", 56'510'400, 0.06},
      {"efficientnet_b0", 385'814'752, 0.39},    {"shufflenet_v2_x1_0", 144'907'992, 0.14},
      {"mnasnet1_0", 314'415'872, 0.31},         {"regnet_y_400mf", 401'842'848, 0.40},
      {"convnext_tiny", 4'455'531'264, 4.46},
  };
  for (const auto& c : cases) {
    const auto r = import_onnx(dir / (std::string(c.file) + ".onnx"));
    for (const auto& note : r.notes)
      EXPECT_EQ(note.note.find("not counted"), std::string::npos)
          << c.file << ": " << note.layer << " (" << note.type << ") " << note.note;
    const std::int64_t macs = r.net.totals().macs;
    EXPECT_EQ(macs, c.hooks) << c.file;
    // torchvision gives GFLOPS to two decimals: the MACs rounded to hundredths of a G.
    EXPECT_EQ(std::llround(static_cast<double>(macs) / 1e7), std::llround(c.gmacs * 100)) << c.file;
  }
}

// The op table, op by op: each op the importer lists imports in a one- or two-node graph on an
// 8×8×3 input, as the layer the ONNX operator definitions describe. The list is this test's
// hand-written one, in the documented order, and docs/importers.md gives the same.
struct op_case {
  const char* op;
  std::function<void(onnx::GraphProto*)> build;  // nodes after the input "x", output "y"
  layer_type last;                               // type of the network's last node
  std::size_t nodes;                             // network nodes, the input included
};

void int_attr(onnx::NodeProto* n, const std::string& name, std::int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void int64_initializer(onnx::GraphProto* g, const std::string& name, std::vector<std::int64_t> v) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(static_cast<std::int64_t>(v.size()));
  for (auto x : v) t->add_int64_data(x);
}

// A 3×3 max pool without padding of its own: 8×8 only when a Pad of 1 was folded into it.
void pool3_after_pad(onnx::GraphProto* g) {
  ints(add_node(g, "MaxPool", "pool", {"xp"}, {"y"}), "kernel_shape", {3, 3});
}

std::vector<op_case> op_cases() {
  const auto unary = [](const char* op) {
    return [op](onnx::GraphProto* g) { add_node(g, op, "n", {"x"}, {"y"}); };
  };
  const auto fc = [](const char* op, std::vector<std::int64_t> w) {
    return [op, w](onnx::GraphProto* g) {
      add_node(g, "Flatten", "flat", {"x"}, {"f"});
      weight(g, "w", w, false);
      auto* n = add_node(g, op, "fc", {"f", "w"}, {"y"});
      if (std::string(op) == "Gemm") int_attr(n, "transB", 1);
    };
  };
  const auto pool = [](const char* op) {
    return [op](onnx::GraphProto* g) {
      auto* n = add_node(g, op, "pool", {"x"}, {"y"});
      ints(n, "kernel_shape", {2, 2});
      ints(n, "strides", {2, 2});
    };
  };
  const auto binary = [](const char* op) {
    return [op](onnx::GraphProto* g) { add_node(g, op, "n", {"x", "x"}, {"y"}); };
  };
  using lt = layer_type;
  return {
      {"Conv",
       [](onnx::GraphProto* g) {
         weight(g, "w", {4, 3, 3, 3}, false);
         ints(add_node(g, "Conv", "conv", {"x", "w"}, {"y"}), "kernel_shape", {3, 3});
       },
       lt::conv2d, 2},
      {"Gemm", fc("Gemm", {10, 192}), lt::fully_connected, 3},
      {"MatMul", fc("MatMul", {192, 10}), lt::fully_connected, 3},
      {"MaxPool", pool("MaxPool"), lt::max_pool2d, 2},
      {"AveragePool", pool("AveragePool"), lt::avg_pool2d, 2},
      {"GlobalAveragePool", unary("GlobalAveragePool"), lt::avg_pool2d, 2},
      {"GlobalMaxPool", unary("GlobalMaxPool"), lt::max_pool2d, 2},
      {"BatchNormalization",
       [](onnx::GraphProto* g) {
         for (const char* w : {"s", "b", "m", "v"}) weight(g, w, {3}, false);
         add_node(g, "BatchNormalization", "bn", {"x", "s", "b", "m", "v"}, {"y"});
       },
       lt::batch_norm, 2},
      {"Relu", unary("Relu"), lt::activation, 2},
      {"LeakyRelu", unary("LeakyRelu"), lt::activation, 2},
      {"Clip", unary("Clip"), lt::activation, 2},
      {"Sigmoid", unary("Sigmoid"), lt::activation, 2},
      {"Tanh", unary("Tanh"), lt::activation, 2},
      {"Add", binary("Add"), lt::eltwise, 2},
      {"Mul", binary("Mul"), lt::eltwise, 2},
      {"Concat",
       [](onnx::GraphProto* g) {
         int_attr(add_node(g, "Concat", "cat", {"x", "x"}, {"y"}), "axis", 1);
       },
       lt::concat, 2},
      {"Flatten", unary("Flatten"), lt::flatten, 2},
      {"Reshape",
       [](onnx::GraphProto* g) {
         int64_initializer(g, "shape", {1, 192});
         add_node(g, "Reshape", "r", {"x", "shape"}, {"y"});
       },
       lt::flatten, 2},
      {"Softmax",
       [](onnx::GraphProto* g) { int_attr(add_node(g, "Softmax", "n", {"x"}, {"y"}), "axis", 1); },
       lt::softmax, 2},
      {"Dropout", unary("Dropout"), lt::identity, 2},
      {"LRN",
       [](onnx::GraphProto* g) { int_attr(add_node(g, "LRN", "lrn", {"x"}, {"y"}), "size", 5); },
       lt::lrn, 2},
      {"Pad",
       [](onnx::GraphProto* g) {
         int64_initializer(g, "pads", {0, 0, 1, 1, 0, 0, 1, 1});
         add_node(g, "Pad", "pad", {"x", "pads"}, {"xp"});
         pool3_after_pad(g);
       },
       lt::max_pool2d, 2},
      {"Identity",
       [](onnx::GraphProto* g) {
         add_node(g, "Identity", "id", {"x"}, {"i"});
         add_node(g, "Relu", "relu", {"i"}, {"y"});
       },
       lt::activation, 3},  // input, identity, relu
      {"HardSigmoid", unary("HardSigmoid"), lt::activation, 2},
      {"HardSwish", unary("HardSwish"), lt::activation, 2},
      {"ReduceMean",
       [](onnx::GraphProto* g) {
         ints(add_node(g, "ReduceMean", "m", {"x"}, {"y"}), "axes", {2, 3});
       },
       lt::avg_pool2d, 2},
      {"Transpose",
       [](onnx::GraphProto* g) {
         ints(add_node(g, "Transpose", "nhwc", {"x"}, {"t"}), "perm", {0, 2, 3, 1});
         ints(add_node(g, "Transpose", "nchw", {"t"}, {"y"}), "perm", {0, 3, 1, 2});
       },
       lt::transpose, 3},
      {"Slice",
       [](onnx::GraphProto* g) {
         int64_initializer(g, "starts", {1});
         int64_initializer(g, "ends", {3});
         int64_initializer(g, "axes", {1});
         add_node(g, "Slice", "s", {"x", "starts", "ends", "axes"}, {"y"});
       },
       lt::slice, 2},
      {"Split",
       [](onnx::GraphProto* g) {
         int64_initializer(g, "split", {1, 2});
         int_attr(add_node(g, "Split", "s", {"x", "split"}, {"a", "y"}), "axis", 1);
       },
       lt::slice, 3},
      {"LayerNormalization",
       [](onnx::GraphProto* g) {
         ints(add_node(g, "Transpose", "nhwc", {"x"}, {"t"}), "perm", {0, 2, 3, 1});
         weight(g, "gamma", {3}, true);
         weight(g, "beta", {3}, true);
         add_node(g, "LayerNormalization", "ln", {"t", "gamma", "beta"}, {"y"});
       },
       lt::layer_norm, 3},
      {"Constant",
       [](onnx::GraphProto* g) {
         auto* c = add_node(g, "Constant", "pads_const", {}, {"pads"});
         auto* a = c->add_attribute();
         a->set_name("value");
         a->set_type(onnx::AttributeProto::TENSOR);
         a->mutable_t()->set_data_type(onnx::TensorProto::INT64);
         a->mutable_t()->add_dims(8);
         for (std::int64_t v : {0, 0, 1, 1, 0, 0, 1, 1}) a->mutable_t()->add_int64_data(v);
         add_node(g, "Pad", "pad", {"x", "pads"}, {"xp"});
         pool3_after_pad(g);
       },
       lt::max_pool2d, 2},
  };
}

std::string onnx_error(const onnx::ModelProto& m);

// Issue 12: exporter idioms, each on the 8×8×3 input of model_with_input(), counted by hand.

void scalar(onnx::GraphProto* g, const std::string& name, float v) {
  auto* c = add_node(g, "Constant", name + "_node", {}, {name});
  auto* a = c->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  a->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
  a->mutable_t()->add_float_data(v);
}

network import_graph(const std::function<void(onnx::GraphProto*)>& build,
                     std::vector<import_note>* notes = nullptr, bool lenient = false) {
  onnx::ModelProto m = model_with_input();
  build(m.mutable_graph());
  m.mutable_graph()->add_output()->set_name("y");
  auto r = import_onnx_model(m, "m.onnx", {.unsupported_as_zero_cost = lenient});
  if (notes) *notes = r.notes;
  return std::move(r.net);
}

// torch.onnx's x.view(x.size(0), -1): Shape → Gather 0 → Unsqueeze → Concat with [−1] →
// Reshape. Folded to the constant [1, −1], the Reshape is the flattening one: 8·8·3 = 192.
TEST(OnnxImport, ShapeArithmeticIsFoldedIntoConstants) {
  const network n = import_graph([](onnx::GraphProto* g) {
    add_node(g, "Shape", "shape", {"x"}, {"s"});
    int64_initializer(g, "zero", {0});
    int_attr(add_node(g, "Gather", "gather", {"s", "zero"}, {"n"}), "axis", 0);
    int64_initializer(g, "axes0", {0});
    add_node(g, "Unsqueeze", "unsq", {"n", "axes0"}, {"n1"});  // [1] → [[1]]: Gather kept dims
    int64_initializer(g, "minus1", {-1});
    add_node(g, "Squeeze", "sq", {"n1", "axes0"}, {"n2"});
    int_attr(add_node(g, "Concat", "cat", {"n2", "minus1"}, {"target"}), "axis", 0);
    add_node(g, "Reshape", "flat", {"x", "target"}, {"y"});
  });
  ASSERT_EQ(n.size(), 2U);  // the input and the flatten: shape arithmetic is no layer
  EXPECT_EQ(type_of(n.at(1)), layer_type::flatten);
  EXPECT_EQ(n.output(1), (shape3{1, 1, 192}));
  // A folding error names node and op: Gather index 4 of the 4 dims of Shape(x).
  onnx::ModelProto m = model_with_input();
  auto* g = m.mutable_graph();
  add_node(g, "Shape", "shape", {"x"}, {"s"});
  int64_initializer(g, "four", {4});
  add_node(g, "Gather", "gather", {"s", "four"}, {"y"});
  EXPECT_EQ(onnx_error(m),
            "m.onnx: node 'gather' (Gather): constant folding: index 4 is out of range for 4 "
            "elements");
}

// A Constant node `name` whose value is a tensor `tensor` of `type` with `dims` and raw data
// `raw`.
void add_raw_constant(onnx::GraphProto* g, const std::string& name, const std::string& tensor,
                      int type, std::vector<std::int64_t> dims, const std::string& raw) {
  auto* a = add_node(g, "Constant", name, {}, {name})->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  a->mutable_t()->set_name(tensor);
  a->mutable_t()->set_data_type(type);
  for (auto d : dims) a->mutable_t()->add_dims(d);
  a->mutable_t()->set_raw_data(raw);
}

// Found by fuzz_onnx_text (tests/fuzz/regressions/*/constant_raw_data_short.*): libonnx's
// ParseData read past raw_data whose size is not a whole number of elements (3 bytes for one
// float). Its size is checked first.
TEST(OnnxImport, RawDataOfTheWrongSizeIsAnError) {
  onnx::ModelProto m = model_with_input();
  auto* g = m.mutable_graph();
  add_raw_constant(g, "c", "", onnx::TensorProto::FLOAT, {1}, "abc");
  add_node(g, "Add", "add", {"x", "c"}, {"y"});
  EXPECT_EQ(onnx_error(m),
            "m.onnx: node 'c' (Constant): tensor '' has 3 bytes of raw data for 1 elements of 4 "
            "bytes");
}

// Found by fuzz_onnx_binary (tests/fuzz/regressions/fuzz_onnx_binary/reshape_shape_raw_short.onnx):
// a Reshape's shape from a Constant whose raw data (6 bytes) is shorter than one int64 made
// libonnx's shape inference copy it through a null pointer. Every tensor's raw data is checked
// before shape inference, initializers too.
TEST(OnnxImport, RawDataOfTheWrongSizeIsAnErrorBeforeShapeInference) {
  onnx::ModelProto m = model_with_input();
  auto* g = m.mutable_graph();
  add_raw_constant(g, "five", "five_t", onnx::TensorProto::INT64, {5}, "five_t");
  add_node(g, "Reshape", "r", {"x", "five"}, {"y"});
  EXPECT_EQ(onnx_error(m),
            "m.onnx: node 'five' (Constant): tensor 'five_t' has 6 bytes of raw data for 5 "
            "elements of 8 bytes");
  // The same shape reshaping a Conv's weights, which have no kernel_shape: the kernel is then
  // found by inferring the nodes before the Conv, which must not parse the bad tensor either.
  onnx::ModelProto k = model_with_input();
  auto* kg = k.mutable_graph();
  add_raw_constant(kg, "wc", "wc_t", onnx::TensorProto::FLOAT, {36}, std::string(144, '\0'));
  add_raw_constant(kg, "five", "five_t", onnx::TensorProto::INT64, {5}, "five_t");
  add_node(kg, "Reshape", "r", {"wc", "five"}, {"w"});
  add_node(kg, "Conv", "conv", {"x", "w"}, {"y"});
  EXPECT_EQ(onnx_error(k),
            "m.onnx: node 'five' (Constant): tensor 'five_t' has 6 bytes of raw data for 5 "
            "elements of 8 bytes");
  onnx::ModelProto w = model_with_input();
  auto* init = w.mutable_graph()->add_initializer();
  init->set_name("shape");
  init->set_data_type(onnx::TensorProto::INT64);
  init->add_dims(4611686018427387904);  // 2^62 elements: the count saturates, no overflow
  init->add_dims(8);
  init->set_raw_data(std::string(16, '\0'));
  add_node(w.mutable_graph(), "Reshape", "r", {"x", "shape"}, {"y"});
  EXPECT_EQ(onnx_error(w),
            "m.onnx: initializer: tensor 'shape' has 16 bytes of raw data for at least "
            "1152921504606846975 elements of 8 bytes");
}

// ShuffleNetV2: Concat to 6 channels, Reshape (1, 2, 3, 8, 8), Transpose (0, 2, 1, 3, 4),
// Reshape (1, 6, 8, 8): one channel_shuffle of 2 groups, 0 MACs, data volume 2·8·8·6 = 768.
TEST(OnnxImport, ChannelShuffleIdiomIsOneLayer) {
  const network n = import_graph([](onnx::GraphProto* g) {
    int_attr(add_node(g, "Concat", "cat", {"x", "x"}, {"c"}), "axis", 1);
    int64_initializer(g, "five", {1, 2, 3, 8, 8});
    add_node(g, "Reshape", "r1", {"c", "five"}, {"r"});
    ints(add_node(g, "Transpose", "t", {"r"}, {"t5"}), "perm", {0, 2, 1, 3, 4});
    int64_initializer(g, "four", {1, -1, 8, 8});
    add_node(g, "Reshape", "r2", {"t5", "four"}, {"y"});
  });
  ASSERT_EQ(n.size(), 3U);
  EXPECT_EQ(std::get<channel_shuffle>(n.at(2)).groups, 2);
  EXPECT_EQ(n.output(2), (shape3{8, 8, 6}));
  EXPECT_EQ(n.cost(2).macs, 0);
  EXPECT_EQ(n.cost(2).data_volume, 768);
}

// MobileNetV3 / EfficientNet: x·HardSigmoid(x) is one hard_swish, x·σ(x) one SiLU; a gate
// multiplied with another tensor (squeeze-and-excitation: global pool → 1×1 conv → gate → Mul
// with the block input) stays a gate and a broadcasting product: 8·8·3 = 192 ops, no MACs
// besides the conv's 3·3 = 9.
TEST(OnnxImport, SwishPatternsFuseAndGatesBroadcast) {
  for (const auto& [op, fused] : {std::pair{"HardSigmoid", activation_kind::hard_swish},
                                  std::pair{"Sigmoid", activation_kind::silu}}) {
    const network n = import_graph([op = op](onnx::GraphProto* g) {
      add_node(g, op, "gate", {"x"}, {"h"});
      add_node(g, "Mul", "mul", {"h", "x"}, {"y"});
    });
    ASSERT_EQ(n.size(), 2U) << op;
    EXPECT_EQ(std::get<activation>(n.at(1)).kind, fused) << op;
    const network se = import_graph([op = op](onnx::GraphProto* g) {
      add_node(g, "GlobalAveragePool", "squeeze", {"x"}, {"p"});
      weight(g, "w", {3, 3, 1, 1}, true);
      ints(add_node(g, "Conv", "fc", {"p", "w"}, {"f"}), "kernel_shape", {1, 1});
      add_node(g, op, "gate", {"f"}, {"h"});
      add_node(g, "Mul", "excite", {"h", "x"}, {"y"});
    });
    ASSERT_EQ(se.size(), 5U) << op;
    EXPECT_NE(std::get<activation>(se.at(3)).kind, fused) << op;
    EXPECT_EQ(std::get<eltwise>(se.at(4)).broadcast_inputs, 1) << op;
    EXPECT_EQ(se.output(4), (shape3{8, 8, 3})) << op;
    EXPECT_EQ(se.cost(4).ops, 192) << op;
    EXPECT_EQ(se.totals().macs, 9) << op;
  }
}

// ConvNeXt's block at opset 13: N C H W → N H W C; LayerNorm as ReduceMean, Sub, Pow 2,
// ReduceMean, Add ε, Sqrt, Div, Mul γ, Add β (γ, β: 1-D graph inputs, weights of rank 1);
// Linear 3 → 5 as MatMul + Add of a bias; GELU as Div √2, Erf, Add 1, Mul x, Mul 0.5; back to
// N C H W; layer scale γ (5×1×1) by Mul. Layers: input, transpose, layer_norm, conv2d 1×1
// (8·8·3·5 = 960 MACs, 15 weights + 5 biases), gelu, transpose, scale (5 weights) = 7; params
// 3 + 3 + 20 + 5 = 31.
TEST(OnnxImport, ConvNextBlockIdiomsBecomeLayers) {
  std::vector<import_note> notes;
  const network n = import_graph(
      [](onnx::GraphProto* g) {
        ints(add_node(g, "Transpose", "nhwc", {"x"}, {"t"}), "perm", {0, 2, 3, 1});
        ints(add_node(g, "ReduceMean", "mean", {"t"}, {"m"}), "axes", {-1});
        add_node(g, "Sub", "sub", {"t", "m"}, {"d"});
        scalar(g, "two", 2.f);
        add_node(g, "Pow", "pow", {"d", "two"}, {"d2"});
        ints(add_node(g, "ReduceMean", "var", {"d2"}, {"v"}), "axes", {-1});
        scalar(g, "eps", 1e-6f);
        add_node(g, "Add", "add_eps", {"v", "eps"}, {"ve"});
        add_node(g, "Sqrt", "sqrt", {"ve"}, {"sd"});
        add_node(g, "Div", "div", {"d", "sd"}, {"nrm"});
        weight(g, "gamma", {3}, true);
        weight(g, "beta", {3}, true);
        add_node(g, "Mul", "scale", {"nrm", "gamma"}, {"sc"});
        add_node(g, "Add", "shift", {"sc", "beta"}, {"ln"});
        weight(g, "w", {3, 5}, true);
        weight(g, "b", {5}, true);
        add_node(g, "MatMul", "linear", {"ln", "w"}, {"mm"});
        add_node(g, "Add", "bias", {"b", "mm"}, {"lin"});
        scalar(g, "sqrt2", 1.4142135f);
        add_node(g, "Div", "gelu_div", {"lin", "sqrt2"}, {"gd"});
        add_node(g, "Erf", "erf", {"gd"}, {"ge"});
        scalar(g, "one", 1.f);
        add_node(g, "Add", "gelu_add", {"ge", "one"}, {"ga"});
        add_node(g, "Mul", "gelu_mul", {"lin", "ga"}, {"gm"});
        scalar(g, "half", 0.5f);
        add_node(g, "Mul", "gelu_half", {"gm", "half"}, {"gelu"});
        ints(add_node(g, "Transpose", "nchw", {"gelu"}, {"back"}), "perm", {0, 3, 1, 2});
        weight(g, "layer_scale", {5, 1, 1}, true);
        add_node(g, "Mul", "ls", {"layer_scale", "back"}, {"y"});
      },
      &notes);
  ASSERT_EQ(n.size(), 7U);
  EXPECT_EQ(type_of(n.at(1)), layer_type::transpose);
  EXPECT_TRUE(std::get<layer_norm>(n.at(2)).affine);
  EXPECT_EQ(n.output(2), (shape3{8, 8, 3}));
  EXPECT_EQ(std::get<conv2d>(n.at(3)).out_channels, 5);
  EXPECT_TRUE(std::get<conv2d>(n.at(3)).bias);
  EXPECT_EQ(std::get<activation>(n.at(4)).kind, activation_kind::gelu);
  EXPECT_EQ(type_of(n.at(5)), layer_type::transpose);
  EXPECT_FALSE(std::get<scale>(n.at(6)).bias);
  EXPECT_EQ(n.output(6), (shape3{8, 8, 5}));
  EXPECT_EQ(n.totals().macs, 960);
  EXPECT_EQ(n.totals().params(), 31);
  EXPECT_EQ(notes.size(), 4U);  // layer_norm, linear, gelu fused; the layer scale
}

// ReduceMean over H, W (MnasNet's x.mean([2, 3])) is a global average pooling; a Pad that
// cannot be merged (asymmetric, read by a Relu) is a pad layer: 8×8 → 9×9.
TEST(OnnxImport, ReduceMeanPoolsAndUnmergeablePadIsALayer) {
  const network n = import_graph(
      [](onnx::GraphProto* g) {
        auto* r = add_node(g, "ReduceMean", "mean", {"x"}, {"m"});
        ints(r, "axes", {2, 3});
        int_attr(r, "keepdims", 0);
        int64_initializer(g, "shape", {1, 3, 1, 1});
        add_node(g, "Reshape", "r", {"m", "shape"}, {"y"});
      },
      nullptr, true);
  EXPECT_TRUE(std::get<avg_pool2d>(n.at(1)).global);
  EXPECT_EQ(n.output(1), (shape3{1, 1, 3}));
  const network p = import_graph([](onnx::GraphProto* g) {
    int64_initializer(g, "pads", {0, 0, 0, 0, 0, 0, 1, 1});
    add_node(g, "Pad", "pad", {"x", "pads"}, {"xp"});
    add_node(g, "Relu", "relu", {"xp"}, {"y"});
  });
  ASSERT_EQ(p.size(), 3U);
  EXPECT_EQ(std::get<synergy::pad>(p.at(1)).end, (extent2{1, 1}));
  EXPECT_EQ(p.output(2), (shape3{9, 9, 3}));
}

// With unsupported_as_zero_cost an unsupported op is an opaque layer (not counted) — also one
// whose inputs are all constants (it then reads the network input, so no edge is broken).
TEST(OnnxImport, UnsupportedOpsAreOpaqueLayersNeverBrokenEdges) {
  std::vector<import_note> notes;
  const network n = import_graph(
      [](onnx::GraphProto* g) {
        int64_initializer(g, "k", {3});
        add_node(g, "MakeTensor", "make", {"k"}, {"c"});
        add_node(g, "Add", "add", {"x", "c"}, {"y"});
      },
      &notes, true);
  ASSERT_EQ(n.size(), 3U);  // input, opaque, eltwise
  EXPECT_EQ(type_of(n.at(1)), layer_type::opaque);
  EXPECT_EQ(n.output(1), (shape3{8, 8, 3}));  // unknown to inference: the input's shape
  EXPECT_EQ(type_of(n.at(2)), layer_type::eltwise);
  EXPECT_EQ(n.cost(1).macs + n.cost(1).ops + n.cost(1).data_volume, 0);
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0].type, "MakeTensor");
}

// Issue 12's ViT-B/16 as torch.onnx exports it, shrunk: 8×8 input, 4×4 patches (T = 4 + the
// class token = 5), E = 6, 2 heads of 3, MLP 12, 10 classes. Token tensors are T×1×E maps
// ((1, T, E) and the sequence-first (T, 1, E): x = T, y = 1, z = E; (T, E) rows: x = T; the
// heads (h, T, E/h): x = T, y = h). Counted by hand (MACs):
//   patch Conv 4×4/4, 3 → 6: 2·2 positions · 6 · (4·4·3) = 1,152
//   QKV MatMul 6 → 18 on 5 tokens: 5·6·18 = 540; out-proj Gemm 6 → 6: 5·6·6 = 180
//   MLP MatMul 6 → 12 and 12 → 6: 5·6·12 + 5·12·6 = 720; head Gemm 6 → 10 on the class token: 60
//   total 1,152 + 540 + 180 + 720 + 60 = 2,652.
// Not counted (opaque): the patch Reshape/Transpose, the class token's op and its Concat along x
// (1 + 4 = 5 tokens), the position embedding (5·6 values, not per channel), the heads'
// Reshapes/Transposes, both attention MatMuls of two activations, the token Gather. The QKV
// Slice is a slice layer (z 0..6), the softmax over the last axis (z) of the 5×2×5 scores
// counts 3·5·2·5 = 150 ops and no MAC.
onnx::ModelProto tiny_vit() {
  onnx::ModelProto m = model_with_input();
  auto* g = m.mutable_graph();
  weight(g, "pw", {6, 3, 4, 4}, true);
  weight(g, "pb", {6}, true);
  auto* conv = add_node(g, "Conv", "patch", {"x", "pw", "pb"}, {"p"});
  ints(conv, "kernel_shape", {4, 4});
  ints(conv, "strides", {4, 4});
  int64_initializer(g, "to_164", {1, 6, 4});
  add_node(g, "Reshape", "flat_patches", {"p", "to_164"}, {"pr"});
  ints(add_node(g, "Transpose", "tokens", {"pr"}, {"pt"}), "perm", {0, 2, 1});
  weight(g, "cls", {1, 1, 6}, true);
  // Unknown to shape inference but its rank, as torch's Expand of the class token: (?, ?, 6).
  add_node(g, "MakeToken", "cls_op", {"cls"}, {"ct"});
  set_type(g->add_value_info(), "ct", {0, 0, 6});
  for (int i : {0, 1}) {
    auto* d = g->mutable_value_info(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
    d->mutable_dim(i)->set_dim_param(i == 0 ? "a" : "b");
  }
  int_attr(add_node(g, "Concat", "cat", {"ct", "pt"}, {"seq"}), "axis", 1);
  weight(g, "pos", {1, 5, 6}, true);
  add_node(g, "Add", "pos_add", {"seq", "pos"}, {"h0"});
  ints(add_node(g, "ReduceMean", "ln", {"h0"}, {"m"}), "axes", {-1});
  add_node(g, "Sub", "ln_sub", {"h0", "m"}, {"d"});
  scalar(g, "two", 2.f);
  add_node(g, "Pow", "ln_pow", {"d", "two"}, {"d2"});
  ints(add_node(g, "ReduceMean", "ln_var", {"d2"}, {"v"}), "axes", {-1});
  scalar(g, "eps", 1e-6f);
  add_node(g, "Add", "ln_eps", {"v", "eps"}, {"ve"});
  add_node(g, "Sqrt", "ln_sqrt", {"ve"}, {"sd"});
  add_node(g, "Div", "ln_div", {"d", "sd"}, {"nrm"});
  weight(g, "gamma", {6}, true);
  weight(g, "beta", {6}, true);
  add_node(g, "Mul", "ln_mul", {"nrm", "gamma"}, {"sc"});
  add_node(g, "Add", "ln_add", {"sc", "beta"}, {"h1"});
  ints(add_node(g, "Transpose", "seq_first", {"h1"}, {"sf"}), "perm", {1, 0, 2});
  weight(g, "wqkv", {6, 18}, true);
  weight(g, "bqkv", {18}, true);
  add_node(g, "MatMul", "qkv", {"sf", "wqkv"}, {"qm"});
  add_node(g, "Add", "qkv_bias", {"bqkv", "qm"}, {"qkv_out"});
  int64_initializer(g, "s0", {0});
  int64_initializer(g, "s6", {6});
  int64_initializer(g, "last", {-1});
  add_node(g, "Slice", "q", {"qkv_out", "s0", "s6", "last"}, {"qs"});
  int64_initializer(g, "to_heads", {5, 2, 3});
  add_node(g, "Reshape", "heads", {"qs", "to_heads"}, {"hr"});
  ints(add_node(g, "Transpose", "heads_first", {"hr"}, {"hf"}), "perm", {1, 0, 2});
  ints(add_node(g, "Transpose", "kt", {"hf"}, {"hk"}), "perm", {0, 2, 1});
  add_node(g, "MatMul", "scores", {"hf", "hk"}, {"sc2"});
  int_attr(add_node(g, "Softmax", "softmax", {"sc2"}, {"a"}), "axis", -1);
  add_node(g, "MatMul", "context", {"a", "hf"}, {"ctx"});
  ints(add_node(g, "Transpose", "tokens_first", {"ctx"}, {"tf"}), "perm", {1, 0, 2});
  int64_initializer(g, "to_rows", {5, 6});
  add_node(g, "Reshape", "rows", {"tf", "to_rows"}, {"rw"});
  weight(g, "wo", {6, 6}, true);
  weight(g, "bo", {6}, true);
  int_attr(add_node(g, "Gemm", "out_proj", {"rw", "wo", "bo"}, {"op"}), "transB", 1);
  int64_initializer(g, "to_t16", {5, 1, 6});
  add_node(g, "Reshape", "unrows", {"op", "to_t16"}, {"ur"});
  ints(add_node(g, "Transpose", "batch_first", {"ur"}, {"bf"}), "perm", {1, 0, 2});
  add_node(g, "Add", "residual", {"bf", "h0"}, {"h2"});
  weight(g, "w1", {6, 12}, true);
  weight(g, "b1", {12}, true);
  add_node(g, "MatMul", "mlp1", {"h2", "w1"}, {"m1"});
  add_node(g, "Add", "mlp1_bias", {"b1", "m1"}, {"m1b"});
  scalar(g, "sqrt2", 1.4142135f);
  add_node(g, "Div", "gelu", {"m1b", "sqrt2"}, {"gd"});
  add_node(g, "Erf", "gelu_erf", {"gd"}, {"ge"});
  scalar(g, "one", 1.f);
  add_node(g, "Add", "gelu_add", {"ge", "one"}, {"ga"});
  add_node(g, "Mul", "gelu_mul", {"m1b", "ga"}, {"gm"});
  scalar(g, "half", 0.5f);
  add_node(g, "Mul", "gelu_half", {"gm", "half"}, {"gh"});
  weight(g, "w2", {12, 6}, true);
  weight(g, "b2", {6}, true);
  add_node(g, "MatMul", "mlp2", {"gh", "w2"}, {"m2"});
  add_node(g, "Add", "mlp2_bias", {"b2", "m2"}, {"h3"});
  int64_initializer(g, "first_token", {0});
  int_attr(add_node(g, "Gather", "cls_token", {"h3", "first_token"}, {"ctok"}), "axis", 1);
  int64_initializer(g, "to_16", {1, 6});
  add_node(g, "Reshape", "cls_flat", {"ctok", "to_16"}, {"cf"});
  weight(g, "wh", {10, 6}, true);
  weight(g, "bh", {10}, true);
  int_attr(add_node(g, "Gemm", "head", {"cf", "wh", "bh"}, {"y"}), "transB", 1);
  g->add_output()->set_name("y");
  return m;
}

TEST(OnnxImport, VitTokensAreTx1xEMapsAndEveryUnsupportedOpIsAnOpaqueLayer) {
  const auto m = tiny_vit();
  try {  // strict: the first op it cannot count is an error naming it
    (void)import_onnx_model(m, "vit.onnx");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("node 'flat_patches' (Reshape): unsupported"),
              std::string::npos)
        << e.what();
  }
  const auto r = import_onnx_model(m, "vit.onnx", {.unsupported_as_zero_cost = true});
  const network& n = r.net;
  const auto at = [&](const char* name) {
    const auto id = n.find(name);
    EXPECT_TRUE(id.has_value()) << name;
    return id.value_or(0);
  };
  const std::vector<std::tuple<const char*, layer_type, shape3>> want{
      {"patch", layer_type::conv2d, {2, 2, 6}},
      {"flat_patches", layer_type::opaque, {6, 1, 4}},  // (1, 6, 4) read as (N, T, E)
      {"tokens", layer_type::opaque, {4, 1, 6}},
      {"cls_op", layer_type::opaque, {1, 1, 6}},  // unknown to inference: cls's (1, 1, 6)
      {"cat", layer_type::opaque, {5, 1, 6}},     // 1 + 4 tokens along x
      {"pos_add", layer_type::opaque, {5, 1, 6}},
      {"ln", layer_type::layer_norm, {5, 1, 6}},
      {"seq_first", layer_type::opaque, {5, 1, 6}},  // (5, 1, 6): still x = T
      {"qkv", layer_type::conv2d, {5, 1, 18}},
      {"q", layer_type::slice, {5, 1, 6}},
      // (5, 2, 3), neither of the first two dims the batch: as C H W, x = 3, y = 2, z = 5
      {"heads", layer_type::opaque, {3, 2, 5}},
      {"heads_first", layer_type::transpose, {3, 5, 2}},  // (2, 5, 3): 2 heads of 5×3 Q
      {"kt", layer_type::transpose, {5, 3, 2}},           // (2, 3, 5): Kᵀ, 3 rows of 5
      {"scores", layer_type::matmul, {5, 5, 2}},          // Q·Kᵀ: (2, 5, 5)
      {"softmax", layer_type::opaque, {5, 5, 2}},         // along the last axis (x), not z
      {"context", layer_type::matmul, {3, 5, 2}},         // attn·V (V = heads_first): (2, 5, 3)
      {"tokens_first", layer_type::transpose, {3, 2, 5}},
      {"rows", layer_type::opaque, {5, 1, 6}},  // (5, 6): rows are tokens
      {"out_proj", layer_type::conv2d, {5, 1, 6}},
      {"unrows", layer_type::opaque, {5, 1, 6}},
      {"batch_first", layer_type::opaque, {5, 1, 6}},
      {"residual", layer_type::eltwise, {5, 1, 6}},
      {"mlp1", layer_type::conv2d, {5, 1, 12}},
      {"gelu", layer_type::activation, {5, 1, 12}},
      {"mlp2", layer_type::conv2d, {5, 1, 6}},
      {"cls_token", layer_type::opaque, {1, 1, 6}},
      {"cls_flat", layer_type::flatten, {1, 1, 6}},
      {"head", layer_type::fully_connected, {1, 1, 10}},
  };
  for (const auto& [name, type, shape] : want) {
    const node_id id = at(name);
    EXPECT_EQ(type_of(n.at(id)), type) << name;
    EXPECT_EQ(n.output(id), shape) << name;
  }
  // Every layer's input is its producer's output (the network checks it on add): no broken
  // edge; an opaque layer reads one input, a matmul both operands, A first.
  ASSERT_EQ(n.inputs(at("pos_add")).size(), 1U);
  EXPECT_EQ(n.inputs(at("pos_add"))[0], at("cat"));
  for (const auto& [product, a, b] : {std::tuple{"scores", "heads_first", "kt"},
                                      std::tuple{"context", "softmax", "heads_first"}}) {
    ASSERT_EQ(n.inputs(at(product)).size(), 2U) << product;
    EXPECT_EQ(n.inputs(at(product))[0], at(a)) << product;
    EXPECT_EQ(n.inputs(at(product))[1], at(b)) << product;
  }
  EXPECT_TRUE(std::get<conv2d>(n.at(at("qkv"))).bias);
  EXPECT_TRUE(std::get<conv2d>(n.at(at("out_proj"))).bias);
  EXPECT_EQ(std::get<slice>(n.at(at("q"))).axis, axis3::z);
  EXPECT_EQ(std::get<activation>(n.at(at("gelu"))).kind, activation_kind::gelu);
  EXPECT_EQ(n.cost(at("patch")).macs, 1'152);
  EXPECT_EQ(n.cost(at("qkv")).macs, 540);
  EXPECT_EQ(n.cost(at("out_proj")).macs, 180);
  EXPECT_EQ(n.cost(at("mlp1")).macs + n.cost(at("mlp2")).macs, 720);
  EXPECT_EQ(n.cost(at("head")).macs, 60);
  // The attention products, 2 heads, T = 5 tokens, 3 values per head: Q·Kᵀ 2·5·5·3 = 150,
  // attn·V 2·5·3·5 = 150.
  EXPECT_EQ(n.cost(at("scores")).macs, 150);
  EXPECT_EQ(n.cost(at("context")).macs, 150);
  EXPECT_EQ(n.totals().macs, 2'652 + 300);
  EXPECT_EQ(n.cost(at("softmax")).ops, 0);  // not counted: opaque
  std::size_t opaque_notes = 0;
  for (const auto& note : r.notes)
    opaque_notes += note.note.starts_with("not counted: unsupported") ? 1 : 0;
  EXPECT_EQ(opaque_notes, 12U);  // the 12 opaque layers above, each listed
  // The heads' Transposes permute the logical axes (output axis i = input axis perm[i]):
  // (5, 2, 3) → (2, 5, 3) swaps y and z, (2, 5, 3) → (2, 3, 5) x and y; 2·30 = 60 elements
  // moved each.
  using p3 = std::array<axis3, 3>;
  EXPECT_EQ(std::get<transpose>(n.at(at("heads_first"))).perm, (p3{axis3::x, axis3::z, axis3::y}));
  EXPECT_EQ(std::get<transpose>(n.at(at("kt"))).perm, (p3{axis3::y, axis3::x, axis3::z}));
  EXPECT_EQ(std::get<transpose>(n.at(at("tokens_first"))).perm, (p3{axis3::x, axis3::z, axis3::y}));
  EXPECT_EQ(n.cost(at("kt")).data_volume, 60);
}

// MatMul of two activations is a matmul layer; N C H W tensors (N, Bt, M, K) are K×M×Bt maps.
// x (1, 3, 8, 8): 3 batches of 8×8. B = x sliced along W to 5 columns: (1, 3, 8, 5), 5×8×3.
//   x · B: (1, 3, 8, 5), 5×8×3; MACs = Bt·M·N·K = 3·8·5·8 = 960; dv 192 + 120 + 120 = 432
// Transpose (0, 1, 3, 2) of B: (1, 3, 5, 8), 8×5×3; (x · B) · Bᵀ: K = 5, N = 8 →
//   (1, 3, 8, 8), 8×8×3; MACs 3·8·8·5 = 960
TEST(OnnxImport, MatMulOfTwoActivationsIsAMatmulLayer) {
  const network n = import_graph([](onnx::GraphProto* g) {
    int64_initializer(g, "s0", {0});
    int64_initializer(g, "s5", {5});
    int64_initializer(g, "w_axis", {3});
    add_node(g, "Slice", "cols", {"x", "s0", "s5", "w_axis"}, {"b"});
    add_node(g, "MatMul", "xb", {"x", "b"}, {"p"});
    ints(add_node(g, "Transpose", "bt", {"b"}, {"t"}), "perm", {0, 1, 3, 2});
    add_node(g, "MatMul", "pbt", {"p", "t"}, {"y"});
  });
  ASSERT_EQ(n.size(), 5U);
  const node_id xb = n.find("xb").value_or(0), pbt = n.find("pbt").value_or(0);
  EXPECT_EQ(type_of(n.at(xb)), layer_type::matmul);
  EXPECT_EQ(std::get<matmul>(n.at(xb)).input, (shape3{8, 8, 3}));
  EXPECT_EQ(std::get<matmul>(n.at(xb)).rhs, (shape3{5, 8, 3}));
  EXPECT_EQ(n.output(xb), (shape3{5, 8, 3}));
  EXPECT_EQ(n.cost(xb), (layer_cost{.macs = 960, .data_volume = 432}));
  EXPECT_EQ(n.output(pbt), (shape3{8, 8, 3}));
  EXPECT_EQ(n.cost(pbt).macs, 960);
  ASSERT_EQ(n.inputs(pbt).size(), 2U);
  EXPECT_EQ(n.inputs(pbt)[0], xb);
  EXPECT_EQ(n.inputs(pbt)[1], n.find("bt").value_or(0));
}

// Rank 3 with the heads folded into the batch, as torchvision's attention: x reshaped to
// (3, 8, 8) (an opaque layer: Reshape other than flattening) is an 8×8×3 map, z = the first
// dim; its square: 3·8·8·8 = 1,536 MACs.
TEST(OnnxImport, MatMulOfRank3BatchesOfMatricesIsAMatmulLayer) {
  const network n = import_graph(
      [](onnx::GraphProto* g) {
        int64_initializer(g, "to_3d", {3, 8, 8});
        add_node(g, "Reshape", "heads", {"x", "to_3d"}, {"h"});
        add_node(g, "MatMul", "square", {"h", "h"}, {"y"});
      },
      nullptr, true);
  const node_id sq = n.find("square").value_or(0);
  EXPECT_EQ(type_of(n.at(n.find("heads").value_or(0))), layer_type::opaque);
  EXPECT_EQ(n.output(n.find("heads").value_or(0)), (shape3{8, 8, 3}));
  EXPECT_EQ(type_of(n.at(sq)), layer_type::matmul);
  EXPECT_EQ(n.cost(sq).macs, 1'536);
}

// A batch of 1 broadcast over the other operand's 3 (ONNX allows it) is not supported: strict,
// an error naming the node and the field; with unsupported_as_zero_cost, a listed opaque layer
// of shape inference's shape (1, 3, 8, 8).
TEST(OnnxImport, MatMulBroadcastingABatchOfOneIsRejectedClearly) {
  const auto build = [](onnx::GraphProto* g) {
    int64_initializer(g, "s0", {0});
    int64_initializer(g, "s1", {1});
    int64_initializer(g, "c_axis", {1});
    add_node(g, "Slice", "one", {"x", "s0", "s1", "c_axis"}, {"a"});  // (1, 1, 8, 8)
    add_node(g, "Relu", "relu", {"x"}, {"r"});  // (the network input itself as B would be a weight)
    add_node(g, "MatMul", "bcast", {"a", "r"}, {"y"});
  };
  try {
    (void)import_graph(build);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("node 'bcast' (MatMul)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(
                  "matmul: rhs.z = 3 (must equal input.z: both operands have the same batch)"),
              std::string::npos)
        << e.what();
  }
  std::vector<import_note> notes;
  const network n = import_graph(build, &notes, true);
  const node_id b = n.find("bcast").value_or(0);
  EXPECT_EQ(type_of(n.at(b)), layer_type::opaque);
  EXPECT_EQ(n.output(b), (shape3{8, 8, 3}));
  ASSERT_FALSE(notes.empty());
  EXPECT_TRUE(notes.back().note.starts_with("not counted: unsupported (")) << notes.back().note;
}

// Issue 12's stretch goal on the real export: torchvision 0.14's ViT-B/16 at opset 13, weights as
// typed inputs (tests/data/onnx/vit_b_16.onnx, `tools/export_torchvision_onnx.py --weightless`).
// Strict, its first Reshape (patches to tokens) is unsupported; with unsupported_as_zero_cost it
// imports with every token tensor a 197×1×768 map (T = 14·14 patches + the class token). MACs,
// by hand:
//   patch Conv 16×16/16, 3 → 768: 14·14 · 768 · (16·16·3)                  =    115,605,504
//   per block (×12), position-wise on 197 tokens: QKV 197·768·2304 = 348,585,984, out-proj
//   197·768·768 = 116,195,328, MLP 2 · 197·768·3072 = 929,562,624 → 1,394,343,936 ×12
//                                                                          = 16,732,127,232
//   attention products (matmul layers), per block Q·Kᵀ and attn·V, each 12 heads × 197·197·64
//   = 29,805,312 → 2 · 12 · 29,805,312                                     =    715,327,488
//   head 768·1000                                                          =        768,000
//   total                                                                    17,563,828,224
// = torchvision's 17.56 G (GFLOPS counted as MACs, the attention products included). (An
// earlier comment here put the products at 715,511,808, an arithmetic slip: 288 · 197² · 64 =
// 715,327,488.) Parameters: torchvision's 86,567,656 less the class token (768) and the
// position embedding (197·768 = 151,296), read only by opaque layers = 86,415,592. Opaque
// layers: 8 before the blocks (patch Reshape, Transpose, the class token's Equal, Where,
// Expand, its Concat along T, the position-embedding Add, the final Gather) and 8 per block
// (the 2 Transposes between batch-first and sequence-first tokens, 5 Reshapes, the q scaling
// Div) + the Softmax over the scores' last axis, which maps onto x, not the channels z that the
// softmax layer normalises (1 per block) = 8 + 12·9 = 116. The QKV split is 3 slice layers per
// block (z in thirds); the heads' 4 other Transposes are `transpose` layers (48), each moving 2 ·
// 12·197·64 = 302,592 elements. The heads' tensors (12, 197, 64) are 64×197×12 maps (x = the last
// axis, z = the heads), Q·Kᵀ's output (12, 197, 197) a 197×197×12 one.
TEST(OnnxImport, VitB16ImportsWithItsLinearMacsAndAttentionProducts) {
  const auto file =
      std::filesystem::path(__FILE__).parent_path() / "data" / "onnx" / "vit_b_16.onnx";
  EXPECT_THROW((void)import_onnx(file), std::invalid_argument);
  const auto r = import_onnx(file, {.unsupported_as_zero_cost = true});
  const network& n = r.net;
  auto s = n.by_layer_type();
  EXPECT_EQ(n.totals().macs, 17'563'828'224);
  EXPECT_EQ(s[layer_type::conv2d].cost.macs, 115'605'504 + 12 * 1'394'343'936LL);
  EXPECT_EQ(s[layer_type::fully_connected].cost.macs, 768'000);
  EXPECT_EQ(s[layer_type::matmul].layers, 24);
  EXPECT_EQ(s[layer_type::matmul].cost.macs, 24 * 29'805'312LL);
  EXPECT_EQ(s[layer_type::matmul].cost.params(), 0);
  EXPECT_EQ(n.totals().params(), 86'567'656 - 768 - 197 * 768);
  EXPECT_EQ(s[layer_type::opaque].layers, 116);
  EXPECT_EQ(s[layer_type::transpose].layers, 48);
  EXPECT_EQ(s[layer_type::transpose].cost.data_volume, 48 * 302'592LL);
  EXPECT_EQ(n.size(), 336U);                        // the input and 335 layers
  EXPECT_EQ(s[layer_type::layer_norm].layers, 25);  // 2 per block + the final one
  EXPECT_EQ(s[layer_type::softmax].layers, 0);
  for (const char* name : {"/encoder/Add", "/encoder/layers/encoder_layer_0/ln_1/ReduceMean",
                           "/encoder/layers/encoder_layer_0/self_attention/Gemm",
                           "/encoder/layers/encoder_layer_11/Add_1"})
    EXPECT_EQ(n.output(n.find(name).value_or(0)), (shape3{197, 1, 768})) << name;
  const std::string attention = "/encoder/layers/encoder_layer_5/self_attention/";
  for (const auto& [op, shape] :
       {std::pair{"MatMul_1", shape3{197, 197, 12}}, std::pair{"MatMul_2", shape3{64, 197, 12}}}) {
    const auto id = n.find(attention + op);
    ASSERT_TRUE(id.has_value()) << op;
    EXPECT_EQ(type_of(n.at(*id)), layer_type::matmul) << op;
    EXPECT_EQ(n.output(*id), shape) << op;
    EXPECT_EQ(n.cost(*id).macs, 29'805'312) << op;
  }
}

// A fixed batch above 1 is still counted per image: (2, 64) after the Flatten and (2, 10) after
// the Gemm are (N, F), not 2 rows of tokens (axes_of takes N from the network input). Counts as
// small_model's: 8·8·4·27 = 6,912 + 64·10 = 640 MACs.
TEST(OnnxImport, AFixedBatchAboveOneIsCountedPerImage) {
  auto m = small_model(false, false);
  auto* g = m.mutable_graph();
  g->mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(0)
      ->set_dim_value(2);
  g->mutable_output(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(0)
      ->set_dim_value(2);
  const network n = import_onnx_model(m, "b2.onnx").net;
  EXPECT_EQ(n.output(n.last()), (shape3{1, 1, 10}));
  EXPECT_EQ(n.totals().macs, 6'912 + 640);
}

// Concat along an axis other than the channels is no concat layer: with
// unsupported_as_zero_cost an opaque one of the summed shape (8×8 twice along H: 8×16×3).
TEST(OnnxImport, ConcatAlongSpaceIsAnOpaqueLayerOfTheSummedShape) {
  const auto build = [](onnx::GraphProto* g) {
    int_attr(add_node(g, "Concat", "cat_h", {"x", "x"}, {"c"}), "axis", 2);
    add_node(g, "Relu", "relu", {"c"}, {"y"});
  };
  const network n = import_graph(build, nullptr, true);
  ASSERT_EQ(n.size(), 3U);
  EXPECT_EQ(type_of(n.at(1)), layer_type::opaque);
  EXPECT_EQ(n.output(1), (shape3{8, 16, 3}));
  EXPECT_EQ(n.output(2), (shape3{8, 16, 3}));
  EXPECT_THROW((void)import_graph(build), std::invalid_argument);
}

// A node whose layer the network rejects is, with unsupported_as_zero_cost, an opaque layer of
// shape inference's shape, listed with the reason: ReduceMean over H alone (unsupported: 8×1×3)
// times the 8×8×3 input broadcasts in ONNX (1×3×8×8), but an eltwise broadcasts only 1×1×C.
TEST(OnnxImport, ANodeTheNetworkRejectsIsAnOpaqueLayer) {
  std::vector<import_note> notes;
  const network n = import_graph(
      [](onnx::GraphProto* g) {
        ints(add_node(g, "ReduceMean", "mean_h", {"x"}, {"m"}), "axes", {2});
        add_node(g, "Mul", "gate", {"x", "m"}, {"y"});
      },
      &notes, true);
  ASSERT_EQ(n.size(), 3U);
  EXPECT_EQ(type_of(n.at(1)), layer_type::opaque);
  EXPECT_EQ(n.output(1), (shape3{8, 1, 3}));
  EXPECT_EQ(type_of(n.at(2)), layer_type::opaque);
  EXPECT_EQ(n.output(2), (shape3{8, 8, 3}));
  ASSERT_EQ(notes.size(), 2U);
  EXPECT_EQ(notes[1].type, "Mul");
  EXPECT_TRUE(notes[1].note.starts_with("not counted: unsupported (")) << notes[1].note;
}

std::vector<std::string> documented_list(const std::string& marker) {
  return synergy_test::documented_list("importers.md", marker);
}

TEST(OnnxImport, EveryListedOpImportsAndTheListIsDocumented) {
  std::vector<std::string> listed;
  for (const auto& c : op_cases()) {
    listed.emplace_back(c.op);
    onnx::ModelProto m = model_with_input();
    auto* g = m.mutable_graph();
    c.build(g);
    g->add_output()->set_name("y");
    const auto r = import_onnx_model(m, std::string(c.op) + ".onnx");
    ASSERT_EQ(r.net.size(), c.nodes) << c.op;
    EXPECT_EQ(type_of(r.net.at(r.net.last())), c.last) << c.op;
    for (const auto& note : r.notes) EXPECT_EQ(note.type, "Pad") << c.op;  // nothing unsupported
  }
  EXPECT_EQ(onnx_supported_ops(), listed);
  EXPECT_EQ(documented_list("ONNX op table (`synergy::io::onnx_supported_ops()`):"), listed);
}

// What each activation and element-wise op becomes, and the folded Pad's padding.
TEST(OnnxImport, OpsBecomeTheirOperatorDefinitions) {
  std::map<std::string, layer> last;
  for (const auto& c : op_cases()) {
    onnx::ModelProto m = model_with_input();
    auto* g = m.mutable_graph();
    c.build(g);
    g->add_output()->set_name("y");
    const network n = import_onnx_model(m, "m.onnx").net;
    last.emplace(c.op, n.at(n.last()));
  }
  EXPECT_EQ(std::get<activation>(last.at("Relu")).kind, activation_kind::relu);
  EXPECT_EQ(std::get<activation>(last.at("LeakyRelu")).kind, activation_kind::leaky_relu);
  EXPECT_EQ(std::get<activation>(last.at("Clip")).kind, activation_kind::clip);
  EXPECT_EQ(std::get<activation>(last.at("Sigmoid")).kind, activation_kind::sigmoid);
  EXPECT_EQ(std::get<activation>(last.at("Tanh")).kind, activation_kind::tanh);
  EXPECT_EQ(std::get<activation>(last.at("HardSigmoid")).kind, activation_kind::hard_sigmoid);
  EXPECT_EQ(std::get<activation>(last.at("HardSwish")).kind, activation_kind::hard_swish);
  EXPECT_TRUE(std::get<avg_pool2d>(last.at("ReduceMean")).global);
  // N C H W → N H W C → N C H W: layout changes, the logical permutation is the identity.
  EXPECT_EQ(std::get<transpose>(last.at("Transpose")).output(), (shape3{8, 8, 3}));
  // Channels [1, 3) of 3; Split {1, 2}: the second part is channels [1, 3) too.
  for (const char* op : {"Slice", "Split"}) {
    EXPECT_EQ(std::get<slice>(last.at(op)).axis, axis3::z) << op;
    EXPECT_EQ(std::get<slice>(last.at(op)).begin, 1) << op;
    EXPECT_EQ(std::get<slice>(last.at(op)).end, 3) << op;
  }
  EXPECT_TRUE(std::get<layer_norm>(last.at("LayerNormalization")).affine);
  EXPECT_EQ(std::get<eltwise>(last.at("Add")).op, eltwise_op::sum);
  EXPECT_EQ(std::get<eltwise>(last.at("Mul")).op, eltwise_op::prod);
  EXPECT_EQ(std::get<concat>(last.at("Concat")).output(), (shape3{8, 8, 6}));
  EXPECT_EQ(std::get<fully_connected>(last.at("Gemm")).outputs, 10);    // 10 × 192, transposed
  EXPECT_EQ(std::get<fully_connected>(last.at("MatMul")).outputs, 10);  // 192 × 10
  EXPECT_EQ(std::get<lrn>(last.at("LRN")).local_size, 5);
  EXPECT_TRUE(std::get<batch_norm>(last.at("BatchNormalization")).affine);  // ONNX BN has γ, β
  // Pad 1 on each side, then a 3×3 pool: (8 + 2 − 3) + 1 = 8.
  for (const char* op : {"Pad", "Constant"}) {
    EXPECT_EQ(std::get<max_pool2d>(last.at(op)).padding, (extent2{1, 1})) << op;
    EXPECT_EQ(std::get<max_pool2d>(last.at(op)).output(), (shape3{8, 8, 3})) << op;
  }
}

std::string onnx_error(const onnx::ModelProto& m) {
  try {
    (void)import_onnx_model(m, "m.onnx");
  } catch (const std::invalid_argument& e) {  // anything else escapes and fails the test
    return e.what();
  }
  return "no error";
}

// The softmax layer normalises over z at each (x, y). ONNX Softmax normalises along one axis
// from opset 13 (default −1) and over all axes from `axis` on (default 1) before it: on the
// 8×8×3 input, opset 13's axis 1 is z, its default −1 is W (x); opset 11's default flattens
// C·H·W (192 values) into one distribution, z only once H = W = 1 (after Flatten: (1, 192)).
TEST(OnnxImport, SoftmaxIsASoftmaxLayerOnlyOverTheChannels) {
  const auto with_softmax = [](std::int64_t opset, std::optional<std::int64_t> axis, bool flat) {
    auto m = model_with_input();
    m.mutable_opset_import(0)->set_version(opset);
    auto* g = m.mutable_graph();
    std::string in = "x";
    if (flat) {
      add_node(g, "Flatten", "flat", {"x"}, {"f"});
      in = "f";
    }
    auto* n = add_node(g, "Softmax", "sm", {in}, {"y"});
    if (axis) int_attr(n, "axis", *axis);
    set_type(g->add_output(), "y",
             flat ? std::vector<std::int64_t>{1, 192} : std::vector<std::int64_t>{1, 3, 8, 8});
    return m;
  };
  const auto softmax_layers = [](const onnx::ModelProto& m) {
    return import_onnx_model(m, "m.onnx").net.by_layer_type()[layer_type::softmax].layers;
  };
  EXPECT_EQ(softmax_layers(with_softmax(13, 1, false)), 1);
  EXPECT_EQ(softmax_layers(with_softmax(13, std::nullopt, true)), 1);  // (1, 192): −1 is z
  EXPECT_EQ(softmax_layers(with_softmax(11, std::nullopt, true)), 1);  // (1, 192) from axis 1
  for (const auto& m : {with_softmax(13, std::nullopt, false), with_softmax(13, 3, false),
                        with_softmax(11, std::nullopt, false), with_softmax(11, 1, false)})
    EXPECT_NE(onnx_error(m).find("node 'sm' (Softmax): unsupported: Softmax over an axis other "
                                 "than the channels"),
              std::string::npos)
        << onnx_error(m);
  // With --zero-cost-unsupported it is a listed opaque layer of the input's shape.
  const auto r = import_onnx_model(with_softmax(13, std::nullopt, false), "m.onnx",
                                   {.unsupported_as_zero_cost = true});
  EXPECT_EQ(r.net.by_layer_type()[layer_type::opaque].layers, 1);
  EXPECT_EQ(r.net.output(r.net.size() - 1), (shape3{8, 8, 3}));
}

// Issue 14: a Conv or Gemm node with one input read past its inputs (libprotobuf's "CHECK
// failed: (index) < (current_size_)", an abort or a wild read without its debug checks).
TEST(OnnxImport, NodesWithTooFewInputsAreErrorsNamingNodeAndOp) {
  auto conv = small_model(false, false);
  conv.mutable_graph()->mutable_node(0)->mutable_input()->DeleteSubrange(1, 2);  // x only
  EXPECT_EQ(onnx_error(conv), "m.onnx: node 'conv' (Conv): has 1 input; Conv needs 2");
  auto gemm = small_model(false, false);
  gemm.mutable_graph()->mutable_node(4)->mutable_input()->DeleteSubrange(1, 2);  // f only
  EXPECT_EQ(onnx_error(gemm), "m.onnx: node 'fc' (Gemm): has 1 input; Gemm needs 2");
  auto none = small_model(false, false);
  none.mutable_graph()->mutable_node(1)->mutable_output()->Clear();
  EXPECT_EQ(onnx_error(none), "m.onnx: node 'relu' (Relu): has no output");
}

// Issue 14, found by fuzz_onnx_text (tests/fuzz/regressions): a zero stride made libonnx's shape
// inference divide by zero (SIGFPE, which no catch handles) — for any op, supported or not.
TEST(OnnxImport, WindowAttributesBelowOneAreErrorsBeforeShapeInference) {
  for (const std::string attr : {"strides", "dilations", "kernel_shape"}) {
    onnx::ModelProto m = model_with_input();
    auto* g = m.mutable_graph();
    auto* pool = add_node(g, "MaxPool", "pool", {"x"}, {"y"});
    ints(
        pool, "kernel_shape",
        attr == "kernel_shape" ? std::vector<std::int64_t>{0, 2} : std::vector<std::int64_t>{2, 2});
    if (attr != "kernel_shape") ints(pool, attr, {0, 1});
    set_type(g->add_output(), "y", {1, 3, 4, 4});
    EXPECT_EQ(onnx_error(m),
              "m.onnx: node 'pool' (MaxPool): attribute '" + attr + "' has 0 (must be >= 1)")
        << attr;
  }
  onnx::ModelProto m = model_with_input();  // an op the importer does not support is checked too
  auto* g = m.mutable_graph();
  auto* lp = add_node(g, "LpPool", "lp", {"x"}, {"y"});
  ints(lp, "kernel_shape", {2, 2});
  ints(lp, "strides", {-1, 1});
  EXPECT_EQ(onnx_error(m), "m.onnx: node 'lp' (LpPool): attribute 'strides' has -1 (must be >= 1)");
}

// Issue 14, found by both ONNX fuzz targets (tests/fuzz/regressions/*/conv_2d_data_4d_weights.*):
// libonnx's shape inference took a Conv's kernel rank from its 4-D weights without checking the
// data's rank — a 2-D input [1, 10] read past its strides and dilations (SIGFPE). The ranks are
// checked before shape inference; a mismatch found only by inference is an error of the handler.
TEST(OnnxImport, ConvDataAndWeightRanksAreCheckedBeforeShapeInference) {
  for (const bool as_input : {false, true}) {
    onnx::ModelProto m;
    m.set_ir_version(7);
    m.add_opset_import()->set_version(13);
    auto* g = m.mutable_graph();
    set_type(g->add_input(), "x", {1, 10});
    weight(g, "w", {4, 3, 3, 3}, as_input);
    add_node(g, "Conv", "conv", {"x", "w"}, {"c"});
    ints(add_node(g, "MaxPool", "pool", {"c"}, {"y"}), "kernel_shape", {2, 2});
    EXPECT_EQ(onnx_error(m),
              "m.onnx: node 'conv' (Conv): input 'x' is 2-D, but the kernel is 2-D (the input "
              "must be N C and 2 spatial dims)")
        << as_input;
  }
  // The data's rank known only after inference (a Flatten gives [1, 192]): the Conv handler.
  onnx::ModelProto m = model_with_input();
  auto* g = m.mutable_graph();
  add_node(g, "Flatten", "flat", {"x"}, {"f"});
  weight(g, "w", {4, 3, 3, 3}, false);
  add_node(g, "Conv", "conv", {"f", "w"}, {"y"});
  EXPECT_EQ(onnx_error(m),
            "m.onnx: node 'conv' (Conv): input 'f' is 2-D (a 2-D window needs N C H W)");
  // Weights computed by a node (here an Identity, as torch.onnx emits for shared weights): their
  // dims come from shape inference of the nodes before the Conv.
  onnx::ModelProto id;
  id.set_ir_version(7);
  id.add_opset_import()->set_version(13);
  auto* ig = id.mutable_graph();
  set_type(ig->add_input(), "x", {1, 10});
  weight(ig, "w0", {4, 3, 3, 3}, true);
  add_node(ig, "Identity", "shared", {"w0"}, {"w"});
  add_node(ig, "Conv", "conv", {"x", "w"}, {"y"});
  EXPECT_EQ(onnx_error(id),
            "m.onnx: node 'conv' (Conv): input 'x' is 2-D, but the kernel is 2-D (the input "
            "must be N C and 2 spatial dims)");
  // Strides of the wrong length for the weights' kernel.
  onnx::ModelProto s = model_with_input();
  weight(s.mutable_graph(), "w", {4, 3, 3, 3}, false);
  ints(add_node(s.mutable_graph(), "Conv", "conv", {"x", "w"}, {"y"}), "strides", {1, 1, 1});
  EXPECT_EQ(onnx_error(s),
            "m.onnx: node 'conv' (Conv): attribute 'strides' has 3 values for a 2-D kernel");
}

// Identity and Dropout on activations are `identity` layers, listed with zero counts; the
// Identity torch.onnx puts between a shared weight and its users stays a renamed weight (no
// layer). A hand-written graph in ONNX's text format: x 1×3×8×8 → Conv with the weight w0
// through Identity "shared" (3×3, pad 1, 4 outputs: 8·8·4·3·3·3 = 6,912 MACs) → Identity
// "id" → Dropout "drop" → Relu.
TEST(OnnxImport, IdentityAndDropoutOnActivationsAreListedIdentityLayers) {
  const char* text = R"pb(
    ir_version: 7
    opset_import { version: 13 }
    graph {
      name: "ids"
      input {
        name: "x"
        type {
          tensor_type {
            elem_type: 1
            shape {
              dim { dim_value: 1 }
              dim { dim_value: 3 }
              dim { dim_value: 8 }
              dim { dim_value: 8 }
            }
          }
        }
      }
      input {
        name: "w0"
        type {
          tensor_type {
            elem_type: 1
            shape {
              dim { dim_value: 4 }
              dim { dim_value: 3 }
              dim { dim_value: 3 }
              dim { dim_value: 3 }
            }
          }
        }
      }
      node { name: "shared" op_type: "Identity" input: "w0" output: "w" }
      node {
        name: "conv"
        op_type: "Conv"
        input: "x"
        input: "w"
        output: "c"
        attribute { name: "pads" type: INTS ints: 1 ints: 1 ints: 1 ints: 1 }
      }
      node { name: "id" op_type: "Identity" input: "c" output: "i" }
      node { name: "drop" op_type: "Dropout" input: "i" output: "d" }
      node { name: "relu" op_type: "Relu" input: "d" output: "y" }
      output { name: "y" }
    })pb";
  onnx::ModelProto m;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m));
  const auto r = import_onnx_model(m, "ids.onnx");
  EXPECT_TRUE(r.notes.empty());
  const network& n = r.net;
  ASSERT_EQ(n.size(), 5U);  // input, conv, id, drop, relu: the weight's Identity is no layer
  const std::vector<std::pair<std::string, layer_type>> want{{"conv", layer_type::conv2d},
                                                             {"id", layer_type::identity},
                                                             {"drop", layer_type::identity},
                                                             {"relu", layer_type::activation}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    const node_id id = static_cast<node_id>(i + 1);
    EXPECT_EQ(n.name(id), want[i].first);
    EXPECT_EQ(type_of(n.at(id)), want[i].second) << want[i].first;
    EXPECT_EQ(n.output(id), (shape3{8, 8, 4})) << want[i].first;
  }
  EXPECT_EQ(n.cost(1).macs, 6912);
  for (node_id id : {node_id{2}, node_id{3}}) {
    const auto c = n.cost(id);
    EXPECT_EQ(c.macs + c.ops + c.params() + c.data_volume, 0) << n.name(id);
  }
  for (node_id id = 2; id <= 4; ++id) {  // id reads conv, drop reads id, relu reads drop
    ASSERT_EQ(n.inputs(id).size(), 1U);
    EXPECT_EQ(n.inputs(id)[0], id - 1);
  }
}

// The same class of bug in every handler: each node of each op case with each shorter list of
// inputs, and without outputs, is imported or rejected with std::invalid_argument — never read
// past its end. Fewer inputs than the ONNX operator definitions require is an error naming node
// and op. (Required inputs: Conv X, W; Gemm and MatMul A, B; BatchNormalization X, scale, B,
// mean, var; Add and Mul A, B; Constant none; the others their one data input.)
TEST(OnnxImport, EveryOpWithTooFewInputsOrNoOutputIsAnError) {
  const std::map<std::string, int> required{
      {"Conv", 2}, {"Gemm", 2},     {"MatMul", 2}, {"BatchNormalization", 5}, {"Add", 2},
      {"Mul", 2},  {"Constant", 0}, {"Slice", 3},  {"LayerNormalization", 2}};
  int checked = 0;
  for (const auto& c : op_cases()) {
    onnx::ModelProto m = model_with_input();
    auto* g = m.mutable_graph();
    c.build(g);
    g->add_output()->set_name("y");
    for (int j = 0; j < g->node_size(); ++j) {
      const onnx::NodeProto& n = g->node(j);
      const auto it = required.find(n.op_type());
      const int needs = it == required.end() ? 1 : it->second;
      const std::string node = "node '" + n.name() + "' (" + n.op_type() + ")";
      for (int k = 0; k < n.input_size(); ++k) {
        auto shorter = m;
        auto* in = shorter.mutable_graph()->mutable_node(j)->mutable_input();
        in->DeleteSubrange(k, in->size() - k);
        const std::string e = onnx_error(shorter);
        if (k < needs) {
          EXPECT_EQ(e, "m.onnx: " + node + ": has " + std::to_string(k) + " input" +
                           (k == 1 ? "" : "s") + "; " + n.op_type() + " needs " +
                           std::to_string(needs))
              << c.op;
        }
        ++checked;
      }
      auto no_output = m;
      no_output.mutable_graph()->mutable_node(j)->mutable_output()->Clear();
      EXPECT_EQ(onnx_error(no_output), "m.onnx: " + node + ": has no output") << c.op;
    }
  }
  EXPECT_GT(checked, 30);
}

TEST(OnnxImport, AttributesOfTheWrongTypeAreErrors) {
  auto m = small_model(false, false);
  auto* a = m.mutable_graph()->mutable_node(0)->add_attribute();
  a->set_name("group");
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s("1");
  EXPECT_EQ(onnx_error(m), "m.onnx: node 'conv' (Conv): attribute 'group' is STRING, not INT");
}

// Issue 14: a node name with invalid UTF-8 reached `count --json`, whose writer throws on it.
TEST(OnnxImport, NamesAreValidUtf8OrAnErrorNamingTheByte) {
  auto name = small_model(false, false);
  name.mutable_graph()->mutable_node(1)->set_name("re\xC3lu");
  EXPECT_EQ(onnx_error(name),
            "m.onnx: node 1: node name \"re\\xC3lu\" is not valid UTF-8 (byte 2 of the node name)");
  auto op = small_model(false, false);
  op.mutable_graph()->mutable_node(1)->set_op_type("Re\xFFlu");
  EXPECT_EQ(onnx_error(op),
            "m.onnx: node 1: op type \"Re\\xFFlu\" is not valid UTF-8 (byte 2 of the op type)");
  auto graph = small_model(false, false);
  graph.mutable_graph()->set_name("\xED\xA0\x80");  // a surrogate, U+D800
  EXPECT_EQ(onnx_error(graph),
            "m.onnx: graph name \"\\xED\\xA0\\x80\" is not valid UTF-8 (byte 0 of the graph name)");
  // Valid UTF-8 stays as it is; the JSON report is written.
  auto ok = small_model(false, false);
  ok.mutable_graph()->mutable_node(1)->set_name("激活");
  const network n = import_onnx_model(ok, "ok.onnx").net;
  EXPECT_EQ(n.name(2), "激活");
  EXPECT_NO_THROW((void)to_json(n).dump());
}

// Issue 14: shape errors of the network input must name the file (and the input).
TEST(OnnxImport, InputShapeErrorsNameFileAndInput) {
  auto m = small_model(false, false);
  auto* dim = m.mutable_graph()
                  ->mutable_input(0)
                  ->mutable_type()
                  ->mutable_tensor_type()
                  ->mutable_shape()
                  ->mutable_dim(2);
  dim->set_dim_value(-8);
  EXPECT_EQ(
      onnx_error(m),
      "m.onnx: graph input 'x': N C H W = 1 3 -8 8: input_layer: input.y = -8 (must be >= 1)");
}

// Issue 14: unreadable files say why; truncated, corrupt, too deep or too large ones are
// errors, not aborts.
TEST(OnnxImport, BadFilesAreErrorsSayingWhy) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("synergy_onnx_files_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "dir.onnx");
  const auto what = [](const std::filesystem::path& p) -> std::string {
    try {
      (void)import_onnx(p);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "no error";
  };
  const auto write = [&](const char* name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    return dir / name;
  };
  EXPECT_EQ(what(dir / "dir.onnx"), (dir / "dir.onnx").string() + ": is a directory, not a file");
  EXPECT_EQ(what(dir / "none.onnx"),
            (dir / "none.onnx").string() + ": cannot open: No such file or directory");
  const std::string bad =
      ": not an ONNX model (protobuf parse failed: truncated, corrupt or "
      "nested too deeply)";
  // The whole model imports; without its last byte, the last field (opset_import, 2 bytes
  // long) ends early.
  const std::string whole = small_model(false, false).SerializeAsString();
  EXPECT_EQ(import_onnx(write("whole.onnx", whole)).net.totals().macs, 6'912 + 640);
  const auto truncated = write("truncated.onnx", whole.substr(0, whole.size() - 1));
  EXPECT_EQ(what(truncated), truncated.string() + bad);
  // ir_version 7, then a graph (field 7, length-delimited) claiming 2^31 − 16 bytes.
  const auto huge = write("huge.onnx", std::string("\x08\x07\x3A\xF0\xFF\xFF\xFF\x07", 8));
  EXPECT_EQ(what(huge), huge.string() + bad);
  // Graphs nested in graph attributes, 3 messages a level: deeper than libprotobuf's 100.
  onnx::ModelProto deep = small_model(false, false);
  onnx::GraphProto* g = deep.mutable_graph();
  for (int i = 0; i < 40; ++i) {
    auto* a = g->add_node()->add_attribute();
    a->set_name("body");
    a->set_type(onnx::AttributeProto::GRAPH);
    g = a->mutable_g();
  }
  const auto nested = write("deep.onnx", deep.SerializeAsString());
  EXPECT_EQ(what(nested), nested.string() + bad);
  // Larger than a protobuf message may be: refused before reading (a sparse file, no disk).
  const auto large = write("large.onnx", "");
  std::filesystem::resize_file(large, 2'147'483'648U);
  EXPECT_EQ(what(large), large.string() +
                             ": 2147483648 bytes, more than a protobuf message may have "
                             "(2147483647; larger models keep weights in external data)");
  std::filesystem::remove_all(dir);
}

}  // namespace
