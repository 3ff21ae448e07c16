#!/usr/bin/env bash
# The README's first command: install what is needed, build, start the bundled Storage API
# emulator with three demo projects in three regions (two on AWS S3, one on Google Cloud
# Storage), copy the configured tables from one to another, change the source, copy again
# incrementally so that only the changes move, then copy AWS -> GCP.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# The test "demo: ..." runs this script with KBC_DEMO_SKIP_BUILD=1, its own binaries
# (KBC_EXTRACT_BIN, KBC_EMULATOR_BIN) and its own KBC_DEMO_DIR.
if [ -z "${KBC_DEMO_SKIP_BUILD:-}" ]; then
  "$here/scripts/install-deps.sh"
  BUILD_DIR="$here/build" "$here/scripts/build.sh"
fi

extract="${KBC_EXTRACT_BIN:-$here/build/kbc-storage-extract}"
emulator="${KBC_EMULATOR_BIN:-$here/build/emulator/kbc-storage-emulator}"
seed="examples/emulator/demo-seed.json"
demo="${KBC_DEMO_DIR:-$here/.demo}"
# Every listener of the emulator takes a free port (--port 0); the demo reads them from its
# ready file and writes the configs it runs into $demo with those URLs.
config="$demo/config.json"
config_gcp="$demo/config-gcp.json"

# A previous demo's emulator (if still running) is stopped first: the demo is idempotent.
if [ -f "$demo/emulator.pid" ]; then
  old_pid=$(cat "$demo/emulator.pid")
  kill "$old_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$old_pid" 2>/dev/null || break; sleep 0.1; done
fi
rm -rf "$demo"; mkdir -p "$demo"

"$emulator" --seed "$seed" --port 0 --ready-file "$demo/ready.json" --log-level warn \
  >"$demo/emulator.log" 2>&1 &
emulator_pid=$!
echo "$emulator_pid" >"$demo/emulator.pid"
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -f "$demo/emulator.pid"' EXIT
# The ready file appears (written atomically) once every listener accepts connections.
for _ in $(seq 1 300); do
  [ -s "$demo/ready.json" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { echo "demo: the emulator did not start:" >&2; cat "$demo/emulator.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$demo/ready.json" ] || { echo "demo: the emulator was not ready within 30 s" >&2; exit 1; }

# The example configs with the emulator's URLs (their layout kept): Sales EU (eu-central-1)
# into Analytics US (us-east-1), and into Warehouse GCP (europe-west3).
with_urls() {  # EXAMPLE SOURCE_REGION DESTINATION_REGION
  local source destination
  source=$(jq -r --arg r "$2" '.regions[$r]' "$demo/ready.json")
  destination=$(jq -r --arg r "$3" '.regions[$r]' "$demo/ready.json")
  sed -e "/\"source\"/ s|\"url\": *\"[^\"]*\"|\"url\": \"$source\"|" \
      -e "/\"destination\"/ s|\"url\": *\"[^\"]*\"|\"url\": \"$destination\"|" "$1"
}
with_urls examples/emulator/config.json eu-central-1 us-east-1 >"$config"
with_urls examples/emulator/config-gcp.json eu-central-1 europe-west3 >"$config_gcp"

source_url=$(jq -r '.regions["eu-central-1"]' "$demo/ready.json")
s3_url=$(jq -r '.s3' "$demo/ready.json")
gcs_url=$(jq -r '.gcs' "$demo/ready.json")
# The demo seed's fixed tokens: a read-only token on in.c-sales of "Sales EU" (eu-central-1) and
# a token that can manage buckets in "Analytics US" (us-east-1).
export KBC_SOURCE_TOKEN=1-102-DemoSalesEuReadOnlySalesBucket0000000000
export KBC_DESTINATION_TOKEN=2-202-DemoAnalyticsUsManageBuckets000000000000
source_master=1-101-DemoSalesEuMasterToken000000000000000000
export AWS_ENDPOINT_URL_S3="$s3_url"    # file storage is the emulator's S3 endpoint, not AWS
export STORAGE_EMULATOR_HOST="$gcs_url"  # and its GCS endpoint, not Google's

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "The emulator runs three projects in three regions (AWS, AWS, GCP)" cat "$demo/ready.json"
step "The configuration" cat "$config"
step "Tables the source token can read" "$extract" tables "$config"
step "The plan (writes nothing)" "$extract" run "$config" --dry-run
step "Copy: orders (upsert by id) and customers (full load) into in.c-from-eu" \
  "$extract" run "$config" --report "$demo/report-1.json"

# Someone changes the source: 3 orders change status and 5 orders are new. The change goes
# through the Storage API like any client's: files/prepare, a signed S3 upload, import-async.
sleep 1
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1
{
  echo 'id,customer_id,amount,status'
  for id in 1 2 3; do echo "$id,1,10.00,refunded"; done
  for id in 2001 2002 2003 2004 2005; do echo "$id,7,42.00,new"; done
} >"$demo/changes.csv"
api() { curl -sS --fail-with-body -H "X-StorageApi-Token: $source_master" -H 'Content-Type: application/json' "$@"; }
prepared=$(api -X POST "$source_url/v2/storage/files/prepare" \
  -d "{\"name\":\"changes.csv\",\"federationToken\":true,\"sizeBytes\":$(stat -c %s "$demo/changes.csv")}")
field() { jq -r "$1" <<<"$prepared"; }
curl -sS --fail-with-body -o /dev/null --aws-sigv4 "aws:amz:$(field .region):s3" \
  --user "$(field .uploadParams.credentials.AccessKeyId):$(field .uploadParams.credentials.SecretAccessKey)" \
  -H "x-amz-security-token: $(field .uploadParams.credentials.SessionToken)" \
  -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
  -T "$demo/changes.csv" "$s3_url/$(field .uploadParams.bucket)/$(field .uploadParams.key)"
job=$(api -X POST "$source_url/v2/storage/tables/in.c-sales.orders/import-async" \
  -d "{\"dataFileId\":$(field .id),\"incremental\":true}" | jq -r .id)
for _ in $(seq 1 100); do
  status=$(api "$source_url/v2/storage/jobs/$job" | jq -r .status)
  [ "$status" = success ] && break
  [ "$status" = error ] && { echo "demo: changing the source failed" >&2; exit 1; }
  sleep 0.1
done
printf '\n\033[1m== The source changed at %s: orders 1-3 refunded, orders 2001-2005 new\033[0m\n' "$since"

step "Copy again, incrementally: only rows changed since then move (8 rows, upserted by id)" \
  "$extract" run "$config" --table orders --changed-since "$since" --report "$demo/report-2.json"

destination_url=$(jq -r '.regions["us-east-1"]' "$demo/ready.json")
show_destination_table() {
  curl -sS -H "X-StorageApi-Token: $KBC_DESTINATION_TOKEN" "$destination_url/v2/storage/tables/in.c-from-eu.orders" |
    jq '{id, rowsCount, primaryKey, lastImportDate}'
}
step "The destination table in Analytics US (us-east-1): 2000 rows + 5 new" show_destination_table

# Across providers: the same source tables into the project on Google Cloud Storage.
gcp_url=$(jq -r '.regions["europe-west3"]' "$demo/ready.json")
step "Copy across providers: AWS S3 (eu-central-1) -> Google Cloud Storage (europe-west3)" \
  env KBC_DESTINATION_TOKEN=3-302-DemoWarehouseGcpManageBuckets0000000000 \
  "$extract" run "$config_gcp" --report "$demo/report-3.json"
show_gcp_table() {
  curl -sS -H "X-StorageApi-Token: 3-301-DemoWarehouseGcpMasterToken000000000000" \
    "$gcp_url/v2/storage/tables/in.c-from-aws.orders" | jq '{id, rowsCount, primaryKey}'
}
step "The destination table in Warehouse GCP (europe-west3)" show_gcp_table
printf '\nReports: %s, %s and %s\n' "$demo/report-1.json" "$demo/report-2.json" "$demo/report-3.json"
