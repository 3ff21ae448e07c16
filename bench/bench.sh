#!/usr/bin/env bash
# The project's benchmark: generated tables of given sizes in the bundled emulator, and for each
# size, in the same run and repeated:
#   curl|curl  the table's exported gzip file streamed by `curl GET | curl PUT` into a file
#              prepared in the destination project (the same bytes the tool moves), the
#              wire's speed on this machine;
#   tool -pN   `kbc-storage-extract run` of that table (a replace) at --parallel N;
#   tables x4  four tables of a quarter of the size each, one run at --parallel 4.
# It prints one table: throughput of the gzip bytes (MiB/s), the ratio to curl|curl of the
# same repetition (transfer phase and whole run), peak RSS, CPU seconds, API calls (emulator
# request log lines: Storage API and S3) and seconds per phase (export job, transfer, import
# job, poll slack) from the run report. Each figure is the median over the repetitions.
#
#   bench/bench.sh [--sizes "64 256"] [--parallel "1 4"] [--reps 3] [--data DIR] [--tsv FILE] [--plots DIR]
#   bench/bench.sh --ci          (4 MiB, --parallel "1 2", one repetition: the CTest `bench`)
# --data DIR keeps the emulator's state, so the tables are generated once (the first run).
# --plots DIR renders this run's rows to PNG there (bench/plot.sh, gnuplot).
# Needs a built tree (scripts/build.sh; BUILD_DIR overrides build/), curl, jq, GNU time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sizes="64 256" parallels="1 4" reps=3 data="" tsv="" plots="" ci=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --parallel) parallels="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --tsv) tsv="$2"; shift 2 ;;
    --plots) plots="$2"; shift 2 ;;
    --ci) ci=1; sizes="4"; parallels="1 2"; reps=1; shift ;;
    *) sed -n '2,20p' "$0" >&2; exit 2 ;;
  esac
done
bench_setup curl jq /usr/bin/time

# Source project 1 (reader token on in.c-bench), destination project 2 (master), one region
# each, both on the emulator's S3. Per size S: table s<S> (S MiB of CSV) and q<S>_1..4 (S/4 each).
src_token="1-12-benchreaderbenchreaderbenchreader"
dst_token="2-21-benchmasterbenchmasterbenchmaster"
jq -n --arg sizes "$sizes" '
  def table($name; $mib; $seed): {name: $name, generate: {rows: ($mib * 1048576 / 250 | floor), seed: $seed, columns: [
    {name: "id", kind: "seq"}, {name: "amount", kind: "decimal"}, {name: "day", kind: "date"},
    {name: "note", kind: "text", length: 200}]}};
  ($sizes | split(" ") | map(select(. != "") | tonumber)) as $s
  | {regions: [{name: "eu-central-1", provider: "aws"}, {name: "us-east-1", provider: "aws"}],
     projects: [
       {id: 1, region: "eu-central-1", buckets: [{id: "in.c-bench", tables: (
          [$s[] as $m | table("s\($m)"; $m; 5)] + [$s[] as $m | range(1; 5) as $k | table("q\($m)_\($k)"; $m / 4; $k)])}],
        tokens: [{token: "1-11-benchmasterbenchmasterbenchmaster", isMasterToken: true},
                 {token: "1-12-benchreaderbenchreaderbenchreader", bucketPermissions: {"in.c-bench": "read"}}]},
       {id: 2, region: "us-east-1", buckets: [{id: "in.c-copy", tables: []}],
        tokens: [{token: "2-21-benchmasterbenchmasterbenchmaster", isMasterToken: true}]}]}' >"$work/seed.json"

data_args=()
[ -n "$data" ] && data_args=(--data "$data")
# --log-level info: one line a request (the API call count); job lines are not requests.
# Exports come as one object (no slicing below 16 GiB), so curl|curl copies what the tool copies.
start_emulator --slice-size 17179869184 "${data_args[@]}"
src_url=$(jq -r '.regions["eu-central-1"]' "$work/ready.json")
dst_url=$(jq -r '.regions["us-east-1"]' "$work/ready.json")
s3_url=$(jq -r .s3 "$work/ready.json")
export AWS_ENDPOINT_URL_S3="$s3_url"

api() {  # api URL TOKEN METHOD PATH [JSON]
  curl -sS --fail-with-body -X "$3" -H "X-StorageApi-Token: $2" -H 'Content-Type: application/json' \
    ${5:+--data "$5"} "$1/v2/storage/$4"
}
wait_job() {  # wait_job URL TOKEN JOB_ID
  local job
  while :; do
    job=$(api "$1" "$2" GET "jobs/$3")
    case $(jq -r .status <<<"$job") in success) echo "$job"; return ;; error) echo "$job" >&2; return 1 ;; esac
    sleep 0.05
  done
}

# curl|curl for table s<S>: export it (once), then per repetition stream the gzip file into a
# freshly prepared destination file. Prints "seconds bytes".
declare -A exported_url exported_size
export_once() {
  local size=$1 job file
  [ -n "${exported_url[$size]:-}" ] && return
  job=$(api "$src_url" "1-11-benchmasterbenchmasterbenchmaster" POST "tables/in.c-bench.s$size/export-async" '{"gzip":true}')
  job=$(wait_job "$src_url" "1-11-benchmasterbenchmasterbenchmaster" "$(jq -r .id <<<"$job")")
  file=$(api "$src_url" "1-11-benchmasterbenchmasterbenchmaster" GET "files/$(jq -r .results.file.id <<<"$job")?federationToken=1")
  [ "$(jq -r .isSliced <<<"$file")" = false ] || { echo "bench: s$size exported sliced; curl|curl copies one object" >&2; exit 1; }
  exported_url[$size]=$(jq -r .url <<<"$file")
  exported_size[$size]=$(jq -r .sizeBytes <<<"$file")
}
curl_pipe() {
  local size=$1 prepared bucket key region access session start end
  export_once "$size"
  prepared=$(api "$dst_url" "$dst_token" POST files/prepare \
    "$(jq -n --argjson n "${exported_size[$size]}" '{name: "curl.csv.gz", sizeBytes: $n, federationToken: true}')")
  bucket=$(jq -r .uploadParams.bucket <<<"$prepared") key=$(jq -r .uploadParams.key <<<"$prepared")
  region=$(jq -r .region <<<"$prepared")
  access=$(jq -r '.uploadParams.credentials | "\(.AccessKeyId):\(.SecretAccessKey)"' <<<"$prepared")
  session=$(jq -r .uploadParams.credentials.SessionToken <<<"$prepared")
  start=$(date +%s.%N)
  curl -sS --fail "${exported_url[$size]}" |
    curl -sS --fail -o /dev/null -T - -X PUT --aws-sigv4 "aws:amz:$region:s3" -u "$access" \
      -H "x-amz-security-token: $session" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
      -H "Content-Length: ${exported_size[$size]}" -H "Expect:" "$s3_url/$bucket/$key"
  end=$(date +%s.%N)
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') ${exported_size[$size]}"
}

# One tool run of the tables named in $2 (JSON array of names) at --parallel $3. Prints
# "wall transfer bytes rss_mib cpu_s calls export transfer import slack" (phases: sums over
# the tables; transfer: the longest, the tables' copies overlap).
tool_run() {
  local label=$1 tables=$2 parallel=$3 before after
  jq -n --arg s "$src_url" --arg d "$dst_url" --argjson t "$tables" \
    '{source: {url: $s}, destination: {url: $d, bucket: "in.c-copy"}, tables: [$t[] | {name: ., incremental: false}]}' \
    >"$work/config.json"
  before=$(request_lines)
  KBC_SOURCE_TOKEN="$src_token" KBC_DESTINATION_TOKEN="$dst_token" \
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" \
    "$extract" -q run "$work/config.json" --parallel "$parallel" --report "$work/report.json" >/dev/null
  sleep 0.3  # the emulator logs a request just after answering it
  after=$(request_lines)
  jq -e '[.tables[] | select(.status != "ok")] | length == 0' "$work/report.json" >/dev/null ||
    { echo "bench: $label failed:" >&2; cat "$work/report.json" >&2; exit 1; }
  read -r wall rss user sys <"$work/time"
  jq -r --arg wall "$wall" --arg rss "$rss" --arg cpu "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" --arg calls "$((after - before))" '
    [.tables[] | .phases] as $p
    | [$wall, ([$p[].transfer] | max), ([.tables[].bytes] | add), ($rss | tonumber / 1024), $cpu, $calls,
       ([$p[].exportJob] | add), ([$p[].transfer] | add), ([$p[].importJob] | add), ([$p[].pollSlack] | add)] | @tsv' \
    "$work/report.json"
}

results="$work/results.tsv"
: >"$results"
for size in $sizes; do
  for rep in $(seq 1 "$reps"); do
    curl_row=$(curl_pipe "$size") || exit 1
    read -r curl_s curl_bytes <<<"$curl_row"
    printf '%s\tcurl|curl\t%s\t%s\t%s\t%s\t-\t-\t-\t-\t-\t-\t-\t%s\t%s\n' \
      "$size" "$rep" "$curl_s" "$curl_s" "$curl_bytes" "$curl_s" "$curl_bytes" >>"$results"
    for p in $parallels; do
      row=$(tool_run "tool -p$p" "[\"s$size\"]" "$p") || exit 1
      printf '%s\ttool -p%s\t%s\t%s\t%s\t%s\n' "$size" "$p" "$rep" "$row" "$curl_s" "$curl_bytes" >>"$results"
    done
    row=$(tool_run "tables x4" "[\"q${size}_1\",\"q${size}_2\",\"q${size}_3\",\"q${size}_4\"]" 4) || exit 1
    printf '%s\ttables x4 -p4\t%s\t%s\t%s\t%s\n' "$size" "$rep" "$row" "$curl_s" "$curl_bytes" >>"$results"
  done
done
# results.tsv: size case rep wall transfer bytes rss cpu calls export transfer_sum import slack curl_s curl_bytes
[ -n "$tsv" ] && cp "$results" "$tsv"
[ -n "$plots" ] && "$(dirname "${BASH_SOURCE[0]}")/plot.sh" "$results" "$plots" >&2

printf '%-6s %-14s %9s %8s %8s %7s %7s %6s %6s %7s %7s %7s %6s\n' \
  "MiB" "case" "MiB/s" "x curl" "run x" "RSS MiB" "CPU s" "calls" "wall s" "export" "xfer" "import" "slack"
for size in $sizes; do
  for case in "curl|curl" $(for p in $parallels; do echo "tool -p$p"; done | tr ' ' '_') "tables_x4_-p4"; do
    name=${case//_/ }
    awk -F'\t' -v s="$size" -v c="$name" '$1 == s && $2 == c' "$results" >"$work/case.tsv"
    [ -s "$work/case.tsv" ] || continue
    col() { cut -f"$1" "$work/case.tsv" | median; }
    bytes=$(col 6) transfer=$(col 5) wall=$(col 4)
    rate=$(awk -v b="$bytes" -v t="$transfer" 'BEGIN { printf "%.0f", (t > 0 ? b / 1048576 / t : 0) }')
    # Rates, not seconds: "tables x4" moves four other tables' bytes.
    ratio=$(awk -F'\t' '{ print (($5 > 0 && $14 > 0) ? ($6 / $5) / ($15 / $14) : 0) }' "$work/case.tsv" | median)
    run_ratio=$(awk -F'\t' '{ print (($4 > 0 && $14 > 0) ? ($6 / $4) / ($15 / $14) : 0) }' "$work/case.tsv" | median)
    if [ "$name" = "curl|curl" ]; then
      printf '%-6s %-14s %9s %8s %8s %7s %7s %6s %6.2f %7s %7s %7s %6s\n' "$size" "$name" "$rate" "1.00" "-" "-" "-" "-" "$wall" "-" "-" "-" "-"
    else
      printf '%-6s %-14s %9s %8.2f %8.2f %7.1f %7.2f %6.0f %6.2f %7.2f %7.2f %7.2f %6.2f\n' "$size" "$name" "$rate" "$ratio" "$run_ratio" \
        "$(col 7)" "$(col 8)" "$(col 9)" "$wall" "$(col 10)" "$(col 11)" "$(col 12)" "$(col 13)"
    fi
  done
done
echo "MiB/s: gzip bytes moved / transfer phase (curl|curl: its whole pipe). x curl: that rate over curl|curl's of the"
echo "same repetition; run x: the same for the tool's whole run (export and import jobs included). Medians of $reps."
