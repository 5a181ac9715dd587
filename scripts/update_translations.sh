#!/usr/bin/env bash
# Refresh resources/i18n/roadinfra_<lang>.ts from the plugin's Python files and forms/*.ui.
# Existing translations are kept; new texts appear as "unfinished" for a translator
# (Qt Linguist: `linguist resources/i18n/roadinfra_vi.ts`). scripts/compile_translations.sh
# makes the .qm files; setup.sh and package.sh call it.
set -euo pipefail
cd "$(dirname "$0")/.."

LANGUAGES="${LANGUAGES:-vi}"
mapfile -t sources < <(find plugin -name '*.py' -not -path '*/__pycache__/*' | sort; \
                       find forms -name '*.ui' 2>/dev/null | sort)
echo "update_translations: ${#sources[@]} source files"
for lang in $LANGUAGES; do
    ts="resources/i18n/roadinfra_${lang}.ts"
    echo "update_translations: pylupdate5 -> $ts"
    PYTHONWARNINGS=ignore pylupdate5 -noobsolete "${sources[@]}" -ts "$ts"
done
