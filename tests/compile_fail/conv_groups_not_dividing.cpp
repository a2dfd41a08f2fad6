// Input channels not divisible by groups fail constant evaluation with a readable message.
// expect-error: must be divisible by groups
#include <synergy/layers/conv2d.hpp>
#ifdef SYNERGY_COMPILE_FAIL
constexpr std::int64_t groups = 2;
#else
constexpr std::int64_t groups = 3;
#endif
static_assert(synergy::conv2d{.input = {8, 8, 3},
                              .out_channels = 6,
                              .kernel = synergy::square(3),
                              .groups = groups}
                  .macs() > 0);
int main() {}
