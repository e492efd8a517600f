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
# sparse address space that needs no memory) + 64 MiB hot.
#
# Usage (in a guest, as root): bench-guest.sh DAMONX_KO [SECONDS]
# Env: BENCH_SIZES ("512M 4G"), BENCH_IMPLS ("intree damonx").
set -u
. "$(dirname "$0")/damon-lib.sh"
KO=$1
SECS=${2:-20}
SIZES=${BENCH_SIZES:-512M 4G}
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

# measure SIZE IMPL: one monitoring session of the running workload.
measure() {
	local size=$1 impl=$2 a k kpid c0 c1 t0 t1 i err
	local nrs=() hots=() colds=() accs=() tots=()
	a=$(admin_of "$impl") k=$(admin_of "$impl")/kdamonds/0
	if [ "$impl" = damonx ] && [ "$damonx_loaded" = 0 ]; then
		echo "BENCH size=$size impl=$impl error=insmod-failed"; return
	fi
	if ! err=$(damon_setup "$a" vaddr "$hc_pid" $SAMPLE_US $AGGR_US $MIN_NR $MAX_NR 2>&1) ||
		! err=$(dw "$k/state" on 2>&1); then
		echo "BENCH size=$size impl=$impl error=$(echo "$err" | tr ' ' _)"; return
	fi
	kpid=$(dr "$k/pid")
	if ! c0=$(kdamond_cpu_ms "$kpid" 2>/dev/null); then
		echo "BENCH size=$size impl=$impl error=no-kdamond-pid($kpid)"; dw "$k/state" off; return
	fi
	t0=$(date +%s%N)
	sleep "$SECS"
	# CPU first: the snapshots below make the kdamond work too.
	c1=$(kdamond_cpu_ms "$kpid" 2>/dev/null) || c1=$c0
	t1=$(date +%s%N)
	for ((i = 0; i < 3; i++)); do
		if damon_snapshot "$a" 2> "$TMP/err"; then
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

for size in $SIZES; do
	case $size in
	512M) args=(-c 448 -H 64) ;;
	4G) args=(-c 4032 -T 448 -H 64) ;;
	*) echo "BENCH size=$size error=unknown-size"; continue ;;
	esac
	if ! hc_start "$HC" "$TMP/layout" "${args[@]}"; then
		echo "BENCH size=$size error=workload-did-not-start"; continue
	fi
	for impl in $IMPLS; do measure "$size" "$impl"; done
	hc_stop
done
for impl in $IMPLS; do
	a=$(admin_of "$impl")
	[ -d "$a" ] && dw "$a/kdamonds/nr_kdamonds" 0 2>/dev/null
done
[ "$damonx_loaded" = 1 ] && rmmod damonx
exit 0
