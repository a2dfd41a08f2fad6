#pragma once
/// @file
/// Unit-safe quantities (Boost.Units, SI, `double` values): energy (J), power (W), duration (s),
/// frequency (Hz). Arithmetic is constexpr and dimension-checked: power × duration is an
/// energy, energy + power does not compile, and no quantity converts to a bare `double`
/// implicitly.
///
/// Construct with the literals of `synergy::literals` (`5.0_mJ`, `2_W`, `10_us`), convert with
/// `value_in(q, unit)`, print with `to_string(q)` or `operator<<` (SI symbols, engineering
/// prefixes: "5 mJ", "250 uW"; Boost writes micro as "u").

#include <boost/units/io.hpp>
#include <boost/units/make_scaled_unit.hpp>
#include <boost/units/quantity.hpp>
#include <boost/units/systems/si/energy.hpp>
#include <boost/units/systems/si/frequency.hpp>
#include <boost/units/systems/si/io.hpp>
#include <boost/units/systems/si/power.hpp>
#include <boost/units/systems/si/time.hpp>
#include <sstream>
#include <string>

namespace synergy {

/// Energy in joules (stored as J).
using energy = boost::units::quantity<boost::units::si::energy, double>;
/// Power in watts (stored as W).
using power = boost::units::quantity<boost::units::si::power, double>;
/// Time interval in seconds (stored as s). Named `duration` to leave `time` to the C library.
using duration = boost::units::quantity<boost::units::si::time, double>;
/// Frequency in hertz (stored as Hz), e.g. a sampling rate.
using frequency = boost::units::quantity<boost::units::si::frequency, double>;

/// Units to convert to with `value_in`.
namespace units {
namespace detail {
template <class Dimension, int Exponent>
using scaled = typename boost::units::make_scaled_unit<
    Dimension, boost::units::scale<10, boost::units::static_rational<Exponent>>>::type;
}  // namespace detail

inline constexpr boost::units::si::energy joule{};
inline constexpr detail::scaled<boost::units::si::energy, -3> millijoule{};
inline constexpr detail::scaled<boost::units::si::energy, -6> microjoule{};
inline constexpr boost::units::si::power watt{};
inline constexpr detail::scaled<boost::units::si::power, -3> milliwatt{};
inline constexpr detail::scaled<boost::units::si::power, -6> microwatt{};
inline constexpr boost::units::si::time second{};
inline constexpr detail::scaled<boost::units::si::time, -3> millisecond{};
inline constexpr detail::scaled<boost::units::si::time, -6> microsecond{};
inline constexpr detail::scaled<boost::units::si::time, -9> nanosecond{};
inline constexpr boost::units::si::frequency hertz{};
inline constexpr detail::scaled<boost::units::si::frequency, 3> kilohertz{};
}  // namespace units

/// The value of `q` expressed in `unit` (same dimension, else it does not compile):
/// `value_in(1.5_J, units::millijoule) == 1500`.
template <class Dimension, class System, class Unit>
[[nodiscard]] constexpr double value_in(
    const boost::units::quantity<boost::units::unit<Dimension, System>, double>& q, Unit) {
  return boost::units::quantity<Unit, double>(q).value();
}

/// "<value> <prefix><symbol>" with an engineering prefix, e.g. "5 mJ".
template <class Unit>
[[nodiscard]] std::string to_string(const boost::units::quantity<Unit, double>& q) {
  std::ostringstream os;
  os << boost::units::engineering_prefix << boost::units::symbol_format << q;
  return os.str();
}

/// User-defined literals for quantities: `using namespace synergy::literals;`.
namespace literals {
// clang-format off
/// Joules.
constexpr energy operator""_J(long double v) { return energy::from_value(static_cast<double>(v)); }
constexpr energy operator""_J(unsigned long long v) { return energy::from_value(static_cast<double>(v)); }
/// Millijoules.
constexpr energy operator""_mJ(long double v) { return energy::from_value(static_cast<double>(v) * 1e-3); }
constexpr energy operator""_mJ(unsigned long long v) { return energy::from_value(static_cast<double>(v) * 1e-3); }
/// Microjoules.
constexpr energy operator""_uJ(long double v) { return energy::from_value(static_cast<double>(v) * 1e-6); }
constexpr energy operator""_uJ(unsigned long long v) { return energy::from_value(static_cast<double>(v) * 1e-6); }
/// Watts.
constexpr power operator""_W(long double v) { return power::from_value(static_cast<double>(v)); }
constexpr power operator""_W(unsigned long long v) { return power::from_value(static_cast<double>(v)); }
/// Milliwatts.
constexpr power operator""_mW(long double v) { return power::from_value(static_cast<double>(v) * 1e-3); }
constexpr power operator""_mW(unsigned long long v) { return power::from_value(static_cast<double>(v) * 1e-3); }
/// Seconds.
constexpr duration operator""_s(long double v) { return duration::from_value(static_cast<double>(v)); }
constexpr duration operator""_s(unsigned long long v) { return duration::from_value(static_cast<double>(v)); }
/// Milliseconds.
constexpr duration operator""_ms(long double v) { return duration::from_value(static_cast<double>(v) * 1e-3); }
constexpr duration operator""_ms(unsigned long long v) { return duration::from_value(static_cast<double>(v) * 1e-3); }
/// Microseconds.
constexpr duration operator""_us(long double v) { return duration::from_value(static_cast<double>(v) * 1e-6); }
constexpr duration operator""_us(unsigned long long v) { return duration::from_value(static_cast<double>(v) * 1e-6); }
/// Hertz.
constexpr frequency operator""_Hz(long double v) { return frequency::from_value(static_cast<double>(v)); }
constexpr frequency operator""_Hz(unsigned long long v) { return frequency::from_value(static_cast<double>(v)); }
/// Kilohertz.
constexpr frequency operator""_kHz(long double v) { return frequency::from_value(static_cast<double>(v) * 1e3); }
constexpr frequency operator""_kHz(unsigned long long v) { return frequency::from_value(static_cast<double>(v) * 1e3); }
// clang-format on
}  // namespace literals

}  // namespace synergy
