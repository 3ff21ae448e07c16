#!/usr/bin/env bash
# Install, build (warnings as errors) and run every test except the GiB-scale `long` label.
#   scripts/test.sh              all default tests
#   scripts/test.sh --long       also the `long` tests (1 GiB copies; minutes)
#   scripts/test.sh --sanitize   build with ASan+UBSan into build-sanitize/ and test that
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
long=0; sanitize=0
for arg in "$@"; do
  case "$arg" in
    --long) long=1 ;;
    --sanitize) sanitize=1 ;;
    *) echo "test.sh: unknown option $arg (use --long, --sanitize)" >&2; exit 2 ;;
  esac
done
"$here/scripts/install-deps.sh"
if [ "$sanitize" = 1 ]; then
  export BUILD_DIR="$here/build-sanitize"
  "$here/scripts/build.sh" -DKBC_WERROR=ON -DCMAKE_BUILD_TYPE=Sanitize
else
  export BUILD_DIR="$here/build"
  "$here/scripts/build.sh" -DKBC_WERROR=ON
fi
cd "$BUILD_DIR"
if [ "$long" = 1 ]; then
  ctest --output-on-failure --timeout 3600
else
  ctest --output-on-failure --label-exclude long --parallel 2
fi
