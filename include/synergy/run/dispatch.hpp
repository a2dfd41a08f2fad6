#pragma once
/// @file
/// Which kernel runs each layer type: `layer_kernel<D>`, one specialisation per descriptor
/// type D, with its parameter initialisation and its forward pass, and the two visitors the
/// runner calls (`init_layer_params`, `forward_layer`).
///
/// Exhaustive by construction: the primary template stops compilation with a static_assert,
/// so a descriptor added to `synergy::layer` without a kernel here does not compile (the
/// compiler names `layer_kernel<that type>`), rather than silently running as a no-op
/// (tests/compile_fail/runner_layer_without_kernel.cpp checks this).

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "synergy/layers/layer.hpp"
#include "synergy/run/backend.hpp"
#include "synergy/run/kernels.hpp"
#include "synergy/run/matmul_kernel.hpp"
#include "synergy/run/tensor.hpp"

namespace synergy::run {

/// What a forward kernel reads and writes: the backend, the layer's parameters, its input
/// maps (in the network's edge order; one for all but eltwise, concat and matmul), its output map
/// (allocated with the layer's output shape) and the runner's scratch memory.
struct kernel_io {
  backend be;
  const layer_params& params;
  std::span<const tensor* const> inputs;
  tensor& output;
  workspace& ws;
};

namespace detail {
template <class>
inline constexpr bool no_kernel_for = false;

/// He-uniform bound √(6 / fan_in): keeps activations at their scale through deep ReLU stacks.
inline float he_bound(std::int64_t fan_in) {
  return static_cast<float>(std::sqrt(6.0 / static_cast<double>(fan_in)));
}
}  // namespace detail

/// The kernel of descriptor type D. A specialisation provides
/// `static void init(const D&, layer_params&, random_floats&)` (the layer's parameters,
/// drawn from the generator) and `static void forward(const D&, const kernel_io&)`.
/// The primary template is deliberately an error: every layer type needs its own kernel.
template <class D>
struct layer_kernel {
  static_assert(detail::no_kernel_for<D>,
                "synergy::run::layer_kernel<D>: no kernel for this layer type; specialise "
                "layer_kernel for it in synergy/run/dispatch.hpp");
};

/// A kernel for D: `layer_kernel<D>` has `init` and `forward` of the signatures above.
template <class D>
concept has_layer_kernel = requires(const D& d, layer_params& p, random_floats& r,
                                    const kernel_io& io) {
  { layer_kernel<D>::init(d, p, r) } -> std::same_as<void>;
  { layer_kernel<D>::forward(d, io) } -> std::same_as<void>;
};

/// Base of the kernels of layers without learned parameters (draws no random numbers).
struct no_params {
  template <class D>
  static void init(const D&, layer_params&, random_floats&) {}
};

/// Dropout, flatten and identity: the identity at inference (flatten keeps CHW order).
struct identity_kernel : no_params {
  template <class D>
  static void forward(const D&, const kernel_io& io) {
    std::copy(io.inputs[0]->data.begin(), io.inputs[0]->data.end(), io.output.data.begin());
  }
};

/// The network input (node 0): holds the image; the runner never runs it.
template <>
struct layer_kernel<input_layer> : no_params {
  static void forward(const input_layer&, const kernel_io&) {}
};

/// Convolution: He-uniform weights (M × C/g × Ky × Kx), bias ±0.01.
template <>
struct layer_kernel<conv2d> {
  static void init(const conv2d& d, layer_params& p, random_floats& r) {
    const std::int64_t fan_in = d.input.z / d.groups * d.kernel.x * d.kernel.y;
    p.weights.resize(detail::sz(d.out_channels * fan_in));
    r.fill(p.weights, detail::he_bound(fan_in));
    if (d.bias) p.bias.resize(detail::sz(d.out_channels)), r.fill(p.bias, 0.01f);
  }
  static void forward(const conv2d& d, const kernel_io& io) {
    conv2d_forward(io.be, d, io.params, *io.inputs[0], io.output, io.ws);
  }
};

/// Depthwise convolution: He-uniform weights (C·mult × Ky × Kx), bias ±0.01.
template <>
struct layer_kernel<depthwise_conv2d> {
  static void init(const depthwise_conv2d& d, layer_params& p, random_floats& r) {
    const std::int64_t oc = d.input.z * d.multiplier, fan_in = d.kernel.x * d.kernel.y;
    p.weights.resize(detail::sz(oc * fan_in));
    r.fill(p.weights, detail::he_bound(fan_in));
    if (d.bias) p.bias.resize(detail::sz(oc)), r.fill(p.bias, 0.01f);
  }
  static void forward(const depthwise_conv2d& d, const kernel_io& io) {
    depthwise_conv2d_forward(d, io.params, *io.inputs[0], io.output, io.ws);
  }
};

/// Fully connected: He-uniform weights (outputs × inputs), bias ±0.01.
template <>
struct layer_kernel<fully_connected> {
  static void init(const fully_connected& d, layer_params& p, random_floats& r) {
    const std::int64_t fan_in = d.input.elements();
    p.weights.resize(detail::sz(d.outputs * fan_in));
    r.fill(p.weights, detail::he_bound(fan_in));
    if (d.bias) p.bias.resize(detail::sz(d.outputs)), r.fill(p.bias, 0.01f);
  }
  static void forward(const fully_connected& d, const kernel_io& io) {
    fully_connected_forward(io.be, d, io.params, *io.inputs[0], io.output);
  }
};

/// Max and average pooling (one kernel template for both kinds).
template <pool_kind Kind>
struct layer_kernel<pool2d<Kind>> : no_params {
  static void forward(const pool2d<Kind>& d, const kernel_io& io) {
    pool2d_forward(d, *io.inputs[0], io.output);
  }
};

/// Batch norm, folded into y = x · mul + add: mean ±0.1, variance 1 ± 0.1, ε = 1e−5.
template <>
struct layer_kernel<batch_norm> {
  static void init(const batch_norm& d, layer_params& p, random_floats& r) {
    p.mul.resize(detail::sz(d.input.z));
    p.add.resize(detail::sz(d.input.z));
    for (std::size_t c = 0; c < p.mul.size(); ++c) {
      const float mean = r.uniform(0.1f), var = 1.0f + r.uniform(0.1f);
      p.mul[c] = 1.0f / std::sqrt(var + 1e-5f);
      p.add[c] = -mean * p.mul[c];
    }
  }
  static void forward(const batch_norm&, const kernel_io& io) {
    channel_affine_forward(io.params, *io.inputs[0], io.output);
  }
};

/// Scale: γ = 1 ± 0.1, β ±0.1 when `bias`.
template <>
struct layer_kernel<scale> {
  static void init(const scale& d, layer_params& p, random_floats& r) {
    p.mul.resize(detail::sz(d.input.z));
    for (auto& v : p.mul) v = 1.0f + r.uniform(0.1f);
    if (d.bias) p.add.resize(detail::sz(d.input.z)), r.fill(p.add, 0.1f);
  }
  static void forward(const scale&, const kernel_io& io) {
    channel_affine_forward(io.params, *io.inputs[0], io.output);
  }
};

/// Activations; PReLU gets its per-channel slope 0.25 (PyTorch's initial value).
template <>
struct layer_kernel<activation> {
  static void init(const activation& d, layer_params& p, random_floats&) {
    if (d.kind == activation_kind::prelu) p.mul.assign(detail::sz(d.input.z), 0.25f);
  }
  static void forward(const activation& d, const kernel_io& io) {
    activation_forward(d, io.params, *io.inputs[0], io.output);
  }
};

/// Local response normalisation (Caffe's α, β, k).
template <>
struct layer_kernel<lrn> : no_params {
  static void forward(const lrn& d, const kernel_io& io) {
    lrn_forward(d, *io.inputs[0], io.output);
  }
};

/// Element-wise sum, product or max of all inputs.
template <>
struct layer_kernel<eltwise> : no_params {
  static void forward(const eltwise& d, const kernel_io& io) {
    eltwise_forward(d, io.inputs, io.output);
  }
};

/// Channel concatenation of all inputs.
template <>
struct layer_kernel<concat> : no_params {
  static void forward(const concat&, const kernel_io& io) { concat_forward(io.inputs, io.output); }
};

/// Softmax over channels.
template <>
struct layer_kernel<softmax> : no_params {
  static void forward(const softmax&, const kernel_io& io) {
    softmax_forward(*io.inputs[0], io.output);
  }
};

/// Dropout: the identity at inference.
template <>
struct layer_kernel<dropout> : identity_kernel {};

/// Flatten: the identity on CHW data.
template <>
struct layer_kernel<flatten> : identity_kernel {};

/// Layer normalisation over channels (ε = 1e−6): γ = 1 ± 0.1, β ±0.1 when `affine`.
template <>
struct layer_kernel<layer_norm> {
  static void init(const layer_norm& d, layer_params& p, random_floats& r) {
    if (!d.affine) return;
    p.mul.resize(detail::sz(d.input.z));
    for (auto& v : p.mul) v = 1.0f + r.uniform(0.1f);
    p.add.resize(detail::sz(d.input.z));
    r.fill(p.add, 0.1f);
  }
  static void forward(const layer_norm&, const kernel_io& io) {
    layer_norm_forward(io.params, *io.inputs[0], io.output);
  }
};

/// Channel shuffle (torchvision's order).
template <>
struct layer_kernel<channel_shuffle> : no_params {
  static void forward(const channel_shuffle& d, const kernel_io& io) {
    channel_shuffle_forward(d, *io.inputs[0], io.output);
  }
};

/// Slice of one axis.
template <>
struct layer_kernel<slice> : no_params {
  static void forward(const slice& d, const kernel_io& io) {
    slice_forward(d, *io.inputs[0], io.output);
  }
};

/// Axis permutation (the identity permutation copies).
template <>
struct layer_kernel<transpose> : no_params {
  static void forward(const transpose& d, const kernel_io& io) {
    transpose_forward(d, *io.inputs[0], io.output);
  }
};

/// Zero padding of x and y.
template <>
struct layer_kernel<pad> : no_params {
  static void forward(const pad& d, const kernel_io& io) {
    pad_forward(d, *io.inputs[0], io.output);
  }
};

/// Identity (stochastic depth at inference): a copy, since every node has its own map here.
template <>
struct layer_kernel<identity> : identity_kernel {};

/// Opaque: an op without semantics cannot be run. The runner refuses a network holding one
/// at construction, naming the layer; this throws for any other caller.
template <>
struct layer_kernel<opaque> : no_params {
  [[noreturn]] static void forward(const opaque&, const kernel_io&) {
    throw std::invalid_argument(
        "synergy::run: an opaque layer (an op the library does not know) cannot be run");
  }
};

/// Batched product of two activations: inputs A then B (the network's edge order).
template <>
struct layer_kernel<matmul> : no_params {
  static void forward(const matmul& d, const kernel_io& io) {
    matmul_forward(io.be, d, *io.inputs[0], *io.inputs[1], io.output);
  }
};

/// Initialises the parameters of the layer held in `l` (any variant of descriptors, each with
/// a `layer_kernel`) from `r`; layers without parameters leave `p` empty and draw nothing.
template <class... Ds>
void init_layer_params(const std::variant<Ds...>& l, layer_params& p, random_floats& r) {
  std::visit([&](const auto& d) { layer_kernel<std::decay_t<decltype(d)>>::init(d, p, r); }, l);
}

/// Runs the kernel of the layer held in `l` (preconditions: see kernel_io).
template <class... Ds>
void forward_layer(const std::variant<Ds...>& l, const kernel_io& io) {
  std::visit([&](const auto& d) { layer_kernel<std::decay_t<decltype(d)>>::forward(d, io); }, l);
}

namespace detail {
template <class... Ds>
constexpr bool every_alternative_has_kernel(const std::variant<Ds...>*) {
  return (has_layer_kernel<Ds> && ...);
}
}  // namespace detail

// Checked here, not only where the runner instantiates the visitors: a descriptor added to
// synergy::layer without a kernel fails as soon as this header is included.
static_assert(detail::every_alternative_has_kernel(static_cast<const layer*>(nullptr)),
              "every alternative of synergy::layer needs a synergy::run::layer_kernel");

}  // namespace synergy::run
