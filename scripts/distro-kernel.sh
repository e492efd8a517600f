#!/usr/bin/env bash
# Unpack Debian's 6.12 kernel (image + modules + headers) into the cache, without
# installing anything into the host's /boot, /lib/modules or /usr/src.
#
# Usage: scripts/distro-kernel.sh
# stdout: the result dir D, with
#   D/vmlinuz                      the kernel image
#   D/modules/lib/modules/<KVER>/  module tree (depmod -b run; pass D/modules to run-guest.sh --modules)
#   D/build                        KDIR for `make -C D/build M=<dir> modules`
#   D/config, D/System.map
# exit: 0 ok, 1 failure.
set -euo pipefail
DAMONX_LOG_TAG=distro-kernel
. "$(dirname "$0")/lib.sh"

VERSION=$DAMONX_DEB_VERSION          # 6.12.117-1~deb12u1
KVER=$DAMONX_KVER                    # 6.12.117+deb12-amd64
KBUILD_PKG=linux-kbuild-${KVER%-amd64}
PKGS=("linux-image-$KVER-unsigned" "linux-headers-$KVER" "linux-headers-${KVER%-amd64}-common" "$KBUILD_PKG")

D="$(cache_dir)/distro-$KVER"
STAMP="$D/.damonx-ready"
if [ -e "$STAMP" ]; then
	log "reusing $D"; printf '%s\n' "$D"; exit 0
fi
mkdir -p "$(dirname "$D")"
exec 9>"$D.lock"; flock 9
if [ -e "$STAMP" ]; then printf '%s\n' "$D"; exit 0; fi
command -v depmod >/dev/null || die "kmod (depmod) missing: run scripts/deps.sh"

debs=()
for p in "${PKGS[@]}"; do debs+=("$(apt_fetch "$p" "$VERSION" "$(cache_dir debs)")"); done

tmp="$D.tmp.$$"; rm -rf "$D".tmp.* "$D"; mkdir -p "$tmp/img" "$tmp/hdr"
trap 'rm -rf "$tmp"' EXIT
log "unpacking ${#debs[@]} packages"
dpkg-deb -x "${debs[0]}" "$tmp/img"
for d in "${debs[@]:1}"; do dpkg-deb -x "$d" "$tmp/hdr"; done

# Image and modules.
[ -f "$tmp/img/boot/vmlinuz-$KVER" ] || die "no vmlinuz in ${debs[0]}"
ln -s "img/boot/vmlinuz-$KVER" "$tmp/vmlinuz"
ln -s "img/boot/config-$KVER" "$tmp/config"
ln -s "img/boot/System.map-$KVER" "$tmp/System.map"
if [ ! -d "$tmp/img/lib/modules/$KVER" ] && [ -d "$tmp/img/usr/lib/modules/$KVER" ]; then
	mkdir -p "$tmp/img/lib"; ln -s ../usr/lib/modules "$tmp/img/lib/modules"
fi
[ -d "$tmp/img/lib/modules/$KVER/kernel" ] || die "no module tree in ${debs[0]}"
ln -s img "$tmp/modules"
log "depmod -b"
depmod -b "$tmp/img" "$KVER"

# Headers: KDIR for external modules. The arch headers' Makefile includes the
# common one by absolute /usr/src path; point it into the cache instead.
H="$tmp/hdr/usr/src/linux-headers-$KVER"
C="$tmp/hdr/usr/src/linux-headers-${KVER%-amd64}-common"
[ -f "$H/Makefile" ] && [ -f "$C/Makefile" ] || die "headers layout unexpected"
echo "include $D/hdr/usr/src/linux-headers-${KVER%-amd64}-common/Makefile" >"$H/Makefile"
# Only relative links and no other /usr/src references are expected.
absl=$(find "$tmp/hdr/usr" -type l -lname '/*' -print)
[ -z "$absl" ] || die "absolute symlinks in headers: $absl"
refs=$(grep -rIn --include='Makefile*' --include='Kbuild*' --include='*.include' '/usr/src' "$tmp/hdr/usr" \
	| grep -vF "$D/hdr/usr/src/" || true)
[ -z "$refs" ] || die "headers still reference /usr/src: $refs"
ln -s "hdr/usr/src/linux-headers-$KVER" "$tmp/build"
mv "$tmp" "$D"

# Smoke test: a hello-world module builds against D/build (in a temp dir).
command -v "x86_64-linux-gnu-gcc-12" >/dev/null || die "gcc-12 missing (the Debian headers use x86_64-linux-gnu-gcc-12): run scripts/deps.sh"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT   # (replaces the $tmp trap: $tmp is gone)
cat >"$t/hello.c" <<'C'
#include <linux/module.h>
static int __init hello_init(void) { pr_info("damonx-hello: loaded\n"); return 0; }
static void __exit hello_exit(void) { }
module_init(hello_init); module_exit(hello_exit);
MODULE_LICENSE("GPL");
C
echo 'obj-m := hello.o' >"$t/Kbuild"
log "smoke test: building a hello module against $D/build"
if ! make -C "$D/build" M="$t" modules >"$t/log" 2>&1; then
	cat "$t/log" >&2; die "hello module does not build against $D/build"
fi
vm=$(modinfo -F vermagic "$t/hello.ko")
[[ $vm == "$KVER "* ]] || die "hello.ko vermagic '$vm' does not match $KVER"
date -u +%FT%TZ >"$STAMP"
log "ready: $D"
printf '%s\n' "$D"
