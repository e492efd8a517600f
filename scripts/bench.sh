#!/usr/bin/env bash
# make bench: the in-tree DAMON and damonx side by side on one workload with
# a known layout (scripts/workload/hotcold.c: 64 MiB written continuously,
# the rest idle), in one Debian 6.12 guest (QEMU TCG, host root), same
# attributes (sample 5 ms, aggr 100 ms, nr_regions 10..1000), a fixed time
# each, at two monitored sizes: 512 MiB (448 MiB cold, all populated) and
# 4 GiB of address space (4032 MiB cold mmap, 448 MiB of it populated);
# the same 512 MiB workload through paddr (all System RAM monitored); and
# DAMOS pageout of its cold part (vaddr and paddr): bytes reclaimed per
# second of kdamond CPU.  Prints a table; not a test (no PASS/FAIL).
#
# Usage: scripts/bench.sh [SECONDS]      (default 20 per implementation and size)
# Env:   BENCH_KO (default build/distro/damonx.ko, built if missing),
#        BENCH_SIZES ("512M 4G paddr pageout-vaddr pageout-paddr"),
#        BENCH_IMPLS ("intree damonx"), BENCH_MEM (2G).
# Numbers are from an emulated CPU: compare the columns, not with real hardware.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. scripts/lib.sh
DAMONX_LOG_TAG=bench
SECS=${1:-20}
[[ $SECS =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive integer"

D=$(scripts/distro-kernel.sh) || die "no distro kernel"
KO=${BENCH_KO:-build/distro/damonx.ko}
if [ ! -f "$KO" ]; then
	log "building $KO"
	make -s ko KDIR="$D/build" OUT="$(dirname "$KO")" > /dev/null || log "damonx build failed: its column will be n/a"
fi
KO=$(realpath "$KO" 2>/dev/null || echo "$ROOT/$KO")

OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
SIZES=${BENCH_SIZES:-512M 4G paddr pageout-vaddr pageout-paddr}
nsizes=$(wc -w <<<"$SIZES")
nimpls=$(wc -w <<<"${BENCH_IMPLS:-intree damonx}")
timeout=$((180 + nsizes * nimpls * (SECS + 60)))
log "guest run: up to ${timeout}s"
scripts/run-guest.sh -q --host-root --kernel "$D/vmlinuz" --modules "$D/modules" \
	--mem "${BENCH_MEM:-2G}" --timeout "$timeout" --zram-swap 2G \
	--env "BENCH_SIZES=$SIZES" --env "BENCH_IMPLS=${BENCH_IMPLS:-intree damonx}" \
	--log "$OUT" -- "$ROOT/scripts/workload/bench-guest.sh" "$KO" "$SECS" ||
	log "guest run failed (numbers below may be partial); log kept in $(cache_dir logs)"
cp "$OUT" "$(cache_dir logs)/bench-$(date +%Y%m%d-%H%M%S).log"

# field LINE KEY: the value of KEY=VALUE in LINE.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p" | head -n1; }
mib() { [ -n "$1" ] && awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# cell SIZE IMPL METRIC: one table cell.
cell() {
	local l v c s
	l=$(tr -d '\r' < "$OUT" | grep -a "^BENCH size=$1 impl=$2 " | tail -n1)
	[ -n "$l" ] || { echo n/a; return; }
	v=$(field "$l" error)
	[ -n "$v" ] && { echo "n/a"; return; }
	case $3 in
	cpu) field "$l" cpu_ms ;;
	cpups) c=$(field "$l" cpu_ms) s=$(field "$l" ms)
		awk -v c="$c" -v s="$s" 'BEGIN { printf "%.1f", (s > 0 ? c * 1000 / s : 0) }' ;;
	regions) v=$(field "$l" regions); echo "${v:-n/a}" ;;
	hot) v=$(field "$l" hot_found); [ -n "$v" ] && echo "$(mib "$v") / $(mib "$(field "$l" hot_true)")" || echo n/a ;;
	cold) v=$(field "$l" cold_accessed); [ -n "$v" ] && echo "$((v / 1024)) of $(mib "$(field "$l" cold_true)")" || echo n/a ;;
	mon) v=$(field "$l" monitored); [ -n "$v" ] && mib "$v" || echo n/a ;;
	acc) v=$(field "$l" accessed); [ -n "$v" ] && mib "$v" || echo n/a ;;
	reclaimed) v=$(field "$l" reclaimed); [ -n "$v" ] && echo "$(mib "$v") / $(mib "$(field "$l" cold_true)")" || echo n/a ;;
	applied) v=$(field "$l" sz_applied); [ -n "$v" ] && mib "$v" || echo n/a ;;
	tput) v=$(field "$l" reclaimed) c=$(field "$l" cpu_ms)
		awk -v b="$v" -v c="$c" 'BEGIN { printf "%.1f", (c > 0 ? b / 1048576 / (c / 1000) : 0) }' ;;
	wall) v=$(field "$l" ms); awk -v m="$v" 'BEGIN { printf "%.1f", m / 1000 }' ;;
	esac
}

echo
echo "DAMON monitoring of hotcold, ${SECS}s per run, sample 5 ms, aggr 100 ms, nr_regions 10..1000 (QEMU TCG guest, Debian 6.12)"
for size in $SIZES; do
	echo
	case $size in
	pageout-*)
		printf '%-38s %18s %18s\n' "DAMOS $size (448 MiB cold)" "in-tree DAMON" "damonx"
		rows=(wall:"time to 90% out or timeout (s)" cpu:"kdamond CPU (ms)"
			reclaimed:"cold reclaimed / resident (MiB)" applied:"stats sz_applied (MiB)"
			tput:"reclaimed MiB per kdamond CPU s") ;;
	*)
		printf '%-38s %18s %18s\n' "workload mmaps: $size" "in-tree DAMON" "damonx"
		rows=(cpu:"kdamond CPU (ms)" cpups:"kdamond CPU (ms per s)" regions:"regions (tried_regions)"
			mon:"monitored address range (MiB)" hot:"hot found / true (MiB)"
			cold:"cold reported accessed (KiB of MiB)" acc:"all accessed bytes (MiB)") ;;
	esac
	for m in "${rows[@]}"; do
		printf '%-38s %18s %18s\n' "  ${m#*:}" "$(cell "$size" intree "${m%%:*}")" "$(cell "$size" damonx "${m%%:*}")"
	done
done
errs=$(tr -d '\r' < "$OUT" | grep -a '^BENCH .*error=' || true)
[ -z "$errs" ] || { echo; echo "errors:"; sed 's/^/  /' <<<"$errs"; }
exit 0
