#!/usr/bin/env bash
# DAMOS migrate_cold / migrate_hot in a guest with two NUMA nodes, measured
# page by page (move_pages(2) status, scripts/workload/page-nodes.py):
#   - vaddr migrate_cold, target_nid 1: the workload's cold part (all on
#     node 0 at first) moves to node 1, its hot part stays on node 0;
#   - vaddr migrate_hot, target_nid 0: a workload started on node 1 (it
#     runs on CPU 1) gets its hot part pulled to node 0, its cold part
#     stays on node 1;
#   - dests/ weights: migrate_cold with dests {node 0: 1, node 1: 3} moves
#     3/4 of the cold part (+-10 points) to node 1 and leaves 1/4 on node 0;
#     weights summing to 0 move nothing;
#   - paddr migrate_cold (System RAM range), target_nid 1, with an ops
#     filter rejecting young pages: the cold part moves to node 1, the hot
#     part stays.
#
# Usage (in a guest, as root): damos-migrate.sh DAMONX_KO
# run-guest: --numa --mem 2G
set -u
KO=$1
T_GROUP=damos-migrate
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../workload/damon-lib.sh"

NODES=$(dirname "$0")/../workload/page-nodes.py
tmp=$(mktemp -d)
A=/sys/kernel/mm/damonx/admin
K=$A/kdamonds/0
S=$K/contexts/0/schemes/0
TICK=
trap 'hc_stop; [ -n "$TICK" ] && kill $TICK 2>/dev/null; rm -rf "$tmp"' EXIT

check two-nodes test -d /sys/devices/system/node/node1
check insmod insmod "$KO"
gcc -O2 -o "$tmp/tlbtick" "$(dirname "$0")/../workload/tlbtick.c" && { "$tmp/tlbtick" & TICK=$!; }
bin=$(hc_build "$tmp") || exit 1
system_ram_range

# nodes START END: sets n0 n1 (pages of the workload's [START, END) there).
nodes() {
	local line
	line=$(python3 "$NODES" "$hc_pid" "$1" "$2") || { n0=-1 n1=-1; return 1; }
	n0=$(sed -n 's/.*\bn0=\([0-9]*\).*/\1/p' <<<"$line")
	n1=$(sed -n 's/.*\bn1=\([0-9]*\).*/\1/p' <<<"$line")
}

# start_on CPU: the workload, its memory on CPU's node (local allocation).
start_on() {
	taskset -c "$1" true 2>/dev/null || { fail "taskset-cpu$1"; return 1; }
	rm -f "$tmp/layout"
	taskset -c "$1" "$bin" -o "$tmp/layout" -c 64 -H 16 > "$tmp/layout.out" 2>&1 &
	hc_pid=$!
	wait_for 60 test -s "$tmp/layout" || { fail workload-start "$(cat "$tmp/layout.out")"; return 1; }
	. "$tmp/layout"
	cold_pages=$(( (cold_end - cold_start) / 4096 )) hot_pages=$(( (hot_end - hot_start) / 4096 ))
}

# scheme OPS ACTION NID [REGION_START REGION_END]: kdamond 0 with one
# migrate scheme: migrate_cold for regions idle >= 5 aggregations,
# migrate_hot for regions accessed in >= 5 of 20 samples.
scheme() {
	local ops=$1 action=$2 nid=$3; shift 3
	damon_setup $A "$ops" "$hc_pid" 5000 100000 10 1000 "$@" &&
		dw $S/action "$action" && dw $S/target_nid "$nid" || return 1
	if [ "$action" = migrate_cold ]; then
		dw $S/access_pattern/nr_accesses/max 0 && dw $S/access_pattern/age/min 5
	else
		dw $S/access_pattern/nr_accesses/min 5 && dw $S/access_pattern/age/min 2
	fi
}

# on_node NAME PART NODE PCT: at least PCT% of the workload's PART (hot or
# cold) is on NODE.
on_node() {
	local name=$1 part=$2 node=$3 pct=$4 start end pages got
	eval "start=\$${part}_start end=\$${part}_end pages=\$${part}_pages"
	nodes "$start" "$end"
	got=$(eval echo "\$n$node")
	echo "# $name: $part n0=$n0 n1=$n1 of $pages pages"
	check "$name" test "$got" -ge $((pages * pct / 100))
}

# wait_moved START END NODE PAGES SECONDS: until >= PAGES of the range are on NODE.
wait_moved() {
	local i
	for ((i = 0; i < $5; i++)); do
		nodes "$1" "$2"
		[ "$(eval echo "\$n$3")" -ge "$4" ] && return 0
		sleep 1
	done
	return 1
}

# ---- vaddr migrate_cold ----------------------------------------------------
if start_on 0; then
	nodes "$cold_start" "$cold_end"
	check vaddr-cold/starts-on-node0 test "$n0" -ge $((cold_pages * 9 / 10))
	scheme vaddr migrate_cold 1 && dw $K/state on || fail vaddr-cold/setup
	wait_moved "$cold_start" "$cold_end" 1 $((cold_pages * 9 / 10)) 40
	on_node vaddr-cold/cold-moved-to-node1 cold 1 90
	# A region straddling the hot/cold boundary may be judged cold as a
	# whole (region granularity, a THP): 20% of slack.
	on_node vaddr-cold/hot-stays-on-node0 hot 0 80
	dw $K/state update_schemes_stats
	check vaddr-cold/sz_applied test "$(dr $S/stats/sz_applied)" -ge $((cold_pages * 4096 * 9 / 10))
	dw $K/state off
	hc_stop
fi

# ---- vaddr migrate_hot -----------------------------------------------------
if start_on 1; then
	nodes "$hot_start" "$hot_end"
	check vaddr-hot/starts-on-node1 test "$n1" -ge $((hot_pages * 9 / 10))
	scheme vaddr migrate_hot 0 && dw $K/state on || fail vaddr-hot/setup
	wait_moved "$hot_start" "$hot_end" 0 $((hot_pages * 9 / 10)) 40
	on_node vaddr-hot/hot-moved-to-node0 hot 0 90
	on_node vaddr-hot/cold-stays-on-node1 cold 1 80
	dw $K/state off
	hc_stop
fi

# ---- dests weights ------------------------------------------------------------
if start_on 0; then
	scheme vaddr migrate_cold 1 && dw $S/dests/nr_dests 2 &&
		dw $S/dests/0/id 0 && dw $S/dests/0/weight 1 &&
		dw $S/dests/1/id 1 && dw $S/dests/1/weight 3 && dw $K/state on || fail dests/setup
	wait_moved "$cold_start" "$cold_end" 1 $((cold_pages * 65 / 100)) 40
	sleep 3
	nodes "$cold_start" "$cold_end"; echo "# dests 1:3: cold n0=$n0 n1=$n1 of $cold_pages"
	pct1=$((n1 * 100 / cold_pages))
	if [ "$pct1" -ge 65 ] && [ "$pct1" -le 85 ]; then pass dests/weights-1-3
	else fail dests/weights-1-3 "$pct1% of the cold part on node 1, want 75 +-10"; fi
	dw $K/state off
	hc_stop
fi
if start_on 0; then
	scheme vaddr migrate_cold 1 && dw $S/dests/nr_dests 2 &&
		dw $S/dests/0/id 0 && dw $S/dests/1/id 1 && dw $K/state on || fail dests-zero/setup
	sleep 8
	nodes "$cold_start" "$cold_end"; echo "# dests weights 0: cold n0=$n0 n1=$n1 of $cold_pages"
	check dests/zero-weights-move-nothing test "$n1" -le $((cold_pages / 20))
	dw $K/state off
	hc_stop
fi

# ---- paddr migrate_cold -------------------------------------------------------
if start_on 0; then
	# Physical regions mix hot and cold pages: a young filter keeps the
	# pages accessed since the last check where they are.
	scheme paddr migrate_cold 1 "$RAM_START" "$RAM_END" &&
		dw $S/ops_filters/nr_filters 1 && dw $S/ops_filters/0/type young &&
		dw $S/ops_filters/0/matching Y && dw $S/ops_filters/0/allow N &&
		dw $K/state on || fail paddr-cold/setup
	wait_moved "$cold_start" "$cold_end" 1 $((cold_pages * 9 / 10)) 60
	on_node paddr-cold/cold-moved-to-node1 cold 1 90
	on_node paddr-cold/hot-stays-on-node0 hot 0 90
	check paddr-cold/workload-alive kill -0 "$hc_pid"
	dw $K/state off
	hc_stop
fi

dw $A/kdamonds/nr_kdamonds 0
check rmmod rmmod damonx
t_done
