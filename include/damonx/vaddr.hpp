/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of the vaddr operations set (mm/vaddr.cpp) that are pure logic,
 * exposed for the KUnit suites.
 */
#pragma once

#include <damonx/damon.hpp>

namespace dx::damon::vaddr {

/*
 * The "three regions" of an address space (upstream
 * __damon_va_three_regions()): the VMAs, fed in address order, are covered
 * by three regions separated by the two biggest gaps between them, which
 * usually are heap..mmap area and mmap area..stack.
 */
class ThreeRegions {
public:
	void add_vma(ulong start, ulong end);
	/* The regions, each bound aligned up to @min_sz; -EINVAL if there
	 * were not two gaps. */
	int get(AddrRange regions[3], ulong min_sz) const;

private:
	bool any_ = false;
	ulong start_ = 0;	/* of the first VMA */
	ulong end_ = 0;		/* of the last VMA so far */
	AddrRange first_gap_ = {0, 0};	/* the biggest */
	AddrRange second_gap_ = {0, 0};
};

/* The three regions of @nr VMAs sorted by address. */
int three_regions(const AddrRange *vmas, size_t nr, AddrRange regions[3], ulong min_sz);

} // namespace dx::damon::vaddr
