#!/usr/bin/env bash
# Configure and build into build/ (or $BUILD_DIR). Extra arguments go to cmake's configure step,
# e.g. scripts/build.sh -DCMAKE_BUILD_TYPE=Sanitize
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$here/build}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$here" -B "$build_dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
