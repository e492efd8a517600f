#!/usr/bin/env bash
# Access monitoring quality on a workload with a known layout: hotcold
# (scripts/workload/hotcold.c) keeps COLD MiB populated but idle and writes
# every page of HOT MiB continuously.  For vaddr and for fvaddr (user regions
# = the two mmaps), a kdamond with one wide-open "stat" scheme monitors it;
# a few update_schemes_tried_regions snapshots must show:
#   - hot: bytes of the hot range inside regions with nr_accesses > 0 within
#     10% of the hot size, and the whole sizes of the accessed regions that
#     overlap it no more than 10% above it (median over the snapshots);
#   - cold: bytes of the cold range inside accessed regions < 10% of cold;
#   - every snapshot: min_nr_regions <= regions <= max_nr_regions, and
#     total_bytes = the sum of the regions' sizes;
#   - the kdamond turns itself off once the workload is killed.
#
# Usage (in a guest, as root):
#   vaddr-hotcold.sh DAMONX_KO      insmod DAMONX_KO, test /sys/kernel/mm/damonx/admin
#   DAMON_ADMIN=/sys/kernel/mm/damon/admin vaddr-hotcold.sh
#                                   no insmod: test that admin directory (the
#                                   in-tree DAMON), which validates the test.
# e.g. on the host:
#   D=$(scripts/distro-kernel.sh); scripts/run-guest.sh --host-root --kernel $D/vmlinuz \
#     --modules $D/modules --env DAMON_ADMIN=/sys/kernel/mm/damon/admin -- \
#     $PWD/scripts/tests/vaddr-hotcold.sh
# Env: HC_COLD_MIB (256), HC_HOT_MIB (32): sized for a 2 GiB TCG guest; the
#      workload's defaults (512/64) want --mem 3G.  HC_WARMUP (seconds before
#      the first snapshot, 10), HC_SNAPS (snapshots, 5), HC_OPS ("vaddr fvaddr").
set -u
T_GROUP=vaddr-hotcold
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../workload/damon-lib.sh"

COLD_MIB=${HC_COLD_MIB:-256}
HOT_MIB=${HC_HOT_MIB:-32}
WARMUP=${HC_WARMUP:-10}
SNAPS=${HC_SNAPS:-5}
OPS_LIST=${HC_OPS:-vaddr fvaddr}
SAMPLE_US=5000 AGGR_US=100000 MIN_NR=10 MAX_NR=1000
MiB=$((1024 * 1024))

TMP=$(mktemp -d)
cleanup() {
	hc_stop
	[ -n "${ADMIN:-}" ] && [ -d "$ADMIN/kdamonds" ] &&
		{ echo off > "$ADMIN/kdamonds/0/state"; echo 0 > "$ADMIN/kdamonds/nr_kdamonds"; } 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# ---- which DAMON ----------------------------------------------------------
if [ -n "${DAMON_ADMIN:-}" ]; then
	ADMIN=$DAMON_ADMIN
	LOADED=0
	echo "# testing $ADMIN (no insmod)"
else
	KO=${1:?usage: $0 DAMONX_KO (or DAMON_ADMIN=dir $0)}
	check insmod insmod "$KO" || exit 1
	ADMIN=/sys/kernel/mm/damonx/admin
	LOADED=1
fi
check admin-dir test -d "$ADMIN/kdamonds" || exit 1
HC=$(hc_build "$TMP")
check build-hotcold test -x "$HC" || exit 1

# run_ops OPS: one monitoring session of a fresh workload with OPS.
run_ops() {
	local ops=$1 k=$ADMIN/kdamonds/0 regions=() i hots=() hotregs=() colds=() err
	local nr_min=999999 nr_max=0 sums_ok=1 sums_why='' snaps_ok=0 state

	hc_start "$HC" "$TMP/layout" -c "$COLD_MIB" -H "$HOT_MIB" ||
		{ fail "$ops/workload-start"; return; }
	if [ "$ops" = fvaddr ]; then
		# Both mmaps, ascending, as the user-given regions.
		if [ "$hot_start" -lt "$cold_start" ]; then
			regions=("$hot_start" "$hot_end" "$cold_start" "$cold_end")
		else
			regions=("$cold_start" "$cold_end" "$hot_start" "$hot_end")
		fi
	fi
	echo "# $ops: pid $hc_pid hot [$hot_start,$hot_end) cold [$cold_start,$cold_end)"
	if ! err=$(damon_setup "$ADMIN" "$ops" "$hc_pid" $SAMPLE_US $AGGR_US $MIN_NR $MAX_NR \
			"${regions[@]}" 2>&1); then
		fail "$ops/setup" "$err"; hc_stop; return
	fi
	pass "$ops/setup"
	if ! err=$(dw "$k/state" on 2>&1); then
		fail "$ops/state-on" "$err"; hc_stop; return
	fi
	expect_eq "$ops/state-reads-on" "$(dr "$k/state")" on

	sleep "$WARMUP"
	for ((i = 0; i < SNAPS; i++)); do
		# Not in $(...): the snap_* results must land in this shell.
		if ! damon_snapshot "$ADMIN" 2> "$TMP/err"; then
			echo "# $ops snapshot $i: $(cat "$TMP/err")"
			sleep 1; continue
		fi
		snaps_ok=$((snaps_ok + 1))
		echo "# $ops snapshot $i: $(snap_line)"
		hots+=("$snap_hot") hotregs+=("$snap_hot_reg") colds+=("$snap_cold")
		[ "$snap_nr" -lt "$nr_min" ] && nr_min=$snap_nr
		[ "$snap_nr" -gt "$nr_max" ] && nr_max=$snap_nr
		if [ "$snap_total" != "$snap_sum" ] || [ "$snap_bad" != 0 ]; then
			sums_ok=0 sums_why="total_bytes $snap_total, sum of regions $snap_sum, bad $snap_bad"
		fi
		sleep 1
	done
	if [ "$snaps_ok" = 0 ]; then
		fail "$ops/tried-regions" "no snapshot could be taken"
	else
		pass "$ops/tried-regions"
		if [ "$nr_min" -ge "$MIN_NR" ] && [ "$nr_max" -le "$MAX_NR" ]; then pass "$ops/nr-regions-in-bounds"
		else fail "$ops/nr-regions-in-bounds" "regions ranged $nr_min..$nr_max, bounds $MIN_NR..$MAX_NR"; fi
		if [ "$sums_ok" = 1 ]; then pass "$ops/total-bytes-is-sum"
		else fail "$ops/total-bytes-is-sum" "$sums_why"; fi
		in_pct "$ops/hot-found" "$(median "${hots[@]}")" $((HOT_MIB * MiB)) 10
		# Accessed regions touching hot must not spill far past it.
		below_pct "$ops/hot-regions-tight" "$(median "${hotregs[@]}")" $((HOT_MIB * MiB)) 110
		below_pct "$ops/cold-idle" "$(median "${colds[@]}")" $((COLD_MIB * MiB)) 10
	fi

	# The target is gone: the kdamond must notice and stop by itself.
	# (The kdamond may do the exited mm's last mmput(): tearing down its
	# address space takes seconds under TCG when the host is loaded.)
	hc_stop
	if wait_for 20 test "$(dr "$k/state")" = off; then pass "$ops/stops-when-target-exits"
	else
		state=$(dr "$k/state")
		fail "$ops/stops-when-target-exits" "state still '$state' 20 s after the target exited"
		dw "$k/state" off 2>/dev/null
		wait_for 10 test "$(dr "$k/state")" = off
	fi
	expect_eq "$ops/pid-after-stop" "$(dr "$k/pid")" -1
}

for ops in $OPS_LIST; do run_ops "$ops"; done

dw "$ADMIN/kdamonds/nr_kdamonds" 0 2>/dev/null
if [ "$LOADED" = 1 ]; then
	check rmmod rmmod damonx
fi
t_done
