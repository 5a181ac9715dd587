#!/usr/bin/env bash
# Set up this checkout (scripts/setup.sh) and run the RoadInfra demonstration: `roadinfra demo`
# builds OUTPUT/thai_binh.gpkg and OUTPUT/summary.json and ends with an optimal five-year
# maintenance plan stored in the database, OUTPUT/reports.xlsx and OUTPUT/budget_curve.png
# (and how much more it buys than incremental benefit-cost), then `qgis_process.bin run
# roadinfra:print_condition_map` prints OUTPUT/condition_map.pdf (A3, headless, no display)
# and `qgis_process.bin run roadinfra:print_plan_atlas` that plan (the latest stored) as an
# A3 atlas, OUTPUT/plan_atlas.pdf (a plan is built with `roadinfra plan build` when the
# database holds none: `roadinfra demo --no-plan`).
# Run it as yourself or as root: setup.sh asks sudo for the Debian packages only when they are
# missing and you are not root.
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

# Headless QGIS through the standard door: qgis_process.bin (Debian's qgis_process wrapper adds
# an option it rejects) runs the Processing algorithm of this checkout, installed as the plugin
# `roadinfra` of a throw-away QGIS profile (a link to this folder; no zip, no display).
qgis_process="$(command -v qgis_process.bin || true)"
if [ -z "$qgis_process" ]; then
    echo "demo: qgis_process.bin not found (Debian package qgis); run scripts/setup.sh" >&2
    exit 1
fi
config="$(mktemp -d)"
trap 'rm -rf "$config"' EXIT
mkdir -p "$config/profiles/default/python/plugins" "$config/profiles/default/QGIS" \
    "$config/runtime"
chmod 700 "$config/runtime"
ln -s "$ROOT" "$config/profiles/default/python/plugins/roadinfra"
printf '[PythonPlugins]\nroadinfra=true\n' > "$config/profiles/default/QGIS/QGIS3.ini"
export QGIS_CUSTOM_CONFIG_PATH="$config" QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$config/runtime}"
pdf="$(realpath -m "$output/condition_map.pdf")"
echo "==> demo: qgis_process.bin run roadinfra:print_condition_map"
"$qgis_process" run roadinfra:print_condition_map -- \
    "DATABASE=$(realpath "$output/thai_binh.gpkg")" LANGUAGE=0 "OUTPUT=$pdf" >"$config/run.log" 2>&1 \
    || { cat "$config/run.log" >&2; exit 1; }
[ -s "$pdf" ] || { cat "$config/run.log" >&2; echo "demo: no $pdf" >&2; exit 1; }
echo "condition map: $pdf"

# The plan atlas beside it: the latest stored plan (one is built when there is none), a cover
# with the province and the totals, then a sheet per district.
database="$(realpath "$output/thai_binh.gpkg")"
plans="$(.venv/bin/python -c 'import sys; from roadinfra.core.db import open_database
with open_database(sys.argv[1]) as db: print(len(db.fetch("maintenance_plan")))' "$database")"
if [ "$plans" = "0" ]; then
    echo "==> demo: .venv/bin/roadinfra plan build (no plan stored yet)"
    .venv/bin/roadinfra plan build --db "$database" --budget 30e9 --first-year 2027 \
        --years 3 >"$config/plan.log" 2>&1 || { cat "$config/plan.log" >&2; exit 1; }
fi
atlas="$(realpath -m "$output/plan_atlas.pdf")"
echo "==> demo: qgis_process.bin run roadinfra:print_plan_atlas"
"$qgis_process" run roadinfra:print_plan_atlas -- \
    "DATABASE=$database" PLAN=latest BY=0 TEMPLATE=0 LANGUAGE=0 "OUTPUT=$atlas" \
    >"$config/atlas.log" 2>&1 || { cat "$config/atlas.log" >&2; exit 1; }
[ -s "$atlas" ] || { cat "$config/atlas.log" >&2; echo "demo: no $atlas" >&2; exit 1; }
echo "plan atlas: $atlas"
