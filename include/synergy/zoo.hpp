#pragma once
/// @file
/// The model zoo: networks of the SyNERGY paper's Table 1 (and others) as constexpr functions,
/// following the Caffe files the authors used (../shared/data/prototxt), and modern ConvNets
/// in torchvision's ONNX inference-graph layout (BatchNorm folded, ONNX node names).

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
#include "synergy/zoo/registry.hpp"
#include "synergy/zoo/regnet_y_400mf.hpp"
#include "synergy/zoo/resnet18.hpp"
#include "synergy/zoo/resnet50.hpp"
#include "synergy/zoo/shufflenet_v2_x1_0.hpp"
#include "synergy/zoo/squeezenet.hpp"
#include "synergy/zoo/vgg16.hpp"
#include "synergy/zoo/vgg_cnn_s.hpp"
#include "synergy/zoo/wrn50_2.hpp"
