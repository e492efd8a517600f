#!/usr/bin/env bash
# The 7.2 items damonx has: context pause and quota fail_charge_{num,denom}.
#   - pause Y (at `on` or by `commit`): the kdamond stays on and serves
#     commands, no scheme is tried (stats/nr_tried still), a tried-regions
#     update is cancelled (ECANCELED); pause N by `commit` resumes;
#   - fail_charge: a `stat` scheme applies 0 bytes, so with a 1 MiB quota
#     per 100 ms window it fills every window (qt_exceeds grows) when failures
#     are charged in full (denom 0), and never with fail_charge_num 0,
#     fail_charge_denom 1 (failures are free);
#   - both files parse as uint, and bad input is EINVAL and changes nothing.
#
# Usage (in a guest, as root): damos-pause.sh DAMONX_KO
set -u
KO=$1
T_GROUP=damos-pause
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../workload/damon-lib.sh"

A=/sys/kernel/mm/damonx/admin
DX=$A
K=$A/kdamonds/0
C=$K/contexts/0
S=$C/schemes/0
check insmod insmod "$KO"
sleep 1000 &
target=$!
trap 'kill $target 2>/dev/null' EXIT

grows() { tried_grows $K $S "$1"; }

# ---- pause ----------------------------------------------------------------------
damon_setup $A vaddr $target 5000 100000 10 1000 || { fail setup; exit 1; }
expect_eq pause-default "$(dr $C/pause)" N
dw $C/pause Y
check on-paused dw $K/state on
if grows 2; then fail paused-at-on-tries-nothing; else pass paused-at-on-tries-nothing; fi
expect_eq paused-stays-on "$(dr $K/state)" on
expect_write paused-walk-cancelled $K/state update_schemes_tried_regions ECANCELED
dw $C/pause N && check commit-resume dw $K/state commit
if grows 2; then pass resumed-tries; else fail resumed-tries; fi
check update-tried-regions-after-resume dw $K/state update_schemes_tried_regions
dw $C/pause Y && check commit-pause dw $K/state commit
sleep 0.5
if grows 2; then fail commit-paused-tries-nothing; else pass commit-paused-tries-nothing; fi
expect_eq commit-paused-stays-on "$(dr $K/state)" on
check off-while-paused dw $K/state off
expect_eq off-after-pause "$(dr $K/state)" off
dw $C/pause N

# ---- fail_charge ------------------------------------------------------------------
Q=$S/quotas
expect_eq fail_charge_num-default "$(dr $Q/fail_charge_num)" 0
expect_eq fail_charge_denom-default "$(dr $Q/fail_charge_denom)" 0
expect_write fail_charge_num-bad $Q/fail_charge_num abc EINVAL
expect_write fail_charge_num-negative $Q/fail_charge_num -1 EINVAL
expect_write fail_charge_denom-too-big $Q/fail_charge_denom 4294967296 EINVAL
expect_write fail_charge_denom-hex $Q/fail_charge_denom 0x10 0
expect_eq fail_charge_denom-reads-back "$(dr $Q/fail_charge_denom)" 16

# qt_exceeds after 3 s of a stat scheme with a 1 MiB / 100 ms quota.
exceeds_with() { # NUM DENOM
	dw $Q/bytes $((1024 * 1024)) && dw $Q/reset_interval_ms 100 &&
		dw $Q/fail_charge_num "$1" && dw $Q/fail_charge_denom "$2" &&
		dw $K/state on || return 1
	sleep 3
	dw $K/state update_schemes_stats
	dr $S/stats/qt_exceeds
	dw $K/state off
}
full=$(exceeds_with 0 0)
free=$(exceeds_with 0 1)
echo "# qt_exceeds: $full charging failures in full, $free charging them nothing"
check failures-charged-fill-quota test "${full:-0}" -ge 5
expect_eq free-failures-never-fill-quota "$free" 0

dw $A/kdamonds/nr_kdamonds 0
check rmmod rmmod damonx
t_done
