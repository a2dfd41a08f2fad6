// Passing watts where joules are expected must not compile.
// expect-error: (could not convert|no viable conversion|cannot convert|no matching function)
#include <synergy/units.hpp>
using namespace synergy::literals;
static double budget_left(synergy::energy spent) { return 5.0 - spent.value(); }
int main() {
#ifdef SYNERGY_COMPILE_FAIL
  return budget_left(3.0_W) > 0 ? 0 : 1;
#else
  return budget_left(3.0_J) > 0 ? 0 : 1;
#endif
}
