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
		return flt.memcg && dx_folio_memcg_is(f, flt.memcg.get());
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

MigrationLists::MigrationLists(Scheme &s)
	: s_(s), n_(s.nr_dests ? s.nr_dests : 1),
	  lists_(new (gfp_kernel) dx_folio_list[n_])
{
	if (lists_)
		for (u32 i = 0; i < n_; i++)
			dx_folio_list_init(&lists_[i]);
}

MigrationLists::~MigrationLists()
{
	if (!lists_)
		return;
	for (u32 i = 0; i < n_; i++)
		dx_folio_list_migrate(&lists_[i], -1);	/* puts back */
	delete[] lists_;
}

void MigrationLists::add(struct dx_folio *f, ulong ilx)
{
	int d = s_.dest_index(ilx);

	if (d < 0 || s_.dest_node(d) == dx_folio_nid(f) || !dx_node_has_memory(s_.dest_node(d)))
		return;
	dx_folio_isolate(f, &lists_[d], false);
}

ulong MigrationLists::migrate()
{
	ulong pages = 0;

	for (u32 i = 0; i < n_; i++)
		pages += dx_folio_list_migrate(&lists_[i], s_.dest_node(int(i)));
	return pages;
}

} // namespace dx::damon
