#pragma once
/// @file
/// Saving and loading fitted network models as JSON (versioned schema with units and feature
/// names), and emitting them as C++ headers of constexpr coefficients.

#include <cctype>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "synergy/model/network_model.hpp"
#include "synergy/units.hpp"

namespace synergy::model {

/// What a response quantity is called in files and code. Specialised for energy and duration.
template <class Response>
struct response_traits;
template <>
struct response_traits<energy> {
  static constexpr const char* quantity = "energy";
  static constexpr const char* unit = "J";
  static constexpr const char* cpp_type = "synergy::energy";
};
template <>
struct response_traits<duration> {
  static constexpr const char* quantity = "time";
  static constexpr const char* unit = "s";
  static constexpr const char* cpp_type = "synergy::duration";
};

/// Schema name and version written into every model file.
inline constexpr const char* model_schema = "synergy.network_model";
inline constexpr int model_schema_version = 1;

namespace detail {
inline std::vector<std::string> coefficient_names(model_family f) {
  if (f == model_family::layer_type_sum) return {"per_driver"};
  return {"per_driver", "per_element", "per_layer"};
}
inline const char* driver_name(driver d) {
  constexpr const char* names[] = {"macs", "ops", "data_volume", "none"};
  return names[static_cast<int>(d)];
}
[[noreturn]] inline void bad_model(const std::string& what) {
  throw std::invalid_argument("model file: " + what);
}
}  // namespace detail

/// The model as JSON: {"schema", "version", "response": {"quantity", "unit"}, "scheme",
/// "family", "coefficients": [names], "classes": {"<class>": {"driver", "per_driver", ...}}}.
/// Coefficients are in `unit` per feature unit (e.g. J per MAC). Only fitted classes appear.
template <class Response>
[[nodiscard]] nlohmann::json to_json(const network_model<Response>& m) {
  nlohmann::json classes = nlohmann::json::object();
  for (std::size_t i = 0; i < layer_class_count; ++i) {
    const class_coefficients& k = m.classes[i];
    if (!k.fitted) continue;
    const auto c = static_cast<layer_class>(i);
    nlohmann::json j{{"driver", detail::driver_name(driver_of(c))}, {"per_driver", k.per_driver}};
    if (m.family == model_family::per_layer) {
      j["per_element"] = k.per_element;
      j["per_layer"] = k.per_layer;
    }
    classes[std::string(to_string(c))] = j;
  }
  return {{"schema", model_schema},
          {"version", model_schema_version},
          {"response",
           {{"quantity", response_traits<Response>::quantity},
            {"unit", response_traits<Response>::unit}}},
          {"scheme", std::string(to_string(m.scheme))},
          {"family", std::string(to_string(m.family))},
          {"coefficients", detail::coefficient_names(m.family)},
          {"classes", classes}};
}

/// Reads a model written by to_json. Throws std::invalid_argument naming the field when the
/// schema, version, response quantity or unit (must be Response's), scheme, family, coefficient
/// names (must be the family's), a class name or driver, or a coefficient (must be finite)
/// does not match.
template <class Response>
[[nodiscard]] network_model<Response> network_model_from_json(const nlohmann::json& j) {
  using detail::bad_model;
  const auto str = [&](const nlohmann::json& o, const char* key) {
    if (!o.contains(key) || !o[key].is_string())
      bad_model(std::string("missing string field '") + key + "'");
    return o[key].template get<std::string>();
  };
  if (!j.is_object()) bad_model("not a JSON object");
  if (str(j, "schema") != model_schema)
    bad_model("schema is '" + str(j, "schema") + "', expected '" + model_schema + "'");
  if (!j.contains("version") || j["version"] != model_schema_version)
    bad_model("unsupported version " + (j.contains("version") ? j["version"].dump() : "none"));
  if (!j.contains("response")) bad_model("missing 'response'");
  if (str(j["response"], "quantity") != response_traits<Response>::quantity ||
      str(j["response"], "unit") != response_traits<Response>::unit)
    bad_model("response is " + j["response"].dump() + ", expected " +
              response_traits<Response>::quantity + " in " + response_traits<Response>::unit);
  network_model<Response> m;
  const std::string scheme = str(j, "scheme"), family = str(j, "family");
  if (scheme == "layer_type")
    m.scheme = class_scheme::layer_type;
  else if (scheme == "conv_shape")
    m.scheme = class_scheme::conv_shape;
  else
    bad_model("unknown scheme '" + scheme + "'");
  if (family == "layer_type_sum")
    m.family = model_family::layer_type_sum;
  else if (family == "per_layer")
    m.family = model_family::per_layer;
  else
    bad_model("unknown family '" + family + "'");
  const auto names = detail::coefficient_names(m.family);
  if (!j.contains("coefficients") || j["coefficients"] != nlohmann::json(names))
    bad_model("coefficients " +
              (j.contains("coefficients") ? j["coefficients"].dump() : "missing") +
              " do not match family '" + family + "', which needs " + nlohmann::json(names).dump());
  if (!j.contains("classes") || !j["classes"].is_object()) bad_model("missing 'classes'");
  for (const auto& [name, k] : j["classes"].items()) {
    std::size_t i = 0;
    while (i < layer_class_count && to_string(static_cast<layer_class>(i)) != name) ++i;
    if (i == layer_class_count || static_cast<layer_class>(i) == layer_class::no_cost)
      bad_model("unknown layer class '" + name + "'");
    const auto c = static_cast<layer_class>(i);
    if (str(k, "driver") != detail::driver_name(driver_of(c)))
      bad_model("class '" + name + "' has driver '" + str(k, "driver") + "', expected '" +
                detail::driver_name(driver_of(c)) + "'");
    double v[3] = {0, 0, 0};
    for (std::size_t f = 0; f < names.size(); ++f) {
      if (!k.contains(names[f]) || !k[names[f]].is_number() ||
          !std::isfinite(k[names[f]].template get<double>()))
        bad_model("class '" + name + "': '" + names[f] + "' is missing or not a finite number");
      v[f] = k[names[f]].template get<double>();
    }
    m[c] = {true, v[0], v[1], v[2]};
  }
  return m;
}

/// A whole-network model as JSON: to_json(m.model) plus "weighting" (the rows' weighting of
/// the fit), "calibration" (the factor k, 1 for none) and, when there is one, "fallback":
/// {"kind", "driver": "data_volume", "per_element": b} for the memory-bound kind (as files
/// before fallback kinds, which their readers read), or {"kind": "ops_and_data_volume" or
/// "per_driver", "per_op": a, "per_element": b} (in `unit` per op and per element).
/// Version 1 readers ignore the added fields.
template <class Response>
[[nodiscard]] nlohmann::json to_json(const whole_network_model<Response>& m) {
  nlohmann::json j = to_json(m.model);
  j["weighting"] = std::string(to_string(m.fitted_with));
  j["calibration"] = m.calibration;
  if (!m.fallback.fitted) return j;
  nlohmann::json f{{"kind", std::string(to_string(m.fallback.kind))},
                   {"per_element", m.fallback.per_element}};
  if (m.fallback.kind == fallback_kind::data_volume)
    f["driver"] = detail::driver_name(driver::data_volume);
  else
    f["per_op"] = m.fallback.per_op;
  j["fallback"] = f;
  return j;
}

/// Reads a model written by either to_json: a file without "fallback", "calibration" or
/// "weighting" (written before they existed) reads as no fallback, calibration 1 and absolute
/// weighting, and a "fallback" without "kind" as the memory-bound kind. Throws
/// std::invalid_argument as network_model_from_json, and naming the field when "weighting" is
/// not a known name, "calibration" is not a finite number > 0, or "fallback" is not as to_json
/// writes it (an unknown or "auto" kind, a missing or negative coefficient, a data_volume
/// fallback whose driver is not "data_volume").
template <class Response>
[[nodiscard]] whole_network_model<Response> whole_network_model_from_json(const nlohmann::json& j) {
  using detail::bad_model;
  whole_network_model<Response> m;
  m.model = network_model_from_json<Response>(j);
  if (j.contains("weighting")) {
    const auto w = j["weighting"].is_string()
                       ? weighting_from_string(j["weighting"].template get<std::string>())
                       : std::nullopt;
    if (!w || *w == weighting::automatic)
      bad_model("'weighting' is " + j["weighting"].dump() +
                ", expected \"absolute\", \"relative\" or \"balanced\"");
    m.fitted_with = *w;
  }
  if (j.contains("calibration")) {
    const auto& k = j["calibration"];
    if (!k.is_number() || !std::isfinite(k.template get<double>()) || k.template get<double>() <= 0)
      bad_model("'calibration' is " + k.dump() + ", expected a finite number > 0");
    m.calibration = k.template get<double>();
  }
  if (j.contains("fallback")) {
    const auto& f = j["fallback"];
    const auto number = [&](const char* key) {  // a finite coefficient >= 0
      return f.contains(key) && f[key].is_number() &&
             std::isfinite(f[key].template get<double>()) && f[key].template get<double>() >= 0;
    };
    const bool is_object = f.is_object();
    // No "kind": a file from before fallback kinds, always the memory-bound one.
    const auto kind = !is_object || !f.contains("kind") ? std::optional{fallback_kind::data_volume}
                      : f["kind"].is_string()
                          ? fallback_kind_from_string(f["kind"].template get<std::string>())
                          : std::nullopt;
    const bool volume_only = kind == fallback_kind::data_volume;
    if (!is_object || !kind || *kind == fallback_kind::automatic || !number("per_element") ||
        (volume_only
             ? f.value("driver", nlohmann::json()) != detail::driver_name(driver::data_volume)
             : !number("per_op")))
      bad_model("'fallback' is " + f.dump() +
                ", expected {\"driver\": \"data_volume\", \"per_element\": a finite number >= 0}"
                " or {\"kind\": \"ops_and_data_volume\" or \"per_driver\", \"per_op\", "
                "\"per_element\": finite numbers >= 0}");
    m.fallback = {true, *kind, volume_only ? 0.0 : f["per_op"].template get<double>(),
                  f["per_element"].template get<double>()};
  }
  return m;
}

/// Writes a C++ header defining `inline constexpr synergy::model::network_model<R> <name>`
/// with the model's coefficients (17 significant digits: doubles round-trip exactly), so that
/// `constexpr auto e = <name>.estimate(zoo::alexnet());` and `static_assert` budgets compile.
/// `name` must be a C++ identifier (else std::invalid_argument).
template <class Response>
void write_cpp_header(std::ostream& os, const network_model<Response>& m, const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
          std::string::npos)
    throw std::invalid_argument("write_cpp_header: '" + name + "' is not a C++ identifier");
  std::ostringstream body;
  body << std::setprecision(17);
  body << "// Generated by synergy::model::write_cpp_header: a fitted network model\n"
       << "// (" << response_traits<Response>::quantity << " in " << response_traits<Response>::unit
       << " per feature unit; scheme " << to_string(m.scheme) << ", family " << to_string(m.family)
       << ").\n#pragma once\n\n#include <synergy/model/network_model.hpp>\n#include "
          "<synergy/units.hpp>\n\n"
       << "inline constexpr synergy::model::network_model<" << response_traits<Response>::cpp_type
       << "> " << name << "{\n    synergy::model::class_scheme::" << to_string(m.scheme)
       << ",\n    synergy::model::model_family::" << to_string(m.family) << ",\n    {{\n";
  for (std::size_t i = 0; i < layer_class_count; ++i) {
    const class_coefficients& k = m.classes[i];
    body << "        {" << (k.fitted ? "true" : "false") << ", " << k.per_driver << ", "
         << k.per_element << ", " << k.per_layer << "},  // "
         << to_string(static_cast<layer_class>(i)) << '\n';
  }
  body << "    }}};\n";
  os << body.str();
}

}  // namespace synergy::model
