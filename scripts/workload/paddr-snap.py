#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""paddr-snap: one tried_regions snapshot of a physical-address (paddr)
DAMON context, scored against where the hotcold workload's pages really are.

The hot and cold areas of hotcold (scripts/workload/hotcold.c) are virtual
ranges; their physical pages are read from /proc/PID/pagemap (root sees the
PFNs).  Prints one line of KEY=VALUE (bytes):
  regions total_bytes sum      tried regions, total_bytes, sum of sizes
  accessed                     bytes of regions with nr_accesses > 0
  accessed_often               bytes of regions accessed in at least 10% of
                               the samples of an aggregation (not a region
                               seen accessed once in 20 samples)
  hot_true hot_found           resident hot bytes; those inside accessed regions
  cold_true cold_accessed      resident cold bytes; those inside accessed regions
  max_nr_accesses bad          largest nr_accesses; unreadable regions

Usage: paddr-snap.py ADMIN_DIR PID HOT_START HOT_END COLD_START COLD_END [ADDR_UNIT]
  ADMIN_DIR  e.g. /sys/kernel/mm/damonx/admin (kdamond 0, context 0, scheme 0)
  ADDR_UNIT  the context's addr_unit (default 1): region addresses * it = physical
"""
import bisect
import os
import struct
import sys

PAGE = os.sysconf('SC_PAGE_SIZE')


def pfns_of(pid, start, end):
    """Sorted PFNs of the present pages of [start, end) of PID."""
    out = []
    with open(f'/proc/{pid}/pagemap', 'rb') as f:
        f.seek(start // PAGE * 8)
        data = f.read((end - start) // PAGE * 8)
    for (e,) in struct.iter_unpack('<Q', data):
        if e >> 63 and e & ((1 << 55) - 1):
            out.append(e & ((1 << 55) - 1))
    out.sort()
    return out


def count_in(pfns, lo_pfn, hi_pfn):
    return bisect.bisect_left(pfns, hi_pfn) - bisect.bisect_left(pfns, lo_pfn)


def main():
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    admin, pid = sys.argv[1], int(sys.argv[2])
    hs, he, cs, ce = (int(x) for x in sys.argv[3:7])
    unit = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    k = f'{admin}/kdamonds/0'
    with open(f'{k}/state', 'w') as f:
        f.write('update_schemes_tried_regions')
    iv = f'{k}/contexts/0/monitoring_attrs/intervals'
    with open(f'{iv}/sample_us') as f, open(f'{iv}/aggr_us') as g:
        samples = max(int(g.read()) // max(int(f.read()), 1), 1)
    td = f'{k}/contexts/0/schemes/0/tried_regions'
    with open(f'{td}/total_bytes') as f:
        total = int(f.read())
    hot, cold = pfns_of(pid, hs, he), pfns_of(pid, cs, ce)
    r = dict(regions=0, total_bytes=total, sum=0, accessed=0, accessed_often=0,
             hot_true=len(hot) * PAGE, hot_found=0,
             cold_true=len(cold) * PAGE, cold_accessed=0,
             max_nr_accesses=0, bad=0)
    for d in os.listdir(td):
        if not d.isdigit():
            continue
        try:
            vals = {}
            for name in ('start', 'end', 'nr_accesses'):
                with open(f'{td}/{d}/{name}') as f:
                    vals[name] = int(f.read())
        except (OSError, ValueError):
            r['bad'] += 1
            continue
        st, en, na = vals['start'], vals['end'], vals['nr_accesses']
        if en <= st:
            r['bad'] += 1
            continue
        r['regions'] += 1
        r['sum'] += en - st
        r['max_nr_accesses'] = max(r['max_nr_accesses'], na)
        if na <= 0:
            continue
        r['accessed'] += (en - st) * unit
        if na * 10 >= samples:
            r['accessed_often'] += (en - st) * unit
        lo, hi = st * unit // PAGE, (en * unit + PAGE - 1) // PAGE
        r['hot_found'] += count_in(hot, lo, hi) * PAGE
        r['cold_accessed'] += count_in(cold, lo, hi) * PAGE
    print(' '.join(f'{key}={val}' for key, val in r.items()))


if __name__ == '__main__':
    main()
