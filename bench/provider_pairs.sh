#!/usr/bin/env bash
# Copy throughput between every pair of file storage providers, measured in one run on this
# machine against the bundled emulator: a generated table of SIZE_MIB MiB of CSV in a project
# on each provider, copied by the real binary into a project on each provider. Prints, per
# pair, the gzip bytes moved, the copy's wall time (export job + transfer + import job) and
# the transfer rate the tool reported, plus peak RSS (GNU time).
#   bench/provider_pairs.sh [SIZE_MIB]      (default 64; needs a built tree: scripts/build.sh)
# With azurite installed (tests/peers, scripts/install-deps.sh) Azure joins the pairs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-64}"
extract="$here/build/kbc-storage-extract"
emulator="$here/build/emulator/kbc-storage-emulator"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

rows=$(( size_mib * 1024 * 1024 / 250 ))  # ~250 bytes a row
providers=(aws gcp)
declare -A region=([aws]=eu-central-1 [gcp]=europe-west3 [azure]=north-europe)
emulator_args=()
azurite="$here/tests/peers/node_modules/azurite/dist/src/blob/main.js"
if [ -f "$azurite" ] && "$emulator" --help 2>&1 | grep -q -- --azure-blob-endpoint; then
  node "$azurite" --blobHost 127.0.0.1 --blobPort 0 --location "$work/azurite" --silent --disableTelemetry \
    --skipApiVersionCheck --loose >"$work/azurite.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "listens on" "$work/azurite.log" && break; sleep 0.1; done
  azurite_url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/azurite.log" | head -1)
  emulator_args+=(--azure-blob-endpoint "$azurite_url/devstoreaccount1")
  providers+=(azure)
fi

# One project per provider, each with the generated table and a reader token.
jq -n --argjson rows "$rows" --arg providers "${providers[*]}" \
  --arg aws "${region[aws]}" --arg gcp "${region[gcp]}" --arg azure "${region[azure]}" '
  ($providers | split(" ")) as $p
  | {regions: [$p[] | {name: {aws: $aws, gcp: $gcp, azure: $azure}[.], provider: .}],
     projects: [range(0; $p | length) as $i | {
       id: ($i + 1), region: {aws: $aws, gcp: $gcp, azure: $azure}[$p[$i]],
       buckets: [{id: "in.c-bench", tables: [{name: "big", generate: {rows: $rows, seed: 5, columns: [
         {name: "id", kind: "seq"}, {name: "amount", kind: "decimal"}, {name: "day", kind: "date"},
         {name: "note", kind: "text", length: 200}]}}]}],
       tokens: [{token: "\($i + 1)-\($i + 1)1-benchmasterbenchmasterbenchmaster", isMasterToken: true},
                {token: "\($i + 1)-\($i + 1)2-benchreaderbenchreaderbenchreader", bucketPermissions: {"in.c-bench": "read"}}]}]}' \
  >"$work/seed.json"

"$emulator" --seed "$work/seed.json" --ready-file "$work/ready.json" --log-level warn "${emulator_args[@]}" \
  >"$work/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 3000); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
[ -s "$work/ready.json" ] || { echo "the emulator did not start:" >&2; cat "$work/emulator.log" >&2; exit 1; }
export AWS_ENDPOINT_URL_S3=$(jq -r .s3 "$work/ready.json")
export STORAGE_EMULATOR_HOST=$(jq -r .gcs "$work/ready.json")

printf '%-14s %10s %9s %12s %9s\n' "pair" "MiB moved" "seconds" "MiB/s (run)" "RSS MiB"
for from_index in "${!providers[@]}"; do
  for to_index in "${!providers[@]}"; do
    from=${providers[$from_index]} to=${providers[$to_index]}
    from_url=$(jq -r --arg r "${region[$from]}" '.regions[$r]' "$work/ready.json")
    to_url=$(jq -r --arg r "${region[$to]}" '.regions[$r]' "$work/ready.json")
    jq -n --arg s "$from_url" --arg d "$to_url" --arg b "in.c-from-$from" \
      '{source: {url: $s}, destination: {url: $d, bucket: $b}, tables: [{name: "big"}]}' >"$work/config.json"
    KBC_SOURCE_TOKEN="$((from_index + 1))-$((from_index + 1))2-benchreaderbenchreaderbenchreader" \
    KBC_DESTINATION_TOKEN="$((to_index + 1))-$((to_index + 1))1-benchmasterbenchmasterbenchmaster" \
      /usr/bin/time -f '%M' -o "$work/rss" "$extract" -q run "$work/config.json" --report "$work/report.json" >/dev/null
    jq -r --arg pair "$from->$to" --arg rss "$(( $(cat "$work/rss") / 1024 ))" \
      '.tables[0] | [$pair, (.bytes / 1048576 * 10 | round / 10), (.seconds * 10 | round / 10),
                     (.bytes / 1048576 / .seconds * 10 | round / 10), $rss] | @tsv' "$work/report.json" |
      awk -F'\t' '{ printf "%-14s %10s %9s %12s %9s\n", $1, $2, $3, $4, $5 }'
  done
done
