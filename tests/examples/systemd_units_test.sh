#!/usr/bin/env bash
# examples/systemd: the service and timer through `systemd-analyze verify` (every directive
# known and well-formed, the ExecStart program executable: the built binary stands in for the
# installed one), the timer's calendar through `systemd-analyze calendar`, and the service's
# hardening through `systemd-analyze security --offline` (exposure at most 2.0, "OK").
# No systemd needs to run: all three read the unit files only.
set -euo pipefail
source_dir="$1"
extract="$2"
units="$source_dir/examples/systemd"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is missing: scripts/install-deps.sh installs it (package systemd)"; exit 1; }

# An instance of the templates, with the built binary where the installed one would be.
sed "s|/usr/local/bin/kbc-storage-extract|$extract|" "$units/kbc-storage-extract@.service" >"$work/kbc-storage-extract@demo.service"
cp "$units/kbc-storage-extract@.timer" "$work/kbc-storage-extract@demo.timer"
grep -q "^ExecStart=$extract " "$work/kbc-storage-extract@demo.service" || { echo "ExecStart does not run kbc-storage-extract"; exit 1; }

# verify exits 0 on unknown keys (it only warns): any output at all is a failure here.
# --man=no: the man page named in Documentation= is not installed in a build tree.
if ! out=$(cd "$work" && systemd-analyze verify --man=no ./kbc-storage-extract@demo.service ./kbc-storage-extract@demo.timer 2>&1) || [ -n "$out" ]; then
  echo "systemd-analyze verify:"; echo "$out"; exit 1
fi

calendar=$(sed -n 's/^OnCalendar=//p' "$work/kbc-storage-extract@demo.timer")
systemd-analyze calendar "$calendar" >/dev/null || { echo "OnCalendar=$calendar is not a calendar spec"; exit 1; }

# The flags of ExecStart exist in the binary.
for flag in $(sed -n 's/^ExecStart=//p' "$work/kbc-storage-extract@demo.service" | grep -o -- '--[a-z-]*'); do
  "$extract" run --help | grep -q -- "$flag" || "$extract" --help | grep -q -- "$flag" ||
    { echo "ExecStart passes $flag, which kbc-storage-extract does not have"; exit 1; }
done
grep -q '^EnvironmentFile=/etc/kbc-storage-extract/%i.env$' "$work/kbc-storage-extract@demo.service" ||
  { echo "the tokens must come from EnvironmentFile="; exit 1; }

security=$(systemd-analyze security --offline=true --man=no "$work/kbc-storage-extract@demo.service" 2>&1)
exposure=$(printf '%s\n' "$security" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
[ -n "$exposure" ] || { echo "no exposure level:"; echo "$security"; exit 1; }
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || { echo "exposure $exposure > 2.0:"; echo "$security"; exit 1; }

# The check can fail: a misspelt directive is caught.
sed 's/^ProtectHome=yes/ProtectHom=yes/' "$work/kbc-storage-extract@demo.service" >"$work/broken@demo.service"
broken=$(cd "$work" && systemd-analyze verify --man=no ./broken@demo.service 2>&1 || true)
[[ "$broken" == *"Unknown key 'ProtectHom'"* ]] || { echo "a misspelt directive went unnoticed: $broken"; exit 1; }

echo "systemd units verified (exposure $exposure)"
