#!/usr/bin/env bash
# ABI conformance of damonx's sysfs tree:
#  - every file of the mainline 7.1 tree exists with the upstream mode, and
#    beyond it only the 7.2 items damonx implements (pause, fail_charge_*);
#  - every file of the running kernel's in-tree DAMON (6.12) exists in
#    damonx's tree with the same mode and the same default value;
#  - bad input: for every writable file both trees have, the same invalid
#    writes get the same errno from damonx as from the in-tree DAMON, and
#    change nothing.
#
# Usage (in a guest, as root): sysfs-abi.sh DAMONX_KO
set -u
KO=$1
T_GROUP=sysfs-abi
. "$(dirname "$0")/lib.sh"

IT=/sys/kernel/mm/damon/admin
DX=/sys/kernel/mm/damonx/admin
check insmod insmod "$KO"

# The same populated tree on both sides: one of everything.
populate() {
	local a=$1 k c s f
	k=$a/kdamonds/0 c=$a/kdamonds/0/contexts/0 s=$a/kdamonds/0/contexts/0/schemes/0
	echo 1 > $a/kdamonds/nr_kdamonds
	echo 1 > $k/contexts/nr_contexts
	echo 1 > $c/targets/nr_targets
	echo 1 > $c/targets/0/regions/nr_regions
	echo 1 > $c/schemes/nr_schemes
	echo 1 > $s/quotas/goals/nr_goals
	for f in filters core_filters ops_filters; do
		[ -d $s/$f ] && echo 1 > $s/$f/nr_filters
	done
	[ -d $s/dests ] && echo 1 > $s/dests/nr_dests
	return 0
}
populate $IT
populate $DX

listing() { # "mode path" of every file and directory below $1
	(cd "$1" && find . -mindepth 1 \( -type f -printf 'f %m %P\n' \) -o \( -type d -printf 'd - %P\n' \) | sort)
}

# ---- mainline 7.1 tree --------------------------------------------------------
K=kdamonds/0 C=kdamonds/0/contexts/0 S=kdamonds/0/contexts/0/schemes/0
want71="f 600 kdamonds/nr_kdamonds
f 600 $K/state
f 400 $K/pid
f 600 $K/refresh_ms
f 600 $K/contexts/nr_contexts
f 400 $C/avail_operations
f 600 $C/operations
f 600 $C/addr_unit
f 600 $C/monitoring_attrs/intervals/sample_us
f 600 $C/monitoring_attrs/intervals/aggr_us
f 600 $C/monitoring_attrs/intervals/update_us
f 600 $C/monitoring_attrs/intervals/intervals_goal/access_bp
f 600 $C/monitoring_attrs/intervals/intervals_goal/aggrs
f 600 $C/monitoring_attrs/intervals/intervals_goal/min_sample_us
f 600 $C/monitoring_attrs/intervals/intervals_goal/max_sample_us
f 600 $C/monitoring_attrs/nr_regions/min
f 600 $C/monitoring_attrs/nr_regions/max
f 600 $C/targets/nr_targets
f 600 $C/targets/0/pid_target
f 600 $C/targets/0/obsolete_target
f 600 $C/targets/0/regions/nr_regions
f 600 $C/targets/0/regions/0/start
f 600 $C/targets/0/regions/0/end
f 600 $C/schemes/nr_schemes
f 600 $S/action
f 600 $S/apply_interval_us
f 600 $S/target_nid
f 600 $S/access_pattern/sz/min
f 600 $S/access_pattern/sz/max
f 600 $S/access_pattern/nr_accesses/min
f 600 $S/access_pattern/nr_accesses/max
f 600 $S/access_pattern/age/min
f 600 $S/access_pattern/age/max
f 600 $S/quotas/ms
f 600 $S/quotas/bytes
f 600 $S/quotas/reset_interval_ms
f 400 $S/quotas/effective_bytes
f 600 $S/quotas/goal_tuner
f 600 $S/quotas/weights/sz_permil
f 600 $S/quotas/weights/nr_accesses_permil
f 600 $S/quotas/weights/age_permil
f 600 $S/quotas/goals/nr_goals
f 600 $S/quotas/goals/0/target_metric
f 600 $S/quotas/goals/0/target_value
f 600 $S/quotas/goals/0/current_value
f 600 $S/quotas/goals/0/nid
f 600 $S/quotas/goals/0/path
f 600 $S/watermarks/metric
f 600 $S/watermarks/interval_us
f 600 $S/watermarks/high
f 600 $S/watermarks/mid
f 600 $S/watermarks/low
f 600 $S/dests/nr_dests
f 600 $S/dests/0/id
f 600 $S/dests/0/weight
f 400 $S/stats/nr_tried
f 400 $S/stats/sz_tried
f 400 $S/stats/nr_applied
f 400 $S/stats/sz_applied
f 400 $S/stats/qt_exceeds
f 400 $S/stats/sz_ops_filter_passed
f 400 $S/stats/nr_snapshots
f 600 $S/stats/max_nr_snapshots
f 400 $S/tried_regions/total_bytes"
for fd in filters core_filters ops_filters; do
	want71+=$'\n'"f 600 $S/$fd/nr_filters"
	for f in type matching allow memcg_path addr_start addr_end damon_target_idx min max; do
		want71+=$'\n'"f 600 $S/$fd/0/$f"
	done
done
got=$(listing $DX | grep '^f ')
missing=$(comm -23 <(sort <<<"$want71") <(echo "$got") 2>/dev/null || true)
# /dev/fd may be missing in the guest: do it with files.
printf '%s\n' "$want71" | sort > /tmp/abi-want
printf '%s\n' "$got" | sort > /tmp/abi-got
missing=$(comm -23 /tmp/abi-want /tmp/abi-got | tr '\n' ';')
extra=$(comm -13 /tmp/abi-want /tmp/abi-got | tr '\n' ';')
expect_eq mainline-7.1-files-and-modes "$missing" ""
# Beyond 7.1, exactly the 7.2 items damonx has (context pause, quota
# fail_charge), with upstream's modes.
want72="f 600 $C/pause;f 600 $S/quotas/fail_charge_denom;f 600 $S/quotas/fail_charge_num;"
expect_eq only-7.2-files-beyond-7.1 "$extra" "$want72"

# ---- the in-tree 6.12 tree is a subset, with the same modes and defaults ---------
listing $IT > /tmp/abi-it
listing $DX > /tmp/abi-dx
missing=$(comm -23 /tmp/abi-it /tmp/abi-dx | tr '\n' ';')
expect_eq intree-files-dirs-and-modes-present "$missing" ""
diffs=""
while read -r kind mode path; do
	[ "$kind" = f ] && [ "$mode" = 600 ] || continue
	[ "${path##*/}" = state ] && continue
	a=$(cat "$IT/$path" 2>&1); b=$(cat "$DX/$path" 2>&1)
	[ "$a" = "$b" ] || diffs+="$path: '$a' vs '$b';"
done < /tmp/abi-it
expect_eq intree-defaults "$diffs" ""

# ---- bad input: same errno as the in-tree DAMON, nothing changes ----------------
# In python: thousands of writes, and a fork per write is slow under TCG.
python3 - "$IT" "$DX" /tmp/abi-it > /tmp/abi-bad <<'PY'
import errno, os, sys
it, dx, listing = sys.argv[1:4]
bad = ["abc", "-1", "18446744073709551616", "0x", "1.5", "\n", "on off", "0x1g"]
skip = {"state", "nr_kdamonds", "nr_contexts"}   # covered by sysfs-basic
def read(p):
    try:
        with open(p) as f: return f.read()
    except OSError as e: return "E" + errno.errorcode[e.errno]
def write(p, v):
    try:
        fd = os.open(p, os.O_WRONLY)
        try: os.write(fd, v.encode())
        finally: os.close(fd)
        return "0"
    except OSError as e: return errno.errorcode[e.errno]
errdiff, changed, n = [], [], 0
for line in open(listing):
    kind, mode, path = line.split(" ", 2)
    path = path.strip()
    if kind != "f" or mode != "600" or path.rsplit("/", 1)[-1] in skip: continue
    n += 1
    for v in bad:
        a0, b0 = read(f"{it}/{path}"), read(f"{dx}/{path}")
        ea, eb = write(f"{it}/{path}", v), write(f"{dx}/{path}", v)
        a1, b1 = read(f"{it}/{path}"), read(f"{dx}/{path}")
        if ea != eb: errdiff.append(f"{path}<-{v!r}: intree {ea} damonx {eb}")
        if eb != "0" and b0 != b1: changed.append(f"{path}<-{v!r}")
        if a1 != a0: write(f"{it}/{path}", a0)
        if b1 != b0: write(f"{dx}/{path}", b0)
print(f"files={n}")
print("errdiff=" + ";".join(errdiff))
print("changed=" + ";".join(changed))
PY
nfiles=$(sed -n 's/^files=//p' /tmp/abi-bad)
check bad-input-matrix-covers-the-tree test "${nfiles:-0}" -ge 40
expect_eq bad-input-same-errno-as-intree "$(sed -n 's/^errdiff=//p' /tmp/abi-bad)" ""
expect_eq bad-input-changes-nothing "$(sed -n 's/^changed=//p' /tmp/abi-bad)" ""

# The 7.1 files the in-tree 6.12 lacks.
expect_write goal_tuner-bad $DX/$S/quotas/goal_tuner fast EINVAL
expect_write goal_tuner-temporal $DX/$S/quotas/goal_tuner temporal 0
expect_write allow-bad $DX/$S/filters/0/allow maybe EINVAL
expect_write core-filter-ops-type $DX/$S/core_filters/0/type anon EINVAL
expect_write core-filter-core-type $DX/$S/core_filters/0/type addr 0
expect_write ops-filter-core-type $DX/$S/ops_filters/0/type target EINVAL
expect_write ops-filter-ops-type $DX/$S/ops_filters/0/type young 0
expect_write filter-type-unknown $DX/$S/filters/0/type foo EINVAL
expect_write addr_unit-zero $DX/$C/addr_unit 0 EINVAL
expect_write obsolete_target-bad $DX/$C/targets/0/obsolete_target maybe EINVAL
expect_write nr_dests-negative $DX/$S/dests/nr_dests -1 EINVAL
expect_write max_nr_snapshots-bad $DX/$S/stats/max_nr_snapshots x EINVAL
expect_write quotas-ms-erange-is-einval $DX/$S/quotas/ms 18446744073709551616 EINVAL
expect_write pid_target-erange-is-einval $DX/$C/targets/0/pid_target 99999999999 EINVAL

# Invalid filters fail "on" with -ENOMEM, as upstream maps every scheme
# build failure; nothing starts.
sleep 1000 &
SLEEPER=$!
for f in filters core_filters ops_filters; do echo 0 > $DX/$S/$f/nr_filters; done
echo 0 > $DX/$S/quotas/goals/nr_goals
echo $SLEEPER > $DX/$C/targets/0/pid_target
echo 0 > $DX/$C/targets/0/regions/nr_regions
echo 1 > $DX/$S/filters/nr_filters
echo addr > $DX/$S/filters/0/type
echo 8192 > $DX/$S/filters/0/addr_start
echo 4096 > $DX/$S/filters/0/addr_end
expect_write on-addr-filter-end-before-start $DX/kdamonds/0/state on ENOMEM
echo memcg > $DX/$S/filters/0/type
echo /no-such-cgroup > $DX/$S/filters/0/memcg_path
expect_write on-memcg-filter-unknown-path $DX/kdamonds/0/state on ENOMEM
expect_eq on-refused-nothing-running "$(cat $DX/kdamonds/0/state)" off
echo / > $DX/$S/filters/0/memcg_path
expect_write on-memcg-filter-root $DX/kdamonds/0/state on 0
expect_write off-after-filter-test $DX/kdamonds/0/state off 0
kill $SLEEPER

echo 0 > $IT/kdamonds/nr_kdamonds
check rmmod rmmod damonx
t_done
