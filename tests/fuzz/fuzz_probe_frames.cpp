// libFuzzer harness: the ARM Energy Probe's frame decoder (synergy::sources::aep_decoder,
// include/synergy/sources/serial/arm_energy_probe.hpp) — the bytes a probe streams after START.
// Input layout: bytes 0–2 the field masks of channels 0–2 (any byte: masks above 7 must be
// rejected), bytes 3–5 their shunts (0 → 0 Ω, 253 → +inf, 254 → −0.01 Ω, 255 → NaN, else
// byte/1000 Ω), byte 6 the size of the pieces the stream is fed in (1–256 bytes), then the
// stream. Documented rejection: std::invalid_argument from the constructor. Checked promises
// for an accepted configuration: one frame per frame_bytes() bytes whatever the split, each
// with fields_per_frame() finite non-negative values, indexes rising by 1 to 65536 (the
// unwrapped 16-bit counter).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>

#include "fuzz_support.hpp"
#include "synergy/sources/serial/arm_energy_probe.hpp"

namespace {

double shunt_of(std::uint8_t b) {
  switch (b) {
    case 253:
      return std::numeric_limits<double>::infinity();
    case 254:
      return -0.01;
    case 255:
      return std::numeric_limits<double>::quiet_NaN();
    default:
      return b / 1000.0;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace s = synergy::sources;
  using synergy_fuzz::require;
  constexpr std::size_t header = 7;
  if (size < header) return 0;
  const std::array<std::uint8_t, s::aep::channels> fields{data[0], data[1], data[2]};
  const std::array<double, s::aep::channels> shunts{shunt_of(data[3]), shunt_of(data[4]),
                                                    shunt_of(data[5])};
  const std::size_t piece = std::size_t{data[6]} + 1;
  const std::span<const std::uint8_t> stream(data + header, size - header);
  synergy_fuzz::accept<std::invalid_argument>([&] {
    s::aep_decoder decoder(fields, shunts);
    std::size_t frames = 0;
    std::uint64_t last = 0;
    const auto sink = [&](std::uint64_t index, std::span<const double> values) {
      require(values.size() == decoder.fields_per_frame(), "frame has the wrong number of values");
      for (const double v : values) require(std::isfinite(v) && v >= 0, "value not finite or < 0");
      if (frames > 0)
        require(index > last && index - last <= 65536, "index does not rise by 1 to 65536");
      last = index;
      ++frames;
    };
    for (std::size_t at = 0; at < stream.size(); at += piece)
      decoder.feed(stream.subspan(at, std::min(piece, stream.size() - at)), sink);
    require(frames == stream.size() / decoder.frame_bytes(), "frames lost or invented");
  });
  return 0;
}
