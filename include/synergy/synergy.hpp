#pragma once
/// @file
/// Umbrella header of the header-only core: units, shapes, layers, networks, reports, zoo.
/// Cheap to include (no Eigen): modelling is `synergy/model.hpp`, measurement
/// `synergy/measurement.hpp`.
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
