// SPDX-License-Identifier: GPL-2.0
/*
 * hotcold: a workload with a known access layout, for checking what a DAMON
 * implementation reports against the truth.
 *
 *   COLD: one anonymous mmap of COLD MiB; the first TOUCH MiB of it are
 *         written once at start (so they are populated), then never again.
 *   HOT:  a separate anonymous mmap of HOT MiB; every page of it is written
 *         on every pass of an endless loop.
 *
 * Both areas are separate mmaps so their address ranges are exact.  Once the
 * cold part is populated, the layout is written (atomically: tmp + rename)
 * to the file given with -o, as shell-sourceable decimal KEY=VALUE lines:
 *   pid=  hot_start=  hot_end=  cold_start=  cold_end=  cold_touched_end=
 * and "hotcold: ready pid=..." is printed on stdout.
 *
 * Usage: hotcold [-c COLD_MIB] [-H HOT_MIB] [-T TOUCH_MIB] [-t SECONDS]
 *                [-p PAUSE_US] [-o LAYOUT_FILE]
 *   -c  cold size in MiB (default 512)
 *   -H  hot size in MiB (default 64)
 *   -T  how much of the cold area to touch once, MiB (default: all of it;
 *       0 leaves the cold mmap sparse: a large address space, no memory)
 *   -t  run for SECONDS then exit 0 (default 0: until killed)
 *   -p  sleep PAUSE_US microseconds after each hot pass (default 0)
 *   -F  every N passes, make the CPU re-walk the hot part's page tables
 *       (default 1; 0 = never), see below
 *   -o  write the layout to this file
 * No dependencies beyond libc; builds with `gcc -O2 -static` or plain gcc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)

static void die(const char *what)
{
	fprintf(stderr, "hotcold: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned long parse_ul(const char *s, const char *opt)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0') {
		fprintf(stderr, "hotcold: bad value '%s' for %s\n", s, opt);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Anonymous private mapping, no THP preference either way: the default. */
static char *map(unsigned long bytes, const char *what)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		die(what);
	return p;
}

static void write_layout(const char *path, char *hot, unsigned long hot_sz,
			 char *cold, unsigned long cold_sz, unsigned long touched)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "pid=%d\n", (int)getpid());
	fprintf(f, "hot_start=%lu\nhot_end=%lu\n",
		(unsigned long)hot, (unsigned long)hot + hot_sz);
	fprintf(f, "cold_start=%lu\ncold_end=%lu\n",
		(unsigned long)cold, (unsigned long)cold + cold_sz);
	fprintf(f, "cold_touched_end=%lu\n", (unsigned long)cold + touched);
	if (fclose(f))
		die(tmp);
	if (rename(tmp, path))
		die(path);
}

/*
 * DAMON clears a page's Accessed bit and waits for the CPU to set it again,
 * which the CPU does only when it re-walks the page tables on a TLB miss.
 * A real TLB is small and a hot area bigger than it keeps missing; QEMU's
 * TCG soft-TLB can hold millions of entries, so a hot area written in a
 * tight loop may never miss again and look idle.  Changing the protection
 * (to read-only and back) makes the kernel flush this range from every
 * TLB, so the next pass re-walks and sets the Accessed bits.
 */
static void tlb_refill(char *p, unsigned long bytes)
{
	if (mprotect(p, bytes, PROT_READ) || mprotect(p, bytes, PROT_READ | PROT_WRITE))
		die("mprotect");
}

int main(int argc, char **argv)
{
	unsigned long cold_mib = 512, hot_mib = 64, touch_mib = ~0UL;
	unsigned long secs = 0, pause_us = 0, flush_every = 1, pass = 0, page, hot_sz, cold_sz, touched, i;
	const char *layout = NULL;
	volatile char *hot;
	char *cold;
	unsigned char gen = 0;
	double end;
	int opt;

	while ((opt = getopt(argc, argv, "c:H:T:t:p:F:o:h")) != -1) {
		switch (opt) {
		case 'c': cold_mib = parse_ul(optarg, "-c"); break;
		case 'H': hot_mib = parse_ul(optarg, "-H"); break;
		case 'T': touch_mib = parse_ul(optarg, "-T"); break;
		case 't': secs = parse_ul(optarg, "-t"); break;
		case 'p': pause_us = parse_ul(optarg, "-p"); break;
		case 'F': flush_every = parse_ul(optarg, "-F"); break;
		case 'o': layout = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-c COLD_MIB] [-H HOT_MIB] [-T TOUCH_MIB] "
				"[-t SECONDS] [-p PAUSE_US] [-F N] [-o LAYOUT_FILE]\n", argv[0]);
			return 2;
		}
	}
	if (!hot_mib || !cold_mib) {
		fprintf(stderr, "hotcold: sizes must be > 0\n");
		return 2;
	}
	if (touch_mib > cold_mib)
		touch_mib = cold_mib;
	page = (unsigned long)sysconf(_SC_PAGESIZE);
	hot_sz = hot_mib * MIB;
	cold_sz = cold_mib * MIB;
	touched = touch_mib * MIB;

	/* Cold first, then hot: with top-down mmap, hot ends up below cold. */
	cold = map(cold_sz, "mmap cold");
	hot = (volatile char *)map(hot_sz, "mmap hot");

	for (i = 0; i < touched; i += page)
		cold[i] = 1;
	/* Populate hot too, so the first passes are not all page faults. */
	for (i = 0; i < hot_sz; i += page)
		hot[i] = 1;

	if (layout)
		write_layout(layout, (char *)hot, hot_sz, cold, cold_sz, touched);
	printf("hotcold: ready pid=%d hot=[%#lx,%#lx) cold=[%#lx,%#lx) cold_touched=%lu MiB\n",
	       (int)getpid(), (unsigned long)hot, (unsigned long)hot + hot_sz,
	       (unsigned long)cold, (unsigned long)cold + cold_sz, touch_mib);
	fflush(stdout);

	end = secs ? now() + secs : 0;
	for (;;) {
		gen++;
		for (i = 0; i < hot_sz; i += page)
			hot[i] = gen;
		if (flush_every && ++pass % flush_every == 0)
			tlb_refill((char *)hot, hot_sz);
		if (pause_us)
			usleep(pause_us);
		/* Checking the clock every pass is cheap next to 1 write/page. */
		if (end && now() >= end)
			break;
	}
	return 0;
}
