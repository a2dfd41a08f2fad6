// Whole-network latency of the reference runner, driven over stdin by runner_vs_pytorch.py so
// that PyTorch and the runner can be measured interleaved in one run (issue 12). No file is
// written; the per-layer timing the runner always does is included (two clock reads a layer).
//
//   usage: runner_latency [--backend openblas|eigen] [--fold] NETWORK...
// --fold: fold Caffe BatchNorm + Scale into the convolutions (run::runner_options; the
// networks after it are built with folding).
// NETWORK: a zoo name (e.g. mobilenet_v3_large) or, when built with the ONNX importer, an .onnx
// file (e.g. torchvision's mobilenet_v2 exported by tools/export_torchvision_onnx.py: the zoo's
// mobilenet_v2 is the Caffe layout, 429 M MACs, not torchvision's 301 M).
// Prints one line per network, "net <index> <name> <layers> <MACs> <conv+linear MACs>" (all
// layers' MACs as the library counts them; and those of conv2d, depthwise and fully connected
// layers only, what torchvision's GFLOPS figures count), then "ready". Then reads
// commands from stdin: "run <index> <n>" runs n inferences of network <index> and prints
// "times <s> <s> ..." (seconds per inference, steady clock); "types <index> <n>" runs n
// inferences and prints, per layer type, "type <name> <layers> <s per inference>" (the sum over
// the type's layers of each layer's median time over the n runs), then "end" (where a network's
// time goes); "layers <index> <n>" runs n inferences and prints per layer "layer <name> <class>
// <input WxHxC> <MACs> <median s>", then "end" (class: the layer type with what sets its kernel's
// speed, e.g. "depthwise_conv2d k5 s2", "conv2d k1 1x1-map"; for a per-layer comparison with
// tools/profile_pytorch.py, whose rows carry the same ONNX node names); "quit" (or end of input)
// exits. Errors (unknown network, bad command) go to stderr
// with exit status 2.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <synergy/run/runner.hpp>
#include <synergy/zoo/registry.hpp>
#include <type_traits>
#include <variant>
#include <vector>
#if defined(SYNERGY_BENCH_HAS_ONNX)
#include <synergy/io/onnx.hpp>
#endif

using namespace synergy;

namespace {

/// The layer's class for "layers": its type, and for the types whose kernels take different paths
/// the parameters that choose them (kernel, stride, a 1×1 map, broadcasting, activation kind).
std::string layer_class(const layer& l) {
  return std::visit(
      [](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        std::string c(to_string(D::type));
        const auto k = [](extent2 e) {
          return "k" + std::to_string(e.x) + (e.x == e.y ? "" : "x" + std::to_string(e.y));
        };
        if constexpr (std::is_same_v<D, conv2d> || std::is_same_v<D, depthwise_conv2d>) {
          c += " " + k(d.kernel) + " s" + std::to_string(d.stride.x);
          if (d.input.x == 1 && d.input.y == 1) c += " 1x1-map";
        } else if constexpr (std::is_same_v<D, activation>) {
          c += " " + std::string(to_string(d.kind));
          if (d.input.x == 1 && d.input.y == 1) c += " 1x1-map";
        } else if constexpr (std::is_same_v<D, eltwise>) {
          c += d.broadcast_inputs > 0 ? " broadcast" : "";
        }
        return c;
      },
      l);
}

/// Runs `r` `count` times with `be`; per node (index = node id, node 0 the input: 0) the median
/// of its layer's times, robust to a run preempted on a loaded machine.
std::vector<double> layer_medians(run::runner& r, run::backend be, int count) {
  std::vector<std::vector<double>> per_layer(r.net().size());
  for (int k = 0; k < count; ++k) {
    r.run(be);
    for (node_id id = 1; id < r.net().size(); ++id) per_layer[id].push_back(r.layer_times()[id]);
  }
  std::vector<double> median(r.net().size(), 0.0);
  for (node_id id = 1; id < r.net().size(); ++id) {
    auto& t = per_layer[id];
    std::nth_element(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(t.size() / 2), t.end());
    median[id] = t[t.size() / 2];
  }
  return median;
}

/// The zoo network `spec`, or the network of the .onnx file `spec`.
network load(const std::string& spec) {
  if (spec.size() > 5 && spec.ends_with(".onnx")) {
#if defined(SYNERGY_BENCH_HAS_ONNX)
    return io::import_onnx(spec).net;
#else
    throw std::invalid_argument(spec + ": built without the ONNX importer");
#endif
  }
  return zoo::by_name(spec);
}

}  // namespace

int main(int argc, char** argv) try {
  run::backend be = run::backend::openblas;
  run::runner_options options;
  std::vector<std::unique_ptr<run::runner>> nets;
  run::configure_backends(1);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--backend" && i + 1 < argc) {
      be = run::backend_from_string(argv[++i]);
      continue;
    }
    if (a == "--fold") {
      options.fold_batch_norm = true;
      continue;
    }
    nets.push_back(std::make_unique<run::runner>(load(a), 1, options));
    const network& n = nets.back()->net();
    const auto by_type = n.by_layer_type();
    const std::int64_t conv_linear = by_type[layer_type::conv2d].cost.macs +
                                     by_type[layer_type::depthwise_conv2d].cost.macs +
                                     by_type[layer_type::fully_connected].cost.macs;
    std::printf("net %zu %s %zu %lld %lld\n", nets.size() - 1, a.c_str(), n.size(),
                static_cast<long long>(n.totals().macs), static_cast<long long>(conv_linear));
  }
  std::printf("ready\n");
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    std::size_t index = 0;
    int count = 0;
    in >> cmd;
    if (cmd == "quit") break;
    if ((cmd != "run" && cmd != "types" && cmd != "layers") || !(in >> index >> count) ||
        index >= nets.size() || count < 1) {
      std::fprintf(stderr,
                   "runner_latency: bad command '%s' (run <index> <n> | types <index> <n> | "
                   "layers <index> <n> | quit)\n",
                   line.c_str());
      return 2;
    }
    if (cmd == "layers") {
      run::runner& r = *nets[index];
      const std::vector<double> median = layer_medians(r, be, count);
      for (node_id id = 1; id < r.net().size(); ++id) {
        const shape3 in = r.net().output(r.net().inputs(id)[0]);
        std::printf("layer %s %s %lldx%lldx%lld %lld %.9f\n", std::string(r.net().name(id)).c_str(),
                    layer_class(r.net().at(id)).c_str(), static_cast<long long>(in.x),
                    static_cast<long long>(in.y), static_cast<long long>(in.z),
                    static_cast<long long>(r.net().cost(id).macs), median[id]);
      }
      std::printf("end\n");
      std::fflush(stdout);
      continue;
    }
    if (cmd == "types") {
      // Per layer the median over the n runs, summed per layer type.
      run::runner& r = *nets[index];
      const std::vector<double> median = layer_medians(r, be, count);
      std::vector<double> sum(layer_type_count, 0.0);
      std::vector<int> layers(layer_type_count, 0);
      for (node_id id = 1; id < r.net().size(); ++id) {
        const auto type = static_cast<std::size_t>(type_of(r.net().at(id)));
        sum[type] += median[id];
        ++layers[type];
      }
      for (std::size_t t = 0; t < sum.size(); ++t)
        if (layers[t] > 0)
          std::printf("type %s %d %.9f\n",
                      std::string(to_string(static_cast<layer_type>(t))).c_str(), layers[t],
                      sum[t]);
      std::printf("end\n");
      std::fflush(stdout);
      continue;
    }
    std::printf("times");
    for (int k = 0; k < count; ++k) {
      const double t0 = now_s();
      nets[index]->run(be);
      std::printf(" %.9f", now_s() - t0);
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "runner_latency: %s\n", e.what());
  return 2;
}
