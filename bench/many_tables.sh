#!/usr/bin/env bash
# Planning at scale: a config of N small tables (default 1,000) against the bundled emulator.
# Times, in one run and repeated, `validate` (no network), `tables` (one listing) and
# `run --dry-run` (the whole plan: listings, table details, destination checks), and prints
# per command: wall seconds, CPU seconds of the tool, API requests (emulator request log lines).
# Issue 9's targets: validate and planning < 1 s of CPU, --dry-run < 2 s wall at 1,000 tables.
#
#   bench/many_tables.sh [--tables 1000] [--reps 3]
#   bench/many_tables.sh --ci        (100 tables, one repetition: the CTest `bench`)
# Needs a built tree (scripts/build.sh; BUILD_DIR overrides build/), jq, GNU time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tables=1000 reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --tables) tables="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --ci) tables=100; reps=1; shift ;;
    *) sed -n '2,10p' "$0" >&2; exit 2 ;;
  esac
done
bench_setup jq /usr/bin/time

# Source project 1 (a reader token on in.c-many: N tables of one row), destination project 2
# (master) where every third table already exists, so the plan holds creates and replaces.
jq -n --argjson n "$tables" '
  def t($i): {name: "t\($i)", columns: ["id", "value"], rows: [["1", "a"]]};
  {regions: [{name: "eu-central-1", provider: "aws"}, {name: "us-east-1", provider: "aws"}],
   projects: [
     {id: 1, region: "eu-central-1", buckets: [{id: "in.c-many", tables: [range(0; $n) as $i | t($i)]}],
      tokens: [{token: "1-12-manyreadermanyreadermanyreader", bucketPermissions: {"in.c-many": "read"}}]},
     {id: 2, region: "us-east-1", buckets: [{id: "in.c-copy", tables: [range(0; $n; 3) as $i | t($i)]}],
      tokens: [{token: "2-21-manymastermanymastermanymaster", isMasterToken: true}]}]}' >"$work/seed.json"
start_emulator

export KBC_SOURCE_TOKEN="1-12-manyreadermanyreadermanyreader" KBC_DESTINATION_TOKEN="2-21-manymastermanymastermanymaster"
jq -n --arg s "$(jq -r '.regions["eu-central-1"]' "$work/ready.json")" --arg d "$(jq -r '.regions["us-east-1"]' "$work/ready.json")" \
  --argjson n "$tables" '{source: {url: $s, token: {env: "KBC_SOURCE_TOKEN"}},
    destination: {url: $d, token: {env: "KBC_DESTINATION_TOKEN"}, bucket: "in.c-copy"},
    tables: [range(0; $n) as $i | {name: "t\($i)"}]}' >"$work/config.json"


results="$work/results.tsv"
for rep in $(seq 1 "$reps"); do
  for case in validate tables dry-run; do
    case $case in
      validate) args=(validate "$work/config.json") ;;
      tables) args=(tables "$work/config.json") ;;
      dry-run) args=(run "$work/config.json" --dry-run) ;;
    esac
    before=$(request_lines)
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$extract" "${args[@]}" >"$work/out" 2>"$work/err" ||
      { echo "bench: $case failed:" >&2; tail -20 "$work/err" >&2; exit 1; }
    read -r wall user sys <"$work/time"
    after=$(request_lines)
    printf '%s\t%s\t%s\t%s\n' "$case" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$((after - before))" >>"$results"
  done
done
# The dry run must have planned every table: a bench that measures a short-cut is worthless.
planned=$(grep -c 'in\.c-copy\.t' "$work/out" || true)
[ "$planned" -ge "$tables" ] || { echo "bench: the dry run planned $planned of $tables tables" >&2; exit 1; }

printf '%d tables, %d repetition(s), medians\n' "$tables" "$reps"
printf '%-10s %8s %8s %9s\n' command wall_s cpu_s requests
for case in validate tables dry-run; do
  printf '%-10s %8s %8s %9s\n' "$case" \
    "$(awk -F'\t' -v c="$case" '$1 == c { print $2 }' "$results" | median)" \
    "$(awk -F'\t' -v c="$case" '$1 == c { print $3 }' "$results" | median)" \
    "$(awk -F'\t' -v c="$case" '$1 == c { print $4 }' "$results" | median)"
done
