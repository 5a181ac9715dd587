#!/usr/bin/env bash
# Compile resources/i18n/*.ts into the .qm files the plugin loads (the .qm files are not in git).
set -euo pipefail
cd "$(dirname "$0")/.."

LRELEASE="$(command -v lrelease || true)"
[ -n "$LRELEASE" ] || LRELEASE=/usr/lib/qt5/bin/lrelease
shopt -s nullglob
for ts in resources/i18n/*.ts; do
    echo "compile_translations: $ts -> ${ts%.ts}.qm"
    "$LRELEASE" -silent "$ts" -qm "${ts%.ts}.qm"
done
