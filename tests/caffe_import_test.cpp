// Caffe importer: both syntaxes, inputs, in-place layers, errors with file and line, and every
// file of ../shared/data/prototxt — checked against the zoo layer by layer and against
// independent figures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <synergy/io/caffe.hpp>
#include <synergy/report/json.hpp>
#include <synergy/zoo.hpp>

#include "support/documented_list.hpp"

using namespace synergy;
using namespace synergy::io;

namespace {

const std::filesystem::path prototxt = std::filesystem::path(SYNERGY_SHARED_DATA) / "prototxt";

std::string error_of(const std::string& text, const caffe_options& o = {}) {
  try {
    (void)import_caffe_text(text, "t.prototxt", o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

// A small net in the new syntax: conv 3×3 pad 1 (8×8×3 → 8×8×4: 8·8·4·27 = 6,912 MACs), an
// in-place ReLU, a ceil-rounded max pool 3×3/2 (ceil(5/2) + 1 = 4 → 4×4×4), InnerProduct → 10
// (64·10 = 640 MACs) and two Caffe fields the subset lacks that must be skipped (param,
// weight_filler).
const char* small_net = R"(
name: "small"
input: "data"
input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
        param { lr_mult: 1 }
        convolution_param { num_output: 4 kernel_size: 3 pad: 1 weight_filler { type: "xavier" } } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool"
        pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
layer { name: "fc" type: "InnerProduct" bottom: "pool" top: "fc" inner_product_param { num_output: 10 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" }
)";

TEST(CaffeImport, NewSyntaxInPlaceLayersAndUnknownFields) {
  const auto r = import_caffe_text(small_net, "small.prototxt");
  const network& n = r.net;
  EXPECT_EQ(n.name(), "small");
  ASSERT_EQ(n.size(), 5U);  // data, conv, relu, pool, fc
  EXPECT_EQ(n.output(*n.find("pool")), (shape3{4, 4, 4}));
  EXPECT_EQ(n.name(n.inputs(*n.find("pool"))[0]), "relu");  // the in-place ReLU feeds the pool
  EXPECT_EQ(n.totals().macs, 6'912 + 640);
  ASSERT_EQ(r.notes.size(), 1U);
  EXPECT_EQ(r.notes[0].layer, "loss");
}

TEST(CaffeImport, V1SyntaxAndInputLayerAndDataLayers) {
  const char* v1 = R"(
input: "data" input_dim: 10 input_dim: 1 input_dim: 28 input_dim: 28
layers { name: "c" type: CONVOLUTION bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 5 } }
layers { name: "p" type: POOLING bottom: "c" top: "p" pooling_param { pool: AVE kernel_size: 2 stride: 2 } }
)";
  const network n = import_caffe_text(v1, "v1.prototxt").net;
  EXPECT_EQ(n.output(n.last()), (shape3{12, 12, 2}));  // 28 − 5 + 1 = 24, then 24 / 2
  EXPECT_EQ(type_of(n.at(n.last())), layer_type::avg_pool2d);

  const char* input_layer = R"(
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 32 dim: 16 } } }
layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_h: 3 kernel_w: 1 } }
)";
  const network m = import_caffe_text(input_layer, "in.prototxt").net;
  EXPECT_EQ(m.output(0), (shape3{16, 32, 3}));         // x = W = 16, y = H = 32
  EXPECT_EQ(m.output(m.last()), (shape3{16, 30, 2}));  // kernel 3 high, 1 wide

  const char* train_val = R"(
layer { name: "d" type: "Data" top: "data" top: "label" include { phase: TRAIN } }
layer { name: "d" type: "Data" top: "data" top: "label" include { phase: TEST } }
layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 3 } }
layer { name: "acc" type: "Accuracy" bottom: "c" bottom: "label" top: "acc" include { phase: TEST } }
)";
  EXPECT_NE(error_of(train_val).find("give caffe_options::input_shape"), std::string::npos);
  const auto r = import_caffe_text(train_val, "tv.prototxt", {.input_shape = shape3{32, 32, 3}});
  EXPECT_EQ(r.net.output(r.net.last()), (shape3{30, 30, 2}));
}

TEST(CaffeImport, ErrorsNameFileLineAndLayer) {
  EXPECT_EQ(
      error_of("layer { name: \"x\" type: \"Convolution\" \n convolution_param { num_output: }"),
      "t.prototxt:2:34: Expected integer, got: }");
  const char* missing_bottom =
      "input: \"data\" input_dim: 1 input_dim: 1 input_dim: 4 input_dim: 4\n"
      "layer { name: \"r\" type: \"ReLU\" bottom: \"nope\" top: \"r\" }\n";
  EXPECT_EQ(error_of(missing_bottom),
            "t.prototxt:2: layer 'r': bottom blob 'nope' is produced by no earlier layer");
  const char* unsupported =
      "input: \"data\" input_dim: 1 input_dim: 1 input_dim: 4 input_dim: 4\n\n"
      "layer { name: \"u\" type: \"Upsample\" bottom: \"data\" top: \"u\" }\n";
  const std::string e = error_of(unsupported);
  EXPECT_NE(e.find("t.prototxt:3: layer 'u': unsupported layer type 'Upsample' (supported: Input, "
                   "Convolution"),
            std::string::npos)
      << e;
  const auto zero =
      import_caffe_text(unsupported, "t.prototxt", {.unsupported_as_zero_cost = true});
  ASSERT_EQ(zero.notes.size(), 1U);
  EXPECT_EQ(zero.notes[0].type, "Upsample");
  const char* bad_shape =
      "input: \"data\" input_dim: 1 input_dim: 1 input_dim: 4 input_dim: 4\n"
      "layer { name: \"c\" type: \"Convolution\" bottom: \"data\" top: \"c\" "
      "convolution_param { num_output: 1 kernel_size: 7 } }\n";
  EXPECT_EQ(error_of(bad_shape),
            "t.prototxt:2: layer 'c': conv2d: kernel.x = 7 (dilated kernel larger than the padded "
            "input)");
  EXPECT_THROW((void)import_caffe("/nonexistent.prototxt"), std::invalid_argument);
  // Layers before any input, and input layers without a shape or a top, are errors, not crashes.
  EXPECT_EQ(error_of("layer { name: \"r\" type: \"Reshape\" bottom: \"x\" top: \"y\" }"),
            "t.prototxt:1: layer 'r': bottom blob 'x' is produced by no earlier layer");
  EXPECT_EQ(error_of("layer { name: \"in\" type: \"Input\" }"),
            "t.prototxt:1: layer 'in': Input layer without a top blob");
  EXPECT_EQ(error_of("layer { name: \"in\" type: \"Input\" top: \"data\" }"),
            "t.prototxt:1: layer 'in': Input layer without a shape");
  // A shapeless Input layer takes the caller's shape.
  EXPECT_EQ(import_caffe_text("layer { name: \"in\" type: \"Input\" top: \"data\" }", "t",
                              {.input_shape = shape3{5, 6, 7}})
                .net.output(0),
            (shape3{5, 6, 7}));
}

/// Layer by layer: same names, types, output shapes and costs.
void expect_same_layers(const network& imported, const network& zoo) {
  ASSERT_EQ(imported.size(), zoo.size());
  for (node_id id = 1; id < zoo.size(); ++id) {
    EXPECT_EQ(imported.name(id), zoo.name(id));
    EXPECT_EQ(type_of(imported.at(id)), type_of(zoo.at(id))) << zoo.name(id);
    EXPECT_EQ(imported.output(id), zoo.output(id)) << zoo.name(id);
    EXPECT_EQ(imported.cost(id), zoo.cost(id)) << zoo.name(id);
  }
}

TEST(CaffeImport, AuthorsFilesEqualTheZoo) {
  if (!std::filesystem::exists(prototxt)) GTEST_SKIP() << "no " << prototxt;
  expect_same_layers(import_caffe(prototxt / "bvlc_alexnet_deploy.prototxt").net, zoo::alexnet());
  expect_same_layers(import_caffe(prototxt / "mobilenet_v1_deploy.prototxt").net,
                     zoo::mobilenet_v1());
}

// Every other Caffe-derived zoo network against its file.
TEST(CaffeImport, EveryZooNetworkEqualsItsFile) {
  if (!std::filesystem::exists(prototxt)) GTEST_SKIP() << "no " << prototxt;
  const auto file = [](const char* name, std::optional<shape3> input = std::nullopt) {
    return import_caffe(prototxt / name, {.input_shape = input}).net;
  };
  expect_same_layers(file("squeezenet_v1.0_deploy.prototxt"), zoo::squeezenet_v1_0());
  expect_same_layers(file("squeezenet_v1.1_deploy.prototxt"), zoo::squeezenet_v1_1());
  expect_same_layers(file("squeezenet_residual_trainval.prototxt", shape3{227, 227, 3}),
                     zoo::squeezenet_residual());
  expect_same_layers(file("ALL_CNN_C_train_val.prototxt", shape3{32, 32, 3}), zoo::all_cnn_c());
  expect_same_layers(file("VGG_CNN_S_deploy.RECONSTRUCTED.prototxt"), zoo::vgg_cnn_s());
  expect_same_layers(file("places_cnds8_deploy.prototxt"), zoo::places_cnds8());
  expect_same_layers(file("bvlc_googlenet_deploy.prototxt"), zoo::googlenet());
  expect_same_layers(file("ResNet-50-deploy.prototxt"), zoo::resnet50());
  expect_same_layers(file("DenseNet_121.prototxt"), zoo::densenet121());
  expect_same_layers(file("vgg16_netscope_preset.prototxt"), zoo::vgg16());
  expect_same_layers(file("deploy_wrn50-2.prototxt"), zoo::wrn50_2());
  expect_same_layers(file("mobilenet_v2_deploy.prototxt"), zoo::mobilenet_v2());
  expect_same_layers(file("deploy_inception-v3.prototxt"), zoo::inception_v3());
  expect_same_layers(file("inception_bn_21k_deploy.prototxt"), zoo::inception_bn());
}

TEST(CaffeImport, EveryFileOfTheDataSetImports) {
  if (!std::filesystem::exists(prototxt)) GTEST_SKIP() << "no " << prototxt;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(prototxt)) {
    if (entry.path().extension() != ".prototxt") continue;
    const std::string name = entry.path().filename().string();
    caffe_options o;
    // Files whose input comes from data layers: the sizes their sources use.
    if (name.starts_with("ALL_CNN_C")) o.input_shape = shape3{32, 32, 3};
    if (name.starts_with("squeezenet_residual")) o.input_shape = shape3{227, 227, 3};
    if (name.starts_with("inceptionv3")) o.input_shape = shape3{299, 299, 3};
    EXPECT_NO_THROW({
      const auto r = import_caffe(entry.path(), o);
      EXPECT_GT(r.net.totals().macs, 0) << name;
    }) << name;
    ++files;
  }
  EXPECT_EQ(files, 23);
}

TEST(CaffeImport, IndependentFigures) {
  if (!std::filesystem::exists(prototxt)) GTEST_SKIP() << "no " << prototxt;
  // GoogLeNet: CNNergy's 58-row table (57 convolutions + the FC as a 1×1 conv) sums to
  // 1582.67 M MACs (../shared/data/cnnergy/README.md).
  const network g = import_caffe(prototxt / "bvlc_googlenet_deploy.prototxt").net;
  const auto gs = g.by_layer_type();
  const auto conv_fc = gs[layer_type::conv2d].cost.macs + gs[layer_type::fully_connected].cost.macs;
  EXPECT_NEAR(static_cast<double>(conv_fc) / 1e6, 1582.67, 0.005);
  // SqueezeNet v1.1 at 227: CNNergy's 26 convolutions sum to 387.75 M MACs.
  const network s = import_caffe(prototxt / "squeezenet_v1.1_deploy.prototxt").net;
  EXPECT_NEAR(static_cast<double>(s.by_layer_type()[layer_type::conv2d].cost.macs) / 1e6, 387.75,
              0.005);
  // VGG_CNN_S: the shapes stated in the reconstructed file's header (from Lasagne's recipe).
  const network v = import_caffe(prototxt / "VGG_CNN_S_deploy.RECONSTRUCTED.prototxt").net;
  EXPECT_EQ(v.output(*v.find("conv1")), (shape3{109, 109, 96}));
  EXPECT_EQ(v.output(*v.find("pool1")), (shape3{37, 37, 96}));
  EXPECT_EQ(v.output(*v.find("conv2")), (shape3{33, 33, 256}));
  EXPECT_EQ(v.output(*v.find("pool2")), (shape3{17, 17, 256}));
  EXPECT_EQ(v.output(*v.find("conv5")), (shape3{17, 17, 512}));
  EXPECT_EQ(v.output(*v.find("pool5")), (shape3{6, 6, 512}));
}

// The type table, type by type: each type the importer lists imports in a one- or two-layer
// network on a declared 8×8×3 input ("data"), as the node Caffe's layer definitions describe.
// The list is this test's hand-written one, in the documented order, and docs/importers.md
// gives the same.
struct type_case {
  const char* type;
  const char* layers;  // after the declared input; the Input case declares its own
  layer_type last;     // type of the network's last node
  std::size_t nodes;   // network nodes, the input included
};

const type_case type_cases[] = {
    {"Input",
     R"(layer { name: "in" type: "Input" top: "in" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } })",
     layer_type::input, 1},
    {"Convolution",
     R"(layer { name: "l" type: "Convolution" bottom: "data" top: "l" convolution_param { num_output: 4 kernel_size: 3 } })",
     layer_type::conv2d, 2},
    {"Pooling",
     R"(layer { name: "l" type: "Pooling" bottom: "data" top: "l" pooling_param { pool: AVE kernel_size: 2 stride: 2 } })",
     layer_type::avg_pool2d, 2},
    {"InnerProduct",
     R"(layer { name: "l" type: "InnerProduct" bottom: "data" top: "l" inner_product_param { num_output: 10 } })",
     layer_type::fully_connected, 2},
    {"LRN",
     R"(layer { name: "l" type: "LRN" bottom: "data" top: "l" lrn_param { local_size: 3 } })",
     layer_type::lrn, 2},
    {"BatchNorm", R"(layer { name: "l" type: "BatchNorm" bottom: "data" top: "l" })",
     layer_type::batch_norm, 2},
    {"BN", R"(layer { name: "l" type: "BN" bottom: "data" top: "l" })", layer_type::batch_norm, 2},
    {"Scale", R"(layer { name: "l" type: "Scale" bottom: "data" top: "l" })", layer_type::scale, 2},
    {"ReLU", R"(layer { name: "l" type: "ReLU" bottom: "data" top: "l" })", layer_type::activation,
     2},
    {"PReLU", R"(layer { name: "l" type: "PReLU" bottom: "data" top: "l" })",
     layer_type::activation, 2},
    {"Sigmoid", R"(layer { name: "l" type: "Sigmoid" bottom: "data" top: "l" })",
     layer_type::activation, 2},
    {"TanH", R"(layer { name: "l" type: "TanH" bottom: "data" top: "l" })", layer_type::activation,
     2},
    {"Eltwise",
     R"(layer { name: "l" type: "Eltwise" bottom: "data" bottom: "data" top: "l" eltwise_param { operation: MAX } })",
     layer_type::eltwise, 2},
    {"Concat", R"(layer { name: "l" type: "Concat" bottom: "data" bottom: "data" top: "l" })",
     layer_type::concat, 2},
    {"Dropout", R"(layer { name: "l" type: "Dropout" bottom: "data" top: "l" })",
     layer_type::dropout, 2},
    {"Softmax", R"(layer { name: "l" type: "Softmax" bottom: "data" top: "l" })",
     layer_type::softmax, 2},
    {"Split",
     R"(layer { name: "s" type: "Split" bottom: "data" top: "a" top: "b" }
        layer { name: "l" type: "ReLU" bottom: "b" top: "l" })",
     layer_type::activation, 2},
    {"Flatten", R"(layer { name: "l" type: "Flatten" bottom: "data" top: "l" })",
     layer_type::flatten, 2},
    {"Reshape",
     R"(layer { name: "l" type: "Reshape" bottom: "data" top: "l" reshape_param { shape { dim: 0 dim: -1 } } })",
     layer_type::flatten, 2},
};

network import_case(const type_case& c) {
  const std::string input = std::string(c.type) == "Input"
                                ? ""
                                : "input: \"data\" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n";
  return import_caffe_text(input + c.layers, std::string(c.type) + ".prototxt").net;
}

std::vector<std::string> documented_list(const std::string& marker) {
  return synergy_test::documented_list("importers.md", marker);
}

TEST(CaffeImport, EveryListedTypeImportsAndTheListIsDocumented) {
  std::vector<std::string> listed;
  for (const auto& c : type_cases) {
    listed.emplace_back(c.type);
    const network n = import_case(c);
    ASSERT_EQ(n.size(), c.nodes) << c.type;
    EXPECT_EQ(type_of(n.at(n.last())), c.last) << c.type;
    EXPECT_EQ(n.output(0), (shape3{8, 8, 3})) << c.type;
  }
  EXPECT_EQ(caffe_supported_types(), listed);
  EXPECT_EQ(documented_list("Caffe type table (`synergy::io::caffe_supported_types()`):"), listed);
}

// What the types become, by Caffe's layer definitions.
TEST(CaffeImport, TypesBecomeTheirLayerDefinitions) {
  std::map<std::string, layer> last;
  for (const auto& c : type_cases) {
    const network n = import_case(c);
    last.emplace(c.type, n.at(n.last()));
  }
  EXPECT_EQ(std::get<activation>(last.at("ReLU")).kind, activation_kind::relu);
  EXPECT_EQ(std::get<activation>(last.at("PReLU")).kind, activation_kind::prelu);
  EXPECT_EQ(std::get<activation>(last.at("Sigmoid")).kind, activation_kind::sigmoid);
  EXPECT_EQ(std::get<activation>(last.at("TanH")).kind, activation_kind::tanh);
  EXPECT_EQ(std::get<eltwise>(last.at("Eltwise")).op, eltwise_op::max);
  EXPECT_EQ(std::get<concat>(last.at("Concat")).output(), (shape3{8, 8, 6}));
  EXPECT_EQ(std::get<lrn>(last.at("LRN")).local_size, 3);
  EXPECT_FALSE(std::get<batch_norm>(last.at("BN")).affine);  // Caffe's BN: γ, β in a Scale
  EXPECT_EQ(std::get<avg_pool2d>(last.at("Pooling")).output(), (shape3{4, 4, 3}));
  EXPECT_EQ(std::get<flatten>(last.at("Reshape")).output(), (shape3{1, 1, 192}));
  // Data and training-only layers are handled, not listed: a Data layer defines the input.
  const auto r = import_caffe_text(
      R"(layer { name: "d" type: "ImageData" top: "data" top: "label" }
         layer { name: "l" type: "ReLU" bottom: "data" top: "l" }
         layer { name: "s" type: "Silence" bottom: "label" }
         layer { name: "x" type: "EuclideanLoss" bottom: "l" bottom: "label" top: "x" })",
      "d.prototxt", {.input_shape = shape3{8, 8, 3}});
  EXPECT_EQ(r.net.size(), 2U);
  ASSERT_EQ(r.notes.size(), 3U);
  EXPECT_EQ(r.notes[1].note, "training-only layer, not counted");
  EXPECT_EQ(r.notes[2].note, "training-only layer, not counted");
}

// Issue 14, found by a fuzzer: 15,000 levels of unknown fields (75 KB) made libprotobuf's
// skipping recurse until the stack overflowed. Level 101 is the first too deep; with one
// "a {" per line it opens on line 101.
TEST(CaffeImport, DeepNestingIsAnErrorNamingLineAndFieldNotACrash) {
  std::string deep;
  for (int i = 0; i < 15'000; ++i) deep += "a {\n";
  deep += std::string(15'000, '}') + "\n";
  ASSERT_EQ(deep.size(), 75'001U);
  EXPECT_EQ(error_of(deep), "t.prototxt:101: field 'a' nests messages deeper than 100 levels");
  // The same through a file, as `synergy count` reads it.
  const auto file = std::filesystem::temp_directory_path() /
                    ("synergy_caffe_deep_" + std::to_string(::getpid()) + ".prototxt");
  std::ofstream(file) << deep;
  try {
    (void)import_caffe(file);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(e.what(), file.string() + ":101: field 'a' nests messages deeper than 100 levels");
  }
  std::filesystem::remove(file);
  // The limit, exactly: inside a skipped field (`param`, level 2) nesting may continue to level
  // 100 (libprotobuf's recursion limit agrees: the file imports), and not to 101.
  const auto nested = [](int extra) {
    std::string t =
        "input: \"data\" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n"
        "layer { name: \"r\" type: \"ReLU\" bottom: \"data\" top: \"r\" param {\n";
    for (int i = 0; i < extra; ++i) t += "x {\n";
    return t + std::string(static_cast<std::size_t>(extra) + 2, '}') + "\n";
  };
  EXPECT_EQ(import_caffe_text(nested(98), "b.prototxt").net.size(), 2U);
  EXPECT_EQ(error_of(nested(99)),
            "t.prototxt:101: field 'x' nests messages deeper than 100 levels");
}

// The Caffe fields the importer skips: those the authors' files use (found by parsing every file
// of ../shared/data/prototxt with unknown fields disallowed), in the documented order.
const char* const skipped_fields[] = {
    "LayerParameter.param",
    "LayerParameter.batch_norm_param",
    "LayerParameter.dropout_param",
    "LayerParameter.data_param",
    "LayerParameter.transform_param",
    "LayerParameter.accuracy_param",
    "V1LayerParameter.blobs_lr",
    "V1LayerParameter.weight_decay",
    "V1LayerParameter.dropout_param",
    "ConvolutionParameter.weight_filler",
    "ConvolutionParameter.bias_filler",
    "ConvolutionParameter.engine",
    "InnerProductParameter.weight_filler",
    "InnerProductParameter.bias_filler",
    "LRNParameter.alpha",
    "LRNParameter.beta",
    "ScaleParameter.filler",
    "ScaleParameter.bias_filler",
};

TEST(CaffeImport, UnknownFieldsAreErrorsButTheSkippedOnes) {
  const std::vector<std::string> listed(std::begin(skipped_fields), std::end(skipped_fields));
  EXPECT_EQ(caffe_skipped_fields(), listed);
  EXPECT_EQ(documented_list("Skipped Caffe fields (`synergy::io::caffe_skipped_fields()`):"),
            listed);
  // Every skipped field where Caffe puts it: the counts are those without them — conv 3×3 on
  // 8×8×3 → 6×6×2 (6·6·2·27 = 1,944 MACs), FC 72 → 4 (288 MACs); the V1 conv 1×1 on 8×8×3 → 8×8×1
  // (192 MACs).
  const auto r = import_caffe_text(R"(
input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer { name: "c" type: "Convolution" bottom: "data" top: "c" param { lr_mult: 1 decay_mult: 1 }
        convolution_param { num_output: 2 kernel_size: 3 engine: CAFFE
                            weight_filler { type: "xavier" } bias_filler { type: "constant" } } }
layer { name: "bn" type: "BatchNorm" bottom: "c" top: "c" batch_norm_param { use_global_stats: true } }
layer { name: "s" type: "Scale" bottom: "c" top: "c"
        scale_param { filler { value: 1 } bias_filler { value: 0 } } }
layer { name: "n" type: "LRN" bottom: "c" top: "c" lrn_param { local_size: 3 alpha: 0.0001 beta: 0.75 } }
layer { name: "d" type: "Dropout" bottom: "c" top: "c" dropout_param { dropout_ratio: 0.5 } }
layer { name: "fc" type: "InnerProduct" bottom: "c" top: "fc"
        inner_product_param { num_output: 4 weight_filler { type: "gaussian" std: 0.01 } bias_filler { type: "constant" } } }
layer { name: "a" type: "Accuracy" bottom: "fc" top: "a" accuracy_param { top_k: 5 } }
)",
                                   "s.prototxt");
  EXPECT_EQ(r.net.totals().macs, 1'944 + 288);
  const auto data = import_caffe_text(R"(
layer { name: "d" type: "Data" top: "data" data_param { source: "db" batch_size: 64 }
        transform_param { crop_size: 8 mirror: true } }
layers { name: "c" type: CONVOLUTION bottom: "data" top: "c" blobs_lr: 1 blobs_lr: 2
         weight_decay: 1 weight_decay: 0 convolution_param { num_output: 1 kernel_size: 1 } }
layers { name: "d2" type: DROPOUT bottom: "c" top: "c" dropout_param { dropout_ratio: 0.5 } }
)",
                                      "v1.prototxt", {.input_shape = shape3{8, 8, 3}});
  EXPECT_EQ(data.net.totals().macs, 192);
  // Any other field is an error naming file, line, column and field: loss_weight starts in
  // column 56 of line 2; libprotobuf reports the token after the name, the ':' in column 67.
  const std::string input = "input: \"data\" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n";
  EXPECT_EQ(
      error_of(input +
               "layer { name: \"c\" type: \"ReLU\" bottom: \"data\" top: \"c\" loss_weight: 1 }\n"),
      "t.prototxt:2:67: unknown field 'loss_weight' in a LayerParameter (neither read by the "
      "importer nor one of the Caffe fields it skips, which docs/importers.md lists)");
  // In a nested message, and a skipped field's name in a message where it is not skipped (the
  // '{' after it is column 30 of line 3); at the top level (the ':' is column 15).
  EXPECT_NE(error_of(input + "layer { name: \"c\" type: \"ReLU\" bottom: \"data\" top: \"c\"\n"
                             "  relu_param { weight_filler { type: \"x\" } } }\n")
                .find("t.prototxt:3:30: unknown field 'weight_filler' in a ReLUParameter"),
            std::string::npos);
  EXPECT_NE(error_of("force_backward: true\n" + input)
                .find("t.prototxt:1:15: unknown field "
                      "'force_backward' in a NetParameter"),
            std::string::npos);
  // Extensions are unknown too (libprotobuf's own words).
  EXPECT_NE(error_of("[ext.field]: 1\n" + input).find("t.prototxt:1:"), std::string::npos);
}

// Issue 14: a layer name with invalid UTF-8 reached `count --json`, whose writer throws on it.
TEST(CaffeImport, NamesAreValidUtf8OrAnErrorNamingTheByte) {
  const std::string input = "input: \"data\" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n";
  // The raw byte 0xFF, or the same byte written as a text-format escape (octal 377).
  for (const std::string name : {"r\xFF"
                                 "elu",
                                 "r\\377elu"})
    EXPECT_EQ(error_of(input + "layer { name: \"" + name +
                       "\" type: \"ReLU\" bottom: \"data\" top: \"r\" }\n"),
              "t.prototxt:2: layer name \"r\\xFFelu\" is not valid UTF-8 (byte 1 of the layer "
              "name)")
        << name;
  // A truncated two-byte sequence in the type; an invalid network name.
  EXPECT_EQ(error_of(input + "layer { name: \"r\" type: \"Re\xC3\" bottom: \"data\" top: \"r\" }"),
            "t.prototxt:2: layer type \"Re\\xC3\" is not valid UTF-8 (byte 2 of the layer type)");
  EXPECT_EQ(error_of("name: \"n\xE2\x82\"\n" + input),
            "t.prototxt: network name \"n\\xE2\\x82\" is not valid UTF-8 (byte 1 of the network "
            "name)");
  // Valid UTF-8 is kept as it is, and a network named after a file whose name is not UTF-8
  // gets the name escaped: the JSON report of either is written.
  const auto r = import_caffe_text(
      input + "layer { name: \"卷积é\" type: \"ReLU\" bottom: \"data\" top: \"r\" }\n",
      "dir/n\xFF.prototxt");
  EXPECT_EQ(r.net.name(), "n\\xFF");
  EXPECT_EQ(r.net.name(1), "卷积é");
  EXPECT_NO_THROW((void)to_json(r.net).dump());
  // An error message quoting a name that is not UTF-8 escapes it as well.
  EXPECT_EQ(error_of(input + "layer { name: \"r\" type: \"ReLU\" bottom: \"d\xFF\" top: \"r\" }"),
            "t.prototxt:2: layer 'r': bottom blob 'd\\xFF' is produced by no earlier layer");
}

// RFC 3629 / the Unicode Standard's table 3-7 of well-formed byte sequences.
TEST(CaffeImport, Utf8Validation) {
  using synergy::io::detail::invalid_utf8_at;
  for (const char* ok : {"", "abc", "\xC3\xA9", "\xE2\x82\xAC", "\xED\x9F\xBF", "\xEE\x80\x80",
                         "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"})
    EXPECT_FALSE(invalid_utf8_at(ok).has_value()) << ok;
  const std::pair<const char*, std::size_t> bad[] = {
      {"a\x80", 1},             // a continuation byte alone
      {"\xC0\x80", 0},          // overlong U+0000
      {"\xC1\xBF", 0},          // overlong U+007F
      {"\xE0\x9F\xBF", 0},      // overlong U+07FF
      {"\xED\xA0\x80", 0},      // surrogate U+D800
      {"\xF0\x8F\xBF\xBF", 0},  // overlong U+FFFF
      {"\xF4\x90\x80\x80", 0},  // above U+10FFFF
      {"\xF5\x80\x80\x80", 0},  // never a lead byte
      {"ab\xE2\x82", 2},        // truncated at the end
      {"\xE2\x82"
       "a",
       0},  // truncated before ASCII
      {"ok\xFF", 2},
  };
  for (const auto& [text, at] : bad) EXPECT_EQ(invalid_utf8_at(text), at) << text;
  EXPECT_EQ(synergy::io::detail::utf8_escaped("a\xFF\xC3\xA9\xC3"), "a\\xFF\xC3\xA9\\xC3");
}

// Issue 14: a negative input dimension was reported without the file.
TEST(CaffeImport, InputShapeErrorsNameFileAndLine) {
  EXPECT_EQ(error_of("name: \"n\"\ninput: \"data\" input_dim: 1 input_dim: 3 input_dim: -224 "
                     "input_dim: 224\n"),
            "t.prototxt:2: input 'data': input_layer: input.y = -224 (must be >= 1)");
  EXPECT_EQ(error_of("\nlayer { name: \"in\" type: \"Input\" top: \"d\" input_param { shape { dim: "
                     "1 dim: -3 dim: 8 dim: 8 } } }"),
            "t.prototxt:2: layer 'in': input_layer: input.z = -3 (must be >= 1)");
  EXPECT_EQ(error_of("layer { name: \"d\" type: \"Data\" top: \"data\" }",
                     {.input_shape = shape3{0, 8, 3}}),
            "t.prototxt:1: layer 'd': input_layer: input.x = 0 (must be >= 1)");
}

// Issue 14: a directory was read as an empty file; an unreadable file said "cannot open" alone.
TEST(CaffeImport, UnreadableFilesSayWhy) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("synergy_caffe_files_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "dir.prototxt");
  const auto what = [](const std::filesystem::path& p) -> std::string {
    try {
      (void)import_caffe(p);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(what(dir / "dir.prototxt"),
            (dir / "dir.prototxt").string() + ": is a directory, not a file");
  EXPECT_EQ(what(dir / "none.prototxt"),
            (dir / "none.prototxt").string() + ": cannot open: No such file or directory");
  const auto file = dir / "f.prototxt";
  std::ofstream(file) << "input: \"data\" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n";
  EXPECT_EQ(what(file / "x.prototxt"),
            (file / "x.prototxt").string() + ": cannot open: Not a directory");
  std::filesystem::permissions(file, std::filesystem::perms::none);
  if (std::ifstream(file).good())  // root reads it anyway
    std::cout << "[ skipped  ] permission denied: this user reads a file of mode 000\n";
  else
    EXPECT_EQ(what(file), file.string() + ": cannot open: Permission denied");
  std::filesystem::remove_all(dir);
}

}  // namespace
