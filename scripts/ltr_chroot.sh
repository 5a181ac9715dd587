#!/usr/bin/env bash
# A Debian 13 (trixie) chroot with the QGIS 3.40 LTR Python stack, to test the plugin on the LTR.
#
#   scripts/ltr_chroot.sh build            build the chroot once (reused while its stamp matches)
#   scripts/ltr_chroot.sh run DIR CMD...   copy DIR into the chroot, run CMD there (cwd = DIR's
#                                          copy, under Xvfb-ready env), copy DIR back; CMD's exit
#                                          code is this script's
#   scripts/ltr_chroot.sh path             print the chroot folder
#
# The chroot lives outside the clone: RI_LTR_CHROOT (default /var/cache/roadinfra/trixie-qgis).
# A lock (flock on "$CHROOT.lock") keeps two builds or runs from overlapping; the stamp
# "$CHROOT/.roadinfra-ready" is written last, so a chroot whose build was interrupted is
# removed and rebuilt. Every mount made here is undone on exit, also on failure or Ctrl-C.
# Needs root and debootstrap (scripts/setup.sh installs it); packages come from Debian's
# archive (RI_DEBIAN_MIRROR, default http://deb.debian.org/debian).
set -euo pipefail

CHROOT="${RI_LTR_CHROOT:-/var/cache/roadinfra/trixie-qgis}"
MIRROR="${RI_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=trixie
PACKAGES=(
    python3-qgis qgis-providers xvfb xauth python3-geopandas python3-scipy
    python3-openpyxl fonts-dejavu-core poppler-utils python3-pytest python3-pytestqt python3-pip
    python3-fiona python3-rasterio python3-matplotlib python3-pil
)
PIP_PACKAGES=(pytest-qgis==5.0.2)   # from PyPI: not in Debian
LOCK_TIMEOUT_S="${RI_LTR_LOCK_TIMEOUT:-3600}"
STAMP="$CHROOT/.roadinfra-ready"
FINGERPRINT="$SUITE ${PACKAGES[*]} ${PIP_PACKAGES[*]} $MIRROR"

say() { echo "==> ltr-chroot: $*" >&2; }
die() { echo "ltr-chroot: $*" >&2; exit 1; }

# Mount points under the chroot, deepest first.
mounts_under() {
    awk -v root="$CHROOT" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/self/mounts \
        | sort -r
}

unmount_all() {
    local point
    while IFS= read -r point; do
        [ -n "$point" ] || continue
        umount "$point" 2>/dev/null || umount -l "$point" || true
    done < <(mounts_under)
}

mount_runtime() {
    mkdir -p "$CHROOT/proc" "$CHROOT/dev/shm" "$CHROOT/dev/pts" "$CHROOT/tmp"
    mount -t proc proc "$CHROOT/proc"
    mount -t tmpfs -o mode=1777,size=512m shm "$CHROOT/dev/shm"
    mount -t devpts -o newinstance,ptmxmode=0666 devpts "$CHROOT/dev/pts"
}

in_chroot() {
    chroot "$CHROOT" /usr/bin/env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

ready() {
    [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$FINGERPRINT" ]
}

build() {
    if ready; then
        say "$CHROOT is ready ($(in_chroot dpkg-query -W -f='${Version}' python3-qgis))"
        return
    fi
    [ "$(id -u)" -eq 0 ] || die "building the chroot needs root"
    command -v debootstrap >/dev/null || die "debootstrap is missing (scripts/setup.sh installs it)"
    if [ -e "$CHROOT" ]; then
        say "removing the incomplete or outdated chroot $CHROOT"
        [ -z "$(mounts_under)" ] || die "still mounted under $CHROOT: $(mounts_under | tr '\n' ' ')"
        rm -rf --one-file-system "$CHROOT"
    fi
    mkdir -p "$(dirname "$CHROOT")"
    local start=$SECONDS
    say "debootstrap --variant=minbase $SUITE $CHROOT $MIRROR"
    debootstrap --variant=minbase "$SUITE" "$CHROOT" "$MIRROR" >&2
    say "debootstrap took $((SECONDS - start)) s"
    printf '#!/bin/sh\nexit 101\n' > "$CHROOT/usr/sbin/policy-rc.d"   # start no services
    chmod 755 "$CHROOT/usr/sbin/policy-rc.d"
    cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf"
    mount_runtime
    start=$SECONDS
    say "apt-get install ${PACKAGES[*]}"
    in_chroot apt-get update -q >&2
    in_chroot apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >&2
    in_chroot apt-get clean
    # pip verifies PyPI with the host's CA bundle (it may hold a local proxy's CA).
    cp -L "${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}" "$CHROOT/etc/host-ca.crt"
    in_chroot python3 -m pip install -q --no-deps --break-system-packages --root-user-action=ignore \
        --disable-pip-version-check --cert /etc/host-ca.crt "${PIP_PACKAGES[@]}" >&2
    unmount_all
    say "packages took $((SECONDS - start)) s"
    echo "$FINGERPRINT" > "$STAMP"
    say "ready: QGIS $(in_chroot dpkg-query -W -f='${Version}' python3-qgis)"
}

run() {
    [ "$#" -ge 2 ] || die "usage: $0 run DIR CMD..."
    local host_dir="$1"
    shift
    [ -d "$host_dir" ] || die "no such folder: $host_dir"
    ready || die "the chroot is not built: run '$0 build' first"
    [ "$(id -u)" -eq 0 ] || die "running in the chroot needs root"
    local inner
    inner="$(mktemp -d "$CHROOT/tmp/ri-run.XXXXXX")"
    cp -a "$host_dir/." "$inner/"
    mkdir -p -m 700 "$inner/xdg"
    mount_runtime
    local rc=0
    local name="/tmp/$(basename "$inner")"
    in_chroot /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$name" \
        env HOME="$name" XDG_RUNTIME_DIR="$name/xdg" QT_QPA_PLATFORM=offscreen \
        PYTHONDONTWRITEBYTECODE=1 "$@" || rc=$?
    unmount_all
    cp -a "$inner/." "$host_dir/"
    rm -rf --one-file-system "$inner"
    return "$rc"
}

command="${1:-}"
[ -n "$command" ] || die "usage: $0 build | run DIR CMD... | path"
shift
if [ "$command" = path ]; then
    echo "$CHROOT"
    exit 0
fi

mkdir -p "$(dirname "$CHROOT")"
exec 9>"$CHROOT.lock"
say "waiting for the lock $CHROOT.lock"
flock -w "$LOCK_TIMEOUT_S" 9 || die "another build or run held $CHROOT.lock for ${LOCK_TIMEOUT_S} s"
unmount_all   # mounts left by a run that was killed (we hold the lock: nobody uses them)
trap unmount_all EXIT
trap 'exit 130' INT TERM

case "$command" in
    build) build ;;
    run) run "$@" ;;
    *) die "unknown command $command (build, run, path)" ;;
esac
