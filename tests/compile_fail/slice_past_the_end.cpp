// A slice ending past the input's extent fails constant evaluation with a readable message.
// expect-error: extent along the axis
#include <synergy/layers/slice.hpp>
#ifdef SYNERGY_COMPILE_FAIL
constexpr std::int64_t end = 9;
#else
constexpr std::int64_t end = 8;
#endif
static_assert(synergy::slice{.input = {4, 4, 8}, .axis = synergy::axis3::z, .begin = 4, .end = end}
                  .output() == synergy::shape3{4, 4, end - 4});
int main() {}
