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
 * Whether the ops filters of @s reject a piece of memory (v6.14+
 * semantics), @holds(filter) telling whether a filter's condition holds
 * for it: none apply to memory a core filter allowed; else the first filter
 * whose condition equals its matching decides by its allow; what none
 * matches is rejected iff the scheme's last filter allows.  @implicit, if
 * not nullptr, is evaluated after the scheme's filters (paddr pageout's
 * young filter); as upstream's, which is added after the default verdict
 * was set, it does not change what is done with memory nothing matched.
 */
template <typename Holds>
bool ops_filters_verdict(Scheme &s, const Filter *implicit, Holds holds)
{
	if (s.core_filters_allowed)
		return false;
	for (Filter &flt : s.ops_filters)
		if (holds(flt) == flt.matching)
			return !flt.allow;
	if (implicit && holds(*implicit) == implicit->matching)
		return !implicit->allow;
	const Filter *last = s.ops_filters.last();
	return last && last->allow;
}

/* ops_filters_verdict() for folio @f.  A young filter clears the folio's
 * Accessed state when it finds it young. */
bool ops_filters_reject(Scheme &s, struct dx_folio *f, const Filter *implicit);

/*
 * The folios one migrate_hot/migrate_cold apply moves: one isolated list
 * per destination (target_nid, or each of the scheme's dests).  What was
 * not migrated goes back to the LRU when it is destroyed.
 */
class MigrationLists {
public:
	explicit MigrationLists(Scheme &s);
	~MigrationLists();
	MigrationLists(const MigrationLists &) = delete;
	MigrationLists &operator=(const MigrationLists &) = delete;

	explicit operator bool() const { return lists_ != nullptr; }
	/* Queues @f, whose interleave index is @ilx, for its destination,
	 * unless it is there already or the weights say nowhere. */
	void add(struct dx_folio *f, ulong ilx);
	/* Migrates what was queued; pages migrated. */
	ulong migrate();

private:
	Scheme &s_;
	u32 n_;
	struct dx_folio_list *lists_;
};

/* Whether filter @flt's condition holds for @f (before matching). */
bool folio_filter_holds(const Filter &flt, struct dx_folio *f);

} // namespace dx::damon
