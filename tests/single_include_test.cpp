// The generated single header alone: counts at compile time and at run time.
#include <gtest/gtest.h>

#include "synergy/synergy.hpp"  // resolved from single_include/ only

#ifndef SYNERGY_SINGLE_INCLUDE
#error "expected single_include/synergy/synergy.hpp"
#endif

using namespace synergy;
using namespace synergy::literals;

// VGG-16 conv1_1: 224·224·64 outputs × 3·3·3 = 86,704,128 MACs.
static_assert(
    conv2d{.input = {224, 224, 3}, .out_channels = 64, .kernel = square(3), .padding = {1, 1}}
        .macs() == 86'704'128);
static_assert(value_in(2.0_W * 3.0_s, units::joule) == 6.0);

TEST(SingleInclude, BuildsAndReportsANetwork) {
  network n("vgg_head", {224, 224, 3});
  n.add("conv1_1", conv2d{.out_channels = 64, .kernel = square(3), .padding = {1, 1}});
  EXPECT_EQ(n.totals().macs, 86'704'128);
  EXPECT_EQ(to_json(n)["totals"]["macs"], 86'704'128);
}
