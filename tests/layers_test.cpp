// Layer descriptors: shapes and counts derived by hand in the comments (SyNERGY Eq 1–4 and the
// conventions of docs/counting-conventions.md), and the errors of invalid descriptors.
#include <gtest/gtest.h>

#include <stdexcept>
#include <synergy/layers/layer.hpp>
#include <synergy/model/layer_class.hpp>

using namespace synergy;

namespace {

// ---- conv2d (Eq 1, 2) ----------------------------------------------------------------------
// AlexNet conv1 (Caffe): 227×227×3, 96 filters 11×11, stride 4, no pad.
//   O = floor((227 − 11) / 4) + 1 = 55;  MACs = 55·55·96 · 11·11·3 = 290,400 · 363 = 105,415,200
//   weights = 11·11·3·96 = 34,848; biases = 96; bias adds = 290,400
//   data volume = 227·227·3 + 34,848 + 290,400 = 154,587 + 34,848 + 290,400 = 479,835
constexpr conv2d alex_conv1{
    .input = {227, 227, 3}, .out_channels = 96, .kernel = square(11), .stride = {4, 4}};
static_assert(alex_conv1.output() == shape3{55, 55, 96});
static_assert(alex_conv1.macs() == 105'415'200);
static_assert(alex_conv1.weights() == 34'848 && alex_conv1.biases() == 96);
static_assert(alex_conv1.params() == 34'944);
static_assert(alex_conv1.ops() == 290'400);
static_assert(alex_conv1.data_volume() == 479'835);
static_assert(alex_conv1.data_volume_bytes(4) == 4 * 479'835);

// AlexNet conv2, grouped: 27×27×96, 256 filters 5×5, pad 2, group 2.
//   O = 27; MACs = 27·27·256 · 5·5·(96/2) = 186,624 · 1,200 = 223,948,800
//   weights = 5·5·48·256 = 307,200
constexpr conv2d alex_conv2{.input = {27, 27, 96},
                            .out_channels = 256,
                            .kernel = square(5),
                            .padding = {2, 2},
                            .groups = 2};
static_assert(alex_conv2.output() == shape3{27, 27, 256});
static_assert(alex_conv2.macs() == 223'948'800);
static_assert(alex_conv2.weights() == 307'200);

// x and y independent: 20×10×4, kernel 3×1, stride 1×2, pad 1×0, no bias.
//   Ox = floor((20 + 2 − 3) / 1) + 1 = 20; Oy = floor((10 − 1) / 2) + 1 = 5
//   MACs = 20·5·8 · 3·1·4 = 800 · 12 = 9,600; ops 0 without bias
constexpr conv2d rect{.input = {20, 10, 4},
                      .out_channels = 8,
                      .kernel = {3, 1},
                      .stride = {1, 2},
                      .padding = {1, 0},
                      .bias = false};
static_assert(rect.output() == shape3{20, 5, 8});
static_assert(rect.macs() == 9'600 && rect.ops() == 0 && rect.biases() == 0);

// Dilation 2 on a 3×3 kernel spans 5: 10×10 → floor((10 − 5) / 1) + 1 = 6.
static_assert(conv2d{
                  .input = {10, 10, 1}, .out_channels = 1, .kernel = square(3), .dilation = {2, 2}}
                  .output() == shape3{6, 6, 1});

// ---- depthwise_conv2d and Eq 3 --------------------------------------------------------------
// MobileNet v1 conv2_1: depthwise 3×3 on 112×112×32 (pad 1), then pointwise 1×1 to 64.
//   depthwise MACs = 112·112 · 3·3 · 32 = 3,612,672; pointwise = 32·64·112·112 = 25,690,112
//   Eq 3: 3,612,672 + 25,690,112 = 29,302,784
constexpr depthwise_conv2d dw{
    .input = {112, 112, 32}, .kernel = square(3), .padding = {1, 1}, .bias = false};
constexpr conv2d pw{.input = dw.output(), .out_channels = 64, .kernel = square(1), .bias = false};
static_assert(dw.output() == shape3{112, 112, 32});
static_assert(dw.macs() == 3'612'672 && dw.weights() == 288);
static_assert(pw.macs() == 25'690'112);
static_assert(dw.macs() + pw.macs() == 29'302'784);
// Depth multiplier 2 doubles output channels and MACs.
static_assert(depthwise_conv2d{
                  .input = {112, 112, 32}, .kernel = square(3), .padding = {1, 1}, .multiplier = 2}
                  .macs() == 2 * 3'612'672);

// ---- fully_connected ---------------------------------------------------------------------
// AlexNet fc6: 6×6×256 = 9,216 inputs → 4,096: MACs = 37,748,736; params = 37,748,736 + 4,096.
constexpr fully_connected fc6{.input = {6, 6, 256}, .outputs = 4096};
static_assert(fc6.output() == shape3{1, 1, 4096});
static_assert(fc6.macs() == 37'748'736 && fc6.params() == 37'752'832);
static_assert(fc6.data_volume() == 9'216 + 37'748'736 + 4'096);

// ---- pooling (Eq 4, floor and Caffe's ceil) -----------------------------------------------------
// GoogLeNet pool1: 112×112×64, 3×3 stride 2. ceil((112 − 3) / 2) + 1 = 55 + 1 = 56 (Caffe);
// floor gives 54 + 1 = 55. Ops (Eq 4) = 56·56·64 · (9 − 1) = 1,605,632.
constexpr max_pool2d g_pool1{
    .input = {112, 112, 64}, .kernel = square(3), .stride = {2, 2}, .round = rounding::ceil};
static_assert(g_pool1.output() == shape3{56, 56, 64});
static_assert(g_pool1.ops() == 1'605'632 && g_pool1.macs() == 0 && g_pool1.params() == 0);
static_assert(max_pool2d{.input = {112, 112, 64}, .kernel = square(3), .stride = {2, 2}}.output() ==
              shape3{55, 55, 64});
static_assert(g_pool1.data_volume() == 112 * 112 * 64 + 56 * 56 * 64);
// Caffe's clip: 5 wide, kernel 2, stride 2, pad 1: ceil((5 + 2 − 2) / 2) + 1 = 4 windows would
// start at −1, 1, 3, 5; the one at 5 sees only padding (5 ≥ 5 + 1 − 1), so 3 remain.
static_assert(max_pool2d{.input = {5, 5, 1},
                         .kernel = square(2),
                         .stride = {2, 2},
                         .padding = {1, 1},
                         .round = rounding::ceil}
                  .output() == shape3{3, 3, 1});
// Without the clip case: 6 wide, kernel 3, stride 2, pad 1: ceil(5 / 2) + 1 = 4; (4 − 1)·2 = 6
// < 6 + 1, so 4 stay.
static_assert(max_pool2d{.input = {6, 6, 1},
                         .kernel = square(3),
                         .stride = {2, 2},
                         .padding = {1, 1},
                         .round = rounding::ceil}
                  .output() == shape3{4, 4, 1});
// Global average pooling 7×7×1024 → 1×1×1024, ops = 1,024 · (49 − 1) = 49,152 additions.
constexpr avg_pool2d gap{.input = {7, 7, 1024}, .global = true};
static_assert(gap.output() == shape3{1, 1, 1024} && gap.ops() == 49'152);
static_assert(avg_pool2d::type == layer_type::avg_pool2d);
static_assert(max_pool2d::type == layer_type::max_pool2d);

// ---- normalisation, activations, eltwise, concat, softmax, dropout, flatten ----------------
// batch_norm on 4×4×2 (32 elements): 2 ops/element = 64; running mean and variance 2·2 = 4
// elements of state; data volume 32 + 4 + 32 = 68. Affine: 128 ops, γ and β 2 + 2, dv 72.
static_assert(batch_norm{.input = {4, 4, 2}}.ops() == 64);
static_assert(batch_norm{.input = {4, 4, 2}}.params() == 0);
static_assert(batch_norm{.input = {4, 4, 2}}.data_volume() == 68);
static_assert(batch_norm{.input = {4, 4, 2}, .affine = true}.ops() == 128);
static_assert(batch_norm{.input = {4, 4, 2}, .affine = true}.params() == 4);
static_assert(batch_norm{.input = {4, 4, 2}, .affine = true}.data_volume() == 72);
// scale on 4×4×2 with bias: 64 ops, 2 weights + 2 biases, dv 32 + 4 + 32 = 68.
static_assert(scale{.input = {4, 4, 2}}.ops() == 64 && scale{.input = {4, 4, 2}}.params() == 4);
static_assert(scale{.input = {4, 4, 2}, .bias = false}.ops() == 32);
// ReLU: one op per element; PReLU: one slope per channel.
static_assert(activation{.input = {13, 13, 384}}.ops() == 64'896);
static_assert(activation{.input = {13, 13, 384}, .kind = activation_kind::prelu}.params() == 384);
// LRN across 5 channels on AlexNet norm2's 13×13×256 = 43,264 elements: (2·5 + 2) per element
// = 519,168 ops. Within channel (3×3 = 9 pixels): 2·9 + 2 = 20 per element.
static_assert(lrn{.input = {13, 13, 256}}.ops() == 519'168);
static_assert(
    lrn{.input = {1, 1, 1}, .local_size = 3, .region = lrn_region::within_channel}.ops() == 20);
// eltwise of 3 inputs of 2×2×2: 2 · 8 = 16 ops; data volume 3·8 + 8 = 32.
static_assert(eltwise{.input = {2, 2, 2}, .inputs = 3}.ops() == 16);
static_assert(eltwise{.input = {2, 2, 2}, .inputs = 3}.data_volume() == 32);
// concat: no ops; every element read and written: 2 · 28·28·256.
static_assert(concat{.input = {28, 28, 256}, .inputs = 4}.data_volume() == 2 * 28 * 28 * 256);
static_assert(concat{.input = {28, 28, 256}, .inputs = 4}.ops() == 0);
// softmax over 1000 classes: 3,000 ops.
static_assert(softmax{.input = {1, 1, 1000}}.ops() == 3'000);
static_assert(dropout{.input = {1, 1, 4096}}.ops() == 0);
static_assert(dropout{.input = {1, 1, 4096}}.data_volume() == 8'192);
static_assert(flatten{.input = {6, 6, 256}}.output() == shape3{1, 1, 9'216});
static_assert(flatten{.input = {6, 6, 256}}.data_volume() == 0);

// ---- the layer variant --------------------------------------------------------------------
static_assert(type_of(layer{alex_conv1}) == layer_type::conv2d);
static_assert(type_of(layer{gap}) == layer_type::avg_pool2d);
static_assert(cost_of(layer{fc6}).macs == 37'748'736);
static_assert(to_string(layer_type::depthwise_conv2d) == "depthwise_conv2d");
static_assert(to_string(layer_type::fully_connected) == "fully_connected");

// ---- modern-ConvNet vocabulary (issue 12) ------------------------------------------------------
// The appended activation kinds count one op per element like the others (see
// docs/counting-conventions.md): GELU on 4×3×2 = 24 elements: ops 24, dv 24 + 24 = 48.
static_assert(activation{.input = {4, 3, 2}, .kind = activation_kind::gelu}.cost() ==
              layer_cost{.ops = 24, .data_volume = 48});
static_assert(activation{.input = {4, 3, 2}, .kind = activation_kind::hard_swish}.ops() == 24);
static_assert(activation{.input = {4, 3, 2}, .kind = activation_kind::silu}.ops() == 24);
static_assert(activation{.input = {4, 3, 2}, .kind = activation_kind::hard_sigmoid}.params() == 0);
static_assert(to_string(activation_kind::hard_sigmoid) == "hard_sigmoid" &&
              to_string(activation_kind::hard_swish) == "hard_swish" &&
              to_string(activation_kind::silu) == "silu" &&
              to_string(activation_kind::gelu) == "gelu");

// Squeeze-and-excitation gate: 1×1×16 times 7×7×16 (n = 784): ops (2 − 1)·784 = 784;
// dv = (2 − 1)·784 + 1·16 + 784 = 1,584. Without broadcasting, dv would be 3·784 = 2,352.
static_assert(eltwise{
                  .input = {7, 7, 16}, .inputs = 2, .op = eltwise_op::prod, .broadcast_inputs = 1}
                  .cost() == layer_cost{.ops = 784, .data_volume = 1'584});
static_assert(eltwise{.input = {7, 7, 16}, .inputs = 2, .op = eltwise_op::sum}.data_volume() ==
              2'352);

// ConvNeXt-T stage 1 LayerNorm on 56×56×96 (n = 301,056): ops 7n = 2,107,392 (5 for mean,
// variance and normalisation + 2 for γ, β); γ, β: 96 each; dv 2n + 192 = 602,304.
// Without affine: ops 5n = 1,505,280; dv 2n = 602,112.
static_assert(layer_norm{.input = {56, 56, 96}}.cost() ==
              layer_cost{.ops = 2'107'392, .weights = 96, .biases = 96, .data_volume = 602'304});
static_assert(layer_norm{.input = {56, 56, 96}, .affine = false}.cost() ==
              layer_cost{.ops = 1'505'280, .data_volume = 602'112});
// ViT-B/16 LayerNorm on 197 tokens × 768 (as 197×1×768): ops 7·151,296 = 1,059,072.
static_assert(layer_norm{.input = {197, 1, 768}}.ops() == 1'059'072);
static_assert(layer_norm{.input = {197, 1, 768}}.output() == shape3{197, 1, 768});

// ShuffleNetV2 stage 2 on 28×28×116 (n = 90,944): shuffle dv 2n = 181,888; the channel split
// keeps 28×28×58 = 45,472 elements: dv 90,944.
static_assert(channel_shuffle{.input = {28, 28, 116}, .groups = 2}.cost() ==
              layer_cost{.data_volume = 181'888});
static_assert(channel_shuffle{.input = {28, 28, 116}, .groups = 1}.output() == shape3{28, 28, 116});
static_assert(slice{.input = {28, 28, 116}, .axis = axis3::z, .begin = 58, .end = 116}.output() ==
              shape3{28, 28, 58});
static_assert(slice{.input = {28, 28, 116}, .axis = axis3::z, .begin = 0, .end = 58}.cost() ==
              layer_cost{.data_volume = 90'944});
// x from 1 to 3 of 4×5×6: 2×5×6 = 60 kept, dv 120; y from 0 to 1: 4×1×6.
static_assert(slice{.input = {4, 5, 6}, .axis = axis3::x, .begin = 1, .end = 3}.output() ==
              shape3{2, 5, 6});
static_assert(slice{.input = {4, 5, 6}, .axis = axis3::x, .begin = 1, .end = 3}.data_volume() ==
              120);
static_assert(slice{.input = {4, 5, 6}, .axis = axis3::y, .begin = 0, .end = 1}.output() ==
              shape3{4, 1, 6});

// Transpose of 4×5×6 with perm (z, x, y): output (6, 4, 5); dv 2·120 = 240. The identity
// permutation (a layout change) keeps the shape and still moves every element.
static_assert(transpose{.input = {4, 5, 6}, .perm = {axis3::z, axis3::x, axis3::y}}.output() ==
              shape3{6, 4, 5});
static_assert(transpose{.input = {4, 5, 6}, .perm = {axis3::z, axis3::x, axis3::y}}.cost() ==
              layer_cost{.data_volume = 240});
static_assert(transpose{.input = {4, 5, 6}}.output() == shape3{4, 5, 6});
static_assert(transpose{.input = {4, 5, 6}}.data_volume() == 240);

// Pad 4×5×6 by 1 before and 3 after along x, 2 before along y: (4 + 4)×(5 + 2)×6 = 8×7×6 = 336;
// dv 120 + 336 = 456.
static_assert(pad{.input = {4, 5, 6}, .begin = {1, 2}, .end = {3, 0}}.output() == shape3{8, 7, 6});
static_assert(pad{.input = {4, 5, 6}, .begin = {1, 2}, .end = {3, 0}}.cost() ==
              layer_cost{.data_volume = 456});

// Identity and opaque count nothing.
static_assert(identity{.input = {4, 5, 6}}.output() == shape3{4, 5, 6});
static_assert(identity{.input = {4, 5, 6}}.cost() == layer_cost{});
static_assert(opaque{.input = {4, 5, 6}, .output_shape = {1, 1, 7}}.output() == shape3{1, 1, 7});
static_assert(opaque{.input = {4, 5, 6}, .output_shape = {1, 1, 7}}.cost() == layer_cost{});

// ---- matmul: a batched product of two activations ---------------------------------------
// ViT-B/16's attention, per block: 12 heads, 197 tokens, 64 = 768 / 12 values per head.
// Q·Kᵀ: A = Q (x = K = 64, y = M = 197, z = 12 heads), B = Kᵀ (x = N = 197, y = K = 64, z = 12);
//   output 197×197×12; MACs = 12 · 197·197 · 64 = 12 · 38,809 · 64 = 29,805,312
//   dv = 64·197·12 + 197·64·12 + 197·197·12 = 151,296 + 151,296 + 465,708 = 768,300
// attn·V: A = 197×197×12 (K = M = 197), B = V (x = N = 64, y = K = 197): output 64×197×12, the
//   same 12 · 197 · 64 · 197 = 29,805,312 MACs and 465,708 + 151,296 + 151,296 = 768,300.
// Per network: 2 products × 12 blocks = 24 · 29,805,312 = 715,327,488 MACs.
constexpr matmul vit_scores{.input = {64, 197, 12}, .rhs = {197, 64, 12}};
static_assert(vit_scores.output() == shape3{197, 197, 12});
static_assert(vit_scores.cost() == layer_cost{.macs = 29'805'312, .data_volume = 768'300});
constexpr matmul vit_context{.input = {197, 197, 12}, .rhs = {64, 197, 12}};
static_assert(vit_context.output() == shape3{64, 197, 12});
static_assert(vit_context.cost() == layer_cost{.macs = 29'805'312, .data_volume = 768'300});
// Odd sizes: batch 3, M = 5, K = 7, N = 4: A 7×5×3, B 4×7×3 → 4×5×3; MACs = 3·5·4·7 = 420;
// no parameters, no ops; dv = 105 + 84 + 60 = 249.
static_assert(matmul{.input = {7, 5, 3}, .rhs = {4, 7, 3}}.cost() ==
              layer_cost{.macs = 420, .data_volume = 249});

static_assert(to_string(layer_type::flatten) == "flatten" &&
              to_string(layer_type::layer_norm) == "layer_norm" &&
              to_string(layer_type::channel_shuffle) == "channel_shuffle" &&
              to_string(layer_type::slice) == "slice" &&
              to_string(layer_type::transpose) == "transpose" &&
              to_string(layer_type::pad) == "pad" &&
              to_string(layer_type::identity) == "identity" &&
              to_string(layer_type::opaque) == "opaque" &&
              to_string(layer_type::matmul) == "matmul");
// Appended: the earlier types keep their index.
static_assert(static_cast<int>(layer_type::flatten) == 14 &&
              static_cast<int>(layer_type::layer_norm) == 15 &&
              static_cast<int>(layer_type::opaque) == 21 &&
              static_cast<int>(layer_type::matmul) == 22 && layer_type_count == 23);

// Layer classes of the new types (model/layer_class.hpp): appended values, data movement driven
// by the data volume, identity and opaque never modelled.
using model::class_scheme;
using model::classify;
using model::layer_class;
static_assert(static_cast<int>(layer_class::no_cost) == 15 &&
              static_cast<int>(layer_class::layer_norm) == 16 &&
              static_cast<int>(layer_class::data_movement) == 17);
static_assert(classify(layer{layer_norm{}}, class_scheme::conv_shape) == layer_class::layer_norm);
static_assert(model::driver_of(layer_class::layer_norm) == model::driver::ops);
static_assert(classify(layer{channel_shuffle{}}, class_scheme::layer_type) ==
                  layer_class::data_movement &&
              classify(layer{slice{}}, class_scheme::layer_type) == layer_class::data_movement &&
              classify(layer{transpose{}}, class_scheme::layer_type) ==
                  layer_class::data_movement &&
              classify(layer{pad{}}, class_scheme::layer_type) == layer_class::data_movement);
static_assert(model::driver_of(layer_class::data_movement) == model::driver::data_volume);
static_assert(classify(layer{identity{}}, class_scheme::conv_shape) == layer_class::no_cost &&
              classify(layer{opaque{}}, class_scheme::conv_shape) == layer_class::no_cost);
// matmul: appended after avg_pool (index 20; 21 classes), its own class in both schemes, driven
// by its MACs like conv and FC.
static_assert(static_cast<int>(layer_class::avg_pool) == 19 &&
              static_cast<int>(layer_class::matmul) == 20 && model::layer_class_count == 21);
static_assert(classify(layer{matmul{}}, class_scheme::layer_type) == layer_class::matmul &&
              classify(layer{matmul{}}, class_scheme::conv_shape) == layer_class::matmul);
static_assert(model::driver_of(layer_class::matmul) == model::driver::macs &&
              model::to_string(layer_class::matmul) == "matmul");
static_assert(model::to_string(layer_class::data_movement) == "data_movement" &&
              model::to_string(layer_class::layer_norm) == "layer_norm");

// ---- invalid descriptors fail constant evaluation ------------------------------------------
// A descriptor usable as a template argument whose count is a constant expression.
template <auto L>
concept constant_count = requires {
  typename std::integral_constant<std::int64_t, L.macs()>;
};
static_assert(constant_count<alex_conv1>);
static_assert(!constant_count<conv2d{
                  .input = {8, 8, 3}, .out_channels = 4, .kernel = square(3), .stride = {0, 1}}>);
static_assert(!constant_count<conv2d{.input = {8, 8, 3}, .out_channels = 4, .kernel = square(9)}>);
static_assert(!constant_count<conv2d{
                  .input = {8, 8, 3}, .out_channels = 4, .kernel = square(3), .groups = 2}>);
static_assert(!constant_count<fully_connected{.input = {1 << 30, 1 << 30, 1 << 30}, .outputs = 8}>);
static_assert(!constant_count<max_pool2d{.input = {0, 8, 3}, .kernel = square(2)}>);
static_assert(!constant_count<lrn{.input = {8, 8, 3}, .local_size = 4}>);
static_assert(!constant_count<slice{.input = {4, 5, 6}, .axis = axis3::z, .begin = 2, .end = 7}>);
static_assert(!constant_count<slice{.input = {4, 5, 6}, .axis = axis3::z, .begin = 3, .end = 3}>);
static_assert(!constant_count<channel_shuffle{.input = {4, 5, 6}, .groups = 4}>);
static_assert(!constant_count<channel_shuffle{.input = {4, 5, 6}, .groups = 0}>);
static_assert(
    !constant_count<transpose{.input = {4, 5, 6}, .perm = {axis3::x, axis3::z, axis3::x}}>);
static_assert(!constant_count<pad{.input = {4, 5, 6}, .begin = {0, -1}}>);
static_assert(!constant_count<eltwise{.input = {4, 5, 6}, .inputs = 2, .broadcast_inputs = 2}>);
static_assert(!constant_count<opaque{.input = {4, 5, 6}}>);
static_assert(!constant_count<identity{}>);
static_assert(constant_count<matmul{.input = {7, 5, 3}, .rhs = {4, 7, 3}}>);
static_assert(!constant_count<matmul{.input = {7, 5, 3}, .rhs = {4, 6, 3}}>);  // K: 7 vs 6
static_assert(!constant_count<matmul{.input = {7, 5, 3}, .rhs = {4, 7, 1}}>);  // batch 3 vs 1
static_assert(!constant_count<matmul{.input = {7, 5, 3}}>);                    // rhs unset

// ---- ... and throw at run time, naming the field and values --------------------------------
template <class L>
std::string error_of(const L& l) {
  try {
    (void)l.cost();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

TEST(Layers, InvalidDescriptorsThrowNamingFieldAndValue) {
  conv2d c = alex_conv1;
  c.stride.x = 0;
  EXPECT_EQ(error_of(c), "conv2d: stride.x = 0 (must be >= 1)");
  c = alex_conv1;
  c.out_channels = -3;
  EXPECT_EQ(error_of(c), "conv2d: out_channels = -3 (must be >= 1)");
  c = alex_conv1;
  c.groups = 2;
  EXPECT_EQ(error_of(c), "conv2d: input.z = 3 (must be divisible by groups)");
  c = alex_conv1;
  c.kernel.y = 300;
  EXPECT_EQ(error_of(c), "conv2d: kernel.y = 300 (dilated kernel larger than the padded input)");
  EXPECT_EQ(error_of(max_pool2d{.input = {8, 8, 1}, .kernel = square(2), .padding = {2, 0}}),
            "max_pool2d: padding.x = 2 (must be < kernel.x)");
  EXPECT_EQ(error_of(eltwise{.input = {2, 2, 2}, .inputs = 1}),
            "eltwise: inputs = 1 (must be >= 2)");
  EXPECT_EQ(error_of(fully_connected{.input = {6, 6, 256}}),
            "fully_connected: outputs = 0 (must be >= 1)");
  EXPECT_EQ(error_of(batch_norm{}), "batch_norm: input.x = 0 (must be >= 1)");
  EXPECT_EQ(error_of(slice{.input = {4, 5, 6}, .axis = axis3::y, .begin = 2, .end = 6}),
            "slice: end = 6 (must be <= the input's extent along the axis)");
  EXPECT_EQ(error_of(slice{.input = {4, 5, 6}, .begin = -1, .end = 2}),
            "slice: begin = -1 (must be >= 0)");
  EXPECT_EQ(error_of(channel_shuffle{.input = {4, 5, 6}, .groups = 4}),
            "channel_shuffle: input.z = 6 (must be divisible by groups)");
  EXPECT_EQ(error_of(transpose{.input = {4, 5, 6}, .perm = {axis3::y, axis3::y, axis3::z}}),
            "transpose: perm[1] = 1 (perm must be a permutation: axis repeated)");
  EXPECT_EQ(error_of(pad{.input = {4, 5, 6}, .end = {-2, 0}}), "pad: end.x = -2 (must be >= 0)");
  EXPECT_EQ(
      error_of(eltwise{.input = {2, 2, 2}, .inputs = 2, .broadcast_inputs = 2}),
      "eltwise: broadcast_inputs = 2 (must be < inputs: one input at least has the full shape)");
  EXPECT_EQ(error_of(opaque{.input = {4, 5, 6}, .output_shape = {1, 0, 3}}),
            "opaque: output_shape.y = 0 (must be >= 1)");
  EXPECT_EQ(error_of(layer_norm{}), "layer_norm: input.x = 0 (must be >= 1)");
  EXPECT_EQ(error_of(matmul{.input = {7, 5, 3}, .rhs = {4, 6, 3}}),
            "matmul: rhs.y = 6 (must equal input.x: B's rows are A's columns, K)");
  EXPECT_EQ(error_of(matmul{.input = {7, 5, 3}, .rhs = {4, 7, 12}}),
            "matmul: rhs.z = 12 (must equal input.z: both operands have the same batch)");
  EXPECT_EQ(error_of(matmul{.input = {7, 5, 3}}), "matmul: rhs.x = 0 (must be >= 1)");
}

TEST(Layers, CountOverflowThrowsInsteadOfWrapping) {
  const fully_connected huge{.input = {1 << 30, 1 << 30, 1}, .outputs = 1 << 20};
  EXPECT_THROW((void)huge.macs(), std::overflow_error);
  EXPECT_THROW((void)conv2d{}.data_volume_bytes(4), std::invalid_argument);
  EXPECT_THROW((void)alex_conv1.data_volume_bytes(0), std::invalid_argument);
}

TEST(Layers, RunTimeCountsEqualCompileTimeCounts) {
  // The same descriptor built from run-time values (no constant folding of the check).
  volatile std::int64_t side = 227;
  const conv2d c{
      .input = {side, side, 3}, .out_channels = 96, .kernel = square(11), .stride = {4, 4}};
  EXPECT_EQ(c.macs(), 105'415'200);
  EXPECT_EQ(c.output(), (shape3{55, 55, 96}));
}

}  // namespace
