#!/usr/bin/env bash
# Physical-address monitoring (paddr): the System RAM range (the biggest
# "System RAM" of /proc/iomem, as damo does) is monitored while hotcold
# (scripts/workload/hotcold.c) writes its hot part continuously and leaves
# its cold part idle.  Where the workload's pages are in physical memory is
# read from /proc/PID/pagemap (scripts/workload/paddr-snap.py); a few
# update_schemes_tried_regions snapshots must show:
#   - hot: >= 80% of the resident hot bytes inside regions with nr_accesses > 0
#     (median over the snapshots), and all bytes accessed in at least 10% of
#     the samples (not single blips) within 20% of the hot size plus what
#     the rest of the guest keeps touching (measured with the workload
#     stopped: see idle below);
#   - cold: < 10% of the resident cold bytes inside accessed regions;
#   - every snapshot: min_nr_regions <= regions <= max_nr_regions and
#     total_bytes = the sum of the regions' sizes;
#   - idle: with the workload gone, bytes accessed in at least 10% of the
#     samples < 25% of the hot size.
# Then the resolver: with debug_missing_symbols=rmap_walk, paddr is not in
# avail_operations, `on` with paddr fails with EINVAL and leaves the kdamond
# off, and dmesg names the symbol and the feature.
#
# Usage (in a guest, as root):
#   paddr-hotcold.sh DAMONX_KO      insmod DAMONX_KO, test /sys/kernel/mm/damonx/admin
#   DAMON_ADMIN=/sys/kernel/mm/damon/admin paddr-hotcold.sh
#                                   the in-tree DAMON (validates the test; no
#                                   resolver part)
# Env: HC_COLD_MIB (256), HC_HOT_MIB (32), HC_WARMUP (10), HC_SNAPS (5).
set -u
T_GROUP=paddr-hotcold
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../workload/damon-lib.sh"

COLD_MIB=${HC_COLD_MIB:-256}
HOT_MIB=${HC_HOT_MIB:-32}
WARMUP=${HC_WARMUP:-10}
SNAPS=${HC_SNAPS:-5}
SAMPLE_US=5000 AGGR_US=100000 MIN_NR=10 MAX_NR=1000
MiB=$((1024 * 1024))
SNAP=$(dirname "$0")/../workload/paddr-snap.py

TMP=$(mktemp -d)
TICK=
cleanup() {
	hc_stop
	[ -n "$TICK" ] && kill "$TICK" 2>/dev/null
	[ -n "${ADMIN:-}" ] && [ -d "$ADMIN/kdamonds" ] &&
		{ echo off > "$ADMIN/kdamonds/0/state"; echo 0 > "$ADMIN/kdamonds/nr_kdamonds"; } 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

if [ -n "${DAMON_ADMIN:-}" ]; then
	ADMIN=$DAMON_ADMIN LOADED=0
	echo "# testing $ADMIN (no insmod)"
else
	KO=${1:?usage: $0 DAMONX_KO (or DAMON_ADMIN=dir $0)}
	check insmod insmod "$KO" || exit 1
	ADMIN=/sys/kernel/mm/damonx/admin LOADED=1
fi
K=$ADMIN/kdamonds/0
check admin-dir test -d "$ADMIN/kdamonds" || exit 1

check system-ram-found system_ram_range
echo "# System RAM [$RAM_START, $RAM_END): $(( (RAM_END - RAM_START) / MiB )) MiB"

dw "$ADMIN/kdamonds/nr_kdamonds" 1 && dw "$K/contexts/nr_contexts" 1
check avail-operations-lists-paddr grep -qx paddr "$K/contexts/0/avail_operations"

HC=$(hc_build "$TMP")
check build-hotcold test -x "$HC" || exit 1
gcc -O2 -o "$TMP/tlbtick" "$(dirname "$0")/../workload/tlbtick.c" && { "$TMP/tlbtick" & TICK=$!; }

# snapshots N: N snapshots of the running kdamond; sets the arrays
# accs (bytes accessed in >= 10% of the samples) hots colds hot_trues cold_trues and
# the bounds/sums checks.
snapshots() {
	local i line
	accs=() hots=() colds=() hot_trues=() cold_trues=() nr_min=999999 nr_max=0 sums_ok=1
	for ((i = 0; i < $1; i++)); do
		if ! line=$(python3 "$SNAP" "$ADMIN" "${hc_pid:-$$}" "${hot_start:-0}" "${hot_end:-0}" \
				"${cold_start:-0}" "${cold_end:-0}" 2>&1); then
			echo "# snapshot $i: $line"; sleep 1; continue
		fi
		echo "# snapshot $i: $line"
		accs+=("$(field "$line" accessed_often)") hots+=("$(field "$line" hot_found)")
		colds+=("$(field "$line" cold_accessed)") hot_trues+=("$(field "$line" hot_true)")
		cold_trues+=("$(field "$line" cold_true)")
		local nr; nr=$(field "$line" regions)
		[ "$nr" -lt "$nr_min" ] && nr_min=$nr
		[ "$nr" -gt "$nr_max" ] && nr_max=$nr
		[ "$(field "$line" total_bytes)" = "$(field "$line" sum)" ] &&
			[ "$(field "$line" bad)" = 0 ] || sums_ok=0
		sleep 1
	done
}

# ---- monitoring the workload ----------------------------------------------
hc_start "$HC" "$TMP/layout" -c "$COLD_MIB" -H "$HOT_MIB" || { fail workload-start; exit 1; }
if err=$(damon_setup "$ADMIN" paddr 0 $SAMPLE_US $AGGR_US $MIN_NR $MAX_NR "$RAM_START" "$RAM_END" 2>&1); then
	pass setup
else
	fail setup "$err"; exit 1
fi
check state-on dw "$K/state" on
expect_eq pid-is-a-kdamond "$(tr -d '\n' < "/proc/$(dr "$K/pid")/comm" 2>/dev/null | cut -c1-8)" kdamond.
sleep "$WARMUP"
snapshots "$SNAPS"
if [ "${#accs[@]}" = 0 ]; then
	fail tried-regions "no snapshot could be taken"
else
	pass tried-regions
	if [ "$nr_min" -ge "$MIN_NR" ] && [ "$nr_max" -le "$MAX_NR" ]; then pass nr-regions-in-bounds
	else fail nr-regions-in-bounds "regions ranged $nr_min..$nr_max, bounds $MIN_NR..$MAX_NR"; fi
	if [ "$sums_ok" = 1 ]; then pass total-bytes-is-sum
	else fail total-bytes-is-sum "total_bytes differs from the sum of the regions, or unreadable regions"; fi
	hot_true=$(median "${hot_trues[@]}") cold_true=$(median "${cold_trues[@]}")
	check hot-resident test "$hot_true" -ge $((HOT_MIB * MiB * 9 / 10))
	at_least_pct hot-found "$(median "${hots[@]}")" "$hot_true" 80
	below_pct cold-idle "$(median "${colds[@]}")" "$cold_true" 10
	busy_acc=$(median "${accs[@]}")
fi

# ---- the same machine without the workload --------------------------------
hc_stop
sleep 3
hot_start=0 hot_end=0 cold_start=0 cold_end=0
snapshots 3
idle_acc=$(median "${accs[@]}")
echo "# accessed: $((busy_acc / 1024)) KiB with the workload, $((idle_acc / 1024)) KiB without; hot size $((HOT_MIB * 1024)) KiB"
below_pct idle-little-access "$idle_acc" $((HOT_MIB * MiB)) 25
# What the workload adds to the access picture is its hot part.
in_pct accessed-is-hot-size $((busy_acc - idle_acc)) $((HOT_MIB * MiB)) 20
check still-running test "$(dr "$K/state")" = on
check state-off dw "$K/state" off

# ---- without rmap_walk, no paddr -------------------------------------------
if [ "$LOADED" = 1 ]; then
	dw "$ADMIN/kdamonds/nr_kdamonds" 0
	check rmmod rmmod damonx
	dmesg -C
	check insmod-missing-rmap_walk insmod "$KO" debug_missing_symbols=rmap_walk
	dw "$ADMIN/kdamonds/nr_kdamonds" 1 && dw "$K/contexts/nr_contexts" 1
	if grep -qx paddr "$K/contexts/0/avail_operations"; then
		fail no-paddr-without-rmap_walk "avail_operations: $(tr '\n' ' ' < "$K/contexts/0/avail_operations")"
	else
		pass no-paddr-without-rmap_walk
	fi
	check vaddr-still-available grep -qx vaddr "$K/contexts/0/avail_operations"
	damon_setup "$ADMIN" paddr 0 $SAMPLE_US $AGGR_US $MIN_NR $MAX_NR "$RAM_START" "$RAM_END"
	expect_write on-fails-without-paddr "$K/state" on EINVAL
	expect_eq stays-off "$(dr "$K/state")" off
	check dmesg-says-why dmesg_has 'rmap_walk .*feature paddr disabled'
	dw "$ADMIN/kdamonds/nr_kdamonds" 0
	check rmmod-after rmmod damonx
fi
t_done
