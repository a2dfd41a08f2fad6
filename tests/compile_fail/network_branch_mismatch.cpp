// Adding two branches of different shapes fails constant evaluation.
// expect-error: eltwise inputs differ in shape|invalid_edge
#include <synergy/network.hpp>
using namespace synergy;
#ifdef SYNERGY_COMPILE_FAIL
constexpr std::int64_t width = 16;
#else
constexpr std::int64_t width = 8;
#endif
constexpr std::int64_t residual_macs() {
  network n("residual", {8, 8, 8});
  const node_id a =
      n.add("a", conv2d{.out_channels = width, .kernel = square(3), .padding = {1, 1}});
  n.add("sum", eltwise{}, {0, a});
  return n.totals().macs;
}
static_assert(residual_macs() > 0);
int main() {}
