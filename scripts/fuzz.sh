#!/usr/bin/env bash
# Builds (when needed) and runs the libFuzzer harnesses of tests/fuzz for a while each: first
# once on the saved regressions (tests/fuzz/regressions/<target>/), then fuzzing from the
# in-repo seeds (tests/fuzz/seeds/<target>/) and the shared data sets (tests/fuzz/corpora.txt).
# Prints each target's executions and whether it crashed. See docs/fuzzing.md.
#
#   scripts/fuzz.sh [-t SECONDS] [-r RUNS -s SEED] [-w WORKDIR] [-k] [TARGET...]
#     -t  seconds per target (default 20, or $SYNERGY_FUZZ_SECONDS)
#     -r  at most RUNS inputs per target; with -s SEED (libFuzzer's -seed) a run is
#         reproducible: the same inputs in the same order on every machine (what CI uses, so
#         that a red CI means a change broke something, not that the dice rolled differently)
#     -w  work folder for corpora, logs and crash inputs (default: a new folder under $TMPDIR);
#         kept when something crashed or with -k, removed otherwise
#     TARGET  run only these (e.g. fuzz_markers); default every target that was built
# Environment: SYNERGY_SHARED_DATA (default ../shared/data next to the repository),
# SYNERGY_FUZZ_BUILD (build folder, default build/fuzz), CXX (default clang++),
# SYNERGY_FUZZ_TIMEOUT (seconds one input may take before it counts as a hang, default 10;
# long runs at a low priority on a busy machine need more, e.g. 300: docs/fuzzing.md),
# ASAN_OPTIONS (default malloc_context_size=0, see below).
# Nothing is written into the repository (except the build folder) or the shared data.
# Exit status: 0 when nothing crashed, or when fuzzing cannot run here (no clang, no
# libFuzzer: a message says so); 1 when a target crashed; 2 on a usage or build error.
set -euo pipefail
# ASan keeps no allocation stacks: recording one per malloc took a quarter of the time
# (fuzz_onnx_binary 266 -> 384 inputs/s here). A crash report still shows where it failed;
# rerun the saved input with ASAN_OPTIONS= to see where the memory was allocated.
export ASAN_OPTIONS=${ASAN_OPTIONS-malloc_context_size=0}
timeout_s=${SYNERGY_FUZZ_TIMEOUT:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${SYNERGY_FUZZ_SECONDS:-20}
work=""
keep=0
runs=()
while getopts "t:r:s:w:kh" opt; do
  case $opt in
    t) seconds=$OPTARG ;;
    r) runs+=("-runs=$OPTARG") ;;
    s) runs+=("-seed=$OPTARG") ;;
    w) work=$OPTARG ;;
    k) keep=1 ;;
    h) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "fuzz.sh: -t wants whole seconds > 0" >&2; exit 2; }
[[ $timeout_s =~ ^[0-9]+$ && $timeout_s -gt 0 ]] || { echo "fuzz.sh: SYNERGY_FUZZ_TIMEOUT wants whole seconds > 0" >&2; exit 2; }

cxx=${CXX:-clang++}
build=${SYNERGY_FUZZ_BUILD:-$root/build/fuzz}
shared=${SYNERGY_SHARED_DATA:-$root/../shared/data}
fuzzdir=$root/tests/fuzz

# libFuzzer is clang's: without clang or its runtime there is nothing to run (skip, not fail).
if ! command -v "$cxx" >/dev/null || ! "$cxx" --version 2>/dev/null | grep -qi clang; then
  echo "fuzz.sh: SKIPPED: $cxx is not clang (libFuzzer needs clang; set CXX=clang++)"
  exit 0
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }\n' \
  >"$probe/p.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" 2>"$probe/err"; then
  echo "fuzz.sh: SKIPPED: clang's libFuzzer runtime is missing (Debian: libclang-rt-14-dev)"
  sed 's/^/  /' "$probe/err" | head -5
  exit 0
fi

echo "=== building the fuzzers in $build"
cmake -S "$fuzzdir" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" >"$probe/cmake.log" 2>&1 ||
  { cat "$probe/cmake.log"; exit 2; }
grep 'synergy fuzz:' "$probe/cmake.log" || true
cmake --build "$build" --target synergy_fuzzers -j "$(nproc)" || exit 2

if [[ $# -eq 0 ]]; then
  targets=()
  for f in "$fuzzdir"/fuzz_*.cpp; do
    t=$(basename "$f" .cpp)
    [[ -x $build/$t ]] && targets+=("$t")
  done
else
  targets=("$@")
fi

if [[ -z $work ]]; then work=$(mktemp -d "${TMPDIR:-/tmp}/synergy-fuzz.XXXXXX"); else mkdir -p "$work"; fi
work=$(cd "$work" && pwd)
case $work/ in "$root"/*)
  [[ $work/ == "$root"/build/* ]] || { echo "fuzz.sh: the work folder must not be inside the repository" >&2; exit 2; } ;;
esac
if [[ -d $shared ]]; then
  echo "=== seeds: tests/fuzz/seeds and $shared"
else
  echo "=== seeds: tests/fuzz/seeds only (shared data absent: $shared; its seeds skipped)"
  shared=""
fi

# seed TARGET CORPUS: copies the target's seeds into CORPUS.
seed() {
  local t=$1 corpus=$2 target how pattern f out n=0
  if [[ -d $fuzzdir/seeds/$t ]]; then cp -R "$fuzzdir/seeds/$t"/. "$corpus"/; fi
  [[ -n $shared ]] || return 0
  while read -r target how pattern; do
    [[ $target == "$t" ]] || continue
    for f in "$shared"/$pattern; do
      [[ -f $f ]] || continue
      n=$((n + 1))
      case $how in
        copy) cp "$f" "$corpus/shared_${n}_$(basename "$f")" ;;
        head) head -c 16384 "$f" >"$corpus/shared_${n}_$(basename "$f")" ;;
        # One reader that stops by itself: `grep | head` made grep die of SIGPIPE when head
        # left first, which pipefail turned into a failed CI run (exit 141).
        lines) awk '!/^[[:space:]]*$/ { print; if (++k == 64) exit }' "$f" |
          split -l 1 - "$corpus/shared_${n}_line_" ;;
        text)
          # Skipped without protoc or the schema: the binary seeds still reach fuzz_onnx_binary.
          out="$corpus/shared_${n}_$(basename "$f" .onnx).textproto"
          if command -v protoc >/dev/null && [[ -f /usr/include/onnx/onnx.proto ]]; then
            protoc --decode=onnx.ModelProto -I/usr/include/onnx /usr/include/onnx/onnx.proto \
              <"$f" >"$out" 2>/dev/null || rm -f "$out"
          fi ;;
        *) echo "fuzz.sh: corpora.txt: unknown way '$how'" >&2; exit 2 ;;
      esac
    done
  done < <(grep -v '^[[:space:]]*\(#\|$\)' "$fuzzdir/corpora.txt")
}

failed=()
printf '%-34s %12s %8s  %s\n' target executions seeds result
for t in "${targets[@]}"; do
  bin=$build/$t
  if [[ ! -x $bin ]]; then
    printf '%-34s %12s %8s  %s\n' "$t" - - "not built (its dependency is missing)"
    continue
  fi
  dir=$work/$t
  mkdir -p "$dir/corpus"
  result=ok
  # Saved crash inputs first: each must now be rejected cleanly.
  shopt -s nullglob
  regressions=("$fuzzdir/regressions/$t"/*)
  shopt -u nullglob
  if ((${#regressions[@]})) && ! "$bin" "${regressions[@]}" >"$dir/regressions.log" 2>&1; then
    result="CRASHED on a saved regression (see $dir/regressions.log)"
  fi
  seed "$t" "$dir/corpus"
  nseeds=$(find "$dir/corpus" -type f | wc -l)
  rc=0
  "$bin" "$dir/corpus" -max_total_time="$seconds" "${runs[@]}" -rss_limit_mb=2048 -timeout="$timeout_s" \
    -report_slow_units="$timeout_s" -print_final_stats=1 -artifact_prefix="$dir/" >"$dir/fuzz.log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -1)
  shopt -s nullglob
  artifacts=("$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$dir"/slow-unit-*)
  shopt -u nullglob
  if ((rc != 0 || ${#artifacts[@]})); then
    if [[ $result == ok ]]; then result=""; else result+="; "; fi
    result+="CRASHED (exit $rc): ${artifacts[*]:-no input saved} — log $dir/fuzz.log"
  fi
  [[ $result == ok ]] || failed+=("$t")
  printf '%-34s %12s %8s  %s\n' "$t" "${execs:-?}" "$nseeds" "$result"
done

if ((${#failed[@]})); then
  echo "fuzz.sh: FAILED: ${failed[*]} (inputs and logs kept in $work)"
  exit 1
fi
if ((keep)); then echo "fuzz.sh: all passed; work folder kept: $work"; else rm -rf "$work"; fi
echo "fuzz.sh: all ${#targets[@]} targets ran (at most ${seconds} s each${runs:+, ${runs[*]}}) without a crash"
