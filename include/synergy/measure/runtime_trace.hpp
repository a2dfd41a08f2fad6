#pragma once
/// @file
/// Per-layer profiles written by other runtimes, read into regions (measure/region.hpp):
///   - PyTorch's profiler trace (`prof.export_chrome_trace(path)`), in either of the two forms
///     torch 1.13 writes: built with Kineto, a JSON object `{"traceEvents": [...]}` whose
///     complete events (`"ph": "X"`) carry a category `cat` ("user_annotation", "cpu_op",
///     "python_function", "cuda_runtime", "kernel", …); built without Kineto (Debian's
///     python3-torch), a bare JSON array of complete events without `cat`, `pid` "CPU
///     functions", operators named `aten::…`. `ts` and `dur` are microseconds; `ts` counts
///     from the profiler's start (legacy form) or is Kineto's clock (Kineto form).
///   - ONNX Runtime's profile (`SessionOptions.enable_profiling = True`): a JSON array of
///     complete events with `cat` "Session", "Node" or "Api"; a node's computation is the event
///     "<node name>_kernel_time" (beside "_fence_before"/"_fence_after") with
///     `args.op_name` (the ONNX op type) and `args.provider`; `ts` counts microseconds from the
///     session's profiling start (onnxruntime/core/common/profiler.cc, EndProfiling).
/// Which events are layers, and the time base, are documented at `read_runtime_trace`.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synergy/detail/text.hpp"
#include "synergy/errors.hpp"
#include "synergy/measure/region.hpp"
#include "synergy/text.hpp"

namespace synergy::measure {

/// The runtime whose profile a file is.
enum class runtime_trace_format {
  pytorch,     ///< PyTorch profiler trace (Kineto or legacy form)
  onnxruntime  ///< ONNX Runtime profiling JSON
};

/// "pytorch" or "onnxruntime", as `--format` names them.
[[nodiscard]] constexpr std::string_view to_string(runtime_trace_format f) {
  constexpr std::string_view names[] = {"pytorch", "onnxruntime"};
  return names[static_cast<int>(f)];
}

/// Which PyTorch events are layers.
enum class pytorch_layer_events {
  /// `record_function` annotations ("user_annotation" events; in the legacy form events whose
  /// name has no "::"), as tools/profile_pytorch.py writes one per layer named by its ONNX
  /// node. Annotations must not nest or overlap.
  annotations,
  /// The outermost operators (`cpu_op`; legacy form: names with "::", e.g. "aten::conv2d");
  /// operators nested inside another one (aten::conv2d → aten::convolution → …) are part of it.
  operators
};

/// The name of the annotation tools/profile_pytorch.py records to anchor a trace to the steady
/// clock: its `args.steady_s` is the steady-clock time (s, CLOCK_MONOTONIC as Python's
/// time.monotonic() reads it) just before the annotation began (within a few µs).
inline constexpr std::string_view runtime_trace_anchor = "synergy.anchor";

/// How to read a runtime's profile.
struct runtime_trace_options {
  /// The format; none = recognised by content (`detect_runtime_trace_format`).
  std::optional<runtime_trace_format> format;
  /// Which PyTorch events are layers (ignored for ONNX Runtime).
  pytorch_layer_events pytorch = pytorch_layer_events::annotations;
  /// Only layer events whose name starts with this are layers; the prefix is removed from the
  /// region's name. Empty: every layer event.
  std::string prefix;
  /// Seconds added to every time after the file's own anchor (if any), to put the regions on
  /// the clock of a power trace: t = ts · 1e-6 + anchor + offset_s.
  double offset_s = 0;
};

/// A runtime's profile read as layer regions.
struct runtime_trace {
  runtime_trace_format format = runtime_trace_format::pytorch;
  /// One region per layer event, ordered by begin time. `name`: the event's name (ONNX
  /// Runtime: the node name, without "_kernel_time"; less `prefix`); `op_type`: ONNX
  /// Runtime's `op_name`, PyTorch's operator name, "" for annotations; `run`: how many earlier
  /// events had the same name (the iteration, when each iteration runs each layer once).
  std::vector<region> layers;
  std::size_t events = 0;  ///< events in the file
  std::size_t other = 0;   ///< events that are not layers (other categories, phases, names)
  std::size_t nested = 0;  ///< operators inside another operator (operators mode)
  /// Whether the file carried the `runtime_trace_anchor` and times are on the steady clock
  /// (plus `offset_s`); otherwise they are on the file's own time base (`time_base`).
  bool anchored = false;
  /// What the times count from, in words, for the user to align them.
  std::string time_base;
};

namespace detail {

/// A layer candidate while reading.
struct trace_event {
  std::size_t index;  // in the file's event array
  std::string name, op_type;
  double ts_us, dur_us;
  std::string thread;  // pid/tid as text, for messages
};

/// Field `key` of event `i` as a finite, non-negative number (µs). Throws parse_error.
inline double event_time(const std::string& file, std::size_t i, const nlohmann::json& e,
                         const char* key) {
  const auto it = e.find(key);
  const std::string where =
      "event " + std::to_string(i) + " ('" +
      (e.contains("name") && e["name"].is_string() ? e["name"].get<std::string>()
                                                   : std::string("?")) +
      "')";
  if (it == e.end()) synergy::detail::fail(file, 0, where + ": no '" + key + "'");
  if (!it->is_number()) synergy::detail::fail(file, 0, where + ": '" + key + "' is not a number");
  const double v = it->get<double>();
  if (!std::isfinite(v))
    synergy::detail::fail(file, 0, where + ": '" + key + "' is not a finite number");
  if (v < 0) synergy::detail::fail(file, 0, where + ": '" + key + "' is negative");
  return v;
}

/// The string field `key` of an event, or none when absent; throws when it is not a string.
inline std::optional<std::string> event_string(const std::string& file, std::size_t i,
                                               const nlohmann::json& e, const char* key) {
  const auto it = e.find(key);
  if (it == e.end()) return std::nullopt;
  if (!it->is_string())
    synergy::detail::fail(file, 0,
                          "event " + std::to_string(i) + ": '" + key + "' is not a string");
  return it->get<std::string>();
}

/// The event array of a parsed file and whether it is Kineto's object form.
inline const nlohmann::json& event_array(const std::string& file, const nlohmann::json& j) {
  if (j.is_array()) return j;
  if (j.is_object() && j.contains("traceEvents") && j["traceEvents"].is_array())
    return j["traceEvents"];
  synergy::detail::fail(file, 0,
                        "not a runtime profile: expected a JSON array of events (ONNX Runtime, "
                        "PyTorch without Kineto) or an object with a 'traceEvents' array "
                        "(PyTorch with Kineto)");
}

/// Whether PyTorch event name `n` is an operator's ("aten::conv2d", "prim::…").
inline bool is_operator_name(std::string_view n) { return n.find("::") != std::string_view::npos; }

/// ONNX Runtime's suffix of a node's computation event.
inline constexpr std::string_view ort_kernel_suffix = "_kernel_time";

}  // namespace detail

/// The format of a parsed profile, by content: an object with `traceEvents` is PyTorch's Kineto
/// form; an array whose events all carry `cat` is ONNX Runtime's, one whose events carry none is
/// PyTorch's legacy form; an empty array is ONNX Runtime's (nothing to tell). Throws
/// `parse_error` naming `file` for anything else (a mixed array, another JSON value).
[[nodiscard]] inline runtime_trace_format detect_runtime_trace_format(const std::string& file,
                                                                      const nlohmann::json& j) {
  const auto& ev = detail::event_array(file, j);
  if (j.is_object()) return runtime_trace_format::pytorch;
  std::size_t with_cat = 0;
  for (const auto& e : ev) with_cat += e.is_object() && e.contains("cat") ? 1 : 0;
  if (with_cat == ev.size()) return runtime_trace_format::onnxruntime;
  if (with_cat == 0) return runtime_trace_format::pytorch;
  synergy::detail::fail(file, 0,
                        "unknown profile format: " + std::to_string(with_cat) + " of " +
                            std::to_string(ev.size()) +
                            " events have a 'cat' (ONNX Runtime: all; PyTorch without Kineto: "
                            "none)");
}

/// Whether `text` looks like a runtime profile (JSON: starts with '[' or '{' after blanks), as
/// `read_marker_file` tells it from its text formats.
[[nodiscard]] inline bool looks_like_runtime_trace(std::string_view text) {
  const auto p = text.find_first_not_of(" \t\r\n");
  return p != std::string_view::npos && (text[p] == '[' || text[p] == '{');
}

/// Reads a runtime profile from `text` (`file` names it in errors). Layer events:
///   - ONNX Runtime: `cat` "Node" events named "<node>_kernel_time"; `args.op_name` is
///     required. Every other event (fences, Session, Api) is counted in `other`.
///   - PyTorch: complete events (`ph` "X") chosen by `options.pytorch`; the anchor annotation and
///     the profiler's own step annotations ("ProfilerStep#N") are never layers.
/// Only layer events must have `name`, `ts` and `dur` (finite, non-negative numbers, µs).
/// Time base: ONNX Runtime counts from its profiling start (session creation); PyTorch's
/// legacy form from the profiler's start; Kineto's form from its first layer event's begin (its
/// clock counts µs since the epoch, too large for µs resolution in seconds; `time_base` gives
/// that begin); a trace with the `runtime_trace_anchor` event (tools/profile_pytorch.py writes
/// it) is put on the steady clock.
/// `options.offset_s` is added in every case; nothing else is guessed.
/// Throws `parse_error` naming `file` and the event's index (0-based, in the event array) for:
/// text that is not JSON, an unknown format, a layer event without name/ts/dur or with a time
/// that is not a finite non-negative number (or an end or anchored time beyond a double), an ONNX
/// Runtime node without `args.op_name` or with an empty node name, and two layer events that nest
/// or overlap (operators mode: that overlap without nesting). A profile without any layer event is
/// an error too.
[[nodiscard]] inline runtime_trace parse_runtime_trace(const std::string& text,
                                                       const std::string& file,
                                                       const runtime_trace_options& options = {}) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    synergy::detail::fail(file, 0, std::string("not JSON: ") + e.what());
  }
  runtime_trace out;
  out.format = options.format ? *options.format : detect_runtime_trace_format(file, j);
  const auto& ev = detail::event_array(file, j);
  const bool kineto = j.is_object();
  out.events = ev.size();
  std::vector<detail::trace_event> cand;
  // The anchor: (its ts in µs, the steady clock's seconds then).
  std::optional<std::pair<double, double>> anchor;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const auto& e = ev[i];
    if (!e.is_object())
      synergy::detail::fail(file, 0, "event " + std::to_string(i) + " is not a JSON object");
    const auto name = detail::event_string(file, i, e, "name");
    const auto cat = detail::event_string(file, i, e, "cat");
    const auto ph = detail::event_string(file, i, e, "ph");
    if (!name) synergy::detail::fail(file, 0, "event " + std::to_string(i) + ": no 'name'");
    std::string layer_name = *name, op_type;
    bool layer = false;
    if (out.format == runtime_trace_format::onnxruntime) {
      if (!cat)
        synergy::detail::fail(file, 0,
                              "event " + std::to_string(i) + " ('" + *name +
                                  "'): no 'cat' (ONNX Runtime events all have one)");
      const auto& suf = detail::ort_kernel_suffix;
      if (*cat == "Node" && name->size() >= suf.size() &&
          name->compare(name->size() - suf.size(), suf.size(), suf) == 0) {
        layer = true;
        layer_name = name->substr(0, name->size() - suf.size());
        const std::string where = "event " + std::to_string(i) + " ('" + *name + "')";
        if (layer_name.empty()) synergy::detail::fail(file, 0, where + ": the node has no name");
        const auto args = e.find("args");
        if (args == e.end() || !args->is_object() || !args->contains("op_name") ||
            !(*args)["op_name"].is_string())
          synergy::detail::fail(file, 0, where + ": no string 'args.op_name'");
        op_type = (*args)["op_name"].get<std::string>();
      }
    } else {
      if (ph && *ph != "X") {
        ++out.other;
        continue;
      }
      if (*name == runtime_trace_anchor) {
        const auto args = e.find("args");
        if (args != e.end() && args->is_object() && args->contains("steady_s")) {
          const auto& s = (*args)["steady_s"];
          if (!s.is_number() || !std::isfinite(s.get<double>()))
            synergy::detail::fail(file, 0,
                                  "event " + std::to_string(i) +
                                      " (the anchor): 'args.steady_s' is not a finite number");
          anchor = {detail::event_time(file, i, e, "ts"), s.get<double>()};
        }
        ++out.other;
        continue;
      }
      const bool op = kineto ? (cat && (*cat == "cpu_op" || *cat == "Operator"))
                             : detail::is_operator_name(*name);
      const bool annotation =
          kineto ? (cat && *cat == "user_annotation") : !detail::is_operator_name(*name);
      layer = options.pytorch == pytorch_layer_events::operators ? op : annotation;
      if (annotation && name->rfind("ProfilerStep#", 0) == 0) layer = false;
      if (layer && op) op_type = *name;
    }
    if (layer && !options.prefix.empty()) {
      if (layer_name.rfind(options.prefix, 0) == 0)
        layer_name = layer_name.substr(options.prefix.size());
      else
        layer = false;
    }
    if (!layer) {
      ++out.other;
      continue;
    }
    const double ts = detail::event_time(file, i, e, "ts");
    const double dur = detail::event_time(file, i, e, "dur");
    std::string thread = e.contains("pid") ? e["pid"].dump() : "";
    thread += "/" + (e.contains("tid") ? e["tid"].dump() : "");
    cand.push_back({i, std::move(layer_name), std::move(op_type), ts, dur, std::move(thread)});
  }
  if (cand.empty())
    synergy::detail::fail(file, 0,
                          "no layer events (" +
                              std::string(out.format == runtime_trace_format::onnxruntime
                                              ? "'Node' events named '<node>_kernel_time'"
                                          : options.pytorch == pytorch_layer_events::annotations
                                              ? "record_function annotations"
                                              : "operators") +
                              (options.prefix.empty() ? "" : " named '" + options.prefix + "…'") +
                              ")");
  // Longer events first at equal begin, so that an operator's outermost call comes first.
  std::stable_sort(cand.begin(), cand.end(), [](const auto& a, const auto& b) {
    return a.ts_us != b.ts_us ? a.ts_us < b.ts_us : a.dur_us > b.dur_us;
  });
  // Times are taken relative to a base in µs before scaling to seconds: Kineto's clock counts
  // µs since the epoch (1.7e15), where a double in seconds resolves only 0.24 µs.
  double base_us = 0, offset = options.offset_s;
  if (anchor) {
    base_us = anchor->first;
    offset += anchor->second;
  } else if (kineto) {
    base_us = cand.front().ts_us;
  }
  std::map<std::string, int> seen;
  const detail::trace_event* outer = nullptr;
  for (const auto& c : cand) {
    if (outer && c.ts_us < outer->ts_us + outer->dur_us) {
      const bool inside = c.ts_us + c.dur_us <= outer->ts_us + outer->dur_us;
      if (inside && options.pytorch == pytorch_layer_events::operators &&
          out.format == runtime_trace_format::pytorch) {
        ++out.nested;
        continue;
      }
      synergy::detail::fail(file, 0,
                            "event " + std::to_string(c.index) + " ('" + c.name + "') " +
                                (inside ? "lies inside" : "overlaps") + " event " +
                                std::to_string(outer->index) + " ('" + outer->name +
                                "'): layers must follow each other (give a prefix to choose "
                                "the layer events, or run the layers sequentially)");
    }
    outer = &c;
    const double t0 = (c.ts_us - base_us) * 1e-6 + offset;
    const double t1 = (c.ts_us - base_us + c.dur_us) * 1e-6 + offset;
    if (!std::isfinite(t0) || !std::isfinite(t1))
      synergy::detail::fail(file, 0,
                            "event " + std::to_string(c.index) + " ('" + c.name +
                                "'): its end, or its time on the anchor's clock, is too large");
    out.layers.push_back({c.name, c.op_type, t0, t1, seen[c.name]++, std::nullopt});
  }
  out.anchored = anchor.has_value();
  char base[64];
  std::snprintf(base, sizeof base, "%.0f", base_us);
  if (out.anchored)
    out.time_base = "the steady clock (the trace's anchor)";
  else if (out.format == runtime_trace_format::onnxruntime)
    out.time_base = "ONNX Runtime's profiling start (session creation)";
  else if (kineto)
    out.time_base = std::string("the first layer event's begin (Kineto's clock ") + base + " µs)";
  else
    out.time_base = "the PyTorch profiler's start";
  if (options.offset_s != 0) out.time_base += " + offset";
  return out;
}

/// Reads the runtime profile at `path` (see `parse_runtime_trace`). Throws std::runtime_error
/// when the file cannot be read, `parse_error` naming it otherwise.
[[nodiscard]] inline runtime_trace read_runtime_trace(const std::string& path,
                                                      const runtime_trace_options& options = {}) {
  auto in = synergy::open_for_reading(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_runtime_trace(text, path, options);
}

}  // namespace synergy::measure
