#!/usr/bin/env bash
# run-guest: --smp 1 --cpu max,-erms,-fsrm --icount shift=0,sleep=on --append norandmaps
# The upstream selftest sysfs_update_schemes_tried_regions_wss_estimation.py,
# unchanged, in a guest of its own (see upstream-selftests.sh for the
# harness; usage and environment are the same).  The test counts 10 MiB as
# the working set only if DAMON sees every page of it accessed in almost
# every 5 ms sampling window: a region must reach nr_accesses >= 5 of 20 and
# keep it within +-2 (max_nr_accesses / 10) from one 100 ms aggregation to
# the next, or its age drops back to 0 and the test's age >= 2 filter drops
# it.  Under TCG that needs three things, each measured to be necessary
# (in-tree DAMON, 2 runs each without it: all failed):
#   -cpu max,-erms,-fsrm  glibc's memset uses "rep stosb" when the CPU has
#                      ERMS, which QEMU 7.2 TCG runs one byte per iteration:
#                      ~21 ms for 10 MiB, so a page is touched in a 5 ms
#                      window with p ~ 0.25.  Without ERMS it uses the AVX2
#                      loop: ~2 ms (0.6 ms at icount shift=0), p ~ 1.
#   -icount shift=0,sleep=on
#                      guest time counts executed instructions (1 ns each),
#                      not host time, so a vCPU thread that the busy host
#                      deschedules for a few ms does not turn a sampling
#                      window into one with no accesses (without it the
#                      test failed on a host at load 5-8).
#   --smp 1            icount runs the vCPUs round-robin in one thread; with
#                      two, the workload's vCPU stalls while the other runs
#                      (failed 2 of 2).
# and tlbtick (scripts/workload/tlbtick.c, started by the harness): the
# Accessed bit is set only on a soft-TLB miss, and only a CR3 write flushes
# the soft-TLB (no PCID under TCG; kdamond is a kthread, lazy TLB, no switch);
# without it no access is seen at all (0 MiB, 2 of 2).
# With these three the test passed 10 of 12 single attempts on the in-tree
# DAMON and 11 of 11 on damonx.  The failures were slow convergence, not
# missed accesses: vaddr splits its three address ranges into min_nr_regions
# (10) pieces by size, and x86-64 randomizes the brk by up to 1 GiB, so the
# binary-to-heap range is often hundreds of MiB and takes 9 pieces while the
# 22 MiB of mmap()ed arrays and libraries start as a single region; finding
# the working set by random splits then takes 0.5-2 s of the test's 4.
#   norandmaps         no brk (nor mmap) randomization: the arrays start in
#                      ~9 regions of ~2.3 MiB and the estimate is right
#                      within ~0.2-0.8 s (12 of 12: 6 in-tree, 6 damonx).
set -u
echo "# guest: $(nproc) CPU(s), erms: $(grep -qw erms /proc/cpuinfo && echo yes || echo no)," \
	"clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
SELFTESTS=${SELFTESTS:-sysfs_update_schemes_tried_regions_wss_estimation.py} \
	exec bash "$(dirname "$0")/upstream-selftests.sh" "$@"
