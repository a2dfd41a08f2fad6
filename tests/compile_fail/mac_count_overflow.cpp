// A MAC count beyond 64 bits fails constant evaluation instead of wrapping.
// expect-error: 64-bit overflow|count_overflow
#include <synergy/layers/fully_connected.hpp>
#ifdef SYNERGY_COMPILE_FAIL
constexpr std::int64_t n = 4'000'000'000;
#else
constexpr std::int64_t n = 4'000;
#endif
static_assert(synergy::fully_connected{.input = {n, n, 1}, .outputs = n}.macs() > 0);
int main() {}
