#pragma once
// Fixture for check_stages.py (never compiled): a folder missing from the stage table.
#include "synergy/units.hpp"
