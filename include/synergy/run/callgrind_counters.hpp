#pragma once
/// @file
/// A deterministic stand-in for hardware counters on machines without a PMU: the runner's
/// layers executed under Valgrind's callgrind with its cache simulator (`--cache-sim=yes`),
/// one dump per layer. Around each layer the counting pass zeroes callgrind's counts
/// (CALLGRIND_ZERO_STATS) and dumps them under the layer's label (CALLGRIND_DUMP_STATS_AT), so
/// that dump k holds layer k's costs alone. The dumps are then read back here.
///
/// What the simulated events stand in for (docs/counters.md):
///   - Ir (instructions executed) ↔ the PMU's instructions retired (exact count of the guest
///     code valgrind ran; no speculation);
///   - Dr, Dw (data reads and writes, each counted once whatever its width) ↔ memory
///     instructions (Arm MEM_ACCESS counts accesses too, but per beat);
///   - DLmr + DLmw + ILmr (last-level misses of the simulated LL cache) ↔ LLC misses, the
///     closest simulated quantity to the bus accesses of SyNERGY's TX1 model (BUS_ACCESS
///     also counts write-backs and coherency traffic, which callgrind does not model);
///   - no SIMD count: callgrind counts instructions, not their kind. The Ir of the GEMM kernel
///     (sgemm_kernel_*) stands in only loosely; the number of vector lanes, FP operations,
///     prefetchers, branch prediction and timing cannot be measured this way.
/// The cache geometry defaults to the Jetson TX1's Cortex-A57 (32 KiB 2-way L1D, 48 KiB 3-way
/// L1I, 2 MiB 16-way L2, 64 B lines; Cortex-A57 MPCore TRM r1p3 §1.3), so that the simulated
/// last level has the size of the paper's platform, not of this machine's.
/// Format of the dumps: Valgrind's "Callgrind Format Specification" (docs/callgrind-format):
/// header lines `events: Ir Dr …`, `desc: Trigger: Client Request: <label>`, and the costs
/// `summary:`/`totals:` (trailing zero costs may be omitted).

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define SYNERGY_HAS_CALLGRIND_H 1
#else
#define SYNERGY_HAS_CALLGRIND_H 0
#endif

#include "synergy/detail/text.hpp"
#include "synergy/errors.hpp"
#include "synergy/network.hpp"
#include "synergy/run/runner.hpp"

namespace synergy::run {

/// One callgrind dump file's header and cost totals.
struct callgrind_dump {
  std::string file;                   ///< path read
  std::string trigger;                ///< "Client Request: <label>", "Program termination", …
  std::vector<std::string> events;    ///< `events:` line, e.g. Ir Dr Dw I1mr D1mr D1mw ILmr …
  std::vector<std::uint64_t> totals;  ///< one per event (omitted trailing costs are 0)

  /// The label of a dump made by a client request, nullopt for other triggers.
  [[nodiscard]] std::optional<std::string> label() const {
    constexpr std::string_view prefix = "Client Request: ";
    if (trigger.rfind(prefix, 0) != 0) return std::nullopt;
    return trigger.substr(prefix.size());
  }
  /// Total of `event` (e.g. "Ir"), nullopt when the dump did not collect it (DLmr without
  /// --cache-sim=yes).
  [[nodiscard]] std::optional<std::uint64_t> count(std::string_view event) const {
    for (std::size_t i = 0; i < events.size(); ++i)
      if (events[i] == event) return totals[i];
    return std::nullopt;
  }
};

/// Reads one dump: the `events:` line, the trigger and the cost totals (`totals:`, the sum of
/// every cost line, else `summary:`). Throws `parse_error` naming the file and line for a
/// cost that is not a non-negative integer, more costs than events, costs before `events:`,
/// a second `events:` line, and for a file with no `events:` line or no totals.
[[nodiscard]] inline callgrind_dump read_callgrind_dump(const std::string& path) {
  const auto lines = synergy::read_lines(path);
  callgrind_dump d;
  d.file = path;
  std::optional<std::vector<std::uint64_t>> summary, totals;
  const auto costs = [&](std::string_view text, std::size_t line) {
    if (d.events.empty()) synergy::detail::fail(path, line, "costs before the 'events:' line");
    const auto tok = synergy::detail::tokens(text);
    if (tok.size() > d.events.size())
      synergy::detail::fail(
          path, line,
          std::to_string(tok.size()) + " costs for " + std::to_string(d.events.size()) + " events");
    std::vector<std::uint64_t> v(d.events.size(), 0);
    for (std::size_t i = 0; i < tok.size(); ++i) {
      std::uint64_t x = 0;
      const auto [p, ec] = std::from_chars(tok[i].data(), tok[i].data() + tok[i].size(), x);
      if (ec != std::errc{} || p != tok[i].data() + tok[i].size())
        synergy::detail::fail(
            path, line,
            "cost of " + d.events[i] + " '" + tok[i] + "' is not a non-negative integer");
      v[i] = x;
    }
    return v;
  };
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const std::string_view line = lines[l];
    const auto after = [&](std::string_view key) { return line.substr(key.size()); };
    if (line.rfind("events:", 0) == 0) {
      // One list per dump: costs read under the first would not match a second one.
      if (!d.events.empty()) synergy::detail::fail(path, l + 1, "a second 'events:' line");
      d.events = synergy::detail::tokens(after("events:"));
      if (d.events.empty()) synergy::detail::fail(path, l + 1, "'events:' names no event");
    } else if (line.rfind("desc: Trigger: ", 0) == 0) {
      d.trigger = std::string(after("desc: Trigger: "));
    } else if (line.rfind("summary:", 0) == 0) {
      summary = costs(after("summary:"), l + 1);
    } else if (line.rfind("totals:", 0) == 0) {
      totals = costs(after("totals:"), l + 1);
    }
  }
  if (d.events.empty()) synergy::detail::fail(path, 0, "no 'events:' line (not a callgrind dump?)");
  if (!totals && !summary) synergy::detail::fail(path, 0, "no 'totals:' or 'summary:' line");
  d.totals = totals ? *totals : *summary;
  return d;
}

/// Every dump in `dir` whose name starts with `prefix` ("callgrind.out" → callgrind.out.123,
/// callgrind.out.123.1, …), in natural name order. Throws as `read_callgrind_dump`, and
/// std::runtime_error naming `dir` when it holds no dump.
[[nodiscard]] inline std::vector<callgrind_dump> read_callgrind_dumps(
    const std::filesystem::path& dir, const std::string& prefix = "callgrind.out") {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) files.push_back(it->path());
  if (files.empty())
    throw std::runtime_error(dir.string() + ": no " + prefix + "* dump (did valgrind run?)");
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    const auto x = a.filename().string(), y = b.filename().string();
    return x.size() != y.size() ? x.size() < y.size() : x < y;
  });
  std::vector<callgrind_dump> out;
  for (const auto& f : files) out.push_back(read_callgrind_dump(f.string()));
  return out;
}

/// Simulated counts of one region (one layer), from one dump.
struct callgrind_counts {
  std::uint64_t instructions = 0;     ///< Ir
  std::uint64_t data_reads = 0;       ///< Dr
  std::uint64_t data_writes = 0;      ///< Dw
  std::uint64_t ll_read_misses = 0;   ///< DLmr: data reads missing the last level
  std::uint64_t ll_write_misses = 0;  ///< DLmw: data writes missing the last level
  std::uint64_t ll_instr_misses = 0;  ///< ILmr: instruction fetches missing the last level
  /// All last-level misses, DLmr + DLmw + ILmr (what stands in for LLC misses / bus accesses).
  [[nodiscard]] std::uint64_t llc_misses() const noexcept {
    return ll_read_misses + ll_write_misses + ll_instr_misses;
  }
};

/// The counts of a dump. Throws std::runtime_error naming the file when it lacks one of Ir,
/// Dr, Dw, DLmr, DLmw, ILmr (callgrind ran without --cache-sim=yes).
[[nodiscard]] inline callgrind_counts counts_of(const callgrind_dump& d) {
  const auto need = [&](std::string_view e) {
    const auto v = d.count(e);
    if (!v)
      throw std::runtime_error(d.file + ": no '" + std::string(e) +
                               "' event (run callgrind with --cache-sim=yes)");
    return *v;
  };
  return {need("Ir"), need("Dr"), need("Dw"), need("DLmr"), need("DLmw"), need("ILmr")};
}

/// The label the counting pass dumps layer `node` of network number `index` under:
/// "synergy <index> <network>/<layer>" (the index keeps two networks of one name apart).
[[nodiscard]] inline std::string callgrind_label(std::size_t index, std::string_view network,
                                                 std::string_view layer) {
  return "synergy " + std::to_string(index) + " " + std::string(network) + "/" + std::string(layer);
}

/// The counts of each label in `labels`, from the dumps with those labels (other dumps, e.g.
/// "Program termination", are ignored). Throws std::runtime_error naming a label that has no
/// dump, or two.
[[nodiscard]] inline std::vector<callgrind_counts> match_labels(
    const std::vector<callgrind_dump>& dumps, const std::vector<std::string>& labels) {
  std::map<std::string, const callgrind_dump*> by_label;
  for (const auto& d : dumps)
    if (const auto l = d.label()) {
      const auto [it, fresh] = by_label.try_emplace(*l, &d);
      if (!fresh)
        throw std::runtime_error("callgrind dumps " + it->second->file + " and " + d.file +
                                 " have the same label '" + *l + "'");
    }
  std::vector<callgrind_counts> out;
  for (const auto& l : labels) {
    const auto it = by_label.find(l);
    if (it == by_label.end())
      throw std::runtime_error("no callgrind dump labelled '" + l + "' (" +
                               std::to_string(dumps.size()) + " dumps read)");
    out.push_back(counts_of(*it->second));
  }
  return out;
}

/// Whether this process runs under Valgrind (RUNNING_ON_VALGRIND; false without
/// valgrind/callgrind.h). A few instructions natively: the client-request sequence is a
/// no-op outside Valgrind.
[[nodiscard]] inline bool running_on_valgrind() noexcept {
#if SYNERGY_HAS_CALLGRIND_H
  return RUNNING_ON_VALGRIND != 0;
#else
  return false;
#endif
}

/// Callgrind's cache geometry options for a counting pass (valgrind --I1/--D1/--LL). The
/// defaults are the Jetson TX1's Cortex-A57 (see the file comment).
struct callgrind_cache {
  std::string i1 = "49152,3,64";     ///< size B, associativity, line B
  std::string d1 = "32768,2,64";     ///< Cortex-A57 L1D
  std::string ll = "2097152,16,64";  ///< Cortex-A57 L2 (TX1: 2 MiB shared by 4 cores)
};

/// The valgrind command line (before the program's own arguments) that runs a counting pass
/// writing its dumps as `out_prefix`.N.
[[nodiscard]] inline std::vector<std::string> callgrind_command(const std::string& valgrind,
                                                                const std::string& out_prefix,
                                                                const callgrind_cache& c = {}) {
  return {valgrind,
          "--tool=callgrind",
          "--cache-sim=yes",
          "--I1=" + c.i1,
          "--D1=" + c.d1,
          "--LL=" + c.ll,
          "--callgrind-out-file=" + out_prefix};
}

/// The counting pass, run inside valgrind: every network of `nets` once on `be` (one round,
/// no warm-up), each layer between CALLGRIND_ZERO_STATS and CALLGRIND_DUMP_STATS_AT(its
/// `callgrind_label`). Returns the labels in order. Throws std::runtime_error when the
/// process is not running under valgrind (the dumps would silently not exist) or the
/// program was built without valgrind/callgrind.h.
inline std::vector<std::string> callgrind_count_pass(const std::vector<network>& nets, backend be,
                                                     std::uint64_t seed = 1) {
  if (!running_on_valgrind())
    throw std::runtime_error(
        "callgrind counting pass: not running under valgrind (start it through "
        "`valgrind --tool=callgrind`; synergy profile --counters callgrind does)");
  (void)configure_backends(1);
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < nets.size(); ++i) {
    runner r(nets[i], seed);
#if defined(__SSE__)
    const unsigned csr = _mm_getcsr();
    _mm_setcsr(csr | 0x8040);  // FTZ | DAZ, as the runner's timed runs
#endif
    for (node_id id = 1; id < nets[i].size(); ++id) {
      labels.push_back(callgrind_label(i, nets[i].name(), nets[i].name(id)));
#if SYNERGY_HAS_CALLGRIND_H
      CALLGRIND_ZERO_STATS;
      r.forward(be, id);
      CALLGRIND_DUMP_STATS_AT(labels.back().c_str());
#endif
    }
#if defined(__SSE__)
    _mm_setcsr(csr);
#endif
  }
  return labels;
}

/// The labels `callgrind_count_pass(nets, …)` dumps, in the same order, without running
/// anything (what the parent process matches the dumps against).
[[nodiscard]] inline std::vector<std::string> callgrind_labels(const std::vector<network>& nets) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < nets.size(); ++i)
    for (node_id id = 1; id < nets[i].size(); ++id)
      labels.push_back(callgrind_label(i, nets[i].name(), nets[i].name(id)));
  return labels;
}

}  // namespace synergy::run
