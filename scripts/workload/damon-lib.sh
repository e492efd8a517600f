# shellcheck shell=bash
# Helpers shared by the hot/cold tests (scripts/tests/*hotcold*.sh) and the
# benchmark (scripts/bench.sh, scripts/workload/bench-guest.sh): build and
# run the hotcold workload, drive a DAMON sysfs admin directory (the in-tree
# /sys/kernel/mm/damon/admin or damonx's /sys/kernel/mm/damonx/admin: same
# ABI), and turn a tried_regions snapshot into numbers.  Source it.
#
# Reads of sysfs use `read -r v < file` (a bash builtin, no fork): under TCG
# a fork+exec costs milliseconds and a snapshot can have 1000 regions.

HC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Widest values the sysfs access_pattern files accept (ulong / uint).
ULONG_MAX=18446744073709551615
UINT_MAX=4294967295

# hc_build OUTDIR: compile hotcold.c into OUTDIR, print the binary's path.
# HOTCOLD_BIN in the environment skips the build (a prebuilt binary).
hc_build() {
	if [ -n "${HOTCOLD_BIN:-}" ]; then echo "$HOTCOLD_BIN"; return 0; fi
	gcc -O2 -o "$1/hotcold" "$HC_DIR/hotcold.c" >&2 || return 1
	echo "$1/hotcold"
}

# hc_start BIN LAYOUT_FILE ARGS...: start hotcold in the background, wait
# (60 s at most: touching the cold part is slow under TCG) for its layout,
# and load it: sets hc_pid hot_start hot_end cold_start cold_end
# cold_touched_end.  The workload's stdout goes to LAYOUT_FILE.out.
hc_start() {
	local bin=$1 layout=$2 i; shift 2
	rm -f "$layout"
	"$bin" -o "$layout" "$@" > "$layout.out" 2>&1 &
	hc_pid=$!
	for ((i = 0; i < 600; i++)); do
		[ -s "$layout" ] && break
		kill -0 "$hc_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ -s "$layout" ] || { echo "hotcold did not start: $(cat "$layout.out")" >&2; return 1; }
	# shellcheck disable=SC1090
	. "$layout"
	[ "$pid" = "$hc_pid" ] || { echo "hotcold layout pid $pid != $hc_pid" >&2; return 1; }
}

# hc_stop: kill the workload (if still there) and reap it.
hc_stop() {
	[ -n "${hc_pid:-}" ] || return 0
	kill "$hc_pid" 2>/dev/null
	wait "$hc_pid" 2>/dev/null
	hc_pid=
}

# dw FILE VALUE: write VALUE to FILE, saying which write failed.
dw() {
	local out
	out=$( { printf '%s\n' "$2" > "$1"; } 2>&1 ) && return 0
	echo "write '$2' > $1: ${out##*: }" >&2
	return 1
}

# dr FILE: print FILE's first line (builtin read, no fork for the read).
dr() {
	local v=
	read -r v < "$1" || [ -n "$v" ] || return 1
	printf '%s\n' "$v"
}

# damon_setup ADMIN OPS PID SAMPLE_US AGGR_US MIN_NR MAX_NR [START END]...:
# configure kdamond 0 / context 0 / target 0 of ADMIN (any existing
# kdamonds are dropped) with one "stat" scheme whose access pattern matches
# every region, and, for fvaddr/paddr, the given START END address ranges.
# Does not turn it on.  Returns non-zero (message on stderr) on any error.
damon_setup() {
	local a=$1 ops=$2 pid=$3 sus=$4 aus=$5 minr=$6 maxr=$7 k c s i=0; shift 7
	k=$a/kdamonds/0 c=$a/kdamonds/0/contexts/0 s=$a/kdamonds/0/contexts/0/schemes/0
	dw "$a/kdamonds/nr_kdamonds" 0 && dw "$a/kdamonds/nr_kdamonds" 1 &&
	dw "$k/contexts/nr_contexts" 1 &&
	dw "$c/operations" "$ops" &&
	dw "$c/monitoring_attrs/intervals/sample_us" "$sus" &&
	dw "$c/monitoring_attrs/intervals/aggr_us" "$aus" &&
	dw "$c/monitoring_attrs/nr_regions/min" "$minr" &&
	dw "$c/monitoring_attrs/nr_regions/max" "$maxr" &&
	dw "$c/targets/nr_targets" 1 &&
	dw "$c/targets/0/pid_target" "$pid" || return 1
	if [ $# -gt 0 ]; then
		dw "$c/targets/0/regions/nr_regions" $(($# / 2)) || return 1
		while [ $# -ge 2 ]; do
			dw "$c/targets/0/regions/$i/start" "$1" &&
			dw "$c/targets/0/regions/$i/end" "$2" || return 1
			i=$((i + 1)); shift 2
		done
	fi
	dw "$c/schemes/nr_schemes" 1 &&
	dw "$s/action" stat &&
	dw "$s/access_pattern/sz/min" 0 &&
	dw "$s/access_pattern/sz/max" "$ULONG_MAX" &&
	dw "$s/access_pattern/nr_accesses/min" 0 &&
	dw "$s/access_pattern/nr_accesses/max" "$UINT_MAX" &&
	dw "$s/access_pattern/age/min" 0 &&
	dw "$s/access_pattern/age/max" "$UINT_MAX"
}

# overlap A0 A1 B0 B1: set ov to the bytes in [A0,A1) ∩ [B0,B1) (a
# variable, not stdout: no subshell per region).
overlap() {
	local lo=$1 hi=$2
	[ "$3" -gt "$lo" ] && lo=$3
	[ "$4" -lt "$hi" ] && hi=$4
	ov=$((hi > lo ? hi - lo : 0))
}

# damon_snapshot ADMIN: "update_schemes_tried_regions" on kdamond 0, then
# read scheme 0's tried_regions and set (bytes unless said otherwise):
#   snap_nr        number of tried regions
#   snap_total     tried_regions/total_bytes
#   snap_sum       sum of end-start over the regions (should equal total)
#   snap_acc       bytes of regions with nr_accesses > 0
#   snap_hot       bytes of the hot range inside regions with nr_accesses > 0
#   snap_hot_reg   whole sizes of accessed regions that overlap the hot range
#   snap_cold      bytes of the cold range inside regions with nr_accesses > 0
#   snap_maxacc    the largest nr_accesses;  snap_maxage  the largest age
#   snap_bad       regions whose files could not be read or have end <= start
# Needs hot_start hot_end cold_start cold_end (from hc_start).
damon_snapshot() {
	local a=$1 td d st en na ag ov
	td=$a/kdamonds/0/contexts/0/schemes/0/tried_regions
	snap_nr=0 snap_total=0 snap_sum=0 snap_acc=0 snap_hot=0 snap_hot_reg=0
	snap_cold=0 snap_maxacc=0 snap_maxage=0 snap_bad=0
	dw "$a/kdamonds/0/state" update_schemes_tried_regions || return 1
	snap_total=$(dr "$td/total_bytes") || snap_total=-1
	for d in "$td"/*/; do
		[ -f "$d/start" ] || continue
		snap_nr=$((snap_nr + 1))
		read -r st < "$d/start" && read -r en < "$d/end" &&
			read -r na < "$d/nr_accesses" && read -r ag < "$d/age" ||
			{ snap_bad=$((snap_bad + 1)); continue; }
		[ "$en" -gt "$st" ] 2>/dev/null || { snap_bad=$((snap_bad + 1)); continue; }
		snap_sum=$((snap_sum + en - st))
		[ "$na" -gt "$snap_maxacc" ] && snap_maxacc=$na
		[ "$ag" -gt "$snap_maxage" ] && snap_maxage=$ag
		[ "$na" -gt 0 ] || continue
		snap_acc=$((snap_acc + en - st))
		overlap "$st" "$en" "$hot_start" "$hot_end"
		snap_hot=$((snap_hot + ov))
		[ "$ov" -gt 0 ] && snap_hot_reg=$((snap_hot_reg + en - st))
		overlap "$st" "$en" "$cold_start" "$cold_end"
		snap_cold=$((snap_cold + ov))
	done
}

# snap_line: one line describing the last snapshot, sizes in KiB.
snap_line() {
	echo "regions=$snap_nr total_bytes=$snap_total sum=$snap_sum" \
		"accessed_kib=$((snap_acc / 1024)) hot_found_kib=$((snap_hot / 1024))" \
		"hot_regions_kib=$((snap_hot_reg / 1024)) cold_accessed_kib=$((snap_cold / 1024))" \
		"max_nr_accesses=$snap_maxacc max_age=$snap_maxage bad=$snap_bad"
}

# kdamond_cpu_ms PID: utime+stime of the kdamond thread PID in ms.
kdamond_cpu_ms() {
	local f hz
	read -r -a f < "/proc/$1/stat" || return 1
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	# Fields 14 and 15 (1-based); comm ("kdamond.0") has no spaces.
	echo $(( (f[13] + f[14]) * 1000 / hz ))
}

# tried_grows KDAMOND_DIR SCHEME_DIR SECONDS: whether the scheme is tried
# (stats/nr_tried grows, as update_schemes_stats shows it) within SECONDS.
tried_grows() {
	local a b
	dw "$1/state" update_schemes_stats && a=$(dr "$2/stats/nr_tried") || return 1
	sleep "$3"
	dw "$1/state" update_schemes_stats && b=$(dr "$2/stats/nr_tried") || return 1
	echo "# nr_tried $a -> $b in $3 s"
	[ "$b" -gt "$a" ]
}

# field LINE KEY: the value of KEY=VALUE in LINE.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# median N...: the median (lower middle) of integers.
median() {
	local s
	s=$(printf '%s\n' "$@" | sort -n)
	sed -n "$(( ($# + 1) / 2 ))p" <<<"$s"
}
