#!/usr/bin/env bash
# Set up this checkout (scripts/setup.sh) and run the RoadInfra demonstration.
# Extra arguments go to `roadinfra demo` (see `.venv/bin/roadinfra demo --help`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh
export PROJ_DATA="${PROJ_DATA:-/usr/share/proj}"
echo "==> demo: .venv/bin/roadinfra demo $*"
exec .venv/bin/roadinfra demo "$@"
