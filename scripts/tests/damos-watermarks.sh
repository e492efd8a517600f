#!/usr/bin/env bash
# DAMOS watermarks (metric free_mem_rate, permil of free memory), measured by
# whether the scheme is tried (stats/nr_tried grows) while the guest's free
# memory really moves:
#   - with high just below the current free rate, the scheme is off;
#   - a workload taking ~1 GiB brings the free rate between low and mid:
#     the scheme turns on;
#   - the workload exits, the free rate goes back above high: off again;
#   - hysteresis: with the rate between mid and high, an inactive scheme
#     stays inactive and an active one stays active (thresholds moved with
#     `commit`);
#   - while inactive, the kdamond still serves commands (update_schemes_stats,
#     commit) and stays "on".
#
# Usage (in a guest, as root): damos-watermarks.sh DAMONX_KO
# run-guest: --mem 2G
set -u
KO=$1
T_GROUP=damos-watermarks
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../workload/damon-lib.sh"

tmp=$(mktemp -d)
A=/sys/kernel/mm/damonx/admin
K=$A/kdamonds/0
S=$K/contexts/0/schemes/0
W=$S/watermarks
trap 'hc_stop; rm -rf "$tmp"' EXIT
check insmod insmod "$KO"
bin=$(hc_build "$tmp") || exit 1

# The kernel's metric: NR_FREE_PAGES * 1000 / totalram_pages.
free_rate() {
	awk '/^MemTotal:/ { t = $2 } /^MemFree:/ { f = $2 } END { print int(f * 1000 / t) }' /proc/meminfo
}
grows() {
	tried_grows $K $S "$1"
	local rc=$?
	echo "# free rate $(free_rate)"
	return $rc
}

# A monitored process that is not the memory hog: a sleeping shell.
sleep 1000 &
target=$!
idle=$(free_rate)
echo "# free rate with nothing running: $idle permil"
high=$((idle - 100)) mid=$((idle - 250)) low=10
damon_setup $A vaddr $target 5000 100000 10 1000 && dw $W/metric free_mem_rate &&
	dw $W/interval_us 100000 && dw $W/high $high && dw $W/mid $mid && dw $W/low $low ||
	{ fail setup; exit 1; }
check on dw $K/state on
if grows 2; then fail off-above-high "tried while free rate $(free_rate) > high $high"
else pass off-above-high; fi
check serves-commands-while-inactive dw $K/state update_schemes_stats
expect_eq stays-on-while-inactive "$(dr $K/state)" on

# ~1 GiB taken: the free rate falls between low and mid.
hc_start "$bin" "$tmp/layout" -c 1024 -H 1 || { fail workload-start; exit 1; }
busy=$(free_rate)
echo "# free rate with the workload: $busy permil (low $low, mid $mid, high $high)"
check rate-between-low-and-mid test "$busy" -lt "$mid" -a "$busy" -gt "$low"
if grows 3; then pass on-between-low-and-mid; else fail on-between-low-and-mid "not tried at rate $(free_rate)"; fi

# Hysteresis: mid moved below the current rate (which stays below high):
# an active scheme stays active.
dw $W/mid $((busy - 50)) && check commit-mid-below dw $K/state commit
if grows 2; then pass active-stays-active-between-mid-and-high
else fail active-stays-active-between-mid-and-high "rate $(free_rate)"; fi

# The workload goes: back above high, off.
hc_stop
dw $W/mid $mid && check commit-back dw $K/state commit
wait_for 10 test "$(free_rate)" -gt "$high"
sleep 1
if grows 2; then fail off-again-above-high "tried at rate $(free_rate)"
else pass off-again-above-high; fi

# Hysteresis the other way: high raised above the rate, mid below it: an
# inactive scheme stays inactive.
dw $W/high 1000 && dw $W/mid $((idle - 150)) && check commit-hysteresis dw $K/state commit
if grows 2; then fail inactive-stays-inactive-between-mid-and-high "rate $(free_rate)"
else pass inactive-stays-inactive-between-mid-and-high; fi
# ...and mid above the rate: on.
dw $W/mid 999 && check commit-mid-above dw $K/state commit
if grows 2; then pass on-below-mid; else fail on-below-mid "rate $(free_rate)"; fi
# below low: off.
dw $W/low 999 && check commit-low-above dw $K/state commit
sleep 1
if grows 2; then fail off-below-low "rate $(free_rate)"; else pass off-below-low; fi

check off dw $K/state off
kill $target
dw $A/kdamonds/nr_kdamonds 0
check rmmod rmmod damonx
t_done
