/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The operations sets damonx provides, and what they share.  Each accessor
 * returns nullptr when the set is unavailable on the running kernel (a
 * kernel internal it needs could not be resolved).
 */
#pragma once

#include <damonx/damon.hpp>

namespace dx::damon {

Ops *vaddr_ops();
Ops *fvaddr_ops();
Ops *paddr_ops();

/* ---- shared by the ops sets (mm/ops-common.cpp, upstream ops-common.c) ---- */

/* The dx_va_flags for Accessed-bit checks: with the MMU notifier when the
 * kernel lets us reach it. */
unsigned int young_flags();

/*
 * Whether the ops filters of @s reject folio @f (v6.14+ semantics): none
 * apply to memory a core filter allowed; else the first filter whose
 * condition (== matching) holds decides by its allow; what none matches is
 * rejected iff the last filter allows.  @implicit, if not nullptr, is
 * evaluated after the scheme's filters as if it were the last one (paddr
 * pageout's young filter).  A young filter clears the folio's Accessed
 * state when it finds it young.
 */
bool ops_filters_reject(Scheme &s, struct dx_folio *f, const Filter *implicit);

/* Whether filter @flt's condition holds for @f (before matching). */
bool folio_filter_holds(const Filter &flt, struct dx_folio *f);

} // namespace dx::damon
