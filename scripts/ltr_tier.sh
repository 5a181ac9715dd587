#!/usr/bin/env bash
# The QGIS 3.40 LTR tier: the plugin as packaged (scripts/package.sh) with the QGIS-tier tests
# (tests/qgis: plugin load, every algorithm on the sample data, the printed condition map) run
# by pytest inside the Debian 13 chroot of scripts/ltr_chroot.sh (built once, then reused).
# The shared data sets are copied in beside the plugin as in a clone.
# Writes JUnit XML to $RI_ARTIFACTS/junit-ltr.xml (default test-artifacts/) and the tests'
# artifacts to $RI_ARTIFACTS/ltr/. Extra arguments go to pytest. Exit code: pytest's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ARTIFACTS="${RI_ARTIFACTS:-$ROOT/test-artifacts}"
SHARED="${RI_SHARED_DATA:-$ROOT/../shared/data}"
[ -d "$SHARED" ] || { echo "ltr: shared data missing: $SHARED" >&2; exit 1; }

bash scripts/ltr_chroot.sh build

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
zip_path="$(DIST_DIR="$work/dist" bash scripts/package.sh | tail -n1)"
mkdir -p "$work/run/shared"
(cd "$work/run" && unzip -q "$zip_path")
# The tests, sample data, docs and build scripts (the faces table and the staleness checks read
# them) are not part of the zip: add them (tracked or new, not ignored).
git ls-files --cached --others --exclude-standard -- tests sample_data docs scripts pyproject.toml \
    | while IFS= read -r file; do
        [ -f "$file" ] || continue
        mkdir -p "$work/run/roadinfra/$(dirname "$file")"
        cp -p "$file" "$work/run/roadinfra/$file"
    done
cp -rL "$SHARED" "$work/run/shared/data"

rc=0
bash scripts/ltr_chroot.sh run "$work/run" /bin/sh -c '
    cd roadinfra && export PYTHONPATH="$(dirname "$PWD")" RI_ARTIFACTS="$PWD/../artifacts" &&
    python3 -c "from qgis.core import Qgis; print(\"==> ltr: QGIS\", Qgis.version())" &&
    exec python3 -m pytest tests/qgis -q -rfEs -p no:cacheprovider \
        --junitxml="$PWD/../junit-ltr.xml" "$@"' sh "$@" || rc=$?

mkdir -p "$ARTIFACTS/ltr"
[ -f "$work/run/junit-ltr.xml" ] && cp "$work/run/junit-ltr.xml" "$ARTIFACTS/junit-ltr.xml"
[ -d "$work/run/artifacts" ] && cp -r "$work/run/artifacts/." "$ARTIFACTS/ltr/"
exit "$rc"
