// Zoo networks: totals against published figures, with the per-block derivation in comments.
#include <gtest/gtest.h>

#include <synergy/zoo.hpp>
#include <utility>
#include <variant>

using namespace synergy;

namespace {

// Parameters of a k×k convolution (or FC, k = 1) from c to m channels in g groups, with bias.
constexpr std::int64_t conv_params(std::int64_t c, std::int64_t m, std::int64_t k = 1,
                                   std::int64_t g = 1) {
  return m * (c / g) * k * k + m;
}

// Hand derivations used below: MACs of a k×k convolution producing an o×o×m output from c
// input channels is o²·m·k²·c (per group); written out per block so that each total follows
// from the architecture tables, independently of the zoo's builders.
constexpr std::int64_t conv_macs(std::int64_t o, std::int64_t c, std::int64_t m,
                                 std::int64_t k = 1) {
  return o * o * m * k * k * c;
}
// SqueezeNet fire module at n×n from c channels: squeeze 1×1 → s, expand 1×1 → e1 and 3×3 → e3.
constexpr std::int64_t fire_macs(std::int64_t n, std::int64_t c, std::int64_t s, std::int64_t e1,
                                 std::int64_t e3) {
  return conv_macs(n, c, s) + conv_macs(n, s, e1) + conv_macs(n, s, e3, 3);
}
// BN-Inception module at s×s from c channels (1×1 a; reduce r3 → 3×3 c3; reduce rd → 3×3 d3 →
// 3×3 d3; pool projection p); stride 2 modules have no 1×1 or projection and stride the last 3×3s.
constexpr std::int64_t inception_bn_macs(std::int64_t s, std::int64_t c, std::int64_t a,
                                         std::int64_t r3, std::int64_t c3, std::int64_t rd,
                                         std::int64_t d3, std::int64_t p, std::int64_t stride = 1) {
  const std::int64_t so = s / stride;
  return conv_macs(s, c, a) + conv_macs(s, c, r3) + conv_macs(so, r3, c3, 3) + conv_macs(s, c, rd) +
         conv_macs(s, rd, d3, 3) + conv_macs(so, d3, d3, 3) + conv_macs(s, c, p);
}

// MobileNet v1 (Howard et al. 2017, Table 1/4: 569 M mult-adds, 4.2 M parameters).
// MACs per block at output size O (dw: O²·9·Cin; pw: O²·Cin·Cout):
//   conv1 112²·32·27 = 10,838,016
//   depthwise: 3,612,672 + 1,806,336 + 3,612,672 + 903,168 + 1,806,336 + 451,584
//              + 5·903,168 + 225,792 + 451,584 = 17,385,984
//   pointwise: 5 blocks at 25,690,112 (2_1, 2_2, 3_2, 4_2, 5_6) + 3 at 51,380,224 (3_1, 4_1, 6)
//              + 5 at 51,380,224 (5_1..5_5) = 128,450,560 + 154,140,672 + 256,901,120
//              = 539,492,352
//   fc7 (1×1 conv) 1,024·1,000 = 1,024,000
//   total 568,740,352 ≈ 569 M.
// Parameters: conv weights 864 + 9·4,960 (dw) + 3,139,584 (pw) = 3,185,088; fc7 1,025,000;
// Scale γ, β on 32 + 4,960 + 5,952 = 10,944 channels = 21,888; total 4,231,976 ≈ 4.2 M
// (also Keras' trainable-parameter count for MobileNet 1.0-224).
static_assert(zoo::mobilenet_v1().totals().macs == 568'740'352);
static_assert(zoo::mobilenet_v1().totals().params() == 4'231'976);
static_assert(zoo::mobilenet_v1().by_layer_type()[layer_type::depthwise_conv2d].cost.macs ==
              17'385'984);
static_assert(zoo::mobilenet_v1().by_layer_type()[layer_type::depthwise_conv2d].layers == 13);
// 1 + 13·2 convolutions + fc7 = 28 conv2d/depthwise; 27 BN, Scale and ReLU each.
static_assert(zoo::mobilenet_v1().by_layer_type()[layer_type::conv2d].layers == 15);
static_assert(zoo::mobilenet_v1().by_layer_type()[layer_type::batch_norm].layers == 27);
static_assert(zoo::mobilenet_v1().output(zoo::mobilenet_v1().last()) == shape3{1, 1, 1000});

// ALL-CNN-C at 32×32 (per conv: outputs · kernel area · input channels):
//   conv1 32²·96·27 = 2,654,208; conv2 32²·96·864 = 84,934,656; conv3 (stride 2) 16²·96·864 =
//   21,233,664; conv4 16²·192·864 = 42,467,328; conv5 16²·192·1728 = 84,934,656; conv6 (stride 2)
//   8²·192·1728 = 21,233,664; conv7 (no pad) 6²·192·1728 = 11,943,936; conv8 6²·192·192 =
//   1,327,104; conv9 6²·10·192 = 69,120; total 270,798,336.
// Parameters: 2,688 + 2·83,040 + 166,080 + 3·331,968 + 37,056 + 1,930 = 1,369,738 (≈ 1.3 M, as
// Springenberg et al. state).
static_assert(zoo::all_cnn_c().totals().macs == 270'798'336);
static_assert(zoo::all_cnn_c().totals().params() == 1'369'738);
static_assert(zoo::all_cnn_c().output(zoo::all_cnn_c().last()) == shape3{1, 1, 10});

// VGG_CNN_S parameters: conv1 14,208 + conv2 614,656 + conv3 1,180,160 + conv4, conv5 2,359,808
// each + fc6 (6·6·512·4096 + 4096) 75,501,568 + fc7 16,781,312 + fc8 4,097,000 = 102,908,520.
static_assert(zoo::vgg_cnn_s().totals().params() == 102'908'520);

// Places-CNDS-8s: spatial 227 → conv1 112 → pools 56, 28, 14, 7, 4 (ceil), so fc6 sees
// 4·4·512 = 8,192 inputs. Parameters: 9,472 + 73,856 + 295,168 + 590,080 + 1,180,160 +
// 3·2,359,808 + 33,558,528 + 16,781,312 + 839,885 (fc8 → 205) = 60,407,885.
static_assert(zoo::places_cnds8().totals().params() == 60'407'885);
static_assert(zoo::places_cnds8().output(zoo::places_cnds8().last()) == shape3{1, 1, 205});

// SqueezeNet v1.0 at 227 (Iandola et al. 2016, Table 1 layout; Caffe ceil pooling): conv1
// 7×7/2 → 111², fire2–4 at 55², fire5–8 at 27², fire9 at 13²; the v1.0 deploy file pads the 1×1
// conv10 by 1, so it runs at 15² (v1.1 and torchvision's v1.0 do not).
constexpr std::int64_t squeezenet_v1_0_macs =
    conv_macs(111, 3, 96, 7) + fire_macs(55, 96, 16, 64, 64) + fire_macs(55, 128, 16, 64, 64) +
    fire_macs(55, 128, 32, 128, 128) + fire_macs(27, 256, 32, 128, 128) +
    fire_macs(27, 256, 48, 192, 192) + fire_macs(27, 384, 48, 192, 192) +
    fire_macs(27, 384, 64, 256, 256) + fire_macs(13, 512, 64, 256, 256) + conv_macs(15, 512, 1000);
static_assert(squeezenet_v1_0_macs == 861'339'936);
static_assert(zoo::squeezenet_v1_0().totals().macs == squeezenet_v1_0_macs);
static_assert(zoo::squeezenet_residual().totals().macs == squeezenet_v1_0_macs);

// VGG_CNN_S (Chatfield et al. 2014, Table 1, CNN-S) at 224: conv1 7×7/2 → 109², conv2 5×5 at 33²,
// conv3–5 3×3 at 17², fc6 from 6·6·512.
static_assert(zoo::vgg_cnn_s().totals().macs ==
              conv_macs(109, 3, 96, 7) + conv_macs(33, 96, 256, 5) + conv_macs(17, 256, 512, 3) +
                  2 * conv_macs(17, 512, 512, 3) + 6 * 6 * 512 * 4096 + 4096 * 4096 + 4096 * 1000);

// Places-CNDS-8s at 227 (sizes derived in the parameter comment above): 2,018,873,344 MACs.
static_assert(zoo::places_cnds8().totals().macs ==
              conv_macs(112, 3, 64, 7) + conv_macs(56, 64, 128, 3) + conv_macs(28, 128, 256, 3) +
                  conv_macs(28, 256, 256, 3) + conv_macs(14, 256, 512, 3) +
                  conv_macs(14, 512, 512, 3) + 2 * conv_macs(7, 512, 512, 3) + 4 * 4 * 512 * 4096 +
                  4096 * 4096 + 4096 * 205);

// Inception-BN (21k) per module, widths as in the authors' deploy file (the MXNet
// "inception-bn-full" layout: conv1 96, conv2 128 → 288, wider 3a–3c than Ioffe & Szegedy's
// Figure 5), classifier 1024 → 21,841 classes.
constexpr std::int64_t inception_bn_macs_total =
    conv_macs(112, 3, 96, 7) + conv_macs(56, 96, 128) + conv_macs(56, 128, 288, 3) +
    inception_bn_macs(28, 288, 96, 96, 96, 96, 144, 48) +       // 3a → 384
    inception_bn_macs(28, 384, 96, 96, 144, 96, 144, 96) +      // 3b → 480
    inception_bn_macs(28, 480, 0, 192, 240, 96, 144, 0, 2) +    // 3c → 864
    inception_bn_macs(14, 864, 224, 64, 96, 96, 128, 128) +     // 4a → 576
    inception_bn_macs(14, 576, 192, 96, 128, 96, 128, 128) +    // 4b → 576
    inception_bn_macs(14, 576, 160, 128, 160, 128, 160, 128) +  // 4c → 608
    inception_bn_macs(14, 608, 96, 128, 192, 160, 96, 128) +    // 4d → 512
    inception_bn_macs(14, 512, 0, 128, 192, 192, 256, 0, 2) +   // 4e → 960
    inception_bn_macs(7, 960, 352, 192, 320, 160, 224, 128) +   // 5a → 1024
    inception_bn_macs(7, 1024, 352, 192, 320, 192, 224, 128) +  // 5b → 1024
    1024 * 21'841;
static_assert(inception_bn_macs_total == 3'422'893'056);  // the zoo's: in LargeNetworksAtRunTime

// Wide ResNet-50-2 (Zagoruyko & Komodakis; torchvision layout: stride in the 3×3, bottleneck
// width doubled to 128·2ⁱ, outputs 256·2ⁱ). Per block at input n, output o: 1×1 n²·c·w + 3×3
// o²·9w² + 1×1 o²·w·out (+ the 1×1 downsample o²·c·out in each stage's first block).
constexpr std::int64_t wide_resnet_macs(std::int64_t width) {
  std::int64_t m = conv_macs(112, 3, 64, 7), c = 64, n = 56;
  const std::int64_t blocks[4] = {3, 4, 6, 3};
  for (std::int64_t stage = 0; stage < 4; ++stage) {
    const std::int64_t w = (64 << stage) * width, out = 256 << stage;
    for (std::int64_t b = 0; b < blocks[stage]; ++b) {
      const std::int64_t o = (b == 0 && stage > 0) ? n / 2 : n;
      m += conv_macs(n, c, w) + conv_macs(o, w, w, 3) + conv_macs(o, w, out);
      if (b == 0) m += conv_macs(o, c, out);
      c = out;
      n = o;
    }
  }
  return m + 2048 * 1000;
}
// torchvision's ResNet-50 (the same function at width 1): 4,089,184,256 = its published 4.09
// GFLOPS; WRN-50-2: 11,398,021,120 = torchvision's published 11.40 GFLOPS. Both equal the
// torchvision ONNX exports counted by synergy::io (docs/importers.md).
static_assert(wide_resnet_macs(1) == 4'089'184'256);
static_assert(wide_resnet_macs(2) == 11'398'021'120);

// SqueezeNet v1.0: 1,248,424 parameters (Iandola et al. 2016, Table 2); the simple bypasses add
// none. SqueezeNet v1.1's convolutions: 387.75 M MACs (CNNergy's table, see
// tests/cnnergy_crosscheck_test.cpp), 387,747,520 exactly.
static_assert(zoo::squeezenet_v1_0().totals().params() == 1'248'424);
static_assert(zoo::squeezenet_residual().totals().params() == 1'248'424);
static_assert(zoo::squeezenet_residual().by_layer_type()[layer_type::eltwise].layers == 4);
static_assert(zoo::squeezenet_v1_1().by_layer_type()[layer_type::conv2d].cost.macs == 387'747'520);

// (AlexNet: MACs and parameters per layer in tests/network_test.cpp.)

// SqueezeNet v1.1: 1,235,496 parameters, torchvision's published count for squeezenet1_1.
static_assert(zoo::squeezenet_v1_1().totals().params() == 1'235'496);

// GoogLeNet (BVLC; Szegedy et al. 2015, Table 1 widths, every conv biased): per inception
// module 1×1 a; 1×1 r3 → 3×3 c3; 1×1 r5 → 5×5 c5; pool → 1×1 p.
constexpr std::int64_t googlenet_module_params(std::int64_t c, std::int64_t a, std::int64_t r3,
                                               std::int64_t c3, std::int64_t r5, std::int64_t c5,
                                               std::int64_t p) {
  return conv_params(c, a) + conv_params(c, r3) + conv_params(r3, c3, 3) + conv_params(c, r5) +
         conv_params(r5, c5, 5) + conv_params(c, p);
}
static_assert(zoo::googlenet().totals().params() ==
              conv_params(3, 64, 7) + conv_params(64, 64) + conv_params(64, 192, 3) +
                  googlenet_module_params(192, 64, 96, 128, 16, 32, 32) +      // 3a → 256
                  googlenet_module_params(256, 128, 128, 192, 32, 96, 64) +    // 3b → 480
                  googlenet_module_params(480, 192, 96, 208, 16, 48, 64) +     // 4a → 512
                  googlenet_module_params(512, 160, 112, 224, 24, 64, 64) +    // 4b
                  googlenet_module_params(512, 128, 128, 256, 24, 64, 64) +    // 4c
                  googlenet_module_params(512, 112, 144, 288, 32, 64, 64) +    // 4d → 528
                  googlenet_module_params(528, 256, 160, 320, 32, 128, 128) +  // 4e → 832
                  googlenet_module_params(832, 256, 160, 320, 32, 128, 128) +  // 5a → 832
                  googlenet_module_params(832, 384, 192, 384, 48, 128, 128) +  // 5b → 1024
                  conv_params(1024, 1000));
static_assert(zoo::googlenet().totals().params() == 6'998'552);

// GoogLeNet: convolutions + classifier = 1,582,671,872 MACs, CNNergy's 1582.67 M (57 conv rows
// and the FC as a 1×1 conv; ../shared/data/cnnergy/README.md).
static_assert(zoo::googlenet().by_layer_type()[layer_type::conv2d].cost.macs +
                  zoo::googlenet().by_layer_type()[layer_type::fully_connected].cost.macs ==
              1'582'671'872);
static_assert(zoo::googlenet().by_layer_type()[layer_type::concat].layers == 9);
static_assert(zoo::googlenet().output(zoo::googlenet().last()) == shape3{1, 1, 1000});

// ResNet-50 (Caffe release): 25,557,096 parameters = torchvision's published 25,557,032 + the 64
// biases of the Caffe conv1; 3,857,973,248 MACs, the "3.8 × 10⁹" of He et al. (2016, Table 1).
static_assert(zoo::resnet50().totals().params() == 25'557'096);
static_assert(zoo::resnet50().totals().macs == 3'857'973'248);
static_assert(zoo::resnet50().by_layer_type()[layer_type::eltwise].layers == 16);

// VGG-16: 138,357,544 parameters (Simonyan & Zisserman's "138 M"; the exact count of every
// framework's VGG-16). MACs per stage at 224, 112, 56, 28, 14: 224²·64·(27 + 576) = 1,936,719,872;
// 112²·128·(576 + 1,152) = 2,774,532,096; 56²·256·(1,152 + 2·2,304) = 4,624,220,160;
// 28²·512·(2,304 + 2·4,608) = 4,624,220,160; 14²·512·3·4,608 = 1,387,266,048; FC 25,088·4,096 +
// 4,096² + 4,096·1,000 = 123,633,664; total 15,470,264,320 (the same as torchvision's, ~15.5 G).
static_assert(zoo::vgg16().totals().params() == 138'357'544);
static_assert(zoo::vgg16().totals().macs == 15'470'264'320);

// ResNet-18 (torchvision layout): conv1 112²·64·147 = 118,013,952; stage 1: 4 × 56²·64·576 =
// 462,422,016; stages 2–4 each: first conv (stride 2) 57,802,752 + 1×1 downsample 6,422,528 +
// 3 × 115,605,504 = 411,041,792; fc 512,000; total 1,814,073,344 (torchvision: 1.81 GFLOPS,
// counted as MACs). Parameters 11,689,512, torchvision's published count.
static_assert(zoo::resnet18().totals().macs == 1'814'073'344);
static_assert(zoo::resnet18().totals().params() == 11'689'512);

// MobileNet v2 per inverted-residual block at input n, stride s, expansion t: 1×1 expand
// n²·c·tc (absent from torchvision's first block), 3×3 depthwise o²·9·tc, 1×1 project
// o²·tc·c'. The Caffe file (shicai) runs the whole 64-channel stage at 28² — its stride sits
// in the 64 → 96 block — where Sandler et al. (Table 2) and torchvision stride into 14² at the
// 32 → 64 block; the Caffe file also keeps a 32 → 32 expand conv in the first block.
struct ir_block {
  std::int64_t n, c, c_out, t, s;
};
constexpr std::int64_t mobilenet_v2_macs(const ir_block (&blocks)[17], bool first_block_expands) {
  std::int64_t m = conv_macs(112, 3, 32, 3);
  for (int i = 0; i < 17; ++i) {
    const auto [n, c, c_out, t, s] = blocks[i];
    const std::int64_t o = n / s, h = t * c;
    m += (i > 0 || first_block_expands ? conv_macs(n, c, h) : 0) + o * o * 9 * h +
         conv_macs(o, h, c_out);
  }
  return m + conv_macs(7, 320, 1280) + 1280 * 1000;
}
constexpr ir_block mobilenet_v2_caffe[17] = {
    {112, 32, 16, 1, 1}, {112, 16, 24, 6, 2}, {56, 24, 24, 6, 1},  {56, 24, 32, 6, 2},
    {28, 32, 32, 6, 1},  {28, 32, 32, 6, 1},  {28, 32, 64, 6, 1},  {28, 64, 64, 6, 1},
    {28, 64, 64, 6, 1},  {28, 64, 64, 6, 1},  {28, 64, 96, 6, 2},  {14, 96, 96, 6, 1},
    {14, 96, 96, 6, 1},  {14, 96, 160, 6, 2}, {7, 160, 160, 6, 1}, {7, 160, 160, 6, 1},
    {7, 160, 320, 6, 1}};
constexpr ir_block mobilenet_v2_paper[17] = {
    {112, 32, 16, 1, 1}, {112, 16, 24, 6, 2}, {56, 24, 24, 6, 1},  {56, 24, 32, 6, 2},
    {28, 32, 32, 6, 1},  {28, 32, 32, 6, 1},  {28, 32, 64, 6, 2},  {14, 64, 64, 6, 1},
    {14, 64, 64, 6, 1},  {14, 64, 64, 6, 1},  {14, 64, 96, 6, 1},  {14, 96, 96, 6, 1},
    {14, 96, 96, 6, 1},  {14, 96, 160, 6, 2}, {7, 160, 160, 6, 1}, {7, 160, 160, 6, 1},
    {7, 160, 320, 6, 1}};
// The paper's layout gives torchvision's 300,774,272 (its 0.30 GFLOPS; the same as the
// mobilenet_v2 ONNX export of ../shared/data/onnx counted in tests/onnx_import_test.cpp).
static_assert(mobilenet_v2_macs(mobilenet_v2_paper, false) == 300'774'272);
static_assert(zoo::mobilenet_v2().totals().macs == mobilenet_v2_macs(mobilenet_v2_caffe, true));
static_assert(zoo::mobilenet_v2().totals().macs == 429'111'936);

// MobileNet v2 (Caffe file): torchvision's published 3,504,872 parameters + the file's extra
// first-block expansion conv2_1/expand (32·32 = 1,024 weights) and its Scale (2·32 = 64) =
// 3,505,960.
static_assert(zoo::mobilenet_v2().totals().params() == 3'505'960);
static_assert(zoo::mobilenet_v2().by_layer_type()[layer_type::depthwise_conv2d].layers == 17);
static_assert(zoo::mobilenet_v2().by_layer_type()[layer_type::eltwise].layers == 10);

// ---------------------------------------------------------------------------------------------
// torchvision's modern ConvNets (issue 12), in their ONNX inference-graph layout: BatchNorm
// folded into the convolution before it, so every convolution has a bias and no network has a
// batch_norm layer. MACs are conv + linear multiply-accumulates, derived per block below from
// torchvision's architecture tables; they match torchvision's published GFLOPS column (which is
// fvcore's count: conv and linear MACs only; the squeeze-and-excitation products, activations,
// LayerNorm, sums and pooling are ops here and not counted there) and the PyTorch forward-hook
// counts of tests/onnx_import_test.cpp. Parameters: torchvision's published count includes each
// BatchNorm's γ and β (2 per channel); folding leaves one bias per channel, so the graph has the
// published count less one per folded BatchNorm channel, derived per block below.
//
// torchvision's GFLOPS column, to its digits: MACs rounded to the nearest 0.01 G.
constexpr std::int64_t centi_g(std::int64_t macs) { return (macs + 5'000'000) / 10'000'000; }
//
// clang 14's constant-evaluation budget is 1,048,576 steps per expression, and building a
// network costs steps per layer and per character of its layer names: with the long ONNX node
// names, EfficientNet-B0 takes about 1.32 M steps, RegNetY-400MF 1.03 M and ConvNeXt-T 1.01 M
// (measured with -fconstexpr-steps; MobileNetV3-Large 0.90 M). Their checks are therefore one
// constexpr function each, asserted at compile time with g++ (whose budget is 33 M operations)
// and run at run time with both compilers (TorchvisionChecksAtRunTime below).
#if defined(__clang__)
constexpr bool large_networks_at_compile_time = false;
#else
constexpr bool large_networks_at_compile_time = true;
#endif
//
// MobileNetV3-Large. Per block (input i²×c, kernel k, expansion e, output p, stride s, SE
// squeeze q = _make_divisible(e/4, 8)): expand 1×1 i²·e·c (none when e = c), depthwise o²·e·k²,
// SE fc1 + fc2 2·e·q, project o²·p·e; BN channels e (expand) + e + p:
//   blk  in       k  e    p    s  q      expand   depthwise      SE      project     BN
//   1    112²×16  3  16   16   1  -           0   1,806,336       0    3,211,264     32
//   2    112²×16  3  64   24   2  -  12,845,056   1,806,336       0    4,816,896    152
//   3    56²×24   3  72   24   1  -   5,419,008   2,032,128       0    5,419,008    168
//   4    56²×24   5  72   40   2  24  5,419,008   1,411,200   3,456    2,257,920    184
//   5    28²×40   5  120  40   1  32  3,763,200   2,352,000   7,680    3,763,200    280
//   6    28²×40   5  120  40   1  32  3,763,200   2,352,000   7,680    3,763,200    280
//   7    28²×40   3  240  80   2  -   7,526,400     423,360       0    3,763,200    560
//   8    14²×80   3  200  80   1  -   3,136,000     352,800       0    3,136,000    480
//   9    14²×80   3  184  80   1  -   2,885,120     324,576       0    2,885,120    448
//   10   14²×80   3  184  80   1  -   2,885,120     324,576       0    2,885,120    448
//   11   14²×80   3  480  112  1  120 7,526,400     846,720 115,200   10,536,960  1,072
//   12   14²×112  3  672  112  1  168 14,751,744  1,185,408 225,792   14,751,744  1,456
//   13   14²×112  5  672  160  2  168 14,751,744    823,200 225,792    5,268,480  1,504
//   14   7²×160   5  960  160  1  240 7,526,400   1,176,000 460,800    7,526,400  2,080
//   15   7²×160   5  960  160  1  240 7,526,400   1,176,000 460,800    7,526,400  2,080
//   stem 3×3/2 → 16: 112²·16·27 = 5,419,008 (BN 16); last 1×1 7²·160 → 960 = 7,526,400 (BN 960);
//   classifier 960·1280 + 1280·1000 = 2,508,800. Sum of the blocks 201,135,552; total
//   216,589,760 MACs ≈ 0.22 G (torchvision's GFLOPS: 0.22).
//   Parameters: 5,483,032 − (16 + 32 + 152 + 168 + 184 + 280 + 280 + 560 + 480 + 448 + 448 +
//   1,072 + 1,456 + 1,504 + 2,080 + 2,080 + 960 = 12,200) = 5,470,832.
constexpr layer_cost mobilenet_v3_large_totals = zoo::mobilenet_v3_large().totals();
static_assert(5'017'600 + 19'468'288 + 12'870'144 + 9'091'584 + 2 * 9'886'080 + 11'712'960 +
                  6'624'800 + 2 * 6'094'816 + 19'025'280 + 30'914'688 + 21'069'216 +
                  2 * 16'689'600 ==
              201'135'552);
static_assert(mobilenet_v3_large_totals.macs == 5'419'008 + 201'135'552 + 7'526'400 + 2'508'800);
static_assert(mobilenet_v3_large_totals.macs == 216'589'760);
static_assert(mobilenet_v3_large_totals.params() == 5'483'032 - 12'200);
// 15 depthwise convolutions; 8 SE gates + 10 residual sums (blocks 1, 3, 5, 6, 8–10, 12, 14, 15).
constexpr layer_type_sums mobilenet_v3_large_types = zoo::mobilenet_v3_large().by_layer_type();
static_assert(mobilenet_v3_large_types[layer_type::depthwise_conv2d].layers == 15);
static_assert(mobilenet_v3_large_types[layer_type::eltwise].layers == 8 + 10);
static_assert(mobilenet_v3_large_types[layer_type::batch_norm].layers == 0);

// MobileNetV3-Small, the same columns:
//   blk  in       k  e    p    s  q      expand   depthwise      SE      project     BN
//   1    112²×16  3  16   16   2  8           0     451,584     256      802,816     32
//   2    56²×16   3  72   24   2  -   3,612,672     508,032       0    1,354,752    168
//   3    28²×24   3  88   24   1  -   1,655,808     620,928       0    1,655,808    200
//   4    28²×24   5  96   40   2  24  1,806,336     470,400   4,608      752,640    232
//   5    14²×40   5  240  40   1  64  1,881,600   1,176,000  30,720    1,881,600    520
//   6    14²×40   5  240  40   1  64  1,881,600   1,176,000  30,720    1,881,600    520
//   7    14²×40   5  120  48   1  32    940,800     588,000   7,680    1,128,960    288
//   8    14²×48   5  144  48   1  40  1,354,752     705,600  11,520    1,354,752    336
//   9    14²×48   5  288  96   2  72  2,709,504     352,800  41,472    1,354,752    672
//   10   7²×96    5  576  96   1  144 2,709,504     705,600 165,888    2,709,504  1,248
//   11   7²×96    5  576  96   1  144 2,709,504     705,600 165,888    2,709,504  1,248
//   stem 5,419,008 (BN 16); last 1×1 7²·96 → 576 = 2,709,504 (BN 576); classifier 576·1024 +
//   1024·1000 = 1,613,824. Sum of the blocks 46,768,064; total 56,510,400 MACs ≈ 0.06 G
//   (torchvision: 0.06). Parameters: 2,542,856 − (16 + 32 + 168 + 200 + 232 + 520 + 520 + 288 +
//   336 + 672 + 1,248 + 1,248 + 576 = 6,056) = 2,536,800.
constexpr layer_cost mobilenet_v3_small_totals = zoo::mobilenet_v3_small().totals();
static_assert(1'254'656 + 5'475'456 + 3'932'544 + 3'033'984 + 2 * 4'969'920 + 2'665'440 +
                  3'426'624 + 4'458'528 + 2 * 6'290'496 ==
              46'768'064);
static_assert(mobilenet_v3_small_totals.macs == 5'419'008 + 46'768'064 + 2'709'504 + 1'613'824);
static_assert(mobilenet_v3_small_totals.macs == 56'510'400);
static_assert(mobilenet_v3_small_totals.params() == 2'542'856 - 6'056);
// 11 depthwise; 9 SE gates + 6 residual sums (blocks 3, 5, 6, 8, 10, 11).
constexpr layer_type_sums mobilenet_v3_small_types = zoo::mobilenet_v3_small().by_layer_type();
static_assert(mobilenet_v3_small_types[layer_type::depthwise_conv2d].layers == 11);
static_assert(mobilenet_v3_small_types[layer_type::eltwise].layers == 9 + 6);

// EfficientNet-B0. Per stage (blocks × expansion t, kernel/first stride; per block from input
// c: expand 1×1 i²·tc·c when t > 1, depthwise o²·tc·k², SE 2·tc·max(1, c/4), project o²·p·tc;
// BN channels tc (expand) + tc + p):
//   stage          in → out          expand   depthwise       SE     project       stage     BN
//   1× t1 k3/1  112²×32 → 112²×16         0   3,612,672      512   6,422,528  10,035,712     48
//   2× t6 k3/2  112²×16 → 56²×24 30,105,600   6,773,760    2,496  18,063,360  54,945,216    528
//   2× t6 k5/2   56²×24 → 28²×40 18,364,416   7,526,400    6,528  12,042,240  37,939,584    848
//   3× t6 k3/2   28²×40 → 14²×80 22,579,200   2,116,800   43,200  18,816,000  43,555,200  2,640
//   3× t6 k5/1  14²×80 → 14²×112 37,029,888   8,937,600   94,464  40,040,448  86,102,400  3,984
//   4× t6 k5/2  14²×112 → 7²×192 47,265,792   5,056,800  369,408  38,836,224  91,528,224  9,024
//   1× t6 k3/1    7²×192 → 7²×320 10,838,016    508,032  110,592  18,063,360  29,520,000  2,624
//   stem 3×3/2 → 32: 112²·32·27 = 10,838,016 (BN 32); head 1×1 7²·320 → 1280 = 20,070,400
//   (BN 1,280); classifier 1,280,000. Total 385,814,752 ≈ 0.39 G (torchvision: 0.39).
//   Parameters: 5,288,548 − (32 + 48 + 528 + 848 + 2,640 + 3,984 + 9,024 + 2,624 + 1,280 =
//   21,008) = 5,267,540.
// 16 MBConv blocks: 16 depthwise, 16 SE gates, 9 residual sums (each stage's blocks after its
// first: 0 + 1 + 1 + 2 + 2 + 3 + 0).
constexpr bool efficientnet_b0_checks() {
  const network n = zoo::efficientnet_b0();
  const layer_cost t = n.totals();
  const layer_type_sums s = n.by_layer_type();
  return t.macs == 10'838'016 + 10'035'712 + 54'945'216 + 37'939'584 + 43'555'200 + 86'102'400 +
                       91'528'224 + 29'520'000 + 20'070'400 + 1'280'000 &&
         t.macs == 385'814'752 && centi_g(t.macs) == 39 && t.params() == 5'288'548 - 21'008 &&
         s[layer_type::depthwise_conv2d].layers == 16 && s[layer_type::eltwise].layers == 16 + 9;
}
static_assert(!large_networks_at_compile_time || efficientnet_b0_checks());

// MnasNet 1.0. Stem: 3×3/2 → 32 112²·32·27 = 10,838,016, depthwise 3×3 112²·32·9 = 3,612,672,
// 1×1 → 16 112²·16·32 = 6,422,528 (BN 32 + 32 + 16 = 80). Stacks (per block from input c:
// expand 1×1 i²·tc·c, depthwise o²·tc·k², project o²·p·tc; BN 2·tc + p):
//   stack          in → out          expand   depthwise     project        stack      BN
//   3× t3 k3/2  112²×16 → 56²×24 20,471,808   5,419,008  14,450,688   40,341,504     456
//   3× t3 k5/2   56²×24 → 28²×40 12,945,408   6,115,200   9,784,320   28,844,928     744
//   3× t6 k5/2   28²×40 → 14²×80 22,579,200   5,880,000  18,816,000   47,275,200   2,640
//   2× t6 k3/1   14²×80 → 14²×96 18,364,416   1,862,784  19,869,696   40,096,896   2,304
//   4× t6 k5/2   14²×96 → 7²×192 43,352,064   4,939,200  37,933,056   86,224,320   8,832
//   1× t6 k3/1    7²×192 → 7²×320 10,838,016    508,032  18,063,360   29,409,408   2,624
//   head 1×1 7²·320 → 1280 = 20,070,400 (BN 1,280); classifier 1,280,000. Total 314,415,872
//   ≈ 0.31 G (torchvision: 0.31). Parameters: 4,383,312 − (80 + 456 + 744 + 2,640 + 2,304 +
//   8,832 + 2,624 + 1,280 = 18,960) = 4,364,352.
constexpr layer_cost mnasnet1_0_totals = zoo::mnasnet1_0().totals();
static_assert(mnasnet1_0_totals.macs == 10'838'016 + 3'612'672 + 6'422'528 + 40'341'504 +
                                            28'844'928 + 47'275'200 + 40'096'896 + 86'224'320 +
                                            29'409'408 + 20'070'400 + 1'280'000);
static_assert(mnasnet1_0_totals.macs == 314'415'872);
static_assert(mnasnet1_0_totals.params() == 4'383'312 - 18'960);
// 1 + 16 depthwise; 10 residual sums (2 + 2 + 2 + 1 + 3 + 0).
constexpr layer_type_sums mnasnet1_0_types = zoo::mnasnet1_0().by_layer_type();
static_assert(mnasnet1_0_types[layer_type::depthwise_conv2d].layers == 17);
static_assert(mnasnet1_0_types[layer_type::eltwise].layers == 10);

// ShuffleNetV2 ×1.0. conv1 3×3/2 → 24: 112²·24·27 = 8,128,512 (BN 24). A stage's first unit
// (input i²×c, width w, half h = w/2, output o = i/2): branch1 depthwise o²·c·9 + 1×1 o²·h·c;
// branch2 1×1 i²·h·c + depthwise o²·h·9 + 1×1 o²·h·h (BN c + 4h). The other units, on the
// second half of the channels only: 2·o²·h·h + o²·h·9 (BN 3h). Slices, concatenations and
// shuffles move data: no MACs.
//   stage2 56²×24 → 28²×116: first 8,672,608 + 3 × 5,684,000 = 25,724,608 (BN 778)
//   stage3 28²×116 → 14²×232: first 16,233,504 + 7 × 5,479,376 = 54,589,136 (BN 3,016)
//   stage4 14²×232 → 7²×464: first 16,028,880 + 3 × 5,377,064 = 32,160,072 (BN 3,248)
//   conv5 1×1 7²·464 → 1024 = 23,281,664 (BN 1,024); fc 1,024,000. Total 144,907,992 ≈ 0.14 G
//   (torchvision: 0.14). Parameters: 2,278,604 − (24 + 778 + 3,016 + 3,248 + 1,024 = 8,090) =
//   2,270,514.
constexpr layer_cost shufflenet_v2_x1_0_totals = zoo::shufflenet_v2_x1_0().totals();
static_assert(shufflenet_v2_x1_0_totals.macs == 8'128'512 + 8'672'608 + 3 * 5'684'000 + 16'233'504 +
                                                    7 * 5'479'376 + 16'028'880 + 3 * 5'377'064 +
                                                    23'281'664 + 1'024'000);
static_assert(shufflenet_v2_x1_0_totals.macs == 144'907'992);
static_assert(shufflenet_v2_x1_0_totals.params() == 2'278'604 - 8'090);
// 16 units: 16 concatenations and channel shuffles; 13 split units with 2 slices each;
// 2·3 + 13 depthwise.
constexpr layer_type_sums shufflenet_v2_x1_0_types = zoo::shufflenet_v2_x1_0().by_layer_type();
static_assert(shufflenet_v2_x1_0_types[layer_type::channel_shuffle].layers == 16);
static_assert(shufflenet_v2_x1_0_types[layer_type::concat].layers == 16);
static_assert(shufflenet_v2_x1_0_types[layer_type::slice].layers == 26);
static_assert(shufflenet_v2_x1_0_types[layer_type::depthwise_conv2d].layers == 19);
static_assert(shufflenet_v2_x1_0_types[layer_type::channel_shuffle].cost.macs == 0);

// RegNetY-400MF. stem 3×3/2 → 32: 112²·32·27 = 10,838,016 (BN 32). A stage's first block
// (input i²×c, width w, output o = i/2, group width 8): proj 1×1/2 o²·w·c + a 1×1 i²·w·c + b 3×3
// grouped o²·w·9·8 + SE 2·w·(c/4) + c 1×1 o²·w·w (BN 4w); the others a o²·w·w + b o²·w·9·8 +
// SE 2·w·(w/4) + c o²·w·w (BN 3w):
//   block1 112²×32 → 56²×48 (6 groups): first 42,148,608 = 42,148,608 (BN 192)
//   block2 56²×48 → 28²×104 (13 groups): first 33,921,472 + 2 × 22,835,488 = 79,592,448 (BN 1,040)
//   block3 28²×104 → 14²×208 (26 groups): first 32,625,216 + 5 × 19,916,416 = 132,207,296
//   (BN 3,952)
//   block4 14²×208 → 7²×440 (55 groups): first 33,506,880 + 5 × 20,621,920 = 136,616,480
//   (BN 8,360)
//   fc 440,000. Total 401,842,848 ≈ 0.40 G (torchvision: 0.40). Parameters: 4,344,144 − (32 +
//   192 + 1,040 + 3,952 + 8,360 = 13,576) = 4,330,568.
// 16 blocks: 16 SE gates and 16 residual sums.
constexpr bool regnet_y_400mf_checks() {
  const network n = zoo::regnet_y_400mf();
  const layer_cost t = n.totals();
  return t.macs == 10'838'016 + 42'148'608 + 33'921'472 + 2 * 22'835'488 + 32'625'216 +
                       5 * 19'916'416 + 33'506'880 + 5 * 20'621'920 + 440'000 &&
         t.macs == 401'842'848 && centi_g(t.macs) == 40 && t.params() == 4'344'144 - 13'576 &&
         n.by_layer_type()[layer_type::eltwise].layers == 16 + 16;
}
static_assert(!large_networks_at_compile_time || regnet_y_400mf_checks());

// ConvNeXt-Tiny (no BatchNorm). stem 4×4/4 → 96: 56²·96·48 = 14,450,688. A CNBlock at s²×w:
// depthwise 7×7 s²·w·49 + the two Linears (1×1 convs) w → 4w → w 2·s²·w·4w; a downsampling
// 2×2/2 from w/2 channels s²·w·4·(w/2):
//   stage1 56²×96: 3 × 245,962,752 = 737,888,256
//   stage2 28²×192: downsampling 57,802,752 + 3 × 238,586,880 = 773,563,392
//   stage3 14²×384: downsampling 57,802,752 + 9 × 234,898,944 = 2,171,893,248
//   stage4 7²×768: downsampling 57,802,752 + 3 × 233,054,976 = 756,967,680
//   classifier 768,000. Total 4,455,531,264 ≈ 4.46 G (torchvision: 4.46).
// Parameters, exactly torchvision's 28,589,128 (nothing folded; LayerNorm γ, β and the layer
// scale γ count as there): stem 4,608 + 96 + LayerNorm 192; per block 49w + w (depthwise) + 2w
// (LayerNorm) + 4w² + 4w + 4w² + w (Linears) + w (layer scale): 79,296, 306,048, 1,201,920,
// 4,763,136 at w = 96, 192, 384, 768; downsampling w/2 → w: w (LayerNorm) + 2w² + w: 74,112,
// 295,680, 1,181,184; head LayerNorm 1,536 + fc 769,000.
static_assert(4'896 + 3 * 79'296 + 74'112 + 3 * 306'048 + 295'680 + 9 * 1'201'920 + 1'181'184 +
                  3 * 4'763'136 + 1'536 + 769'000 ==
              28'589'128);
// LayerNorms: stem, 18 blocks, 3 downsamplings, head = 23, each between two transposes; 7 ops
// per element (docs/counting-conventions.md; the first at 56²×96: 7·301,056): the stem's,
// stage 1's three and the downsampling one at 56²×96, stage 2's three and one at 28²×192,
// stage 3's nine and one at 14²×384, stage 4's three at 7²×768, the head's at 1×1×768.
constexpr bool convnext_tiny_checks() {
  const network n = zoo::convnext_tiny();
  const layer_cost t = n.totals();
  const layer_type_sums s = n.by_layer_type();
  return t.macs == 14'450'688 + 737'888'256 + 773'563'392 + 2'171'893'248 + 756'967'680 + 768'000 &&
         t.macs == 4'455'531'264 && centi_g(t.macs) == 446 && t.params() == 28'589'128 &&
         s[layer_type::layer_norm].layers == 23 && s[layer_type::transpose].layers == 46 &&
         s[layer_type::scale].layers == 18 &&
         s[layer_type::layer_norm].cost.ops ==
             7 * ((1 + 3 + 1) * 56 * 56 * 96 + (3 + 1) * 28 * 28 * 192 + (9 + 1) * 14 * 14 * 384 +
                  3 * 7 * 7 * 768 + 768);
}
static_assert(!large_networks_at_compile_time || convnext_tiny_checks());

// torchvision's GFLOPS column, to its digits (EfficientNet-B0, RegNetY-400MF and ConvNeXt-T:
// in their checks).
static_assert(centi_g(mobilenet_v3_large_totals.macs) == 22);  // 0.22
static_assert(centi_g(mobilenet_v3_small_totals.macs) == 6);   // 0.06
static_assert(centi_g(shufflenet_v2_x1_0_totals.macs) == 14);  // 0.14
static_assert(centi_g(mnasnet1_0_totals.macs) == 31);          // 0.31

TEST(Zoo, TorchvisionChecksAtRunTime) {
  EXPECT_TRUE(efficientnet_b0_checks());
  EXPECT_TRUE(regnet_y_400mf_checks());
  EXPECT_TRUE(convnext_tiny_checks());
  // The totals again, for a readable message should a check fail.
  EXPECT_EQ(zoo::efficientnet_b0().totals().macs, 385'814'752);
  EXPECT_EQ(zoo::efficientnet_b0().totals().params(), 5'267'540);
  EXPECT_EQ(zoo::regnet_y_400mf().totals().macs, 401'842'848);
  EXPECT_EQ(zoo::regnet_y_400mf().totals().params(), 4'330'568);
  EXPECT_EQ(zoo::convnext_tiny().totals().macs, 4'455'531'264);
  EXPECT_EQ(zoo::convnext_tiny().totals().params(), 28'589'128);
}

TEST(Zoo, TorchvisionNetworksUseTheOnnxNodeNames) {
  // A few names read from the exports (tests/data/onnx/*.onnx), one per kind of layer.
  const std::pair<network (*)(), const char*> names[] = {
      {zoo::mobilenet_v3_large, "/features/features.0/features.0.0/Conv"},
      {zoo::mobilenet_v3_large, "/features/features.4/block/block.2/scale_activation/HardSigmoid"},
      {zoo::mobilenet_v3_large, "/classifier/classifier.3/Gemm"},
      {zoo::mobilenet_v3_small, "/features/features.1/block/block.1/Mul"},
      {zoo::efficientnet_b0, "/features/features.2/features.2.1/Add"},
      {zoo::efficientnet_b0, "/features/features.1/features.1.0/block/block.1/activation/Sigmoid"},
      {zoo::shufflenet_v2_x1_0, "/stage2/stage2.1/Slice_1"},
      {zoo::shufflenet_v2_x1_0, "/stage4/stage4.3/Reshape"},
      {zoo::mnasnet1_0, "/layers/layers.8/layers.8.1/Add"},
      {zoo::regnet_y_400mf, "/trunk_output/block4/block4-5/activation/Relu"},
      {zoo::convnext_tiny, "/features/features.5/features.5.8/block/block.4/Div"},
      {zoo::convnext_tiny, "/classifier/classifier.2/Gemm"},
  };
  for (const auto& [make, name] : names) EXPECT_TRUE(make().find(name)) << name;
  // Shapes at a few points (ONNX shape inference on the exports).
  const network s = zoo::shufflenet_v2_x1_0();
  EXPECT_EQ(s.output(*s.find("/stage2/stage2.1/Slice")), (shape3{28, 28, 58}));
  EXPECT_EQ(s.output(*s.find("/stage3/stage3.0/Reshape")), (shape3{14, 14, 232}));
  const network c = zoo::convnext_tiny();
  EXPECT_EQ(c.output(*c.find("/features/features.4/features.4.1/Conv")), (shape3{14, 14, 384}));
  EXPECT_EQ(c.output(*c.find("/features/features.5/features.5.0/block/block.3/MatMul")),
            (shape3{14, 14, 1536}));
  // The SE gate multiplies 1×1×z by x×y×z: one broadcast input.
  const network m = zoo::mobilenet_v3_large();
  const auto& gate = std::get<eltwise>(m.at(*m.find("/features/features.4/block/block.2/Mul")));
  EXPECT_EQ(gate.broadcast_inputs, 1);
  EXPECT_EQ(gate.op, eltwise_op::prod);
  EXPECT_EQ(m.output(*m.find("/features/features.4/block/block.2/Mul")), (shape3{28, 28, 72}));
}

TEST(Zoo, LargeNetworksAtRunTime) {
  // DenseNet-121 (~550 layers) is checked at run time: a static_assert needs clang's
  // -fconstexpr-steps raised. 7,978,856 parameters — torchvision's published count, with the
  // Caffe file's biased fc6 convolution matching torchvision's classifier.
  const network d = zoo::densenet121();
  EXPECT_EQ(d.totals().params(), 7'978'856);
  // The file's pool1 sets `ceil_mode: false` (a Caffe-fork field): (112 + 2 − 3) / 2 + 1 = 56
  // rounded down, where Caffe's default ceil would give 57 and an 8×8 last block; with it the
  // blocks run at 56, 28, 14 and 7.
  EXPECT_EQ(d.output(*d.find("pool1")), (shape3{56, 56, 64}));
  EXPECT_EQ(d.output(*d.find("concat_5_16")), (shape3{7, 7, 1024}));
  EXPECT_EQ(d.by_layer_type()[layer_type::concat].layers, 58);
  // Inception-v3: 23,834,568 parameters = torchvision's published 27,161,264 less its auxiliary
  // classifier (3,326,696, absent from the deploy file): 27,161,264 − 3,326,696 = 23,834,568.
  const network v3 = zoo::inception_v3();
  EXPECT_EQ(v3.totals().params(), 23'834'568);
  EXPECT_EQ(v3.output(*v3.find("reduction_b_concat")), (shape3{8, 8, 1280}));
  EXPECT_EQ(v3.output(*v3.find("inception_c2_concat")), (shape3{8, 8, 2048}));
  // Wide ResNet-50-2: 68,883,240 parameters = torchvision's published 68,883,240.
  EXPECT_EQ(zoo::wrn50_2().totals().params(), 68'883'240);
  EXPECT_EQ(zoo::wrn50_2().totals().macs, wide_resnet_macs(2));
  EXPECT_EQ(zoo::inception_bn().totals().macs, inception_bn_macs_total);
  // Inception-BN parameters: every conv biased (converted from MXNet) with a Scale (γ, β) after
  // it — conv_params(c, m, k) + 2m per conv — per module as above, classifier 1024 → 21,841.
  const auto cs = [](std::int64_t c, std::int64_t m, std::int64_t k = 1) {
    return m == 0 ? 0 : conv_params(c, m, k) + 2 * m;
  };
  const auto module = [&](std::int64_t c, std::int64_t a, std::int64_t r3, std::int64_t c3,
                          std::int64_t rd, std::int64_t d3, std::int64_t p) {
    return cs(c, a) + cs(c, r3) + cs(r3, c3, 3) + cs(c, rd) + cs(rd, d3, 3) + cs(d3, d3, 3) +
           cs(c, p);
  };
  const std::int64_t bn_params =
      cs(3, 96, 7) + cs(96, 128) + cs(128, 288, 3) + module(288, 96, 96, 96, 96, 144, 48) +
      module(384, 96, 96, 144, 96, 144, 96) + module(480, 0, 192, 240, 96, 144, 0) +
      module(864, 224, 64, 96, 96, 128, 128) + module(576, 192, 96, 128, 96, 128, 128) +
      module(576, 160, 128, 160, 128, 160, 128) + module(608, 96, 128, 192, 160, 96, 128) +
      module(512, 0, 128, 192, 192, 256, 0) + module(960, 352, 192, 320, 160, 224, 128) +
      module(1024, 352, 192, 320, 192, 224, 128) + conv_params(1024, 21'841);
  EXPECT_EQ(bn_params, 33'619'969);
  EXPECT_EQ(zoo::inception_bn().totals().params(), bn_params);
  // DenseNet-121 (Huang et al. 2017, Table 1: growth k = 32, bottleneck 4k = 128, compression
  // 0.5, blocks of 6, 12, 24, 16 layers at 56², 28², 14², 7²): each dense layer on c channels
  // costs s²·(128c + 9·128·32), each transition s²·c·c/2. Total 2,834,161,664 = torchvision's
  // published 2.83 GFLOPS.
  std::int64_t dense = conv_macs(112, 3, 64, 7), c = 64, s = 56;
  const int layers[4] = {6, 12, 24, 16};
  for (int b = 0; b < 4; ++b) {
    for (int l = 0; l < layers[b]; ++l, c += 32)
      dense += conv_macs(s, c, 128) + conv_macs(s, 128, 32, 3);
    if (b < 3) {
      dense += conv_macs(s, c, c / 2);
      c /= 2;
      s /= 2;
    }
  }
  dense += 1024 * 1000;
  EXPECT_EQ(dense, 2'834'161'664);
  EXPECT_EQ(d.totals().macs, dense);
  // Inception-v3 at 299: 5,713,216,096 MACs — torchvision's inception_v3 (weights=None) exported
  // with tools/export_torchvision_onnx.py --size 299 and counted by synergy::io gives exactly
  // this (convolutions 5,711,168,096 + fc 2,048,000); torchvision publishes 5.71 GFLOPS.
  EXPECT_EQ(v3.totals().macs, 5'713'216'096);
}

TEST(Zoo, MobileNetV1UsesTheCaffeFilesLayerNames) {
  const network n = zoo::mobilenet_v1();
  for (const char* name :
       {"conv1", "conv1/bn", "conv1/scale", "relu1", "conv2_1/dw", "conv2_1/dw/bn", "relu2_1/dw",
        "conv2_1/sep/scale", "relu2_1/sep", "conv6/sep", "relu6/sep", "pool6", "fc7", "prob"})
    EXPECT_TRUE(n.find(name)) << name;
  EXPECT_EQ(n.output(*n.find("conv5_6/dw")), (shape3{7, 7, 512}));
  EXPECT_EQ(n.output(*n.find("pool6")), (shape3{1, 1, 1024}));
}

TEST(Zoo, AlexNetShapesFollowCaffe) {
  const network n = zoo::alexnet();
  EXPECT_EQ(n.output(*n.find("pool1")), (shape3{27, 27, 96}));
  EXPECT_EQ(n.output(*n.find("pool2")), (shape3{13, 13, 256}));
  EXPECT_EQ(n.output(*n.find("pool5")), (shape3{6, 6, 256}));
}

}  // namespace
