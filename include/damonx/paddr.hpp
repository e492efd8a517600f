/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The address arithmetic of the paddr operations set (mm/paddr.cpp),
 * exposed for the KUnit suites.  paddr core addresses are physical
 * addresses divided by the context's addr_unit (v6.18), so that a 32-bit
 * unsigned long can address more than 4 GiB.
 */
#pragma once

#include <damonx/damon.hpp>

namespace dx::damon::paddr {

/* The page frame of core address @addr; false if the physical address
 * does not fit 64 bits. */
bool addr_to_pfn(ulong addr, ulong addr_unit, ulong *pfn);
/* The first page frame at or after the physical address of core address
 * @addr (the end of a range); ulong_max if it does not fit. */
ulong addr_to_pfn_up(ulong addr, ulong addr_unit);
/* Bytes of @nr_pages pages, in core address units. */
ulong pages_to_core(ulong nr_pages, ulong addr_unit);
/* The smallest region of a paddr context: a page, in addr_unit units, at
 * least 1; 0 if that is not a power of two (an invalid addr_unit). */
ulong min_region_size(ulong addr_unit);

} // namespace dx::damon::paddr
