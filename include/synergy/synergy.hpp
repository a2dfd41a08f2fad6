#pragma once
/// @file
/// Umbrella header: everything of the header-only core.
///
/// synergy measures and predicts the energy and latency of neural-network inference layer by
/// layer, after SyNERGY (Rodrigues, Riley, Luján 2018/2020). Describe a network with the layer
/// descriptors and `network`, count it (constexpr), and report it as text, CSV or JSON.

#include "synergy/layers/layer.hpp"
#include "synergy/network.hpp"
#include "synergy/report/json.hpp"
#include "synergy/report/layer_table.hpp"
#include "synergy/shape.hpp"
#include "synergy/units.hpp"
#include "synergy/version.hpp"
#include "synergy/zoo.hpp"
#include "synergy/model.hpp"
