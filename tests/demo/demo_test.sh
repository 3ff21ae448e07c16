#!/usr/bin/env bash
# scripts/demo.sh runs twice in a row (idempotent) on free ports: its emulator is started with
# --port 0 and --ready-file, the configs it runs carry the ready file's URLs, and no listener
# takes the fixed ports of the README's manual walk-through.
set -euo pipefail
source_dir="$1"
demo_dir="$(mktemp -d)"
trap 'rm -rf "$demo_dir"' EXIT
export KBC_DEMO_SKIP_BUILD=1 KBC_DEMO_DIR="$demo_dir/demo"
for run in 1 2; do
  if ! "$source_dir/scripts/demo.sh" >"$demo_dir/out-$run.txt" 2>&1; then
    echo "demo run $run failed:"; cat "$demo_dir/out-$run.txt"; exit 1
  fi
  grep -q "The destination table in Warehouse GCP" "$demo_dir/out-$run.txt" ||
    { echo "demo run $run did not reach its end:"; cat "$demo_dir/out-$run.txt"; exit 1; }
  if grep -q "127.0.0.1:1808[0-4]" "$demo_dir/out-$run.txt" "$KBC_DEMO_DIR/config.json" "$KBC_DEMO_DIR/ready.json"; then
    echo "demo run $run used a fixed port:"; cat "$demo_dir/out-$run.txt"; exit 1
  fi
  jq -e '.source.url == (input.regions["eu-central-1"])' "$KBC_DEMO_DIR/config.json" "$KBC_DEMO_DIR/ready.json" >/dev/null ||
    { echo "demo run $run: its config does not point at its emulator"; exit 1; }
done
# The demo's emulator was stopped when the demo ended.
[ ! -f "$KBC_DEMO_DIR/emulator.pid" ] || { echo "the demo left its emulator running"; exit 1; }
echo "demo ran twice on free ports"
