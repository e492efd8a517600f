#!/usr/bin/env bash
# DAMOS pageout, measured: a workload's cold part (written once, then idle)
# is paged out to swap while its hot part stays resident, on vaddr (the
# workload's address space, through madvise) and on paddr (the System RAM
# range, through the LRU lists: isolate + reclaim, with the implicit young
# filter).  Then a size quota: with quotas/bytes=Q per reset_interval_ms=W,
# sz_applied never grows by more than Q per window (checked over every pair
# of stats samples) and qt_exceeds grows.  And ops filters (paddr): an
# anon filter with allow N leaves the anonymous cold part resident, a memcg
# filter allowing one cgroup pages out only that cgroup's memory.
#
# Usage (in a guest with swap, as root): damos-pageout.sh DAMONX_KO
# Env: PAGEOUT_OPS ("vaddr paddr")
# run-guest: --zram-swap 1G
set -u
KO=$1
T_GROUP=damos-pageout
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../workload/damon-lib.sh"

OPS_LIST=${PAGEOUT_OPS:-vaddr paddr}
MiB=$((1024 * 1024))
tmp=$(mktemp -d)
check swap-present test "$(awk 'NR > 1' /proc/swaps | wc -l)" -ge 1
check insmod insmod "$KO"
A=/sys/kernel/mm/damonx/admin
K=$A/kdamonds/0
S=$K/contexts/0/schemes/0
gcc -O2 -o "$tmp/tlbtick" "$(dirname "$0")/../workload/tlbtick.c" && "$tmp/tlbtick" &
TICK=$!
trap 'hc_stop; kill $TICK 2>/dev/null; rm -rf "$tmp"' EXIT
bin=$(hc_build "$tmp") || exit 1
check system-ram-found system_ram_range

# Resident KiB of [$1, $2) of the workload (from /proc/PID/pagemap: the
# areas may share a VMA with their neighbours, so smaps cannot tell).
rss_of() {
	python3 -c '
import struct, sys
pid, start, end = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with open(f"/proc/{pid}/pagemap", "rb") as f:
    f.seek(start // 4096 * 8)
    data = f.read((end - start) // 4096 * 8)
n = sum(1 for (e,) in struct.iter_unpack("<Q", data) if e >> 63)
print(n * 4)' "$hc_pid" "$1" "$2"
}

# Physical address span "START END" of the workload's present pages in
# [$1, $2).
phys_span() {
	python3 -c '
import struct, sys
pid, start, end = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with open(f"/proc/{pid}/pagemap", "rb") as f:
    f.seek(start // 4096 * 8)
    data = f.read((end - start) // 4096 * 8)
pfns = [e & ((1 << 55) - 1) for (e,) in struct.iter_unpack("<Q", data) if e >> 63]
print(min(pfns) * 4096, (max(pfns) + 1) * 4096)' "$hc_pid" "$1" "$2"
}

# setup_pageout OPS [START END]: kdamond 0 with one pageout scheme for
# regions idle for at least 5 aggregation intervals, on the running
# workload (paddr: the System RAM range, or [START, END)).
setup_pageout() {
	local regions=()
	[ "$1" = paddr ] && regions=("${2:-$RAM_START}" "${3:-$RAM_END}")
	damon_setup $A "$1" "$hc_pid" 5000 100000 10 1000 "${regions[@]}" &&
		dw $S/action pageout && dw $S/access_pattern/sz/min 4096 &&
		dw $S/access_pattern/nr_accesses/max 0 &&
		dw $S/access_pattern/age/min 5
}

# pageout OPS: the cold part goes out, the hot part stays.
pageout() {
	local ops=$1 i cold_kib hot_kib cold_after hot_after
	hc_start "$bin" "$tmp/layout" -c 128 -H 16 || { fail "$ops/workload-start"; return; }
	cold_kib=$(( (cold_end - cold_start) / 1024 )) hot_kib=$(( (hot_end - hot_start) / 1024 ))
	check "$ops/cold-resident-before" test "$(rss_of $cold_start $cold_end)" -ge $((cold_kib * 9 / 10))
	setup_pageout "$ops" || { fail "$ops/scheme-setup"; hc_stop; return; }
	check "$ops/on" dw $K/state on
	# Wait (at most 40 s) for the cold part to go out.
	for ((i = 0; i < 40; i++)); do
		[ "$(rss_of $cold_start $cold_end)" -le $((cold_kib / 5)) ] && break
		sleep 1
	done
	cold_after=$(rss_of $cold_start $cold_end)
	hot_after=$(rss_of $hot_start $hot_end)
	echo "# $ops: cold rss ${cold_kib} -> ${cold_after} KiB, hot rss ${hot_after} of ${hot_kib} KiB after ${i} s"
	check "$ops/cold-paged-out-80pct" test "$cold_after" -le $((cold_kib / 5))
	check "$ops/hot-stays-resident" test "$hot_after" -ge $((hot_kib * 9 / 10))
	dw $K/state update_schemes_stats
	check "$ops/stats-sz_applied" test "$(dr $S/stats/sz_applied)" -ge $(( (cold_kib - cold_after) * 1024 / 2 ))
	check "$ops/workload-alive" kill -0 $hc_pid
	check "$ops/off" dw $K/state off
	hc_stop
}

# quota OPS: Q = 4 MiB per 500 ms window while 128 MiB are cold.  Both
# what DAMOS reports (sz_applied) and what really left memory (the cold
# part's RSS) may grow by at most Q per window begun between two samples.
# (vaddr reports 0 bytes for a madvise() range with unmapped holes, as
# upstream, while the mapped pages still go: hence the RSS.)
quota() {
	local ops=$1 q=$((4 * MiB)) w_ms=500 i t0s=() t1s=() szs=() rss=() a b win over=0 why='' gone span
	hc_start "$bin" "$tmp/layout" -c 128 -H 16 || { fail "$ops/quota-workload-start"; return; }
	# Only the cold part: the quota would otherwise be spent, 4 MiB a
	# window, on the guest's other idle memory (paddr: free RAM; vaddr:
	# the unmapped holes inside regions, where madvise applies nothing)
	# for longer than the test lasts.  paddr: its physical span; vaddr:
	# a core addr filter allowing just it.
	span=()
	[ "$ops" = paddr ] && read -r -a span <<<"$(phys_span $cold_start $cold_end)"
	setup_pageout "$ops" "${span[@]}" && dw $S/quotas/bytes $q && dw $S/quotas/reset_interval_ms $w_ms ||
		{ fail "$ops/quota-setup"; hc_stop; return; }
	if [ "$ops" != paddr ]; then
		dw $S/core_filters/nr_filters 1 && dw $S/core_filters/0/type addr &&
			dw $S/core_filters/0/addr_start $cold_start &&
			dw $S/core_filters/0/addr_end $cold_end &&
			dw $S/core_filters/0/matching Y && dw $S/core_filters/0/allow Y ||
			{ fail "$ops/quota-setup"; hc_stop; return; }
	fi
	check "$ops/quota-on" dw $K/state on
	for ((i = 0; i < 10; i++)); do
		sleep 0.5
		t0s+=("$(date +%s%N)")
		dw $K/state update_schemes_stats || { unset 't0s[-1]'; continue; }
		szs+=("$(dr $S/stats/sz_applied)") rss+=("$(rss_of $cold_start $cold_end)")
		t1s+=("$(date +%s%N)")
	done
	for ((a = 0; a < ${#t0s[@]}; a++)); do
		for ((b = a + 1; b < ${#t0s[@]}; b++)); do
			win=$(( (t1s[b] - t0s[a]) / (w_ms * 1000000) + 2 ))
			if [ $((szs[b] - szs[a])) -gt $((win * q)) ]; then
				over=1 why="sz_applied grew $(( (szs[b] - szs[a]) / 1024 )) KiB in <= $win windows"
			fi
			if [ $(( (rss[a] - rss[b]) * 1024 )) -gt $((win * q)) ]; then
				over=1 why="cold RSS fell $((rss[a] - rss[b])) KiB in <= $win windows"
			fi
		done
	done
	gone=$(( (rss[0] - rss[-1]) * 1024 ))
	echo "# $ops quota: sz_applied $((szs[-1] / 1024)) KiB, cold RSS ${rss[0]} -> ${rss[-1]} KiB over ${#t0s[@]} samples; qt_exceeds $(dr $S/stats/qt_exceeds)"
	if [ "$over" = 0 ]; then pass "$ops/quota-never-exceeded"; else fail "$ops/quota-never-exceeded" "$why"; fi
	check "$ops/quota-pages-out" test "$gone" -ge "$q"
	check "$ops/qt_exceeds-grows" test "$(dr $S/stats/qt_exceeds)" -ge 2
	check "$ops/quota-off" dw $K/state off
	hc_stop
}

# anon_filter OPS: an ops filter rejecting anon memory (type anon,
# matching Y, allow N) keeps the workload's anonymous cold part resident
# although the scheme is tried on it (upstream's vaddr pageout ignores ops
# filters: paddr only).
anon_filter() {
	local ops=$1 cold_kib after
	hc_start "$bin" "$tmp/layout" -c 128 -H 16 || { fail "$ops/anon-filter-workload-start"; return; }
	cold_kib=$(( (cold_end - cold_start) / 1024 ))
	setup_pageout "$ops" && dw $S/ops_filters/nr_filters 1 && dw $S/ops_filters/0/type anon &&
		dw $S/ops_filters/0/matching Y && dw $S/ops_filters/0/allow N ||
		{ fail "$ops/anon-filter-setup"; hc_stop; return; }
	check "$ops/anon-filter-on" dw $K/state on
	sleep 10
	after=$(rss_of $cold_start $cold_end)
	dw $K/state update_schemes_stats
	echo "# $ops anon filter: cold rss $cold_kib -> $after KiB; nr_tried $(dr $S/stats/nr_tried), sz_applied $(dr $S/stats/sz_applied)"
	check "$ops/anon-filter-keeps-anon" test "$after" -ge $((cold_kib * 9 / 10))
	check "$ops/anon-filter-scheme-tried" test "$(dr $S/stats/nr_tried)" -gt 0
	check "$ops/anon-filter-off" dw $K/state off
	hc_stop
}

# memcg_filter OPS: two workloads in cgroups dxa and dxb; a memcg filter
# allowing only dxa's memory: dxa's cold part goes out, dxb's stays.
memcg_filter() {
	local ops=$1 cg a_pid a_cold b_pid b_cold cold_kib a_after b_after i
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	for cg in dxa dxb; do
		mkdir -p /sys/fs/cgroup/$cg
		printf '#!/bin/bash\necho $$ > /sys/fs/cgroup/%s/cgroup.procs && exec %s "$@"\n' \
			$cg "$bin" > "$tmp/hc-$cg" && chmod +x "$tmp/hc-$cg"
	done
	hc_start "$tmp/hc-dxb" "$tmp/layout-b" -c 64 -H 4 || { fail "$ops/memcg-workload-start"; return; }
	b_pid=$hc_pid b_cold="$cold_start $cold_end"
	hc_start "$tmp/hc-dxa" "$tmp/layout-a" -c 64 -H 4 || { fail "$ops/memcg-workload-start"; kill $b_pid; return; }
	a_pid=$hc_pid a_cold="$cold_start $cold_end"
	check "$ops/memcg-workloads-in-cgroups" grep -qx "$a_pid" /sys/fs/cgroup/dxa/cgroup.procs
	cold_kib=$(( (cold_end - cold_start) / 1024 ))
	setup_pageout "$ops" && dw $S/ops_filters/nr_filters 1 && dw $S/ops_filters/0/type memcg &&
		dw $S/ops_filters/0/memcg_path /dxa && dw $S/ops_filters/0/matching Y &&
		dw $S/ops_filters/0/allow Y || { fail "$ops/memcg-filter-setup"; kill $b_pid; hc_stop; return; }
	hc_pid=$b_pid; echo "# dxb cold before: $(rss_of $b_cold) KiB; memory.current dxa $(cat /sys/fs/cgroup/dxa/memory.current) dxb $(cat /sys/fs/cgroup/dxb/memory.current)"
	check "$ops/memcg-filter-on" dw $K/state on
	for ((i = 0; i < 30; i++)); do
		hc_pid=$a_pid; [ "$(rss_of $a_cold)" -le $((cold_kib / 5)) ] && break
		sleep 1
	done
	hc_pid=$a_pid; a_after=$(rss_of $a_cold)
	hc_pid=$b_pid; b_after=$(rss_of $b_cold)
	echo "# $ops memcg filter: dxa cold $cold_kib -> $a_after KiB, dxb cold $cold_kib -> $b_after KiB after $i s"
	check "$ops/memcg-filter-pages-out-dxa" test "$a_after" -le $((cold_kib / 5))
	check "$ops/memcg-filter-keeps-dxb" test "$b_after" -ge $((cold_kib * 9 / 10))
	check "$ops/memcg-filter-off" dw $K/state off
	kill $b_pid; wait $b_pid 2>/dev/null
	hc_pid=$a_pid; hc_stop
	# A path that is no cgroup: `on` fails as upstream's scheme build (ENOMEM).
	dw $S/ops_filters/0/memcg_path /no-such-cgroup
	expect_write "$ops/memcg-filter-bad-path" $K/state on ENOMEM
	rmdir /sys/fs/cgroup/dxa /sys/fs/cgroup/dxb 2>/dev/null
}

PHASES=${PAGEOUT_PHASES:-pageout quota filters}
for ops in $OPS_LIST; do
	[[ " $PHASES " == *" pageout "* ]] && pageout "$ops"
	[[ " $PHASES " == *" quota "* ]] && quota "$ops"
	if [ "$ops" = paddr ] && [[ " $PHASES " == *" filters "* ]]; then
		anon_filter "$ops"
		memcg_filter "$ops"
	fi
done

dw $A/kdamonds/nr_kdamonds 0
check rmmod rmmod damonx
t_done
