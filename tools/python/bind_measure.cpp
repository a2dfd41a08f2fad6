// Measurement from Python: the annotator (regions as context managers; the process annotator
// whose markers `synergy record` reads through SYNERGY_MARKER_FILE), the synthetic and replay
// sources, the background sampler, traces and attribution (Eq 5 / trapezoid). The library
// does the work; this file only converts.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <synergy/clock.hpp>
#include <synergy/measure/annotation.hpp>
#include <synergy/measure/attribution.hpp>
#include <synergy/measure/markers.hpp>
#include <synergy/measure/process_markers.hpp>
#include <synergy/measure/replay/csv.hpp>
#include <synergy/measure/sampler.hpp>
#include <synergy/measure/synthetic_source.hpp>
#include <synergy/sources/any_source.hpp>
#include <utility>
#include <vector>

#include "bindings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace synergy::python {
namespace {

using measure::annotator;

/// A region as a context manager: begins on __enter__, ends on __exit__ (also on an exception).
struct region_scope {
  annotator* a;
  measure::region_id id;
};

/// A source as Python configures it; the sampler runs its own copy.
using source_spec = std::variant<measure::synthetic_source, measure::replay_source>;

/// A sampler with the source it reads (the sampler keeps the source by reference, so both
/// live here, the source first).
struct py_sampler {
  sources::any_source source;
  measure::sampler<sources::any_source> s;
  py_sampler(sources::any_source src, measure::sampler_options o)
      : source(std::move(src)), s(source, std::move(o)) {}
};

sources::any_source open(const source_spec& spec) {
  return std::visit(
      [](const auto& x) {
        using S = std::decay_t<decltype(x)>;
        return sources::any_source(std::make_unique<S>(x));
      },
      spec);
}

py::dict region_dict(const measure::region& r) {
  py::dict d("name"_a = r.name, "op_type"_a = r.op_type, "t0_s"_a = r.t0_s, "t1_s"_a = r.t1_s,
             "run"_a = r.run);
  return d;
}

/// Regions from Python: a marker file path, or a list of dicts with name, op_type, t0_s, t1_s
/// (and optionally run), as Annotator.regions() returns them.
std::vector<measure::region> to_regions(const py::object& what) {
  if (py::isinstance<py::str>(what) || py::hasattr(what, "__fspath__"))
    return measure::read_marker_file(py::str(py::module_::import("os").attr("fspath")(what)));
  std::vector<measure::region> out;
  for (const auto& h : what) {
    const auto d = h.cast<py::dict>();
    for (const char* k : {"name", "t0_s", "t1_s"})
      if (!d.contains(k))
        throw std::invalid_argument("regions: a region lacks '" + std::string(k) +
                                    "': " + std::string(py::repr(d)));
    measure::region r;
    r.name = d["name"].cast<std::string>();
    r.op_type = d.contains("op_type") ? d["op_type"].cast<std::string>() : "";
    r.t0_s = d["t0_s"].cast<double>();
    r.t1_s = d["t1_s"].cast<double>();
    r.run = d.contains("run") ? d["run"].cast<int>() : 0;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

void bind_measure(py::module_& m) {
  m.def("now_s", &now_s,
        "seconds on the steady clock (CLOCK_MONOTONIC), the clock of traces and markers");
  m.attr("marker_file_variable") = measure::marker_file_variable;

  // Regions are handles made by Annotator.region, never bare ids: an id the annotator never
  // issued would index past its table in regions().
  py::class_<region_scope>(m, "Region",
                           "a registered region of an Annotator: begin()/end(), or a context "
                           "manager (`with ann.region('conv1', 'Conv'): ...`)")
      .def_property_readonly("id", [](const region_scope& r) { return r.id.value; })
      .def(
          "begin", [](region_scope& r) { r.a->begin(r.id); }, "marks its beginning now")
      .def(
          "end", [](region_scope& r) { r.a->end(r.id); }, "marks its end now")
      .def("__enter__",
           [](region_scope& r) -> region_scope& {
             r.a->begin(r.id);
             return r;
           })
      .def("__exit__", [](region_scope& r, const py::args&) {
        r.a->end(r.id);
        return false;
      });

  py::class_<annotator>(m, "Annotator",
                        "Thread-safe begin/end markers of named regions (a layer and its op "
                        "type) on the steady clock")
      .def(py::init<std::size_t>(), "expected_events"_a = 1 << 16)
      .def(
          "region",
          [](annotator& a, const std::string& name, const std::string& op_type) {
            return region_scope{&a, a.region(name, op_type)};
          },
          "name"_a, "op_type"_a = "", py::keep_alive<0, 1>(),
          "registers (or finds) the region name of op_type; returns its Region (begin/end, or "
          "a context manager). Register once, mark often: marking copies no string")
      .def(
          "scope",
          [](annotator& a, const std::string& name, const std::string& op_type) {
            return region_scope{&a, a.region(name, op_type)};
          },
          "name"_a, "op_type"_a = "", py::keep_alive<0, 1>(),
          "the same as region(): `with ann.scope('conv1', 'Conv'): ...`")
      .def(
          "regions",
          [](const annotator& a) {
            py::list l;
            for (const auto& r : a.regions()) l.append(region_dict(r));
            return l;
          },
          "measured regions (dicts: name, op_type, t0_s, t1_s, run) in order of their begin; "
          "RuntimeError naming a region begun but never ended")
      .def(
          "write_markers",
          [](const annotator& a, const std::string& path) {
            std::ofstream out(path, std::ios::trunc);
            if (!out) throw std::runtime_error(path + ": cannot write markers");
            measure::write_region_csv(out, a.regions());
          },
          "path"_a, "writes the regions as the library's marker CSV (read by `synergy attribute`)")
      .def("__len__", &annotator::size, "number of events")
      .def("clear", &annotator::clear, "forgets all events");

  m.def("process_annotator", &measure::process_annotator, py::return_value_policy::reference,
        "the process-wide Annotator; its regions go to $SYNERGY_MARKER_FILE (set by `synergy "
        "record`) at exit or at flush_markers()");
  m.def(
      "flush_markers", [] { measure::flush_process_markers(measure::process_annotator()); },
      "writes the process annotator's regions to $SYNERGY_MARKER_FILE now (no-op when unset)");

  py::class_<measure::trace>(m, "Trace", "a power trace: sample times (s, steady clock) and W")
      .def_property_readonly("channels", [](const measure::trace& t) { return t.channels; })
      .def_property_readonly("time_s",
                             [](const measure::trace& t) {
                               return py::array_t<double>(static_cast<py::ssize_t>(t.size()),
                                                          t.time_s.data());
                             })
      .def_property_readonly(
          "watts",
          [](const measure::trace& t) {
            return py::array_t<double>(
                {static_cast<py::ssize_t>(t.size()), static_cast<py::ssize_t>(t.width())},
                t.watts.data());
          },
          "samples × channels (W)")
      .def_readonly("period_s", &measure::trace::period_s)
      .def_readonly("notes", &measure::trace::notes)
      .def("__len__", &measure::trace::size);
  m.def("read_csv_trace", &measure::read_csv_trace, "path"_a,
        "reads a CSV trace (time column and power or energy columns, units in the header); "
        "ParseError (a ValueError) naming file and line");

  py::class_<measure::synthetic_source>(
      m, "SyntheticSource",
      "P(t) = base + amplitude·sin(2π·f·(t − t_origin)) W on the steady clock: exact energy known")
      .def(py::init([](double base_w, double amplitude_w, double frequency_hz,
                       std::optional<double> t_origin_s) {
             return measure::synthetic_source(base_w, amplitude_w, frequency_hz,
                                              t_origin_s.value_or(now_s()));
           }),
           "base_w"_a = 5.0, "amplitude_w"_a = 1.0, "frequency_hz"_a = 3.0,
           "t_origin_s"_a = py::none())
      .def("power_at", &measure::synthetic_source::power_at, "t_s"_a, "P(t) in W")
      .def("exact_energy", &measure::synthetic_source::exact_energy, "t0_s"_a, "t1_s"_a,
           "∫P dt over [t0, t1] in J, exactly");
  py::class_<measure::replay_source>(m, "ReplaySource",
                                     "plays a recorded trace back, one sample per read")
      .def(py::init<measure::trace>(), "trace"_a);

  py::class_<py_sampler>(m, "Sampler",
                         "Samples a source in a background thread between start() and stop() "
                         "(or as a context manager)")
      .def(py::init([](const py::object& source, double rate_hz, const std::string& stream_to) {
             if (!py::isinstance<measure::synthetic_source>(source) &&
                 !py::isinstance<measure::replay_source>(source))
               throw py::type_error(
                   "Sampler: source must be a SyntheticSource or ReplaySource, "
                   "got " +
                   std::string(py::repr(source)));
             source_spec spec = py::isinstance<measure::synthetic_source>(source)
                                    ? source_spec(source.cast<measure::synthetic_source>())
                                    : source_spec(source.cast<measure::replay_source>());
             measure::sampler_options o;
             o.rate = frequency::from_value(rate_hz);
             o.stream_to = stream_to;
             return std::make_unique<py_sampler>(open(spec), std::move(o));
           }),
           "source"_a, "rate_hz"_a = 1000.0, "stream_to"_a = "",
           "source: SyntheticSource or ReplaySource (copied); ValueError for rate <= 0")
      .def(
          "start",
          [](py_sampler& p) {
            py::gil_scoped_release r;
            p.s.start();
          },
          "starts sampling; returns once the first reading exists")
      .def(
          "stop",
          [](py_sampler& p) {
            py::gil_scoped_release r;
            p.s.stop();
          },
          "stops and drains; re-raises the sampling thread's error")
      .def("__enter__",
           [](py_sampler& p) -> py_sampler& {
             py::gil_scoped_release r;
             p.s.start();
             return p;
           })
      .def("__exit__",
           [](py_sampler& p, const py::args&) {
             py::gil_scoped_release r;
             p.s.stop();
             return false;
           })
      .def(
          "take_trace", [](py_sampler& p) { return p.s.take_trace(); },
          "the trace recorded (after stop)")
      .def_property_readonly("period_s", [](const py_sampler& p) { return p.s.period_s(); })
      .def(
          "stats",
          [](const py_sampler& p) {
            const auto st = p.s.stats();
            return py::dict("samples"_a = st.samples, "dropped"_a = st.dropped,
                            "missed"_a = st.missed, "lost"_a = st.lost, "fault"_a = st.fault,
                            "warnings"_a = st.warnings);
          },
          "counters: samples, dropped, missed, lost, fault, warnings");

  m.def(
      "attribute",
      [](const measure::trace& tr, const py::object& regions, const std::string& rule) {
        measure::attribution_options o;
        if (rule == "rectangle")
          o.rule = measure::integration_rule::rectangle;
        else if (rule != "trapezoid")
          throw std::invalid_argument("rule: expected 'trapezoid' or 'rectangle', got '" + rule +
                                      "'");
        py::list out;
        for (const auto& e : measure::attribute(tr, to_regions(regions), o)) {
          py::dict d = region_dict(e.where);
          d["energy_j"] = e.value.value();
          d["time_s"] = e.length.value();
          d["samples"] = e.samples;
          d["below_update_period"] = e.below_update_period;
          d["no_samples"] = e.no_samples;
          out.append(d);
        }
        return out;
      },
      "trace"_a, "regions"_a, "rule"_a = "trapezoid",
      "energy of each region (dicts with energy_j, time_s, samples, flags): regions from "
      "Annotator.regions() or a marker file path; rule 'trapezoid' or 'rectangle' (Eq 5)");
}

}  // namespace synergy::python
