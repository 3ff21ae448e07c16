#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/, docs/fuzzing.md) into build-fuzz/ with clang, then run
# each in turn: one process, one job, so it fits beside other work on a 2-core machine. Fails on
# the first crash, UB report, leak, timeout or broken promise; the input is kept in
# build-fuzz/findings/ with the command that replays it.
#   scripts/fuzz.sh                  short run (CI): seed 1, a fixed number of inputs per target
#   scripts/fuzz.sh --seconds 3600   long run: an hour per target, a random seed, new inputs kept
#                                    in build-fuzz/corpus/<target> for the next long run
#   --target NAME (repeatable), --seed N, and libFuzzer flags after "--"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$here/build-fuzz"
all_targets=(config storage_api manifest storage_error values)
json_targets=" config storage_api manifest storage_error "   # these also get fuzz/dict/json.dict
# The short run tries the same inputs every time (fixed seed, fixed count, the committed corpus
# only), so it passes or fails the same way for the same code on any machine. The counts keep
# each target at ~6 s on our 2-core machines (their speeds differ 10x: storage_error parses
# each body four times and masks every message); the cap only guards a much slower machine.
declare -A short_runs=([config]=30000 [storage_api]=60000 [manifest]=75000 [storage_error]=10000 [values]=100000)
short_cap_seconds=60

seconds=""; seed=""; targets=(); extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "fuzz.sh: unknown option $1 (use --seconds N, --seed N, --target NAME, -- FLAGS)" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

"$here/scripts/install-deps.sh" --fuzz
cxx="$(command -v clang++-14 || command -v clang++ || true)"
[ -n "$cxx" ] || { echo "fuzz.sh: clang++ not found (scripts/install-deps.sh installs clang-14)" >&2; exit 1; }
# Stack traces of a finding name functions and lines.
[ -x /usr/bin/llvm-symbolizer-14 ] && export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Fuzz \
  -DKBC_FUZZ=ON -DKBC_BUILD_TESTS=OFF -DKBC_WERROR=ON >/dev/null
cmake --build "$build_dir" --target fuzzers --parallel "$(nproc)"

mkdir -p "$build_dir/findings" "$build_dir/logs" "$build_dir/dict"
failed=0
for target in "${targets[@]}"; do
  binary="$build_dir/fuzz/${target}_fuzzer"
  [ -x "$binary" ] || { echo "fuzz.sh: no target $target (have: ${all_targets[*]})" >&2; exit 2; }
  dict="$build_dir/dict/$target.dict"
  { [[ "$json_targets" == *" $target "* ]] && cat "$here/fuzz/dict/json.dict"
    [ -f "$here/fuzz/dict/$target.dict" ] && cat "$here/fuzz/dict/$target.dict"; true; } > "$dict"
  if [ -n "$seconds" ]; then
    # New inputs go to a corpus of the build dir that the next long run starts from too.
    work="$build_dir/corpus/$target"; mkdir -p "$work"
    flags=(-max_total_time="$seconds" -seed="${seed:-0}")
  else
    # New inputs go to a scratch dir, so the committed corpus and the next run stay the same.
    # -use_cmp=0: mutations from compared values would take pointers among them, which differ
    # with each run's address layout, and the same seed would no longer give the same inputs.
    work="$build_dir/scratch/$target"; rm -rf "$work"; mkdir -p "$work"
    flags=(-runs="${short_runs[$target]}" -max_total_time="$short_cap_seconds" -seed="${seed:-1}" -use_cmp=0 -reload=0)
  fi
  [ -s "$dict" ] && flags+=(-dict="$dict")
  log="$build_dir/logs/$target.log"
  start=$(date +%s)
  if "$binary" "${flags[@]}" -timeout=10 -print_final_stats=1 -artifact_prefix="$build_dir/findings/$target-" \
       "${extra[@]}" "$work" "$here/fuzz/corpus/$target" >"$log" 2>&1; then
    echo "fuzz: $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log" | tail -1) ($(( $(date +%s) - start )) s), no finding"
  else
    failed=1
    echo "fuzz: $target FAILED; the end of $log:" >&2
    tail -40 "$log" >&2
    finding="$(grep -o "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')"
    [ -n "$finding" ] && echo "fuzz: replay with: $binary $finding" >&2
    break
  fi
done
exit "$failed"
