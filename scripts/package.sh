#!/usr/bin/env bash
# Build dist/roadinfra-<version>.zip: one top folder roadinfra/ holding the plugin (metadata,
# entry point, LICENSE, README, core, plugin, forms, resources with compiled translations).
# Files come from the working tree: tracked or untracked-but-not-ignored ones (so .gitignore
# keeps caches out), never tests, sample data, the venv or build output.
# DIST_DIR overrides the output folder. The last line printed is the zip's path.
# The contact metadata (email, homepage, tracker, repository) are build settings filled in by
# scripts/release_metadata.py from ROADINFRA_* variables or a release config (docs/releasing.md):
# a development build gets marked .invalid placeholders; --release refuses placeholders.
set -euo pipefail
release=()
for arg in "$@"; do
    case "$arg" in
        --release) release=(--release) ;;
        *) echo "package: unknown argument '$arg' (only --release)" >&2; exit 2 ;;
    esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

INCLUDE=(metadata.txt __init__.py LICENSE README.md core plugin forms resources)
version="$(sed -n 's/^version[[:space:]]*=[[:space:]]*//p' metadata.txt | head -n1 | tr -d '\r')"
[ -n "$version" ] || { echo "package: no version in metadata.txt" >&2; exit 1; }
dist="${DIST_DIR:-$ROOT/dist}"
zip_path="$dist/roadinfra-$version.zip"

# Refuse a release with placeholder metadata before building anything.
if [ "${#release[@]}" -gt 0 ]; then
    python3 scripts/release_metadata.py metadata.txt /dev/null --release || exit $?
fi

bash scripts/compile_translations.sh

list_files() {
    local existing=()
    for item in "${INCLUDE[@]}"; do [ -e "$item" ] && existing+=("$item"); done
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$ROOT" ls-files --cached --others --exclude-standard -- "${existing[@]}"
    else
        find "${existing[@]}" -type f
    fi
    find resources -name '*.qm' -type f
}

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/roadinfra" "$dist"
count=0
while IFS= read -r file; do
    [ -f "$file" ] || continue                    # tracked but deleted in the working tree
    case "$file" in
        */__pycache__/*|*.pyc|*.pyo|*~|*.orig|*.rej|*.ts) continue ;;
    esac
    mkdir -p "$stage/roadinfra/$(dirname "$file")"
    cp -p "$file" "$stage/roadinfra/$file"
    count=$((count + 1))
done < <(list_files | sort -u)

python3 scripts/release_metadata.py metadata.txt "$stage/roadinfra/metadata.txt" "${release[@]}"

rm -f "$zip_path"
(cd "$stage" && zip -q -r -X "$zip_path" roadinfra)
echo "package: $count files, version $version"
echo "$zip_path"
