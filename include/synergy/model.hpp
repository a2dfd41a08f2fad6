#pragma once
/// @file
/// Modelling (SyNERGY steps 2–3): features, regressors, subset selection, cross-validation,
/// layer-class network models, validation on held-out networks, persistence.

#include "synergy/model/counter_model.hpp"
#include "synergy/model/cross_validation.hpp"
#include "synergy/model/features.hpp"
#include "synergy/model/fit.hpp"
#include "synergy/model/lasso.hpp"
#include "synergy/model/layer_class.hpp"
#include "synergy/model/least_squares.hpp"
#include "synergy/model/metrics.hpp"
#include "synergy/model/network_model.hpp"
#include "synergy/model/neuralpower.hpp"
#include "synergy/model/nnls.hpp"
#include "synergy/model/persistence.hpp"
#include "synergy/model/ridge.hpp"
#include "synergy/model/selection.hpp"
#include "synergy/model/validation.hpp"
