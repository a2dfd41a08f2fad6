// Adding a power to an energy must not compile.
// expect-error: (no match for .*operator\+|invalid operands to binary expression)
#include <synergy/units.hpp>
using namespace synergy::literals;
int main() {
  const synergy::energy e = 1.0_J;
  const synergy::power p = 2.0_W;
#ifdef SYNERGY_COMPILE_FAIL
  const auto bad = e + p;
#else
  const auto bad = e + p * 1.0_s;  // the correct form: power × time is an energy
#endif
  return bad.value() > 0 ? 0 : 1;
}
