// SPDX-License-Identifier: GPL-2.0
/*
 * tlbtick: make every CPU switch address spaces every few milliseconds, so
 * that access monitoring by page-table Accessed bits works under QEMU TCG.
 *
 * Why: DAMON clears a page's Accessed bit and later checks whether the CPU
 * set it again, which the CPU does only when it walks the page tables on a
 * TLB miss.  Real TLBs are small, so a busy process keeps missing.  QEMU's
 * TCG soft-TLB grows to millions of entries and the emulated CPU has no
 * PCID, so it is flushed only by CR3 writes, i.e. by switches between
 * processes: a workload alone on its vCPU never misses again and looks idle
 * (without it the upstream selftest
 * sysfs_update_schemes_tried_regions_wss_estimation.py sees no access at all;
 * it needs more than this, see scripts/tests/upstream-selftests-wss.sh).
 * One SCHED_FIFO thread per CPU (a process
 * of its own, pinned) that wakes every PERIOD_US preempts whatever runs
 * there: two CR3 switches, a full flush of the non-global TLB entries.
 *
 * Usage: tlbtick [PERIOD_US]   (default 2000; runs until killed)
 * Forks one child per online CPU; killing the parent's process group, or
 * the parent (children get SIGTERM via PR_SET_PDEATHSIG), stops them all.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void tick(int cpu, long period_us)
{
	struct sched_param sp = { .sched_priority = 1 };
	struct timespec ts = { .tv_sec = period_us / 1000000,
			       .tv_nsec = (period_us % 1000000) * 1000 };
	cpu_set_t set;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("tlbtick: sched_setaffinity");
	/* Without real-time priority a wake-up may not preempt: still helps. */
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		perror("tlbtick: SCHED_FIFO");
	for (;;)
		nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	long period_us = argc > 1 ? atol(argv[1]) : 2000;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), cpu;

	if (period_us <= 0 || ncpu <= 0) {
		fprintf(stderr, "usage: %s [PERIOD_US]\n", argv[0]);
		return 2;
	}
	for (cpu = 0; cpu < ncpu; cpu++) {
		pid_t p = fork();

		if (p < 0) {
			perror("tlbtick: fork");
			return 1;
		}
		if (p == 0)
			tick((int)cpu, period_us);
	}
	/* Wait for the children; a signal to us ends them via PDEATHSIG. */
	while (wait(NULL) > 0)
		;
	return 0;
}
