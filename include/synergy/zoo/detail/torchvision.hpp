#pragma once
/// @file
/// Pieces of the torchvision networks in their ONNX inference-graph layout (torch.onnx.export,
/// opset 13): BatchNorm folded into the convolution before it, layers named after the ONNX
/// nodes ("/features/features.0/features.0.0/Conv").

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "synergy/network.hpp"
#include "synergy/zoo/detail/names.hpp"

namespace synergy::zoo::detail {

/// The ONNX op that starts an activation as torch.onnx exports it at opset 13. The ONNX
/// importer names a layer fused from several nodes after the first of them, so the zoo names
/// its activations the same way: hard_swish = HardSigmoid → Mul, SiLU = Sigmoid → Mul, GELU =
/// Div → Erf → Add → Mul → Mul.
[[nodiscard]] constexpr std::string_view onnx_op_of(activation_kind k) {
  switch (k) {
    case activation_kind::relu:
      return "Relu";
    case activation_kind::relu6:
    case activation_kind::clip:
      return "Clip";
    case activation_kind::leaky_relu:
      return "LeakyRelu";
    case activation_kind::prelu:
      return "PRelu";
    case activation_kind::sigmoid:
    case activation_kind::silu:
      return "Sigmoid";
    case activation_kind::tanh:
      return "Tanh";
    case activation_kind::hard_sigmoid:
    case activation_kind::hard_swish:
      return "HardSigmoid";
    case activation_kind::gelu:
      return "Div";
  }
  return "?";
}

/// A k×k convolution to `out` channels, stride `s`, padding k/2, `groups` groups, with the bias
/// that folding the following BatchNorm leaves (torchvision's Conv2dNormActivation at export).
[[nodiscard]] constexpr conv2d folded_conv(std::int64_t out, std::int64_t k, std::int64_t s = 1,
                                           std::int64_t groups = 1) {
  return conv2d{.out_channels = out,
                .kernel = square(k),
                .stride = square(s),
                .padding = square(k / 2),
                .groups = groups,
                .bias = true};
}

/// A k×k depthwise convolution, stride `s`, padding k/2, with the folded BatchNorm's bias.
[[nodiscard]] constexpr depthwise_conv2d folded_dw(std::int64_t k, std::int64_t s = 1) {
  return depthwise_conv2d{
      .kernel = square(k), .stride = square(s), .padding = square(k / 2), .bias = true};
}

/// torchvision's Conv2dNormActivation number `index` of the module whose node-name prefix the
/// first `prefix` characters of `name` hold, its children called "<stem><index>" (stem
/// "features." or "block."): "<prefix>/<stem><i>/<stem><i>.0/Conv" (BatchNorm <stem><i>.1 folded
/// into it) and, when `act`, the activation "<prefix>/<stem><i>/<stem><i>.2/<op>". Uses `name`
/// as scratch. Returns the last node.
template <class Conv>
constexpr node_id conv_norm_act(network& n, name_buf& name, std::size_t prefix,
                                std::string_view stem, int index, const Conv& conv, bool act,
                                activation_kind kind, node_id from) {
  name.reset(prefix, "/", stem, index, "/", stem, index, ".");
  const std::size_t unit = name.size();
  const node_id c = n.add(name.reset(unit, "0/Conv"), conv, {from});
  if (!act) return c;
  return n.add(name.reset(unit, "2/", onnx_op_of(kind)), activation{.kind = kind}, {c});
}

/// torchvision's SqueezeExcitation applied to `x` (z channels), its node-name scope the first
/// `scope` characters of `name`: global average pooling "<scope>/avgpool/GlobalAveragePool",
/// "fc1/Conv" (1×1 to `squeeze`, bias), the activation `inner`, "fc2/Conv" (1×1 back to z,
/// bias), the gate `gate` ("scale_activation") and "<scope>/Mul", the 1×1×z gate times x,
/// broadcast over x and y (ONNX operand order: gate, then x). Uses `name` as scratch. Returns
/// the product.
constexpr node_id squeeze_excitation(network& n, name_buf& name, std::size_t scope, node_id x,
                                     std::int64_t squeeze, activation_kind inner,
                                     activation_kind gate) {
  const std::int64_t z = n.output(x).z;
  n.add(name.reset(scope, "/avgpool/GlobalAveragePool"), avg_pool2d{.global = true}, {x});
  n.add(name.reset(scope, "/fc1/Conv"), conv2d{.out_channels = squeeze, .kernel = square(1)});
  n.add(name.reset(scope, "/activation/", onnx_op_of(inner)), activation{.kind = inner});
  n.add(name.reset(scope, "/fc2/Conv"), conv2d{.out_channels = z, .kernel = square(1)});
  const node_id g =
      n.add(name.reset(scope, "/scale_activation/", onnx_op_of(gate)), activation{.kind = gate});
  return n.add(name.reset(scope, "/Mul"), eltwise{.op = eltwise_op::prod}, {g, x});
}

/// The classifier entry of most torchvision networks: "/avgpool/GlobalAveragePool" then
/// "/Flatten" (the view before the Linear, a node of the graph). Returns the flatten.
constexpr node_id pool_flatten(network& n, node_id from) {
  n.add("/avgpool/GlobalAveragePool", avg_pool2d{.global = true}, {from});
  return n.add("/Flatten", flatten{});
}

}  // namespace synergy::zoo::detail
