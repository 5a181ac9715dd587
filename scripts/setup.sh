#!/usr/bin/env bash
# Prepare a Debian 12 machine and this checkout for RoadInfra: system packages (only when
# something is missing; as root directly, else through sudo), the .venv with Debian's geo
# stack, the editable install with the test tools, and the compiled translations. Safe to
# rerun; works without a terminal or display.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { echo "==> setup: $*"; }

APT_PACKAGES=(
    qgis python3-qgis python3-venv python3-pip python3-geopandas python3-rasterio python3-rtree
    python3-geoalchemy2 python3-pytestqt python3-psycopg2 python3-openpyxl python3-scipy
    python3-matplotlib python3-pil
    postgresql-15-postgis-3 poppler-utils proj-bin gdal-bin fonts-dejavu-core xvfb xauth
    qttools5-dev-tools pyqt5-dev-tools zip unzip debootstrap
)

step "checking ${#APT_PACKAGES[@]} Debian packages"
missing=()
for package in "${APT_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
    step "all Debian packages already installed, skipping apt"
else
    step "missing: ${missing[*]}"
    # root (a fresh container has no sudo) installs directly; anyone else through sudo
    as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "setup: installing Debian packages needs root: run this script as root" >&2
            exit 1
        fi
        as_root=(sudo)
    fi
    step "apt-get update"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    step "apt-get install (--no-install-recommends)"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${APT_PACKAGES[@]}"
fi

if [ ! -x .venv/bin/python ]; then
    step "creating .venv from /usr/bin/python3 with Debian's site packages"
    /usr/bin/python3 -m venv --system-site-packages .venv
else
    step ".venv exists"
fi

# Reinstall only when the project metadata or the pins changed since the last install.
stamp=.venv/.roadinfra-install
fingerprint="$(cat pyproject.toml scripts/constraints-debian12.txt | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ] \
        && .venv/bin/python -c "import roadinfra.core, pytest_qgis" 2>/dev/null; then
    step "editable install up to date"
else
    step "pip install -c scripts/constraints-debian12.txt -e '.[test]'"
    PIP_ROOT_USER_ACTION=ignore .venv/bin/python -m pip install --disable-pip-version-check \
        --no-input -c scripts/constraints-debian12.txt -e '.[test]'
    echo "$fingerprint" > "$stamp"
fi

# The upload scanners (bandit, detect-secrets, flake8) live in their own venv so that their
# dependencies never meet .venv's pins; tests/publish runs them from there.
tools_stamp=.venv-tools/.roadinfra-install
tools_fingerprint="$(sha256sum scripts/requirements-tools.txt | cut -d' ' -f1)"
if [ -f "$tools_stamp" ] && [ "$(cat "$tools_stamp")" = "$tools_fingerprint" ]; then
    step "scanner tools up to date (.venv-tools)"
else
    step "installing the upload scanners into .venv-tools (scripts/requirements-tools.txt)"
    rm -rf .venv-tools
    /usr/bin/python3 -m venv .venv-tools
    PIP_ROOT_USER_ACTION=ignore .venv-tools/bin/python -m pip install --disable-pip-version-check \
        --no-input --no-deps -r scripts/requirements-tools.txt
    echo "$tools_fingerprint" > "$tools_stamp"
fi

step "compiling translations"
bash scripts/compile_translations.sh
step "done"
