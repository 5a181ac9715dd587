#!/usr/bin/env bash
# Set up this checkout (scripts/setup.sh) and run the RoadInfra demonstration: `roadinfra demo`
# builds OUTPUT/thai_binh.gpkg and OUTPUT/summary.json, then the QGIS Processing algorithm
# roadinfra:print_condition_map prints OUTPUT/condition_map.pdf (A3, headless, no display).
# Extra arguments go to `roadinfra demo` (see `.venv/bin/roadinfra demo --help`); OUTPUT is
# its --output folder (default: ./output).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh
export PROJ_DATA="${PROJ_DATA:-/usr/share/proj}"
echo "==> demo: .venv/bin/roadinfra demo $*"
.venv/bin/roadinfra demo "$@"

# The output folder `roadinfra demo` wrote to (its --output option, default ./output).
output="output"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --output) output="${args[$((i + 1))]:-$output}" ;;
        --output=*) output="${args[$i]#--output=}" ;;
    esac
done

# Headless PyQGIS: the same Processing algorithm as the toolbox and qgis_process, started by
# a small Python entry (no plugin zip or QGIS profile to prepare; works as root without X).
export QT_QPA_PLATFORM=offscreen
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
    XDG_RUNTIME_DIR="$(mktemp -d)"
    chmod 700 "$XDG_RUNTIME_DIR"
    export XDG_RUNTIME_DIR
    trap 'rm -rf "$XDG_RUNTIME_DIR"' EXIT
fi
echo "==> demo: condition map (roadinfra:print_condition_map)"
pdf="$(.venv/bin/python -m roadinfra.plugin.printing "$output/thai_binh.gpkg" \
       "$output/condition_map.pdf")"
echo "condition map: $pdf"
