#pragma once
/// @file
/// The zoo by name: look networks up from command lines and datasets.

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/alexnet.hpp"
#include "synergy/zoo/all_cnn_c.hpp"
#include "synergy/zoo/convnext_tiny.hpp"
#include "synergy/zoo/densenet121.hpp"
#include "synergy/zoo/efficientnet_b0.hpp"
#include "synergy/zoo/googlenet.hpp"
#include "synergy/zoo/inception_bn.hpp"
#include "synergy/zoo/inception_v3.hpp"
#include "synergy/zoo/mnasnet1_0.hpp"
#include "synergy/zoo/mobilenet_v1.hpp"
#include "synergy/zoo/mobilenet_v2.hpp"
#include "synergy/zoo/mobilenet_v3_large.hpp"
#include "synergy/zoo/mobilenet_v3_small.hpp"
#include "synergy/zoo/places_cnds8.hpp"
#include "synergy/zoo/regnet_y_400mf.hpp"
#include "synergy/zoo/resnet18.hpp"
#include "synergy/zoo/resnet50.hpp"
#include "synergy/zoo/shufflenet_v2_x1_0.hpp"
#include "synergy/zoo/squeezenet.hpp"
#include "synergy/zoo/vgg16.hpp"
#include "synergy/zoo/vgg_cnn_s.hpp"
#include "synergy/zoo/wrn50_2.hpp"

namespace synergy::zoo {

/// A zoo entry: its name and its builder.
struct entry {
  std::string_view name;
  network (*make)();
  bool in_paper;  ///< one of the 12 networks of the SyNERGY paper's Table 1
};

/// Every zoo network, in alphabetical order.
inline constexpr std::array<entry, 24> entries{{
    {"alexnet", alexnet, true},
    {"all_cnn_c", all_cnn_c, true},
    {"convnext_tiny", convnext_tiny, false},
    {"densenet121", densenet121, true},
    {"efficientnet_b0", efficientnet_b0, false},
    {"googlenet", googlenet, true},
    {"inception_bn", inception_bn, true},
    {"inception_v3", inception_v3, true},
    {"mnasnet1_0", mnasnet1_0, false},
    {"mobilenet_v1", mobilenet_v1, true},
    {"mobilenet_v2", mobilenet_v2, false},
    {"mobilenet_v3_large", mobilenet_v3_large, false},
    {"mobilenet_v3_small", mobilenet_v3_small, false},
    {"places_cnds8", places_cnds8, true},
    {"regnet_y_400mf", regnet_y_400mf, false},
    {"resnet18", resnet18, false},
    {"resnet50", resnet50, true},
    {"shufflenet_v2_x1_0", shufflenet_v2_x1_0, false},
    {"squeezenet_residual", squeezenet_residual, true},
    {"squeezenet_v1.0", squeezenet_v1_0, true},
    {"squeezenet_v1.1", squeezenet_v1_1, false},
    {"vgg16", vgg16, false},
    {"vgg_cnn_s", vgg_cnn_s, true},
    {"wrn50_2", wrn50_2, false},
}};

/// The network called `name`; throws std::invalid_argument listing the zoo's names.
[[nodiscard]] inline network by_name(std::string_view name) {
  for (const auto& e : entries)
    if (e.name == name) return e.make();
  std::string known;
  for (const auto& e : entries) known += (known.empty() ? "" : ", ") + std::string(e.name);
  throw std::invalid_argument("unknown zoo network '" + std::string(name) + "' (zoo: " + known +
                              ")");
}

}  // namespace synergy::zoo
