#pragma once
// Fixture for check_stages.py (never compiled): a power source reading a measure/ header is an
// arrow against the flow (sources sit below measure), and must be rejected.
#include "synergy/measure/trace.hpp"
#include "synergy/units.hpp"
