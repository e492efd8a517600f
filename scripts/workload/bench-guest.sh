#!/usr/bin/env bash
# The guest half of scripts/bench.sh: monitor the hotcold workload with the
# in-tree DAMON, then with damonx, same attributes, and print one line per
# (size, implementation):
#   BENCH size=<label> impl=intree|damonx ms=WALL_MS cpu_ms=C regions=R
#         hot_found=B hot_true=B cold_accessed=B cold_true=B accessed=B
#         monitored=B (tried_regions/total_bytes: the whole address range
#         vaddr monitors, gaps and libraries included)
#   BENCH size=<label> impl=... error=<why>
# Sizes: "512M" = 448 MiB cold (all touched once) + 64 MiB hot; "4G" = a
# 4032 MiB cold mmap of which 448 MiB is touched once (the rest never: a
# sparse address space that needs no memory) + 64 MiB hot; "paddr" = the
# 512M workload seen through physical memory (the System RAM range; where
# its pages are is read from pagemap, scripts/workload/paddr-snap.py).
# DAMOS rows "pageout-vaddr" and "pageout-paddr": a pageout scheme for
# regions idle >= 5 aggregations on the 512M workload, until 90% of the cold
# part is out (or SECONDS): also reclaimed=B (cold RSS that left),
# sz_applied=B, and the throughput is reclaimed / cpu_ms.
#
# Usage (in a guest with swap, as root): bench-guest.sh DAMONX_KO [SECONDS]
# Env: BENCH_SIZES ("512M 4G paddr pageout-vaddr pageout-paddr"),
#      BENCH_IMPLS ("intree damonx").
set -u
. "$(dirname "$0")/damon-lib.sh"
KO=$1
SECS=${2:-20}
SIZES=${BENCH_SIZES:-512M 4G paddr pageout-vaddr pageout-paddr}
IMPLS=${BENCH_IMPLS:-intree damonx}
SAMPLE_US=5000 AGGR_US=100000 MIN_NR=10 MAX_NR=1000   # DAMON's defaults

TMP=$(mktemp -d)
trap 'hc_stop; rm -rf "$TMP"' EXIT
HC=$(hc_build "$TMP") || { echo "BENCH error=cannot build hotcold"; exit 1; }

admin_of() { # admin_of IMPL
	case $1 in
	intree) echo /sys/kernel/mm/damon/admin ;;
	damonx) echo /sys/kernel/mm/damonx/admin ;;
	esac
}

damonx_loaded=0
if [[ " $IMPLS " == *" damonx "* ]]; then
	if out=$(insmod "$KO" 2>&1); then damonx_loaded=1
	else echo "# insmod $KO: $out"; fi
fi

SNAP=$(dirname "$0")/paddr-snap.py

# Resident bytes of [$1, $2) of the workload.
rss_bytes() {
	python3 -c '
import struct, sys
pid, start, end = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with open(f"/proc/{pid}/pagemap", "rb") as f:
    f.seek(start // 4096 * 8)
    data = f.read((end - start) // 4096 * 8)
print(sum(1 for (e,) in struct.iter_unpack("<Q", data) if e >> 63) * 4096)' "$hc_pid" "$1" "$2"
}

# start_kdamond SIZE IMPL OPS [REGION...]: kdamond 0 of IMPL on the
# workload; sets a k kpid c0 t0, or prints the BENCH error line and fails.
start_kdamond() {
	local size=$1 impl=$2 ops=$3 err; shift 3
	a=$(admin_of "$impl") k=$(admin_of "$impl")/kdamonds/0
	if [ "$impl" = damonx ] && [ "$damonx_loaded" = 0 ]; then
		echo "BENCH size=$size impl=$impl error=insmod-failed"; return 1
	fi
	if ! err=$(damon_setup "$a" "$ops" "$hc_pid" $SAMPLE_US $AGGR_US $MIN_NR $MAX_NR "$@" 2>&1) ||
		{ [ -n "${SCHEME_SETUP:-}" ] && ! err=$($SCHEME_SETUP "$a" 2>&1); } ||
		! err=$(dw "$k/state" on 2>&1); then
		echo "BENCH size=$size impl=$impl error=$(echo "$err" | tr ' ' _)"; return 1
	fi
	kpid=$(dr "$k/pid")
	if ! c0=$(kdamond_cpu_ms "$kpid" 2>/dev/null); then
		echo "BENCH size=$size impl=$impl error=no-kdamond-pid($kpid)"; dw "$k/state" off; return 1
	fi
	t0=$(date +%s%N)
}

# measure SIZE IMPL OPS [REGION...]: one monitoring session of the running
# workload.
measure() {
	local size=$1 impl=$2 ops=$3 a k kpid c0 c1 t0 t1 i line
	local nrs=() hots=() colds=() accs=() tots=()
	start_kdamond "$@" || return
	sleep "$SECS"
	# CPU first: the snapshots below make the kdamond work too.
	c1=$(kdamond_cpu_ms "$kpid" 2>/dev/null) || c1=$c0
	t1=$(date +%s%N)
	for ((i = 0; i < 3; i++)); do
		if [ "$ops" = paddr ]; then
			if line=$(python3 "$SNAP" "$a" "$hc_pid" "$hot_start" "$hot_end" \
					"$cold_start" "$cold_end" 2> "$TMP/err"); then
				echo "# $size $impl: $line"
				nrs+=("$(field "$line" regions)") hots+=("$(field "$line" hot_found)")
				colds+=("$(field "$line" cold_accessed)") accs+=("$(field "$line" accessed)")
				tots+=("$(field "$line" total_bytes)")
			else
				echo "# $size $impl: snapshot failed: $(cat "$TMP/err")"
			fi
		elif damon_snapshot "$a" 2> "$TMP/err"; then
			echo "# $size $impl: $(snap_line)"
			nrs+=("$snap_nr") hots+=("$snap_hot") colds+=("$snap_cold") accs+=("$snap_acc")
			tots+=("$snap_total")
		else
			echo "# $size $impl: snapshot failed: $(cat "$TMP/err")"
		fi
		sleep 1
	done
	dw "$k/state" off 2>/dev/null
	printf 'BENCH size=%s impl=%s ms=%s cpu_ms=%s' "$size" "$impl" \
		"$(( (t1 - t0) / 1000000 ))" "$((c1 - c0))"
	if [ ${#nrs[@]} -gt 0 ]; then
		printf ' regions=%s hot_found=%s hot_true=%s cold_accessed=%s cold_true=%s accessed=%s monitored=%s' \
			"$(median "${nrs[@]}")" "$(median "${hots[@]}")" $((hot_end - hot_start)) \
			"$(median "${colds[@]}")" $((cold_end - cold_start)) "$(median "${accs[@]}")" \
			"$(median "${tots[@]}")"
	else
		printf ' error=no-tried-regions'
	fi
	echo
}

# A pageout scheme for regions idle for >= 5 aggregations (SCHEME_SETUP).
pageout_scheme() {
	local s=$1/kdamonds/0/contexts/0/schemes/0
	dw "$s/action" pageout && dw "$s/access_pattern/sz/min" 4096 &&
		dw "$s/access_pattern/nr_accesses/max" 0 && dw "$s/access_pattern/age/min" 5
}

# pageout SIZE IMPL OPS [REGION...]: until 90% of the cold part is out.
pageout() {
	local size=$1 impl=$2 a k kpid c0 c1 t0 t1 i before after
	before=$(rss_bytes "$cold_start" "$cold_end")
	SCHEME_SETUP=pageout_scheme start_kdamond "$@" || return
	for ((i = 0; i < SECS * 2; i++)); do
		sleep 0.5
		after=$(rss_bytes "$cold_start" "$cold_end")
		[ "$after" -le $((before / 10)) ] && break
	done
	c1=$(kdamond_cpu_ms "$kpid" 2>/dev/null) || c1=$c0
	t1=$(date +%s%N)
	dw "$k/state" update_schemes_stats
	printf 'BENCH size=%s impl=%s ms=%s cpu_ms=%s reclaimed=%s sz_applied=%s cold_true=%s\n' \
		"$size" "$impl" "$(( (t1 - t0) / 1000000 ))" "$((c1 - c0))" "$((before - after))" \
		"$(dr "$k/contexts/0/schemes/0/stats/sz_applied")" "$before"
	dw "$k/state" off 2>/dev/null
}

ram=$(python3 -c '
best = (0, 0)
for line in open("/proc/iomem"):
    if line.strip().endswith(": System RAM") and not line.startswith(" "):
        s, e = (int(x, 16) for x in line.split(" : ")[0].split("-"))
        if e + 1 - s > best[1] - best[0]:
            best = (s, e + 1)
print(*best)')

for size in $SIZES; do
	case $size in
	512M|paddr|pageout-*) args=(-c 448 -H 64) ;;
	4G) args=(-c 4032 -T 448 -H 64) ;;
	*) echo "BENCH size=$size error=unknown-size"; continue ;;
	esac
	for impl in $IMPLS; do
		# pageout empties the workload: a fresh one each time.
		if [ -z "${hc_pid:-}" ] && ! hc_start "$HC" "$TMP/layout" "${args[@]}"; then
			echo "BENCH size=$size error=workload-did-not-start"; continue 2
		fi
		case $size in
		512M|4G) measure "$size" "$impl" vaddr ;;
		paddr) measure "$size" "$impl" paddr $ram ;;
		pageout-vaddr) pageout "$size" "$impl" vaddr; hc_stop ;;
		pageout-paddr) pageout "$size" "$impl" paddr $ram; hc_stop ;;
		esac
	done
	hc_stop
done
for impl in $IMPLS; do
	a=$(admin_of "$impl")
	[ -d "$a" ] && dw "$a/kdamonds/nr_kdamonds" 0 2>/dev/null
done
[ "$damonx_loaded" = 1 ] && rmmod damonx
exit 0
