// The measurement loop of a new platform once it has a power source
// (docs/writing-a-power-source.md): source → sampler → annotator regions around each layer's
// work → measure::attribute → the energy of every region, then per layer over its runs.
// Here the source is a synthetic constant 5 W, so every region's energy is known by hand —
// 5 W × its length — and the example checks that (exit status 1 otherwise). On a board, pass
// its source instead (e.g. board_power_file of examples/custom_power_source.cpp).
//   usage: measure_layers
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <synergy/measure/synthetic_source.hpp>
#include <thread>
#include <vector>

namespace {

/// Stands for a layer's computation: `ms` milliseconds of it.
void layer_work(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

// [docs]
#include <synergy/measure/annotation.hpp>
#include <synergy/measure/attribution.hpp>
#include <synergy/measure/sampler.hpp>

/// Runs three layers (and an argmax too short to measure) three times while sampling `source`
/// (any power_source or streaming_source); prints and returns the energy of every run.
template <class Source>
std::vector<synergy::measure::region_energy> measure_layers(Source& source) {
  namespace m = synergy::measure;
  m::annotator marks;  // begin/end of each region, on the steady clock the sampler uses
  const m::region_id conv = marks.region("conv1", "Convolution"),
                     relu = marks.region("relu1", "ReLU"), fc = marks.region("fc1", "InnerProduct"),
                     argmax = marks.region("argmax", "ArgMax");
  m::sampler_options so;
  so.rate = synergy::frequency::from_value(1000);  // polled sources: read_power 1000 times a second
  m::sampler sampler(source, so);
  sampler.start();  // returns once the first reading exists
  for (int run = 0; run < 3; ++run) {
    {
      m::annotator::scope s(marks, conv);  // begin now, end when the scope closes
      layer_work(20);                      // the layer's work
    }
    {
      m::annotator::scope s(marks, relu);
      layer_work(5);
    }
    {
      m::annotator::scope s(marks, fc);
      layer_work(10);
    }
    { m::annotator::scope s(marks, argmax); }  // shorter than one sample: flagged below
  }
  sampler.stop();  // takes a last reading, so every region lies inside the trace
  const m::trace trace = sampler.take_trace();
  m::attribution_options o;
  o.channels = source.info().top_level_channels();  // their sum counts every joule once
  // A region shorter than the sensor's refresh or than one sample is flagged, not measured.
  o.update_period =
      synergy::duration::from_value(std::max(source.info().update_period.value(), trace.period_s));
  const auto energies = m::attribute(trace, marks.regions(), o);
  for (const auto& e : energies)
    std::printf("%-7s run %d %8.3f ms %8.3f mJ%s\n", e.where.name.c_str(), e.where.run,
                e.length.value() * 1e3, e.value.value() * 1e3,
                e.below_update_period ? "  (shorter than the update period)" : "");
  for (const auto& l : m::summarise_runs(energies))  // per layer: mean ± sd over its runs
    std::printf("%-7s %-12s %8.3f ± %.3f mJ\n", l.name.c_str(), l.op_type.c_str(),
                l.energy_j.mean * 1e3, l.energy_j.sd * 1e3);
  return energies;
}
// [/docs]

int main() {
  synergy::measure::synthetic_source steady(5.0, 0.0, 0.0);  // P(t) = 5 W: E = 5 W × length
  const auto energies = measure_layers(steady);
  int flagged_argmax = 0;
  bool ok = energies.size() == 12;
  for (const auto& e : energies) {
    // The trapezoid of a constant is exact: only rounding separates E from 5 W × length.
    ok = ok && std::abs(e.value.value() - 5.0 * e.length.value()) <= 1e-9;
    // 5 ms and longer cover five samples at 1 kHz: never flagged. An empty scope lasts
    // microseconds, under one 1 ms sample; a run preempted for a whole millisecond is not, so
    // at least one of the three must be flagged.
    if (e.where.name == "argmax")
      flagged_argmax += e.below_update_period;
    else
      ok = ok && !e.below_update_period;
  }
  ok = ok && flagged_argmax >= 1;
  if (!ok) std::puts("FAILED: energies differ from 5 W x length, or the wrong regions are flagged");
  return ok ? 0 : 1;
}
