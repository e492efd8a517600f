#!/usr/bin/env bash
# DAMOS quota goals whose current value the kernel measures, with their
# effect measured: a vaddr "stat" scheme on the hotcold workload, with a
# 1 GiB size quota, 100 ms charge windows and one goal.  A goal whose target
# is above what the metric measures (score < 10000) makes effective_bytes
# grow window after window; one whose target is below it (score >= 10000)
# keeps effective_bytes at its minimum (1 byte).
#
# For each bp metric the test reads the value it should measure from /proc,
# /sys/devices/system/node and memory.stat (X), then expects growth with a
# target of 2X and the minimum with X/2: so the kernel's value is within a
# factor of two of X.  Also: an invalid nid (all free, nothing used), PSI
# (no stall: growth; a thrashing memcg: the minimum; refused with
# debug_missing_symbols=psi_system), memcg paths
# (a real cgroup holding the workload; a bad path and a cgroup without the
# memory controller fail `on` with ENOMEM), and a goal changed by `commit`.
#
# Usage (in a guest, as root): damos-goals.sh DAMONX_KO
# run-guest: --append psi=1 --zram-swap 1G
set -u
KO=$1
T_GROUP=damos-goals
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../workload/damon-lib.sh"

A=/sys/kernel/mm/damonx/admin
K=$A/kdamonds/0
S=$K/contexts/0/schemes/0
G=$S/quotas/goals/0
CG=/sys/fs/cgroup
CGN=dxgoals
GROW_MIN=$((64 * 1024))		# "grew": effective_bytes above this
tmp=$(mktemp -d)

check insmod insmod "$KO"

# The workload runs in its own memory cgroup: its pages are charged there.
check cgroup-memory-controller dw $CG/cgroup.subtree_control +memory
rmdir $CG/$CGN/nomem $CG/$CGN 2>/dev/null
check cgroup-create mkdir $CG/$CGN
bin=$(hc_build "$tmp") || exit 1
echo $$ > $CG/$CGN/cgroup.procs
hc_start "$bin" "$tmp/layout" -c 64 -H 16 || { fail workload-start; exit 1; }
echo $$ > $CG/cgroup.procs
check workload-in-cgroup grep -qx "$hc_pid" $CG/$CGN/cgroup.procs
# A cgroup without the memory controller (not in its parent's subtree_control).
mkdir $CG/$CGN/nomem

setup() {
	damon_setup $A vaddr "$hc_pid" 5000 100000 10 1000 &&
		dw $S/quotas/bytes $((1 << 30)) &&
		dw $S/quotas/reset_interval_ms 100 &&
		dw $S/quotas/goals/nr_goals 1
}
check setup setup

# goal METRIC TARGET [NID [PATH]]: set goal 0.
goal() {
	dw $G/target_metric "$1" && dw $G/target_value "$2" && dw $G/nid "${3:-0}" &&
		dw $G/path "${4:-}"
}

esz() {
	dw $K/state update_schemes_effective_quotas && dr $S/quotas/effective_bytes
}

# expect_esz NAME grow|min: with the kdamond running, effective_bytes goes
# above GROW_MIN within 20 s, or is at most one page 2 and 3 s from now.
expect_esz() {
	local name=$1 want=$2 e first i
	first=$(esz)
	if [ "$want" = grow ]; then
		for ((i = 0; i < 100; i++)); do
			e=$(esz) || break
			[ "$e" -gt $GROW_MIN ] && break
			sleep 0.2
		done
		echo "# $name: effective_bytes $first -> $e (grow, $((i / 5)) s)"
		if [ "${e:-0}" -gt $GROW_MIN ] && [ "$e" -gt "$first" ]; then pass "$name"
		else fail "$name" "effective_bytes $first -> ${e:-?}, want growth above $GROW_MIN"; fi
	else
		sleep 2
		first=$(esz)
		sleep 1
		e=$(esz)
		echo "# $name: effective_bytes $first, $e a second later (min)"
		if [ "${e:-4097}" -le 4096 ] && [ "${first:-4097}" -le 4096 ]; then pass "$name"
		else fail "$name" "effective_bytes $first, $e, want at most 4096"; fi
	fi
}

# run_case NAME METRIC TARGET grow|min [NID [PATH]]: on, expect, off.
run_case() {
	local name=$1 metric=$2 target=$3 want=$4
	goal "$metric" "$target" "${5:-0}" "${6:-}" || { fail "$name" "goal setup"; return; }
	if ! dw $K/state on; then fail "$name" "on"; return; fi
	expect_esz "$name" "$want"
	dw $K/state off
}

# bracket NAME METRIC X [NID [PATH]]: the metric measures X (bp) within a
# factor of two: target 2X grows, target X/2 stays at the minimum.
bracket() {
	local name=$1 metric=$2 x=$3 hi lo
	hi=$((x * 2)); [ $hi -lt 2 ] && hi=2
	lo=$((x / 2)); [ $lo -lt 1 ] && lo=1
	echo "# $name: expected value $x bp: targets $hi (grow) and $lo (min)"
	run_case "$name/target-above" "$metric" $hi grow "${4:-0}" "${5:-}"
	run_case "$name/target-below" "$metric" $lo min "${4:-0}" "${5:-}"
}

# Node 0's memory as si_meminfo_node() counts it (kB).
node_kb() {
	awk -v k="$1:" '$3 == k { print $4 }' /sys/devices/system/node/node0/meminfo
}
meminfo_kb() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# ---- node memory ------------------------------------------------------------
total=$(node_kb MemTotal) free=$(node_kb MemFree)
bracket node_mem_free_bp node_mem_free_bp $((free * 10000 / total)) 0
total=$(node_kb MemTotal) free=$(node_kb MemFree)
bracket node_mem_used_bp node_mem_used_bp $(((total - free) * 10000 / total)) 0
# A node that does not exist: all free, nothing used.
run_case invalid-nid/free-is-10000 node_mem_free_bp 5000 min 99
run_case invalid-nid/used-is-0 node_mem_used_bp 5000 grow 99
run_case negative-nid/free-is-10000 node_mem_free_bp 5000 min -1

# ---- LRU active/inactive ----------------------------------------------------
act=$(meminfo_kb Active) inact=$(meminfo_kb Inactive)
bracket active_mem_bp active_mem_bp $((act * 10000 / (act + inact)))
act=$(meminfo_kb Active) inact=$(meminfo_kb Inactive)
bracket inactive_mem_bp inactive_mem_bp $((inact * 10000 / (act + inact)))

# ---- memcg of a path ----------------------------------------------------------
memcg_lru_kb() {
	awk '$1 ~ /^(in)?active_(anon|file)$/ { s += $2 } END { print int(s / 1024) }' \
		$CG/$CGN/memory.stat
}
lru=$(memcg_lru_kb) total=$(node_kb MemTotal)
echo "# memcg /$CGN: $lru kB on the LRU of node 0's $total kB"
check memcg-holds-workload test "$lru" -ge $((60 * 1024))
bracket node_memcg_used_bp node_memcg_used_bp $((lru * 10000 / total)) 0 "/$CGN"
lru=$(memcg_lru_kb) total=$(node_kb MemTotal)
bracket node_memcg_free_bp node_memcg_free_bp $(((total - lru) * 10000 / total)) 0 "/$CGN"
# The root cgroup's memcg has every LRU page of the node.
act=$(node_kb Active) inact=$(node_kb Inactive) total=$(node_kb MemTotal)
bracket node_memcg_used_bp-root node_memcg_used_bp $(((act + inact) * 10000 / total)) 0 /
# Paths that name no memcg fail `on` with ENOMEM, as upstream's sysfs.
goal node_memcg_used_bp 100 0 /no-such-cgroup
expect_write bad-path-on-enomem $K/state on ENOMEM
goal node_memcg_free_bp 100 0 "/$CGN/nomem"
expect_write no-memory-controller-on-enomem $K/state on ENOMEM
goal node_mem_used_bp 100 0 /no-such-cgroup
check path-ignored-by-other-metrics dw $K/state on
dw $K/state off

# ---- commit carries a changed goal ----------------------------------------------
total=$(node_kb MemTotal) free=$(node_kb MemFree)
x=$((free * 10000 / total))
goal node_mem_free_bp $((x * 2)) 0
check commit/on dw $K/state on
expect_esz commit/before grow
dw $G/target_value $((x / 2))
check commit/lower-target dw $K/state commit
expect_esz commit/after-lower-target min
goal node_memcg_used_bp 100 0 /no-such-cgroup
expect_write commit/bad-path-enomem $K/state commit ENOMEM
check commit/still-running test "$(cat $K/state)" = on
goal active_mem_bp 20000 0
check commit/metric-change dw $K/state commit
expect_esz commit/after-metric-change grow
dw $K/state off

# ---- memory pressure (PSI) -----------------------------------------------------
if [ -r /proc/pressure/memory ]; then
	psi_total() { local l; read -r l < /proc/pressure/memory; echo "${l##*total=}"; }
	head -1 /proc/pressure/memory | sed 's/^/# \/proc\/pressure\/memory: /'
	# No pressure here: no stall, far below a 1 ms target per window.
	run_case some_mem_psi_us/no-pressure-grows some_mem_psi_us 1000 grow
	# Pressure: a workload writing 48 MiB over and over in a 16 MiB memcg
	# (so swapping to zram all the time).  Reading /proc/pressure/memory
	# brings the totals the goal measures up to date (the kernel itself
	# does every 2 s), so every 100 ms window sees the stall.
	mkdir $CG/dxpress && echo 16M > $CG/dxpress/memory.max
	( echo $BASHPID > $CG/dxpress/cgroup.procs && exec "$bin" -c 1 -H 48 ) > /dev/null 2>&1 &
	press=$!
	( while :; do read -r _ < /proc/pressure/memory; sleep 0.05; done ) &
	reader=$!
	p0=$(psi_total); sleep 3; p1=$(psi_total)
	echo "# memory stall under pressure: $(( (p1 - p0) / 1000 )) ms in 3 s"
	check psi/pressure-stalls test $((p1 - p0)) -gt 300000
	run_case some_mem_psi_us/pressure-min some_mem_psi_us 1000 min
	kill $reader $press 2>/dev/null
	wait $reader $press 2>/dev/null
	rmdir $CG/dxpress
	rmmod damonx
	check insmod-psi-missing insmod "$KO" debug_missing_symbols=psi_system
	check setup-psi-missing setup
	goal some_mem_psi_us 1000000 0
	dmesg -C
	expect_write some_mem_psi_us/refused-einval $K/state on EINVAL
	check some_mem_psi_us/refusal-logged \
		dmesg_has 'damonx: quota goal metric some_mem_psi_us refused: .*psi'
	dmesg | grep 'quota goal metric' | sed 's/^/# /'
	# Only that metric: the others still work.
	run_case psi-missing/node_mem_used_bp-works node_mem_used_bp 5000 grow 99
else
	echo "SKIP: $T_GROUP/some_mem_psi_us (no /proc/pressure/memory: PSI off in this kernel)"
fi

# ---- memcg statistics missing ----------------------------------------------------
rmmod damonx
check insmod-memcg-stat-missing insmod "$KO" debug_missing_symbols=lruvec_page_state
check setup-memcg-stat-missing setup
goal node_memcg_used_bp 100 0 "/$CGN"
dmesg -C
expect_write node_memcg_used_bp/refused-einval $K/state on EINVAL
check node_memcg_used_bp/refusal-logged \
	dmesg_has 'damonx: quota goal metric node_memcg_used_bp refused: .*memcg_stat'

check workload-alive kill -0 "$hc_pid"
hc_stop
check rmmod rmmod damonx
rmdir $CG/$CGN/nomem $CG/$CGN 2>/dev/null
t_done
