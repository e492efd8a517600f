#!/usr/bin/env bash
# The guest side of make demo (scripts/demo.sh).
set -u
KO=$1
. "$(dirname "$0")/workload/damon-lib.sh"
tmp=$(mktemp -d)
echo "=== demo: damonx next to the in-tree DAMON on Linux $(uname -r)"
insmod "$KO" || exit 1
dmesg | grep 'damonx:' | sed 's/^\[[^]]*\] */  dmesg: /'
echo 1 > /sys/kernel/mm/damonx/admin/kdamonds/nr_kdamonds; echo 1 > /sys/kernel/mm/damonx/admin/kdamonds/0/contexts/nr_contexts
echo "  avail_operations: $(tr '\n' ' ' < /sys/kernel/mm/damonx/admin/kdamonds/0/contexts/0/avail_operations)"

gcc -O2 -o "$tmp/tlbtick" "$(dirname "$0")/workload/tlbtick.c" && "$tmp/tlbtick" &
TICK=$!
bin=$(hc_build "$tmp") || exit 1
hc_start "$bin" "$tmp/layout" -c 256 -H 32 || exit 1
echo "  workload pid $hc_pid: hot $(( (hot_end - hot_start) >> 20 )) MiB written continuously," \
	"cold $(( (cold_end - cold_start) >> 20 )) MiB written once"

for admin in /sys/kernel/mm/damon/admin /sys/kernel/mm/damonx/admin; do
	damon_setup $admin vaddr $hc_pid 5000 100000 10 1000 || exit 1
	dw $admin/kdamonds/0/state on || exit 1
done
sleep 8
printf '  %-8s %8s %10s %14s %16s %10s\n' who regions "hot MiB" "hot found MiB" "cold accessed MiB" "cpu ms"
for admin in /sys/kernel/mm/damon/admin /sys/kernel/mm/damonx/admin; do
	who=in-tree; [[ $admin == *damonx* ]] && who=damonx
	damon_snapshot $admin || { echo "  $who: snapshot failed"; continue; }
	cpu=$(kdamond_cpu_ms "$(dr $admin/kdamonds/0/pid)")
	printf '  %-8s %8d %10d %14d %16d %10s\n' $who $snap_nr $(( (hot_end - hot_start) >> 20 )) \
		$((snap_hot >> 20)) $((snap_cold >> 20)) "$cpu"
done
hc_stop
kill $TICK 2>/dev/null
sleep 1
for admin in /sys/kernel/mm/damon/admin /sys/kernel/mm/damonx/admin; do
	echo "  after the workload exits: $admin state $(dr $admin/kdamonds/0/state)"
done
rmmod damonx && echo "  rmmod damonx: ok"
echo "=== end"
