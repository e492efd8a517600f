#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""page-nodes: on which NUMA node each present page of [START, END) of PID
is, asked with move_pages(2) (no move: nodes=NULL).  Prints
"n0=PAGES n1=PAGES ... absent=PAGES".

Usage: page-nodes.py PID START END
"""
import ctypes
import os
import sys

SYS_move_pages = 279        # x86_64
PAGE = os.sysconf('SC_PAGE_SIZE')


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    pid, start, end = (int(x) for x in sys.argv[1:4])
    libc = ctypes.CDLL(None, use_errno=True)
    n = (end - start) // PAGE
    pages = (ctypes.c_void_p * n)(*(start + i * PAGE for i in range(n)))
    status = (ctypes.c_int * n)()
    if libc.syscall(SYS_move_pages, pid, ctypes.c_ulong(n), pages, None, status, 0) < 0:
        sys.exit(f'move_pages: {os.strerror(ctypes.get_errno())}')
    counts = {}
    for st in status:
        key = f'n{st}' if st >= 0 else 'absent'
        counts[key] = counts.get(key, 0) + 1
    counts.setdefault('n0', 0)
    counts.setdefault('n1', 0)
    print(' '.join(f'{k}={v}' for k, v in sorted(counts.items())))


if __name__ == '__main__':
    main()
