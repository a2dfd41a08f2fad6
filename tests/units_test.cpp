// Units: constexpr construction, dimension-checked arithmetic, conversion and printing.
#include <gtest/gtest.h>

#include <concepts>
#include <synergy/units.hpp>

using namespace synergy;
using namespace synergy::literals;

namespace {

// 1e-12 relative: the literals scale by powers of ten in double.
constexpr bool near(double a, double b) { return (a - b) * (a - b) <= 1e-24 * b * b; }

template <class A, class B>
concept addable = requires(A a, B b) {
  a + b;
};
template <class A, class B>
concept comparable = requires(A a, B b) {
  a < b;
};

// --- compile-time arithmetic -------------------------------------------------------------
// 2 W for 3 ms is 6 mJ.
static_assert(near(value_in(2.0_W * 3_ms, units::millijoule), 6.0));
// 10 µJ over 5 µs is 2 W.
static_assert(near(value_in(10_uJ / 5_us, units::watt), 2.0));
// 1 kHz sampling: a period of 1 ms.
static_assert(near(value_in(1.0 / 1_kHz, units::millisecond), 1.0));
// 250 mW is 250 000 µW.
static_assert(near(value_in(250_mW, units::microwatt), 250'000.0));
// 1.5 J in mJ and µJ.
static_assert(near(value_in(1.5_J, units::millijoule), 1500.0));
static_assert(near(value_in(1.5_J, units::microjoule), 1.5e6));
static_assert(std::same_as<decltype(2.0_W * 3.0_s), energy>);
static_assert(std::same_as<decltype(1.0_J / 1.0_s), power>);

// --- negative tests: what must not compile, as requires-expressions -----------------------
static_assert(!addable<energy, power>, "energy + power must not compile");
static_assert(!addable<power, duration>, "power + duration must not compile");
static_assert(addable<energy, energy>);
static_assert(!comparable<energy, power>, "comparing energy with power must not compile");
static_assert(!std::convertible_to<power, energy>, "watts where joules are expected");
static_assert(!std::convertible_to<energy, double>, "dropping a unit silently");
static_assert(!std::convertible_to<double, energy>, "a bare double is not an energy");

TEST(Units, PrintsWithSymbolsAndEngineeringPrefixes) {
  EXPECT_EQ(to_string(6.0_mJ), "6 mJ");
  EXPECT_EQ(to_string(2.0_W), "2 W");
  EXPECT_EQ(to_string(250.0_uJ / 1.0_s), "250 uW");
  EXPECT_EQ(to_string(1.0_kHz), "1 kHz");
  EXPECT_EQ(to_string(0.5_ms), "500 us");
}

TEST(Units, RunTimeArithmeticMatchesHandValues) {
  // 3 samples of 1.2 W, 1.3 W, 1.1 W at 1 ms: 3.6 mJ.
  energy e = 0.0_J;
  for (double w : {1.2, 1.3, 1.1}) e += power::from_value(w) * 1_ms;
  EXPECT_NEAR(value_in(e, units::millijoule), 3.6, 1e-12);
  EXPECT_NEAR(value_in(e / 3_ms, units::watt), 1.2, 1e-12);
}

}  // namespace
