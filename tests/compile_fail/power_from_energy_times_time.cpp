// power × time is an energy, not a power: assigning it to a power must not compile.
// expect-error: (conversion from|no viable conversion|cannot convert|could not convert)
#include <synergy/units.hpp>
using namespace synergy::literals;
int main() {
#ifdef SYNERGY_COMPILE_FAIL
  constexpr synergy::power p = 2.0_W * 3.0_s;
#else
  constexpr synergy::energy p = 2.0_W * 3.0_s;
#endif
  return p.value() > 0 ? 0 : 1;
}
