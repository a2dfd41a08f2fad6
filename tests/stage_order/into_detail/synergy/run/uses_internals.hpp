#pragma once
// Fixture for check_stages.py (never compiled): run/ may include measure/, but not its detail/.
#include "synergy/measure/detail/helpers.hpp"
