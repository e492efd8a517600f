// SPDX-License-Identifier: GPL-2.0
/*
 * What the operations sets share (upstream ops-common.c): the folio-level
 * DAMOS filters, evaluated by the ops set on each folio an action visits.
 */
#include <damonx/ops.hpp>
#include <damonx/resolve.hpp>

namespace dx::damon {

unsigned int young_flags()
{
	return resolve::available(resolve::Feature::mmu_notifier) ? DX_VA_NOTIFIER : 0;
}

bool folio_filter_holds(const Filter &flt, struct dx_folio *f)
{
	unsigned int flags = dx_folio_flags(f);
	ulong sz;

	switch (flt.type) {
	case FilterType::anon:
		return flags & DX_FOLIO_ANON;
	case FilterType::active:
		return flags & DX_FOLIO_ACTIVE;
	case FilterType::unmapped:
		return !(flags & DX_FOLIO_MAPPED);
	case FilterType::hugepage_size:
		sz = dx_folio_nr_pages(f) * page_size;
		return flt.sz_min <= sz && sz <= flt.sz_max;
	case FilterType::young:
		/* Looked at once: the next check sees only newer accesses. */
		if (!dx_folio_young(f, young_flags()))
			return false;
		dx_folio_mkold(f, young_flags());
		return true;
	case FilterType::memcg:
		return false;	/* TODO: wired with the memcg shim */
	case FilterType::addr:
	case FilterType::target:
		break;	/* core filters: never on this list */
	}
	return false;
}

bool ops_filters_reject(Scheme &s, struct dx_folio *f, const Filter *implicit)
{
	return ops_filters_verdict(s, implicit,
				   [f](const Filter &flt) { return folio_filter_holds(flt, f); });
}

} // namespace dx::damon
