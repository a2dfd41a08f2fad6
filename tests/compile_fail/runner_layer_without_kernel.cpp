// A layer type without a runner kernel must not compile: the runner's dispatch
// (run::forward_layer, run::init_layer_params) has no catch-all that would silently run it as
// a no-op. The control gives the new type its kernel and compiles.
// expect-error: no kernel for this layer type
#include <synergy/run/dispatch.hpp>
#include <variant>

namespace {
/// A descriptor the runner does not know (as if just added to synergy::layer).
struct novel_layer {
  synergy::shape3 input{};
};
}  // namespace

#ifndef SYNERGY_COMPILE_FAIL
template <>
struct synergy::run::layer_kernel<novel_layer> : synergy::run::no_params {
  static void forward(const novel_layer&, const kernel_io&) {}
};
#endif

int main() {
  using namespace synergy;
  const std::variant<conv2d, novel_layer> l = novel_layer{};
  run::layer_params p;
  run::random_floats r(1);
  run::init_layer_params(l, p, r);
  const run::tensor in(shape3{1, 1, 1});
  run::tensor out(shape3{1, 1, 1});
  run::workspace ws;
  const run::tensor* inputs[] = {&in};
  run::forward_layer(
      l, run::kernel_io{
             .be = run::backend::eigen, .params = p, .inputs = inputs, .output = out, .ws = ws});
  return p.weights.empty() ? 0 : 1;
}
