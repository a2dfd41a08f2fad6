// Zoo networks: totals against published figures, with the per-block derivation in comments.
#include <gtest/gtest.h>

#include <synergy/zoo.hpp>

using namespace synergy;

namespace {

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
