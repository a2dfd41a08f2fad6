// Silently dropping a unit (quantity to double) must not compile.
// expect-error: (cannot convert|no viable conversion|conversion from)
#include <synergy/units.hpp>
using namespace synergy::literals;
int main() {
#ifdef SYNERGY_COMPILE_FAIL
  double joules = 3.0_J;
#else
  double joules = synergy::value_in(3.0_J, synergy::units::joule);
#endif
  return joules > 0 ? 0 : 1;
}
