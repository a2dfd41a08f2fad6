// A conv2d with stride 0 fails constant evaluation, naming the field and the rule.
// expect-error: stride\.x.*must be >= 1
#include <synergy/layers/conv2d.hpp>
#ifdef SYNERGY_COMPILE_FAIL
constexpr std::int64_t stride = 0;
#else
constexpr std::int64_t stride = 1;
#endif
static_assert(synergy::conv2d{.input = {8, 8, 3},
                              .out_channels = 4,
                              .kernel = synergy::square(3),
                              .stride = {stride, 1}}
                  .macs() > 0);
int main() {}
