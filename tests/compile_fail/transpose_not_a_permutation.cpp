// A transpose whose perm repeats an axis fails constant evaluation with a readable message.
// expect-error: perm must be a permutation
#include <synergy/layers/transpose.hpp>
#ifdef SYNERGY_COMPILE_FAIL
constexpr synergy::axis3 last = synergy::axis3::x;
#else
constexpr synergy::axis3 last = synergy::axis3::y;
#endif
static_assert(synergy::transpose{.input = {8, 4, 3},
                                 .perm = {synergy::axis3::z, synergy::axis3::x, last}}
                  .output() == synergy::shape3{3, 8, 4});
int main() {}
