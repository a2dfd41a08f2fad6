// A program that marks its layers for `synergy record`, as an inference engine the project
// does not own would: the three "layers" run real arithmetic, and each is wrapped in a region
// of the process annotator, which writes SYNERGY_MARKER_FILE at exit.
//   synergy record --source <kind> -o out/rec -- ./instrumented_program
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

// [docs]
#include <synergy/measure/process_markers.hpp>

int main() {
  auto& marks = synergy::measure::process_annotator();
  const auto conv = marks.region("conv1", "Convolution"), relu = marks.region("relu1", "ReLU"),
             fc = marks.region("fc1", "InnerProduct");
  std::vector<float> x(1 << 20, 0.5f), w(1 << 20, 0.25f);
  double acc = 0;
  for (int run = 0; run < 3; ++run) {
    {
      synergy::measure::annotator::scope s(marks, conv);
      for (int k = 0; k < 40; ++k)
        for (std::size_t i = 0; i < x.size(); ++i) acc += x[i] * w[(i + k) % w.size()];
    }
    {
      synergy::measure::annotator::scope s(marks, relu);
      for (auto& v : x) v = std::max(v - 0.1f, 0.0f) + 0.1f;
    }
    {
      synergy::measure::annotator::scope s(marks, fc);
      for (int k = 0; k < 10; ++k)
        for (std::size_t i = 0; i < x.size(); ++i) acc += x[i] * w[i];
    }
  }
  std::printf("checksum %.3f\n", acc);
  return 0;  // the regions are written to $SYNERGY_MARKER_FILE now
}
// [/docs]
