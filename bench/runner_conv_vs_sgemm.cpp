// Runner goal (issue 6): an OpenBLAS convolution (im2col + cblas_sgemm + bias) within 1.3× of
// a bare cblas_sgemm of the same GEMM shape. Prints, per convolution of real networks, the
// minimum over repetitions of both and their ratio; also Eigen's time and the direct
// depthwise kernel's GMAC/s. Single thread.   usage: runner_conv_vs_sgemm [repetitions=20]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <synergy/run/runner.hpp>
#include <synergy/zoo/registry.hpp>

using namespace synergy;

namespace {

template <class F>
double min_time(int reps, F&& f) {
  double best = 1e300;
  for (int i = 0; i < reps; ++i) {
    const double t0 = synergy::now_s();
    f();
    best = std::min(best, synergy::now_s() - t0);
  }
  return best;
}

struct conv_case {
  const char* name;
  shape3 in;
  conv2d c;
};

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 20;
  const auto cfg = run::configure_backends(1);
  std::printf("OpenBLAS %s, kernel %s, 1 thread; Eigen %s\n", cfg.openblas_build.c_str(),
              cfg.openblas_core.c_str(), cfg.eigen_simd.c_str());
  const conv_case cases[] = {
      {"alexnet conv1 11x11/4",
       {227, 227, 3},
       {.out_channels = 96, .kernel = square(11), .stride = {4, 4}}},
      {"vgg conv3 3x3 256@56",
       {56, 56, 256},
       {.out_channels = 256, .kernel = square(3), .padding = {1, 1}}},
      {"resnet50 3x3 64@56",
       {56, 56, 64},
       {.out_channels = 64, .kernel = square(3), .padding = {1, 1}}},
      {"resnet50 1x1 256->64@56", {56, 56, 256}, {.out_channels = 64, .kernel = square(1)}},
      {"googlenet 5x5 16->32@28",
       {28, 28, 16},
       {.out_channels = 32, .kernel = square(5), .padding = {2, 2}}},
      {"resnet50 3x3 512@7",
       {7, 7, 512},
       {.out_channels = 512, .kernel = square(3), .padding = {1, 1}}},
  };
  std::printf("%-26s %10s %10s %7s %10s\n", "convolution", "conv ms", "sgemm ms", "ratio",
              "eigen ms");
  double worst = 0;
  for (const auto& k : cases) {
    network n("bench", k.in);
    n.add("conv", k.c);
    run::runner r(n, 1);
    const auto& d = std::get<conv2d>(r.net().at(1));
    const shape3 o = r.net().output(1);
    const int m = static_cast<int>(d.out_channels), nn = static_cast<int>(o.x * o.y),
              kk = static_cast<int>(d.input.z * d.kernel.x * d.kernel.y);
    std::vector<float> a(static_cast<std::size_t>(m) * kk, 0.01f),
        b(static_cast<std::size_t>(kk) * nn, 0.02f), c(static_cast<std::size_t>(m) * nn);
    const double conv = min_time(reps, [&] { r.forward(run::backend::openblas, 1); });
    const double gemm = min_time(
        reps, [&] { run::gemm(run::backend::openblas, m, nn, kk, a.data(), b.data(), c.data()); });
    const double eig = min_time(std::max(3, reps / 4), [&] { r.forward(run::backend::eigen, 1); });
    worst = std::max(worst, conv / gemm);
    std::printf("%-26s %10.3f %10.3f %7.2f %10.3f\n", k.name, conv * 1e3, gemm * 1e3, conv / gemm,
                eig * 1e3);
  }
  std::printf("worst ratio conv / bare sgemm: %.2f (goal <= 1.3)\n", worst);
  // Whole networks: every conv2d layer, summed (what a network's conv time is made of).
  for (const char* name : {"alexnet", "googlenet", "resnet50"}) {
    run::runner r(zoo::by_name(name), 1);
    r.run(run::backend::openblas);  // fills every layer's input
    double conv = 0, gemm = 0;
    for (node_id id = 1; id < r.net().size(); ++id) {
      const auto* d = std::get_if<conv2d>(&r.net().at(id));
      if (!d) continue;
      const shape3 o = r.net().output(id);
      const int g = static_cast<int>(d->groups), m = static_cast<int>(d->out_channels) / g,
                nn = static_cast<int>(o.x * o.y),
                kk = static_cast<int>(d->input.z / d->groups * d->kernel.x * d->kernel.y);
      std::vector<float> a(static_cast<std::size_t>(m) * kk, 0.01f),
          b(static_cast<std::size_t>(kk) * nn, 0.02f), c(static_cast<std::size_t>(m) * nn);
      conv += min_time(std::max(3, reps / 4), [&] { r.forward(run::backend::openblas, id); });
      gemm += min_time(std::max(3, reps / 4), [&] {
        for (int gi = 0; gi < g; ++gi)
          run::gemm(run::backend::openblas, m, nn, kk, a.data(), b.data(), c.data());
      });
    }
    std::printf("%-10s all conv2d layers: conv %.2f ms, bare sgemm %.2f ms, ratio %.2f\n", name,
                conv * 1e3, gemm * 1e3, conv / gemm);
  }
  // Depthwise: the runner's vectorised kernel on MobileNet v1's 3x3 depthwise at 112x112x64 and
  // 14x14x512 (stride 1).
  for (const shape3 in : {shape3{112, 112, 64}, shape3{14, 14, 512}}) {
    network n("dw", in);
    n.add("dw", depthwise_conv2d{.kernel = square(3), .padding = {1, 1}});
    run::runner r(n, 1);
    const double t = min_time(reps, [&] { r.forward(run::backend::openblas, 1); });
    std::printf("depthwise 3x3 @%lldx%lldx%lld: %.3f ms = %.2f GMAC/s (vectorised kernel)\n",
                static_cast<long long>(in.x), static_cast<long long>(in.y),
                static_cast<long long>(in.z), t * 1e3,
                static_cast<double>(r.net().cost(1).macs) / t * 1e-9);
  }
  return 0;
}
