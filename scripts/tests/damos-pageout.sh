#!/usr/bin/env bash
# DAMOS pageout on vaddr, measured: a workload's cold part (written once,
# then idle) is paged out to swap while its hot part stays resident.
#
# Usage (in a guest with swap, as root): damos-pageout.sh DAMONX_KO
# run-guest: --zram-swap 1G
set -u
KO=$1
T_GROUP=damos-pageout
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../workload/damon-lib.sh"

tmp=$(mktemp -d)
check swap-present test "$(awk 'NR > 1' /proc/swaps | wc -l)" -ge 1
check insmod insmod "$KO"
A=/sys/kernel/mm/damonx/admin
gcc -O2 -o "$tmp/tlbtick" "$(dirname "$0")/../workload/tlbtick.c" && "$tmp/tlbtick" &
TICK=$!
bin=$(hc_build "$tmp") || exit 1
hc_start "$bin" "$tmp/layout" -c 128 -H 16 || { fail workload-start; exit 1; }

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
cold_kib=$(( (cold_end - cold_start) / 1024 ))
hot_kib=$(( (hot_end - hot_start) / 1024 ))
check cold-resident-before test "$(rss_of $cold_start $cold_end)" -ge $((cold_kib * 9 / 10))

damon_setup $A vaddr $hc_pid 5000 100000 10 1000 || { fail setup; exit 1; }
S=$A/kdamonds/0/contexts/0/schemes/0
dw $S/action pageout && dw $S/access_pattern/sz/min 4096 &&
	dw $S/access_pattern/nr_accesses/max 0 &&
	dw $S/access_pattern/age/min 5 || { fail scheme-setup; exit 1; }
check on dw $A/kdamonds/0/state on

# Wait (at most 40 s) for the cold part to go out.
for ((i = 0; i < 40; i++)); do
	[ "$(rss_of $cold_start $cold_end)" -le $((cold_kib / 5)) ] && break
	sleep 1
done
cold_after=$(rss_of $cold_start $cold_end)
hot_after=$(rss_of $hot_start $hot_end)
echo "# cold rss ${cold_kib} -> ${cold_after} KiB, hot rss ${hot_after} of ${hot_kib} KiB after ${i} s"
check cold-paged-out-80pct test "$cold_after" -le $((cold_kib / 5))
check hot-stays-resident test "$hot_after" -ge $((hot_kib * 9 / 10))
dw $A/kdamonds/0/state update_schemes_stats
check stats-sz_applied test "$(dr $S/stats/sz_applied)" -ge $(( (cold_kib - cold_after) * 1024 / 2 ))
check workload-alive kill -0 $hc_pid

check off dw $A/kdamonds/0/state off
hc_stop
kill $TICK 2>/dev/null
check rmmod rmmod damonx
t_done
