#!/usr/bin/env bash
# Install everything the build and the tests need, from Debian's packages and the npm registry.
# Idempotent: a second run changes nothing. Works as root or through sudo.
#   install-deps.sh          the build and the tests
#   install-deps.sh --fuzz   also clang for scripts/fuzz.sh (not needed by the tests: they replay
#                            the fuzz corpus with g++)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz=0
for arg in "$@"; do
  case "$arg" in
    --fuzz) fuzz=1 ;;
    *) echo "install-deps: unknown option $arg (use --fuzz)" >&2; exit 2 ;;
  esac
done

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev libspdlog-dev catch2
  libcpp-httplib-dev libsqlite3-dev libssl-dev zlib1g-dev
  curl ca-certificates jq nodejs npm procps time
  systemd  # systemd-analyze checks the example units (tests/examples/systemd_units_test.sh)
  tmux  # e2e: init test drives the interactive prompts through a pseudo-terminal
  man-db groff-base bash-completion zsh dpkg-dev file
  gnuplot-nox  # bench/plot.sh renders the benchmark's plots (the CTest "bench: ci" renders them too)
)
# The install tests (label install): man-db + groff-base render the man pages (man -l),
# bash-completion and zsh load the completion scripts, dpkg-dev gives cpack's DEB generator
# dpkg-shlibdeps (Depends from the libraries linked) and dpkg-deb, file lets cpack find the ELFs.
# scripts/fuzz.sh: clang++-14; libFuzzer's runtime is in libclang-rt-14-dev (only a Recommends
# of clang's, which --no-install-recommends skips); llvm-symbolizer for readable stacks.
[ "$fuzz" = 1 ] && APT_PACKAGES+=(clang-14 libclang-rt-14-dev llvm-14)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "install-deps: need root or sudo to install: ${APT_PACKAGES[*]}" >&2; exit 1; fi
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere than Debian (a newer Node on the PATH is fine).
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# moto (a second independent S3 server for the ObjectStore contract suite) comes with the
# machine's Python toolchain; installed with pip only where it is missing.
if ! command -v moto_server >/dev/null; then
  echo "install-deps: installing moto[server] (pip)"
  python3 -m pip install --quiet --user "moto[server]" || {
    echo "install-deps: moto_server is missing and could not be installed with pip; the contract tests need it" >&2
    exit 1
  }
fi

# Test peers written by others (AWS SDK, s3rver, azurite, GCS client): pinned by
# tests/peers/package-lock.json.
if [ -f "$here/tests/peers/package.json" ]; then
  if [ ! -d "$here/tests/peers/node_modules" ] || [ "$here/tests/peers/package-lock.json" -nt "$here/tests/peers/node_modules/.installed" ]; then
    echo "install-deps: installing npm test peers"
    (cd "$here/tests/peers" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
  fi
fi

# The offline checks of examples/ (Kubernetes API schemas, a YAML parser): pinned by
# tests/examples/package-lock.json.
if [ ! -d "$here/tests/examples/node_modules" ] || [ "$here/tests/examples/package-lock.json" -nt "$here/tests/examples/node_modules/.installed" ]; then
  echo "install-deps: installing npm example checks"
  (cd "$here/tests/examples" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi
