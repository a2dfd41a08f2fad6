#pragma once
// Shared declarations of the _synergy module's translation units (tools/python/*.cpp).
// Internal to the bindings: nothing here is part of the library's API.

#include <pybind11/pybind11.h>

#include <string>
#include <synergy/io/import_note.hpp>
#include <synergy/network.hpp>
#include <vector>

namespace synergy::python {

/// A network as Python sees it (class `Network`): the library's network plus the importer's
/// notes on layers it skipped or counted as zero cost (empty for zoo and hand-built networks).
struct py_network {
  network net;
  std::vector<io::import_note> notes;
};

/// Counting: `count`, `zoo_names`, the layer descriptors (`conv2d`, ...), `Layer`, `Network`.
void bind_count(pybind11::module_& m);
/// Models: `Model` (load, predict, estimate), batched estimates over MobileNet-style candidates.
void bind_model(pybind11::module_& m);
/// Measurement: `Annotator`, the process annotator, sources, `Sampler`, `Trace`, attribution.
void bind_measure(pybind11::module_& m);

}  // namespace synergy::python
