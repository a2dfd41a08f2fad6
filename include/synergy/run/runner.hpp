#pragma once
/// @file
/// Reference CPU runner: executes any network (zoo or imported) layer by layer, batch 1, with
/// deterministic random weights and input, on OpenBLAS or Eigen, timing every layer with the
/// steady clock and marking it in an annotator (so that a sampler's power trace can be
/// attributed to layers). Single thread by default: the runner pins both libraries itself.
///
/// Weights: He-uniform (±√(6/fan_in)) for conv/FC so activations keep their scale through deep
/// ReLU stacks (no overflow, no denormals); batch norm gets mean ±0.1 and variance 1 ± 0.1;
/// flush-to-zero and denormals-are-zero are set on x86 while running, since a denormal
/// multiply costs ~100 cycles and would make timings depend on the random data.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "synergy/clock.hpp"
#include "synergy/measure/annotation.hpp"
#include "synergy/network.hpp"
#include "synergy/run/backend.hpp"
#include "synergy/run/dispatch.hpp"
#include "synergy/run/kernels.hpp"

namespace synergy::run {

/// How a runner runs a network.
struct runner_options {
  /// Fold Caffe's BatchNorm and Scale into the convolution before them (y = conv(x)·mul + add
  /// becomes a convolution with weights·mul and bias·mul + add, per output channel), as
  /// inference engines do. For whole-network latency only (bench/runner_latency): a folded
  /// layer is not run, so it has no time of its own (layer_times() is 0 for it) and is not
  /// marked in the annotator; a per-layer profile made with folding would show no BatchNorm or
  /// Scale rows and the rows of the convolutions would hold their time, so profiles
  /// (synergy profile, study/) run without it. Folded: a batch_norm or scale whose single
  /// input is a conv2d or depthwise_conv2d (or a layer already folded into one) that feeds
  /// nothing else. Results equal the unfolded run within float rounding.
  bool fold_batch_norm = false;
};

/// Executes one network; weights and feature maps are allocated once, at construction.
class runner {
 public:
  /// Builds the weights of every layer from `seed` (the same seed gives the same weights
  /// everywhere), then folds batch norm and scale layers if `options` asks for it. Memory:
  /// parameters + one map per layer. Throws std::invalid_argument naming the first `opaque`
  /// layer, if any: an op the library does not know has nothing to run.
  explicit runner(network net, std::uint64_t seed = 1, runner_options options = {})
      : net_(std::move(net)) {
    for (node_id id = 0; id < net_.size(); ++id)
      if (type_of(net_.at(id)) == layer_type::opaque)
        throw std::invalid_argument("runner: layer '" + std::string(net_.name(id)) +
                                    "' of network '" + std::string(net_.name()) +
                                    "' is opaque (an op the library does not count or run); "
                                    "it cannot be run");
    params_.resize(net_.size());
    outputs_.reserve(net_.size());
    for (node_id id = 0; id < net_.size(); ++id) {
      outputs_.emplace_back(net_.output(id));
      init_params(id, seed);
    }
    random_floats r(seed);
    r.fill(outputs_[0].data, 1.0f);  // the input image
    times_.assign(net_.size(), 0.0);
    holder_.resize(net_.size());
    for (node_id id = 0; id < net_.size(); ++id) holder_[id] = id;
    if (options.fold_batch_norm) fold_batch_norm();
  }

  /// One inference with `be`; each layer's time (s) goes to `layer_times()`.
  void run(backend be) { run_marked(be, nullptr, {}); }

  /// One inference with `be`, marking layer `id` as region `regions[id]` of `marks` (one id
  /// per node; node 0, the input, is not marked). Throws std::invalid_argument when `regions`
  /// has not one id per node.
  void run(backend be, measure::annotator& marks, std::span<const measure::region_id> regions) {
    if (regions.size() != net_.size())
      throw std::invalid_argument("runner::run: " + std::to_string(regions.size()) +
                                  " region ids for " + std::to_string(net_.size()) + " nodes of '" +
                                  std::string(net_.name()) + "'");
    run_marked(be, &marks, regions);
  }

  /// One inference with `be`, marking every layer as a region "<network>/<layer>" of its layer
  /// type in `marks` (registered on first use with this annotator).
  void run(backend be, measure::annotator& marks) {
    if (marked_ != &marks) register_regions(marks);
    run_marked(be, &marks, region_ids_);
  }

  [[nodiscard]] const network& net() const noexcept { return net_; }
  /// Seconds per layer of the last run (index = node id; node 0, the input, is 0).
  [[nodiscard]] std::span<const double> layer_times() const noexcept { return times_; }
  /// Output map of a layer after the last run. For a folded layer, and for the convolution it
  /// was folded into, the map of the convolution: it holds the folded layer's result.
  [[nodiscard]] const tensor& output(node_id id) const { return outputs_.at(holder_.at(id)); }
  /// Whether layer `id` was folded into the convolution before it (runner_options).
  [[nodiscard]] bool folded(node_id id) const { return holder_.at(id) != id; }
  /// Mutable input map (node 0), e.g. for a test's own data.
  [[nodiscard]] tensor& input() { return outputs_[0]; }
  [[nodiscard]] const layer_params& params(node_id id) const { return params_.at(id); }
  [[nodiscard]] layer_params& params(node_id id) { return params_.at(id); }

  /// Runs one layer (its inputs must hold the current maps) with the kernel its type has in
  /// run/dispatch.hpp; a folded layer does nothing.
  void forward(backend be, node_id id) {
    if (holder_[id] != id) return;  // folded: its convolution computes it
    std::vector<const tensor*>& in = inputs_scratch_;
    in.clear();
    for (auto p : net_.inputs(id)) in.push_back(&outputs_[holder_[p]]);
    const kernel_io io{
        .be = be, .params = params_[id], .inputs = in, .output = outputs_[id], .ws = ws_};
    forward_layer(net_.at(id), io);
  }

 private:
  void run_marked(backend be, measure::annotator* marks,
                  std::span<const measure::region_id> regions) {
#if defined(__SSE__)
    const unsigned csr = _mm_getcsr();
    _mm_setcsr(csr | 0x8040);  // FTZ | DAZ
#endif
    for (node_id id = 1; id < net_.size(); ++id) {
      if (holder_[id] != id) continue;  // folded: no time, no region (runner_options)
      if (marks) marks->begin(regions[id]);
      const double t0 = now_s();
      forward(be, id);
      times_[id] = now_s() - t0;
      if (marks) marks->end(regions[id]);
    }
#if defined(__SSE__)
    _mm_setcsr(csr);
#endif
  }

  void register_regions(measure::annotator& marks) {
    region_ids_.assign(net_.size(), {});
    for (node_id id = 1; id < net_.size(); ++id)
      region_ids_[id] = marks.region(std::string(net_.name()) + "/" + std::string(net_.name(id)),
                                     std::string(to_string(type_of(net_.at(id)))));
    marked_ = &marks;
  }

  /// Folds each batch_norm / scale into the convolution before it (see runner_options).
  void fold_batch_norm() {
    std::vector<int> uses(net_.size(), 0);
    for (node_id id = 0; id < net_.size(); ++id)
      for (auto p : net_.inputs(id)) ++uses[p];
    for (node_id id = 1; id < net_.size(); ++id) {
      const layer_type t = type_of(net_.at(id));
      if ((t != layer_type::batch_norm && t != layer_type::scale) || net_.inputs(id).size() != 1)
        continue;
      const node_id p = net_.inputs(id)[0], conv = holder_[p];
      const layer_type ct = type_of(net_.at(conv));
      if ((ct != layer_type::conv2d && ct != layer_type::depthwise_conv2d) || uses[p] != 1)
        continue;
      layer_params& c = params_[conv];
      const layer_params& f = params_[id];
      const std::size_t channels = f.mul.size(), per = c.weights.size() / channels;
      if (c.bias.empty()) c.bias.assign(channels, 0.0f);
      for (std::size_t m = 0; m < channels; ++m) {
        const float mul = f.mul[m], add = f.add.empty() ? 0.0f : f.add[m];
        for (std::size_t i = 0; i < per; ++i) c.weights[m * per + i] *= mul;
        c.bias[m] = c.bias[m] * mul + add;
      }
      holder_[id] = conv;
    }
  }

  /// One generator per node, seeded from (seed, id): a layer's weights do not depend on the
  /// layers before it.
  void init_params(node_id id, std::uint64_t seed) {
    random_floats r(seed * 0x100000001B3ull + id);
    init_layer_params(net_.at(id), params_[id], r);
  }

  network net_;
  std::vector<layer_params> params_;
  std::vector<tensor> outputs_;
  std::vector<double> times_;
  std::vector<node_id> holder_;  ///< per node: the node whose map holds its output (folding)
  std::vector<const tensor*> inputs_scratch_;
  workspace ws_;
  std::vector<measure::region_id> region_ids_;
  const measure::annotator* marked_ = nullptr;
};

}  // namespace synergy::run
