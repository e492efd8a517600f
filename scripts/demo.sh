#!/usr/bin/env bash
# make demo: boot Debian's 6.12 kernel in QEMU, load damonx next to the
# in-tree DAMON, and let both monitor the same hot/cold workload.  Prints
# what each finds.  (First run: fetches the kernel and installs QEMU.)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. scripts/lib.sh
DAMONX_LOG_TAG=demo
scripts/deps.sh
D=$(scripts/distro-kernel.sh)
log "building damonx for Debian's kernel"
make -s ko KDIR="$D/build" OUT=build/distro > build/demo-make.log 2>&1 ||
	{ tail -20 build/demo-make.log; exit 1; }
log "booting the guest (QEMU TCG, about a minute)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
scripts/run-guest.sh --host-root --kernel "$D/vmlinuz" --modules "$D/modules" \
	--mem 2G --timeout 600 -- "$ROOT/scripts/demo-guest.sh" "$ROOT/build/distro/damonx.ko" > "$out" ||
	{ cat "$out"; exit 1; }
sed -n '/^=== demo/,/^=== end/p' "$out" | tr -d '\r' | grep -v '^\[ *[0-9]'
