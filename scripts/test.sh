#!/usr/bin/env bash
# Set up (scripts/setup.sh), lint (ruff) and run the test tiers, each in its own pytest
# process: tests/unit (qgis and Qt blocked), tests/publish (the packaged zip against
# plugins.qgis.org's upload checks and scanners, release metadata, Qt 6 readiness),
# tests/qgis (headless PyQGIS, Debian 12's QGIS 3.22), tests/postgis (a throw-away
# PostgreSQL/PostGIS server), tests/e2e (the real QGIS desktop under Xvfb) and ltr (tests/qgis
# again on QGIS 3.40 LTR in a Debian 13 chroot, scripts/ltr_tier.sh; needs root; RI_SKIP_LTR=1
# skips it).
# Prints one summary line per tier and a final "N passed, N failed"; exits non-zero when ruff
# or any tier fails. JUnit XML and screenshots go to test-artifacts/.
# Extra arguments are passed to every pytest run (e.g. -x, -k name).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

echo "==> test: setup"
if ! bash scripts/setup.sh; then
    echo "test: scripts/setup.sh failed" >&2
    exit 1
fi

PY="$ROOT/.venv/bin/python"
ARTIFACTS="$ROOT/test-artifacts"
mkdir -p "$ARTIFACTS"
export RI_ARTIFACTS="$ARTIFACTS"
export QT_QPA_PLATFORM=offscreen
XDG_RUNTIME_DIR="$(mktemp -d)"
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
trap 'rm -rf "$XDG_RUNTIME_DIR"' EXIT

status=0
summary=()

echo "==> test: ruff check"
if "$ROOT/.venv/bin/ruff" check .; then
    summary+=("ruff: ok")
else
    summary+=("ruff: FAILED")
    status=1
fi

has_tests() {
    [ -d "tests/$1" ] && [ -n "$(find "tests/$1" \( -name 'test_*.py' -o -name '*_test.py' \) -print -quit)" ]
}

# passed failed skipped from a pytest JUnit XML file ("0 0 0" when missing).
junit_counts() {
    "$PY" - "$1" <<'PYCODE'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 0, 0)
    raise SystemExit
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
total = failed = skipped = 0
for suite in suites:
    total += int(suite.get("tests", 0))
    failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped += int(suite.get("skipped", 0))
print(total - failed - skipped, failed, skipped)
PYCODE
}

total_passed=0
total_failed=0
for tier in unit publish qgis postgis e2e ltr; do
    junit="$ARTIFACTS/junit-$tier.xml"
    rm -f "$junit"
    args=(-q -rfEs -p no:cacheprovider --junitxml="$junit")
    env_args=(PROJ_DATA=/usr/share/proj)
    case "$tier" in
        unit|publish) args+=(-p no:pytest_qgis -p no:pytest-qt) ;;
        e2e) args+=(-p no:pytest_qgis -p no:pytest-qt); env_args=(-u PROJ_DATA) ;;
    esac
    echo "==> test: tier $tier"
    start=$SECONDS
    if [ "$tier" = ltr ]; then
        if [ "${RI_SKIP_LTR:-0}" = 1 ] || [ "$(id -u)" -ne 0 ]; then
            summary+=("tier ltr: skipped (RI_SKIP_LTR=1 or not root)")
            continue
        fi
        bash scripts/ltr_tier.sh "$@"
        rc=$?
    elif has_tests "$tier"; then
        env "${env_args[@]}" "$PY" -m pytest "tests/$tier" "${args[@]}" "$@"
        rc=$?
    else
        rc=5
    fi
    seconds=$((SECONDS - start))
    read -r passed failed skipped < <(junit_counts "$junit")
    if [ "$rc" -eq 5 ] && [ "$tier" != ltr ] && ! has_tests "$tier"; then
        note="no tests (empty tier)"
    elif [ "$rc" -eq 0 ]; then
        note="ok"
    else
        note="FAILED (pytest exit $rc)"
        status=1
        [ "$failed" -gt 0 ] || failed=1   # crash, collection error or no tests collected
    fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    summary+=("tier $tier: $passed passed, $failed failed, $skipped skipped in ${seconds}s: $note")
done

echo "==> test: summary"
for line in "${summary[@]}"; do echo "$line"; done
echo "$total_passed passed, $total_failed failed"
exit "$status"
