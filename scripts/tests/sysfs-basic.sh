#!/usr/bin/env bash
# The sysfs tree of damonx next to the in-tree DAMON: where it appears, its
# files and defaults, upstream error codes for bad input (which change
# nothing), kdamond on/off/pid, and a clean unload.
#
# Usage (in a guest, as root): sysfs-basic.sh DAMONX_KO
set -u
KO=$1
T_GROUP=sysfs-basic
. "$(dirname "$0")/lib.sh"

MM=/sys/kernel/mm
check intree-damon-present test -d $MM/damon/admin/kdamonds

# ---- loading ------------------------------------------------------------
dmesg -C
check insmod insmod "$KO"
DX=$MM/damonx/admin
check tree-at-damonx test -d $DX/kdamonds
check dmesg-says-where dmesg_has "sysfs tree at $MM/damonx/admin"
K=$DX/kdamonds

# ---- files, modes, defaults ------------------------------------------------
expect_eq nr_kdamonds-default "$(cat $K/nr_kdamonds)" 0
expect_write nr_kdamonds-1 $K/nr_kdamonds 1 0
check kdamond-dir test -d $K/0/contexts
expect_write nr_contexts-1 $K/0/contexts/nr_contexts 1 0
C=$K/0/contexts/0
modes() { # print "mode relative-path" for every file below $1
	(cd "$1" && find . -type f -printf '%m %P\n' | sort)
}
want_modes="400 avail_operations
600 addr_unit
600 monitoring_attrs/intervals/aggr_us
600 monitoring_attrs/intervals/intervals_goal/access_bp
600 monitoring_attrs/intervals/intervals_goal/aggrs
600 monitoring_attrs/intervals/intervals_goal/max_sample_us
600 monitoring_attrs/intervals/intervals_goal/min_sample_us
600 monitoring_attrs/intervals/sample_us
600 monitoring_attrs/intervals/update_us
600 monitoring_attrs/nr_regions/max
600 monitoring_attrs/nr_regions/min
600 operations
600 pause
600 targets/nr_targets"
got_modes=$(modes $C | grep -v '^[0-9]* schemes/')
expect_eq context-files-and-modes "$got_modes" "$(sort <<<"$want_modes")"
expect_eq kdamond-files "$(cd $K/0 && find . -maxdepth 1 -type f -printf '%m %P\n' | sort | tr '\n' ' ')" \
	"400 pid 600 refresh_ms 600 state "
expect_eq state-default "$(cat $K/0/state)" off
expect_eq pid-default "$(cat $K/0/pid)" -1
expect_eq operations-default "$(cat $C/operations)" vaddr
expect_eq avail_operations "$(cat $C/avail_operations | tr '\n' ' ')" "vaddr fvaddr paddr "
expect_eq sample_us-default "$(cat $C/monitoring_attrs/intervals/sample_us)" 5000
expect_eq aggr_us-default "$(cat $C/monitoring_attrs/intervals/aggr_us)" 100000
expect_eq update_us-default "$(cat $C/monitoring_attrs/intervals/update_us)" 60000000
expect_eq min_nr_regions-default "$(cat $C/monitoring_attrs/nr_regions/min)" 10
expect_eq max_nr_regions-default "$(cat $C/monitoring_attrs/nr_regions/max)" 1000
expect_eq addr_unit-default "$(cat $C/addr_unit)" 1

# ---- bad input: upstream errno, nothing changes -------------------------------
expect_write nr_kdamonds-negative $K/nr_kdamonds -1 EINVAL
expect_write nr_kdamonds-garbage $K/nr_kdamonds abc EINVAL
check nr_kdamonds-refused-keeps-children test -d $K/0/contexts/0
expect_write nr_contexts-2 $K/0/contexts/nr_contexts 2 EINVAL
expect_write nr_contexts-negative $K/0/contexts/nr_contexts -3 EINVAL
expect_write operations-unknown $C/operations kaddr EINVAL
expect_write operations-newline-only $C/operations $'\n' EINVAL
expect_write addr_unit-zero $C/addr_unit 0 EINVAL
expect_write sample_us-garbage $C/monitoring_attrs/intervals/sample_us 12ab EINVAL
expect_write sample_us-negative $C/monitoring_attrs/intervals/sample_us -5 EINVAL
expect_write sample_us-overflow $C/monitoring_attrs/intervals/sample_us 18446744073709551616 ERANGE
expect_write state-unknown $K/0/state onn EINVAL
expect_write off-never-started $K/0/state off EINVAL
expect_write commit-never-started $K/0/state commit EINVAL

# ---- values round-trip --------------------------------------------------
expect_write operations-fvaddr $C/operations "fvaddr" 0
expect_eq operations-readback "$(cat $C/operations)" fvaddr
expect_write operations-vaddr-newline $C/operations $'vaddr\n' 0
expect_write sample_us-hex $C/monitoring_attrs/intervals/sample_us 0x3e8 0
expect_eq sample_us-hex-readback "$(cat $C/monitoring_attrs/intervals/sample_us)" 1000
expect_write aggr_us-set $C/monitoring_attrs/intervals/aggr_us 20000 0

# ---- on with invalid parameters fails and leaves nothing running --------------
expect_write nr_targets-1 $C/targets/nr_targets 1 0
sleep 1000 &
SLEEPER=$!
echo $SLEEPER > $C/targets/0/pid_target
echo 2 > $C/monitoring_attrs/nr_regions/min
expect_write on-min-nr-regions-2 $K/0/state on EINVAL
expect_eq on-refused-state-off "$(cat $K/0/state)" off
expect_eq on-refused-pid "$(cat $K/0/pid)" -1
echo 10 > $C/monitoring_attrs/nr_regions/min
echo 5 > $C/monitoring_attrs/nr_regions/max
expect_write on-min-above-max $K/0/state on EINVAL
echo 1000 > $C/monitoring_attrs/nr_regions/max
echo 30000 > $C/monitoring_attrs/intervals/sample_us
expect_write on-sample-above-aggr $K/0/state on EINVAL
echo 1000 > $C/monitoring_attrs/intervals/sample_us
echo 999999 > $C/targets/0/pid_target
expect_write on-no-such-pid $K/0/state on EINVAL
expect_eq on-refused-nothing-running "$(pgrep -c kdamond)" 0
echo $SLEEPER > $C/targets/0/pid_target

# ---- on / off / pid -----------------------------------------------------
expect_write on $K/0/state on 0
expect_eq state-on "$(cat $K/0/state)" on
PID=$(cat $K/0/pid)
check pid-is-kdamond grep -q '^kdamond\.' /proc/"$PID"/comm
expect_write on-while-on $K/0/state on EBUSY
expect_write nr_kdamonds-while-on $K/nr_kdamonds 2 EBUSY
expect_write nr_kdamonds-same-while-on $K/nr_kdamonds 1 EBUSY
expect_write off $K/0/state off 0
expect_eq state-off-after-off "$(cat $K/0/state)" off
expect_eq pid-after-off "$(cat $K/0/pid)" -1
check kdamond-thread-gone wait_for 2 test ! -e /proc/"$PID"
expect_write off-when-off $K/0/state off EPERM
expect_write on-again $K/0/state on 0
expect_eq state-on-again "$(cat $K/0/state)" on

# ---- the kdamond stops by itself when its target exits -------------------------
kill $SLEEPER; wait $SLEEPER 2>/dev/null
check stops-when-target-exits wait_for 5 grep -qx off $K/0/state
expect_eq pid-after-target-exit "$(cat $K/0/pid)" -1

# ---- alongside the in-tree DAMON ------------------------------------------------
sleep 1000 &
SLEEPER=$!
echo $SLEEPER > $C/targets/0/pid_target
IT=$MM/damon/admin/kdamonds
echo 1 > $IT/nr_kdamonds && echo 1 > $IT/0/contexts/nr_contexts &&
	echo 1 > $IT/0/contexts/0/targets/nr_targets &&
	echo $SLEEPER > $IT/0/contexts/0/targets/0/pid_target
expect_write intree-on $IT/0/state on 0
expect_write damonx-on-beside-intree $K/0/state on 0
expect_eq both-running "$(cat $IT/0/state) $(cat $K/0/state)" "on on"
expect_write intree-off $IT/0/state off 0
echo 0 > $IT/nr_kdamonds

# ---- unload with a running kdamond ------------------------------------------------
PID=$(cat $K/0/pid)
check rmmod-while-running rmmod damonx
check rmmod-stops-kdamond wait_for 2 test ! -e /proc/"$PID"
check rmmod-removes-tree test ! -e $MM/damonx
check intree-untouched test -d $MM/damon/admin/kdamonds
kill $SLEEPER; wait $SLEEPER 2>/dev/null

# ---- the sysfs_dir parameter ---------------------------------------------------
expect_eq sysfs_dir-taken-fails "$(insmod "$KO" sysfs_dir=damon 2>&1 >/dev/null | grep -c 'File exists')" 1
check sysfs_dir-taken-says-why dmesg_has "sysfs_dir=damon: /sys/kernel/mm/damon already exists"
check sysfs_dir-taken-not-loaded test ! -e /sys/module/damonx
check sysfs_dir-custom insmod "$KO" sysfs_dir=dxtest
check sysfs_dir-custom-tree test -d $MM/dxtest/admin/kdamonds
check rmmod-custom rmmod damonx
check rmmod-custom-clean test ! -e $MM/dxtest

# Twice in a row: nothing is left behind that breaks a reload.
check reload insmod "$KO"
check reload-tree test -d $DX/kdamonds
check reload-rmmod rmmod damonx

t_done
