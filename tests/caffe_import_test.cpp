// Caffe importer: both syntaxes, inputs, in-place layers, errors with file and line, and every
// file of ../shared/data/prototxt — checked against the zoo layer by layer and against
// independent figures.
#include <gtest/gtest.h>

#include <filesystem>
#include <synergy/io/caffe.hpp>
#include <synergy/zoo.hpp>

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
// (64·10 = 640 MACs) and an unknown field that must be skipped.
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
      "t.prototxt: line 2, column 34: Expected integer, got: }");
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
            "t.prototxt:2: layer 'c': layer 'c': conv2d: kernel.x = 7 (dilated kernel larger than "
            "the padded input)");
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

}  // namespace
