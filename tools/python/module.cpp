// The _synergy extension module (issue 16): Python bindings over the header-only library.
// The pure-Python package tools/python/synergy/ re-exports it (see docs/python.md).
#include <pybind11/pybind11.h>

#include <string>
#include <synergy/errors.hpp>
#include <synergy/version.hpp>

#include "bindings.hpp"

PYBIND11_MODULE(_synergy, m) {
  m.doc() =
      "synergy: count, measure and predict the energy and latency of neural-network "
      "inference, layer by layer (C++ bindings; see docs/python.md)";
  m.attr("__version__") = std::to_string(synergy::version_major) + "." +
                          std::to_string(synergy::version_minor) + "." +
                          std::to_string(synergy::version_patch);
  // Whether the module was compiled with optimisation (a Debug build estimates ~100× slower;
  // bench/python_batch_bench.py says so).
#ifdef __OPTIMIZE__
  m.attr("build_optimized") = true;
#else
  m.attr("build_optimized") = false;
#endif
  // The library's parse errors (file and line in the message) are ValueErrors to Python, as
  // std::invalid_argument already is through pybind11's default translation.
  pybind11::register_exception<synergy::parse_error>(m, "ParseError", PyExc_ValueError);
  synergy::python::bind_count(m);
  synergy::python::bind_model(m);
  synergy::python::bind_measure(m);
}
