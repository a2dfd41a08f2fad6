// A kernel larger than the padded input fails constant evaluation.
// expect-error: dilated kernel larger than the padded input
#include <synergy/layers/pooling.hpp>
#ifdef SYNERGY_COMPILE_FAIL
constexpr std::int64_t k = 9;
#else
constexpr std::int64_t k = 8;
#endif
static_assert(synergy::max_pool2d{.input = {8, 8, 3}, .kernel = synergy::square(k)}.ops() >= 0);
int main() {}
