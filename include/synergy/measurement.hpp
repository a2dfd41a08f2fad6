#pragma once
/// @file
/// Umbrella header of measurement (Linux): power sources (`synergy::sources`), sampler,
/// annotations, replay readers and energy attribution (`synergy::measure`). Not part of the
/// portable core (`synergy.hpp`): it uses POSIX, sysfs and perf_event_open.

#include "synergy/measure/annotation.hpp"
#include "synergy/measure/attribution.hpp"
#include "synergy/measure/markers.hpp"
#include "synergy/measure/process_markers.hpp"
#include "synergy/measure/replay/csv.hpp"
#include "synergy/measure/replay/mlperf_tiny.hpp"
#include "synergy/measure/replay/nvidia_smi.hpp"
#include "synergy/measure/replay/perf_stat.hpp"
#include "synergy/measure/replay/pmt.hpp"
#include "synergy/measure/replay/tegrastats.hpp"
#include "synergy/measure/sampler.hpp"
#include "synergy/measure/synthetic_source.hpp"
#include "synergy/sources/any_source.hpp"
#include "synergy/sources/counter_power.hpp"
#include "synergy/sources/detect.hpp"
#include "synergy/sources/hwmon.hpp"
#include "synergy/sources/jetson_iio.hpp"
#include "synergy/sources/nvml.hpp"
#include "synergy/sources/perf_power.hpp"
#include "synergy/sources/rapl.hpp"
#include "synergy/sources/serial/arm_energy_probe.hpp"
#include "synergy/sources/tegrastats_live.hpp"
