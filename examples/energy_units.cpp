// Unit-safe quantities: energy = power × time, checked by the compiler.
// [docs]
#include <iostream>
#include <synergy/units.hpp>

using namespace synergy;
using namespace synergy::literals;

// 1.5 W for 20 ms is 30 mJ: the product of a power and a duration is an energy.
constexpr energy per_inference = 1.5_W * 20_ms;
static_assert(value_in(per_inference, units::millijoule) > 29.999 &&
              value_in(per_inference, units::millijoule) < 30.001);
// energy + power, or a power where an energy is expected, does not compile.

int main() {
  const power mean_power = per_inference / 20_ms;
  std::cout << to_string(per_inference) << " per inference at " << to_string(mean_power) << '\n';
  // prints: 30 mJ per inference at 1.5 W
}
// [/docs]
