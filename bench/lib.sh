# Sourced by the bench scripts: the built binaries, a work folder removed at exit, the bundled
# emulator started from "$work/seed.json" (and stopped at exit), and helpers.
#   bench_setup TOOL...            needs TOOL on PATH and a built tree; sets $extract, $emulator, $work
#   start_emulator [ARG...]        the emulator with --log-level info (a line per request) and ARGs
#   request_lines                  requests the emulator logged so far (Storage API and S3)
#   median                         the median of the numbers on stdin
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$here/build}"
extract="${KBC_EXTRACT_BIN:-$build/kbc-storage-extract}"
emulator="${KBC_EMULATOR_BIN:-$build/emulator/kbc-storage-emulator}"
emulator_pid=""

bench_setup() {
  for tool in "$@"; do command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 1; }; done
  [ -x "$extract" ] && [ -x "$emulator" ] || { echo "bench: build first (scripts/build.sh)" >&2; exit 1; }
  work="$(mktemp -d)"
  trap bench_cleanup EXIT
}

bench_cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

start_emulator() {
  "$emulator" --seed "$work/seed.json" --ready-file "$work/ready.json" --log-level info "$@" >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 6000); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
  [ -s "$work/ready.json" ] || { echo "bench: the emulator did not start:" >&2; tail -20 "$work/emulator.log" >&2; exit 1; }
}

request_lines() { grep -cE ' (GET|HEAD|POST|PUT|DELETE) /' "$work/emulator.log" || true; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
