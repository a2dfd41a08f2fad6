// Networks: shape inference through branches, totals and per-layer-type sums, derived by hand
// in the comments; branch and builder errors.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <synergy/network.hpp>
#include <synergy/zoo/alexnet.hpp>
#include <vector>

using namespace synergy;

namespace {

// BVLC AlexNet (synergy::zoo::alexnet, after Caffe's deploy file: 227×227×3; grouped conv2,
// conv4, conv5; LRN; pooling with Caffe's ceil rounding). Per-layer MACs (Eq 1; FC: inputs ×
// outputs):
//   conv1 55·55·96·11·11·3      = 105,415,200
//   conv2 27·27·256·5·5·48      = 223,948,800   (group 2)
//   conv3 13·13·384·3·3·256     = 149,520,384
//   conv4 13·13·384·3·3·192     = 112,140,288   (group 2)
//   conv5 13·13·256·3·3·192     =  74,760,192   (group 2)
//   fc6   9,216·4,096           =  37,748,736
//   fc7   4,096·4,096           =  16,777,216
//   fc8   4,096·1,000           =   4,096,000
//   total                         724,406,816   conv: 665,784,864; FC: 58,621,952
// Parameters (weights + biases): 34,944 + 307,456 + 885,120 + 663,936 + 442,624 + 37,752,832
//   + 16,781,312 + 4,097,000 = 60,965,224 — the count published for bvlc_alexnet.
constexpr network alexnet() { return zoo::alexnet(); }

// rename changes the network's name only: its layers, their names and costs stay.
constexpr bool renamed_keeps_layers() {
  network n("torch_jit", {4, 4, 2});
  n.add("relu", activation{});
  n.rename("models/a.onnx");
  return n.name() == "models/a.onnx" && n.size() == 2 && n.name(1) == "relu" &&
         n.find("relu") == node_id{1} && n.output(1) == shape3{4, 4, 2};
}
static_assert(renamed_keeps_layers());
static_assert(alexnet().totals().macs == 724'406'816);
static_assert(alexnet().totals().params() == 60'965'224);
static_assert(alexnet().by_layer_type()[layer_type::conv2d].cost.macs == 665'784'864);
static_assert(alexnet().by_layer_type()[layer_type::conv2d].layers == 5);
static_assert(alexnet().by_layer_type()[layer_type::fully_connected].cost.macs == 58'621'952);
// Pooling op sum (Eq 4): pool1 27·27·96·8 = 559,872; pool2 13·13·256·8 = 346,112;
// pool5 6·6·256·8 = 73,728; total 979,712.
static_assert(alexnet().by_layer_type()[layer_type::max_pool2d].cost.ops == 979'712);
static_assert(alexnet().output(alexnet().last()) == shape3{1, 1, 1000});
static_assert(alexnet().size() == 24);  // input + 23 layers

// GoogLeNet inception (3a) on 28×28×192 (784 positions): four branches joined by concat.
//   1×1 → 64:               784·64·192      =  9,633,792
//   1×1 → 96, 3×3 → 128:    784·96·192      = 14,450,688;  784·128·9·96 = 86,704,128
//   1×1 → 16, 5×5 → 32:     784·16·192      =  2,408,448;  784·32·25·16 = 10,035,200
//   3×3 max pool s1 p1, 1×1 → 32: 784·32·192 =  4,816,896
//   total 128,049,152 MACs; output 28×28×(64 + 128 + 32 + 32) = 28×28×256.
// Pool ops (Eq 4): 784·192·8 = 1,204,224.
constexpr network inception_3a() {
  network n("inception_3a", {28, 28, 192});
  const node_id in = 0;
  const node_id b1 = n.add("1x1", conv2d{.out_channels = 64, .kernel = square(1)}, {in});
  n.add("3x3_reduce", conv2d{.out_channels = 96, .kernel = square(1)}, {in});
  const node_id b2 =
      n.add("3x3", conv2d{.out_channels = 128, .kernel = square(3), .padding = {1, 1}});
  n.add("5x5_reduce", conv2d{.out_channels = 16, .kernel = square(1)}, {in});
  const node_id b3 =
      n.add("5x5", conv2d{.out_channels = 32, .kernel = square(5), .padding = {2, 2}});
  n.add("pool", max_pool2d{.kernel = square(3), .padding = {1, 1}, .round = rounding::ceil}, {in});
  const node_id b4 = n.add("pool_proj", conv2d{.out_channels = 32, .kernel = square(1)});
  n.add("output", concat{}, {b1, b2, b3, b4});
  return n;
}
static_assert(inception_3a().totals().macs == 128'049'152);
static_assert(inception_3a().output(inception_3a().last()) == shape3{28, 28, 256});
static_assert(inception_3a().by_layer_type()[layer_type::max_pool2d].cost.ops == 1'204'224);
static_assert(inception_3a().by_layer_type()[layer_type::concat].layers == 1);

// ResNet basic block on 56×56×64: two 3×3 convs (pad 1, no bias) with BN (affine), ReLU, and
// the identity shortcut added back. Each conv: 56·56·64·9·64 = 115,605,504 MACs; the add:
// 56·56·64 = 200,704 ops; params: 2·(9·64·64) + 2·(64 + 64) = 73,728 + 256 = 73,984.
constexpr network basic_block() {
  network n("basic_block", {56, 56, 64});
  n.add("conv_a",
        conv2d{.out_channels = 64, .kernel = square(3), .padding = {1, 1}, .bias = false});
  n.add("bn_a", batch_norm{.affine = true});
  n.add("relu_a", activation{});
  n.add("conv_b",
        conv2d{.out_channels = 64, .kernel = square(3), .padding = {1, 1}, .bias = false});
  const node_id b = n.add("bn_b", batch_norm{.affine = true});
  n.add("add", eltwise{}, {0, b});
  n.add("relu", activation{});
  return n;
}
static_assert(basic_block().totals().macs == 231'211'008);
static_assert(basic_block().by_layer_type()[layer_type::eltwise].cost.ops == 200'704);
static_assert(basic_block().totals().params() == 73'984);

// Squeeze-and-excitation block (MobileNetV3's, on 7×7×16, reduction 4): global average pool →
// 1×1 conv 16→4 → ReLU → 1×1 conv 4→16 → hard-sigmoid → the gate (1×1×16) times the block input
// (7×7×16), broadcast over x and y. By hand (n = 7·7·16 = 784):
//   pool   ops 16·(49 − 1) = 768          dv 784 + 16 = 800
//   fc1    MACs 16·4 = 64, bias adds 4    w 64, b 4     dv 16 + 64 + 4 = 84
//   relu   ops 4                          dv 4 + 4 = 8
//   fc2    MACs 4·16 = 64, bias adds 16   w 64, b 16    dv 4 + 64 + 16 = 84
//   hsig   ops 16                         dv 16 + 16 = 32
//   gate   ops (2 − 1)·784 = 784          dv (2 − 1)·784 + 1·16 + 784 = 1,584
//   total  MACs 128; ops 768 + 4 + 4 + 16 + 16 + 784 = 1,592; params 128 + 20 = 148;
//          dv 800 + 84 + 8 + 84 + 32 + 1,584 = 2,592
constexpr network se_block(bool gate_first) {
  network n("se_block", {7, 7, 16});
  n.add("squeeze", avg_pool2d{.global = true});
  n.add("fc1", conv2d{.out_channels = 4, .kernel = square(1)});
  n.add("relu", activation{});
  n.add("fc2", conv2d{.out_channels = 16, .kernel = square(1)});
  const node_id g = n.add("hsig", activation{.kind = activation_kind::hard_sigmoid});
  if (gate_first)
    n.add("excite", eltwise{.op = eltwise_op::prod}, {g, 0});
  else
    n.add("excite", eltwise{.op = eltwise_op::prod}, {0, g});
  return n;
}
static_assert(se_block(false).output(se_block(false).last()) == shape3{7, 7, 16});
static_assert(se_block(false).totals() ==
              layer_cost{
                  .macs = 128, .ops = 1'592, .weights = 128, .biases = 20, .data_volume = 2'592});
// The output is the full shape and the counts the same whatever the order of the inputs.
static_assert(se_block(true).output(se_block(true).last()) == shape3{7, 7, 16});
static_assert(se_block(true).totals() == se_block(false).totals());
static_assert(std::get<eltwise>(se_block(true).at(se_block(true).last())).broadcast_inputs == 1);
static_assert(std::get<eltwise>(se_block(true).at(se_block(true).last())).input ==
              shape3{7, 7, 16});

// ShuffleNetV2 basic unit (stride 1) on 4×4×8: split the channels in two slices, the right half
// through 1×1 conv → ReLU → 3×3 depthwise (pad 1) → 1×1 conv → ReLU (no bias, BN left out),
// concat with the left half, channel shuffle with 2 groups. By hand (a half: 4·4·4 = 64):
//   slice ×2     dv 2·64 = 128 each                              256
//   conv 1×1     MACs 4·4·4·4 = 256, w 16      dv 64 + 16 + 64 = 144
//   relu         ops 64                        dv 128
//   dw 3×3       MACs 4·4·9·4 = 576, w 36      dv 64 + 36 + 64 = 164
//   conv 1×1     MACs 256, w 16                dv 144
//   relu         ops 64                        dv 128
//   concat       4·4·8 = 128 elements          dv 2·128 = 256
//   shuffle                                    dv 2·128 = 256
//   total  MACs 256 + 576 + 256 = 1,088; ops 128; weights 68;
//          dv 256 + 144 + 128 + 164 + 144 + 128 + 256 + 256 = 1,476
constexpr network shufflenet_unit() {
  network n("shufflenet_v2_unit", {4, 4, 8});
  const node_id left = n.add("split_l", slice{.axis = axis3::z, .begin = 0, .end = 4}, {0});
  n.add("split_r", slice{.axis = axis3::z, .begin = 4, .end = 8}, {0});
  n.add("pw1", conv2d{.out_channels = 4, .kernel = square(1), .bias = false});
  n.add("relu1", activation{});
  n.add("dw", depthwise_conv2d{.kernel = square(3), .padding = {1, 1}, .bias = false});
  n.add("pw2", conv2d{.out_channels = 4, .kernel = square(1), .bias = false});
  const node_id right = n.add("relu2", activation{});
  n.add("cat", concat{}, {left, right});
  n.add("shuffle", channel_shuffle{.groups = 2});
  return n;
}
static_assert(shufflenet_unit().output(shufflenet_unit().last()) == shape3{4, 4, 8});
static_assert(shufflenet_unit().totals() ==
              layer_cost{
                  .macs = 1'088, .ops = 128, .weights = 68, .biases = 0, .data_volume = 1'476});
static_assert(shufflenet_unit().by_layer_type()[layer_type::slice].layers == 2);
static_assert(shufflenet_unit().by_layer_type()[layer_type::channel_shuffle].cost.data_volume ==
              256);

// Two products of activations like attention's, on a 7×5×3 input: 3 batches of M = 5 rows by
// K = 7 columns. The builder sets both operands from the producers (A first). By hand:
//   kt = transpose x ↔ y   5×7×3 (K = 7 rows, N = 5 columns); dv 2·105 = 210
//   scores = input · kt    5×5×3; MACs 3·5·5·7 = 525; dv 105 + 105 + 75 = 285
//   context = scores · input (K = 5 = the input's rows, N = 7): 7×5×3; MACs 3·5·7·5 = 525;
//                          dv 75 + 105 + 105 = 285
//   total MACs 1,050; dv 210 + 285 + 285 = 780; no parameters, no ops
constexpr network attention_head() {
  network n("attention_head", {7, 5, 3});
  const node_id kt = n.add("kt", transpose{.perm = {axis3::y, axis3::x, axis3::z}}, {0});
  const node_id scores = n.add("scores", matmul{}, {0, kt});
  n.add("context", matmul{}, {scores, 0});
  return n;
}
static_assert(attention_head().output(2) == shape3{5, 5, 3});
static_assert(attention_head().output(attention_head().last()) == shape3{7, 5, 3});
static_assert(attention_head().totals() == layer_cost{.macs = 1'050, .data_volume = 780});
static_assert(attention_head().by_layer_type()[layer_type::matmul].layers == 2);
static_assert(std::get<matmul>(attention_head().at(3)).rhs == shape3{7, 5, 3});

// A descriptor's own `input` is filled in by the builder: node 1 of AlexNet sees 227×227×3.
static_assert(std::get<conv2d>(alexnet().at(1)).input == shape3{227, 227, 3});

TEST(Network, NamesInputsAndLookup) {
  const network n = inception_3a();
  EXPECT_EQ(n.name(), "inception_3a");
  EXPECT_EQ(n.name(0), "data");
  ASSERT_TRUE(n.find("pool_proj"));
  EXPECT_EQ(n.name(*n.find("pool_proj")), "pool_proj");
  EXPECT_FALSE(n.find("missing"));
  const auto concat_inputs = n.inputs(n.last());
  ASSERT_EQ(concat_inputs.size(), 4U);
  EXPECT_EQ(n.name(concat_inputs[1]), "3x3");
  EXPECT_EQ(std::get<concat>(n.at(n.last())).inputs, 4);
}

TEST(Network, RunTimeBuildEqualsCompileTimeBuild) {
  constexpr layer_cost at_compile_time = alexnet().totals();
  const network n = alexnet();  // built at run time
  EXPECT_EQ(n.totals(), at_compile_time);
}

std::string error_adding(network& n, const std::string& name, const layer& l,
                         std::vector<node_id> from) {
  try {
    n.add(name, l, from);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

TEST(Network, BranchAndBuilderErrorsNameTheLayer) {
  network n("t", {8, 8, 4});
  const node_id a = n.add("a", conv2d{.out_channels = 8, .kernel = square(3), .padding = {1, 1}});
  const node_id b = n.add("b", max_pool2d{.kernel = square(2), .stride = {2, 2}}, {0});
  EXPECT_EQ(error_adding(n, "cat", concat{}, {a, b}),
            "layer 'cat': concat inputs differ in x or y (input 1 is 4x4x4, expected 8x8x4)");
  EXPECT_EQ(error_adding(n, "sum", eltwise{}, {0, a}),
            "layer 'sum': eltwise inputs differ in shape; each must be the full shape or 1x1 with "
            "its z (input 1 is 8x8x8, expected 8x8x4)");
  EXPECT_EQ(error_adding(n, "sum", eltwise{}, {a}),
            "layer 'sum': eltwise needs >= 2 inputs; got (1)");
  EXPECT_EQ(error_adding(n, "a", activation{}, {a}),
            "layer 'a': duplicate layer name; node id (1)");
  EXPECT_EQ(error_adding(n, "x", activation{}, {7}),
            "layer 'x': input is not an existing node (7)");
  EXPECT_EQ(error_adding(n, "x", activation{}, {a, b}),
            "layer 'x': this layer takes exactly 1 input; got (2)");
  EXPECT_EQ(error_adding(n, "x", conv2d{.out_channels = 2, .kernel = square(9)}, {b}),
            "layer 'x': conv2d: kernel.x = 9 (dilated kernel larger than the padded input)");
  EXPECT_EQ(
      error_adding(n, "x", conv2d{.input = {8, 8, 3}, .out_channels = 2, .kernel = square(1)}, {a}),
      "layer 'x': declared input differs from the producers' output (input 0 is 8x8x3, "
      "expected 8x8x8)");
  EXPECT_EQ(error_adding(n, "x", input_layer{{1, 1, 1}}, {a}),
            "layer 'x': input_layer can only be node 0; inputs given (1)");
  EXPECT_EQ(error_adding(n, "", activation{}, {a}), "layer '': a layer needs a name (0)");
  // Nothing was added by the failed calls.
  EXPECT_EQ(n.size(), 3U);
  // A valid join still works: concat of a (8×8×8) and the input (8×8×4) is 8×8×12.
  EXPECT_EQ(n.output(n.add("cat", concat{}, {a, 0})), (shape3{8, 8, 12}));
}

// Broadcasting eltwise: a 1×1×z input must have the full input's z; the other new layers take
// exactly one input; descriptor errors of the new layers are named.
TEST(Network, BroadcastAndNewLayerErrorsNameTheLayer) {
  network n("t", {8, 8, 4});
  const node_id v = n.add("v", avg_pool2d{.global = true}, {0});                      // 1×1×4
  const node_id w = n.add("w", conv2d{.out_channels = 3, .kernel = square(1)}, {v});  // 1×1×3
  EXPECT_EQ(error_adding(n, "gate", eltwise{.op = eltwise_op::prod}, {0, w}),
            "layer 'gate': eltwise inputs differ in shape; each must be the full shape or 1x1 with "
            "its z (input 1 is 1x1x3, expected 8x8x4)");
  // Two 1×1 vectors of different z: neither broadcasts to the other.
  EXPECT_EQ(error_adding(n, "gate", eltwise{}, {v, w}),
            "layer 'gate': eltwise inputs differ in shape; each must be the full shape or 1x1 with "
            "its z (input 1 is 1x1x3, expected 1x1x4)");
  EXPECT_EQ(error_adding(n, "s", slice{.axis = axis3::z, .begin = 2, .end = 5}, {0}),
            "layer 's': slice: end = 5 (must be <= the input's extent along the axis)");
  EXPECT_EQ(error_adding(n, "sh", channel_shuffle{.groups = 3}, {0}),
            "layer 'sh': channel_shuffle: input.z = 4 (must be divisible by groups)");
  EXPECT_EQ(error_adding(n, "id", identity{}, {0, v}),
            "layer 'id': this layer takes exactly 1 input; got (2)");
  // matmul: exactly two operands, whose K and batch the descriptor checks. 8×8×4 times the
  // 1×1×4 vector: B's rows (y = 1) are not A's columns (x = 8).
  EXPECT_EQ(error_adding(n, "mm", matmul{}, {0}),
            "layer 'mm': matmul takes exactly 2 inputs (A, B); got (1)");
  EXPECT_EQ(error_adding(n, "mm", matmul{}, {0, v}),
            "layer 'mm': matmul: rhs.y = 1 (must equal input.x: B's rows are A's columns, K)");
  EXPECT_EQ(error_adding(n, "mm", matmul{.rhs = {8, 8, 3}}, {0, 0}),
            "layer 'mm': declared rhs differs from the producer's output (input 1 is 8x8x3, "
            "expected 8x8x4)");
  // Two full inputs and two broadcast vectors, in any order: 4 inputs, 2 of them broadcast.
  const node_id g = n.add("gate", eltwise{.op = eltwise_op::sum}, {v, 0, v, 0});
  const auto& e = std::get<eltwise>(n.at(g));
  EXPECT_EQ(e.inputs, 4);
  EXPECT_EQ(e.broadcast_inputs, 2);
  EXPECT_EQ(n.output(g), (shape3{8, 8, 4}));
  // ops = 3·256 = 768; dv = 2·256 + 2·4 + 256 = 776
  EXPECT_EQ(n.cost(g).ops, 768);
  EXPECT_EQ(n.cost(g).data_volume, 776);
  // All inputs 1×1×z of the same z: nothing is broadcast.
  EXPECT_EQ(std::get<eltwise>(n.at(n.add("vv", eltwise{}, {v, v}))).broadcast_inputs, 0);
}

TEST(Network, InvalidInputShapeThrows) {
  EXPECT_THROW(network("t", {0, 8, 3}), std::invalid_argument);
}

}  // namespace

namespace {

// The name index survives many rehashes: 1,000 layers, every name found at its own id, and a
// duplicate of an early name rejected at the end.
TEST(Network, NameIndexAtScale) {
  network n("many", {4, 4, 4});
  for (int i = 0; i < 1000; ++i) n.add("relu" + std::to_string(i), activation{});
  ASSERT_EQ(n.size(), 1001U);
  for (int i = 0; i < 1000; ++i) {
    const auto id = n.find("relu" + std::to_string(i));
    ASSERT_TRUE(id) << i;
    EXPECT_EQ(*id, static_cast<node_id>(i + 1));
  }
  EXPECT_FALSE(n.find("relu1000"));
  EXPECT_THROW(n.add("relu7", activation{}), std::invalid_argument);
  // 1,000 ReLUs on 4·4·4 = 64 elements: 64,000 ops.
  EXPECT_EQ(n.totals().ops, 64'000);
}

}  // namespace
