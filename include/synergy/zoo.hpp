#pragma once
/// @file
/// The model zoo: networks of the SyNERGY paper's Table 1 (and others) as constexpr functions.

#include "synergy/zoo/alexnet.hpp"
#include "synergy/zoo/mobilenet_v1.hpp"
