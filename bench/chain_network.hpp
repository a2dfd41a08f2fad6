#pragma once
// A synthetic network of `layers` layers for the benchmarks: repeated conv3x3 → batch_norm →
// ReLU on 28×28×64 (a ResNet-like body), so every layer has a real shape to infer and check.
#include <array>
#include <cstdint>
#include <string_view>
#include <synergy/network.hpp>

namespace bench {

constexpr synergy::network chain_network(int layers) {
  using namespace synergy;
  network n("chain", {28, 28, 64});
  for (int i = 0; i < layers; ++i) {
    std::array<char, 8> buf{'l'};
    std::size_t len = 1;
    for (int v = i, div = 1000; div > 0; div /= 10)
      buf[len++] = static_cast<char>('0' + v / div % 10);
    const std::string_view name(buf.data(), len);
    switch (i % 3) {
      case 0:
        n.add(name,
              conv2d{.out_channels = 64, .kernel = square(3), .padding = {1, 1}, .bias = false});
        break;
      case 1:
        n.add(name, batch_norm{.affine = true});
        break;
      default:
        n.add(name, activation{});
        break;
    }
  }
  return n;
}

/// MACs of chain_network(layers): one 28·28·64·9·64 = 28,901,376 per conv (every third layer).
constexpr std::int64_t chain_macs(int layers) { return (layers + 2) / 3 * 28'901'376LL; }

}  // namespace bench
