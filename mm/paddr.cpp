// SPDX-License-Identifier: GPL-2.0
/*
 * The operations set for the physical address space (paddr): regions are
 * physical address ranges the user gives (in addr_unit units), the access
 * of each sampled page is read through the reverse map of its folio (every
 * page table mapping it), and the DAMOS actions work on the LRU lists:
 * pageout (reclaim), lru_prio, lru_deprio, migrate_hot, migrate_cold.
 */
#include <damonx/ops.hpp>
#include <damonx/paddr.hpp>
#include <damonx/quota.hpp>
#include <damonx/resolve.hpp>

namespace dx::damon {

namespace paddr {

bool addr_to_pfn(ulong addr, ulong addr_unit, ulong *pfn)
{
	ulong phys;

	if (__builtin_mul_overflow(addr, addr_unit, &phys))
		return false;
	*pfn = phys / page_size;
	return true;
}

ulong addr_to_pfn_up(ulong addr, ulong addr_unit)
{
	ulong phys;

	if (__builtin_mul_overflow(addr, addr_unit, &phys) || phys > ulong_max - (page_size - 1))
		return ulong_max;
	return align_up(phys, page_size) / page_size;
}

ulong pages_to_core(ulong nr_pages, ulong addr_unit)
{
	ulong bytes;

	if (__builtin_mul_overflow(nr_pages, page_size, &bytes))
		return ulong_max / addr_unit;
	return bytes / addr_unit;
}

ulong min_region_size(ulong addr_unit)
{
	ulong sz = max(page_size / (addr_unit ? addr_unit : 1), 1UL);

	return is_power_of_2(sz) ? sz : 0;
}

} // namespace paddr

namespace {

using namespace paddr;

/* A referenced folio, put when it goes out of scope. */
using FolioRef = Owned<struct dx_folio, dx_folio_put>;

/* The folio of the last access check of a pass: sampling addresses in the
 * same folio share its answer (folios are naturally aligned). */
struct LastFolio {
	ulong start_pfn = 1, end_pfn = 0;	/* empty */
	bool young = false;

	bool covers(ulong pfn) const { return start_pfn <= pfn && pfn < end_pfn; }
};

bool sampled_pfn(const Context &c, const Region &r, ulong *pfn)
{
	return addr_to_pfn(r.sampling_addr, c.addr_unit, pfn);
}

/*
 * Calls @fn(folio) for every folio with a page in @r, once each: a folio
 * spanning several regions is visited only by the first one that applies
 * the scheme to it (upstream's last_applied).  Folios are referenced for
 * the call.
 */
template <typename Fn>
void for_each_folio(const Context &c, const Region &r, Scheme &s, Fn fn)
{
	ulong pfn, end = addr_to_pfn_up(r.end, c.addr_unit);
	u32 n = 0;

	if (!addr_to_pfn(r.start, c.addr_unit, &pfn))
		return;
	while (pfn < end) {
		FolioRef f(dx_pfn_folio(pfn));

		if (!f) {
			pfn++;
			continue;
		}
		ulong next = dx_folio_pfn(f.get()) + dx_folio_nr_pages(f.get());
		if (f.get() != s.last_applied) {
			fn(f.get());
			s.last_applied = f.get();
		}
		pfn = next > pfn ? next : pfn + 1;
		if (!(++n % 1024))
			dx_cond_resched();
	}
}

ulong folio_core_size(const Context &c, struct dx_folio *f)
{
	return pages_to_core(dx_folio_nr_pages(f), c.addr_unit);
}

class PaddrOps final : public Ops {
public:
	constexpr PaddrOps() : Ops(OpsId::paddr) {}

	void prepare_access_checks(Context &c) override
	{
		unsigned int flags = young_flags();

		for (Target &t : c.targets) {
			for (Region &r : t.regions) {
				ulong pfn;

				r.sampling_addr = rand_range(r.start, r.end);
				if (!sampled_pfn(c, r, &pfn))
					continue;
				FolioRef f(dx_pfn_folio(pfn));
				if (f)
					dx_folio_mkold(f.get(), flags);
			}
		}
	}

	u32 check_accesses(Context &c) override
	{
		unsigned int flags = young_flags();
		u32 max_nr_accesses = 0;
		LastFolio last;

		for (Target &t : c.targets) {
			for (Region &r : t.regions) {
				update_region_access(r, young(c, r, last, flags), c.attrs);
				max_nr_accesses = max(max_nr_accesses, r.nr_accesses);
			}
		}
		return max_nr_accesses;
	}

	ulong apply_scheme(Context &c, Target &, Region &r, Scheme &s, ulong *passed) override
	{
		*passed = 0;
		switch (s.action) {
		case DamosAction::pageout:
			return pageout(c, r, s, passed);
		case DamosAction::lru_prio:
			return mark_lru(c, r, s, passed, true);
		case DamosAction::lru_deprio:
			return mark_lru(c, r, s, passed, false);
		case DamosAction::migrate_hot:
		case DamosAction::migrate_cold:
			return migrate(c, r, s, passed);
		case DamosAction::stat:
			count_passed(c, r, s, passed);
			return 0;
		default:
			/* Actions of virtual address spaces. */
			return 0;
		}
	}

	/* Under a quota, the coldest regions go out (or down) first and the
	 * hottest up first (damon_pa_scheme_score). */
	int scheme_score(Context &c, Target &, Region &r, Scheme &s) override
	{
		switch (s.action) {
		case DamosAction::pageout:
		case DamosAction::lru_deprio:
		case DamosAction::migrate_cold:
			return cold_score(c, r, s);
		case DamosAction::lru_prio:
		case DamosAction::migrate_hot:
			return hot_score(c, r, s);
		default:
			return max_damos_score;
		}
	}

private:
	static bool young(const Context &c, const Region &r, LastFolio &last, unsigned int flags)
	{
		ulong pfn;

		if (!sampled_pfn(c, r, &pfn))
			return false;
		if (last.covers(pfn))
			return last.young;
		FolioRef f(dx_pfn_folio(pfn));
		if (!f)
			return false;
		last.start_pfn = dx_folio_pfn(f.get());
		last.end_pfn = last.start_pfn + dx_folio_nr_pages(f.get());
		last.young = dx_folio_young(f.get(), flags);
		return last.young;
	}

	/* stat: how much of the region the ops filters let through (upstream
	 * looks only when there are ops filters). */
	static void count_passed(Context &c, Region &r, Scheme &s, ulong *passed)
	{
		if (s.ops_filters.empty())
			return;
		for_each_folio(c, r, s, [&](struct dx_folio *f) {
			if (!ops_filters_reject(s, f, nullptr))
				*passed += folio_core_size(c, f);
		});
	}

	/* Reclaims the region's folios, but for those found accessed since
	 * the last check (an implicit young filter, unless the scheme has a
	 * young filter of its own). */
	static ulong pageout(Context &c, Region &r, Scheme &s, ulong *passed)
	{
		struct dx_folio_list l;
		Filter young_filter;

		if (!resolve::available(resolve::Feature::pageout))
			return 0;
		young_filter.type = FilterType::young;
		young_filter.matching = true;
		young_filter.allow = false;
		const Filter *implicit = has_ops_filter(s, FilterType::young) ? nullptr : &young_filter;
		dx_folio_list_init(&l);
		for_each_folio(c, r, s, [&](struct dx_folio *f) {
			if (ops_filters_reject(s, f, implicit))
				return;
			*passed += folio_core_size(c, f);
			dx_folio_isolate(f, &l, true);
		});
		return pages_to_core(dx_folio_list_reclaim(&l), c.addr_unit);
	}

	/* lru_prio (mark accessed) or lru_deprio (deactivate). */
	static ulong mark_lru(Context &c, Region &r, Scheme &s, ulong *passed, bool prio)
	{
		ulong applied = 0;

		if (!prio && !resolve::available(resolve::Feature::lru_deprio))
			return 0;
		for_each_folio(c, r, s, [&](struct dx_folio *f) {
			if (ops_filters_reject(s, f, nullptr))
				return;
			*passed += folio_core_size(c, f);
			if (prio)
				dx_folio_mark_accessed(f);
			else
				dx_folio_deactivate(f);
			applied += dx_folio_nr_pages(f);
		});
		return pages_to_core(applied, c.addr_unit);
	}

	/*
	 * migrate_hot/migrate_cold: each folio goes to target_nid, or with
	 * dests to one of them by weighted interleave of its index in the
	 * physical address space; folios already there stay.
	 */
	static ulong migrate(Context &c, Region &r, Scheme &s, ulong *passed)
	{
		if (!resolve::available(resolve::Feature::migrate))
			return 0;
		MigrationLists lists(s);
		if (!lists)
			return 0;
		for_each_folio(c, r, s, [&](struct dx_folio *f) {
			if (ops_filters_reject(s, f, nullptr))
				return;
			*passed += folio_core_size(c, f);
			lists.add(f, dx_folio_pfn(f) / dx_folio_nr_pages(f));
		});
		return pages_to_core(lists.migrate(), c.addr_unit);
	}
};

constinit PaddrOps the_paddr_ops;

} // namespace

Ops *paddr_ops()
{
	return resolve::available(resolve::Feature::paddr) ? &the_paddr_ops : nullptr;
}

} // namespace dx::damon
