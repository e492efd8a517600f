// SPDX-License-Identifier: GPL-2.0
/*
 * The operations sets for virtual address spaces: vaddr (regions follow the
 * target's VMAs as "three regions") and fvaddr (fixed, user-given regions).
 * Both sample the Accessed bit of one random address per region, through
 * the page-table helpers of mm/shim/mm.c (resolver feature vaddr).
 */
#include <damonx/ops.hpp>
#include <damonx/quota.hpp>
#include <damonx/resolve.hpp>
#include <damonx/vaddr.hpp>

namespace dx::damon {

namespace vaddr {

static ulong sz_range(const AddrRange &r)
{
	return r.end - r.start;
}

void ThreeRegions::add_vma(ulong start, ulong end)
{
	if (!any_) {
		any_ = true;
		start_ = start;
		end_ = end;
		return;
	}
	ulong gap = start - end_;
	if (gap > sz_range(first_gap_)) {
		second_gap_ = first_gap_;
		first_gap_ = {end_, start};
	} else if (gap > sz_range(second_gap_)) {
		second_gap_ = {end_, start};
	}
	end_ = end;
}

int ThreeRegions::get(AddrRange regions[3], ulong min_sz) const
{
	AddrRange first = first_gap_, second = second_gap_;

	if (!sz_range(first) || !sz_range(second))
		return -err::inval;
	if (first.start > second.start)
		swap(first, second);
	regions[0] = {align_up(start_, min_sz), align_up(first.start, min_sz)};
	regions[1] = {align_up(first.end, min_sz), align_up(second.start, min_sz)};
	regions[2] = {align_up(second.end, min_sz), align_up(end_, min_sz)};
	return 0;
}

int three_regions(const AddrRange *vmas, size_t nr, AddrRange regions[3], ulong min_sz)
{
	ThreeRegions tr;

	for (size_t i = 0; i < nr; i++)
		tr.add_vma(vmas[i].start, vmas[i].end);
	return tr.get(regions, min_sz);
}

} // namespace vaddr

namespace {

/* A target's mm, held for one pass over its regions (none when the task
 * is gone or has no mm). */
using MmRef = Owned<struct dx_mm, dx_mm_put>;

MmRef mm_of(Target &t)
{
	return MmRef(t.pid ? dx_pid_get_mm(t.pid) : nullptr);
}

/* A pass of Accessed-bit checks over one target (mmap_read_lock held, the
 * last VMA remembered); nothing when the target has no mm. */
class VaPass {
public:
	explicit VaPass(struct dx_mm *mm) : on_(mm != nullptr)
	{
		if (on_)
			dx_va_pass_begin(&p_, mm);
	}
	~VaPass()
	{
		if (on_)
			dx_va_pass_end(&p_);
	}
	VaPass(const VaPass &) = delete;
	VaPass &operator=(const VaPass &) = delete;

	explicit operator bool() const { return on_; }
	struct dx_va_pass *get() { return &p_; }

private:
	bool on_;
	struct dx_va_pass p_ = {};
};

/* The last young check of a pass, reused for a sampling address in the same
 * folio (upstream's last_addr/last_folio_sz/last_accessed). */
struct LastCheck {
	bool valid = false;
	ulong addr = 0;
	ulong folio_sz = page_size;
	bool young = false;

	/* Whether @a is in the mapping the last answer holds for. */
	bool covers(ulong a) const
	{
		return valid && align_down(addr, folio_sz) == align_down(a, folio_sz);
	}
};

int three_regions(Target &t, AddrRange regions[3], ulong min_sz)
{
	vaddr::ThreeRegions tr;

	MmRef mm = mm_of(t);
	if (!mm)
		return -err::inval;
	dx_mm_for_each_vma(mm.get(), [](void *arg, ulong start, ulong end) {
		static_cast<vaddr::ThreeRegions *>(arg)->add_vma(start, end);
	}, &tr);
	return tr.get(regions, min_sz);
}

void apply_three_regions(Context &c, Target &t)
{
	AddrRange regions[3];

	if (three_regions(t, regions, c.min_sz_region))
		return;
	set_regions(t, regions, 3, c.min_sz_region);
}

void prepare_access_check(VaPass &pass, Region &r, unsigned flags)
{
	r.sampling_addr = rand_range(r.start, r.end);
	dx_va_mkold(pass.get(), r.sampling_addr, flags);
}

void check_access(VaPass &pass, Region &r, LastCheck &last, unsigned flags,
		  const Attrs &a)
{
	bool young = false;

	if (pass && last.covers(r.sampling_addr)) {
		young = last.young;
	} else if (pass) {
		young = dx_va_young(pass.get(), r.sampling_addr, flags, &last.folio_sz);
		last = {true, r.sampling_addr, last.folio_sz, young};
	}
	update_region_access(r, young, a);
}

/* What vaddr and fvaddr share: the access checks and target validity. */
class VaOps : public Ops {
public:
	constexpr explicit VaOps(OpsId id) : Ops(id) {}

	void prepare_access_checks(Context &c) override
	{
		unsigned flags = young_flags();

		for (Target &t : c.targets) {
			MmRef mm = mm_of(t);
			if (!mm)
				continue;
			VaPass pass(mm.get());
			for (Region &r : t.regions)
				prepare_access_check(pass, r, flags);
		}
	}

	u32 check_accesses(Context &c) override
	{
		unsigned flags = young_flags();
		u32 max_nr_accesses = 0;

		for (Target &t : c.targets) {
			MmRef mm = mm_of(t);
			VaPass pass(mm.get());
			LastCheck last;

			for (Region &r : t.regions) {
				check_access(pass, r, last, flags, c.attrs);
				max_nr_accesses = max(max_nr_accesses, r.nr_accesses);
			}
		}
		return max_nr_accesses;
	}

	bool has_target_valid() const override { return true; }
	bool target_valid(Target &t) override { return t.pid && dx_pid_alive(t.pid); }

	/* DAMOS actions: migrate_hot/cold and stat (with ops filters) on
	 * the folios of the region, the others through madvise() on the
	 * target (damos_madvise); actions vaddr cannot do apply to 0 bytes. */
	ulong apply_scheme(Context &, Target &t, Region &r, Scheme &s, ulong *passed) override
	{
		enum dx_madv advice;

		*passed = 0;
		switch (s.action) {
		case DamosAction::migrate_hot:
		case DamosAction::migrate_cold:
			return migrate(t, r, s, passed);
		case DamosAction::stat:
			count_passed(t, r, s, passed);
			return 0;
		case DamosAction::willneed:
			advice = DX_MADV_WILLNEED;
			break;
		case DamosAction::cold:
			advice = DX_MADV_COLD;
			break;
		case DamosAction::pageout:
			advice = DX_MADV_PAGEOUT;
			break;
		case DamosAction::hugepage:
			advice = DX_MADV_HUGEPAGE;
			break;
		case DamosAction::nohugepage:
			advice = DX_MADV_NOHUGEPAGE;
			break;
		case DamosAction::collapse:
			advice = DX_MADV_COLLAPSE;
			break;
		default:
			return 0;
		}
		if (!resolve::available(resolve::Feature::madvise))
			return 0;
		MmRef mm = mm_of(t);
		if (!mm)
			return 0;
		ulong start = align_up(r.start, page_size);
		ulong len = align_up(r.size(), page_size);
		return dx_va_madvise(mm.get(), start, len, advice) ? 0 : len;
	}

	/* Under a quota, pageout and migrate_cold take the coldest regions
	 * first, migrate_hot the hottest (damon_va_scheme_score). */
	int scheme_score(Context &c, Target &, Region &r, Scheme &s) override
	{
		switch (s.action) {
		case DamosAction::pageout:
		case DamosAction::migrate_cold:
			return cold_score(c, r, s);
		case DamosAction::migrate_hot:
			return hot_score(c, r, s);
		default:
			return max_damos_score;
		}
	}

protected:
	~VaOps() = default;

private:
	/* Calls @fn(folio, ilx) for every folio mapped in @r of @t, each
	 * referenced for the call, in batches taken under mmap_read_lock and
	 * worked on without it. */
	template <typename Fn>
	static void for_each_folio(Target &t, Region &r, Fn fn)
	{
		constexpr unsigned int batch = 32;
		struct dx_folio *folios[batch];
		ulong ilxs[batch];
		MmRef mm = mm_of(t);

		if (!mm)
			return;
		for (ulong addr = r.start, next; addr < r.end; addr = next) {
			unsigned int n = dx_va_folios(mm.get(), addr, r.end, folios, ilxs,
						      batch, &next);
			for (unsigned int i = 0; i < n; i++) {
				fn(folios[i], ilxs[i]);
				dx_folio_put(folios[i]);
			}
			if (!n && next <= addr)
				break;
			dx_cond_resched();
		}
	}

	/* stat: what the ops filters let through (only looked at when the
	 * scheme has some). */
	static void count_passed(Target &t, Region &r, Scheme &s, ulong *passed)
	{
		if (s.ops_filters.empty())
			return;
		for_each_folio(t, r, [&](struct dx_folio *f, ulong) {
			if (!ops_filters_reject(s, f, nullptr))
				*passed += dx_folio_nr_pages(f) * page_size;
		});
	}

	/* Each folio goes to target_nid, or by weighted interleave of its
	 * index to one of the dests (damos_va_migrate). */
	static ulong migrate(Target &t, Region &r, Scheme &s, ulong *passed)
	{
		if (!resolve::available(resolve::Feature::migrate))
			return 0;
		MigrationLists lists(s);
		if (!lists)
			return 0;
		for_each_folio(t, r, [&](struct dx_folio *f, ulong ilx) {
			if (ops_filters_reject(s, f, nullptr))
				return;
			*passed += dx_folio_nr_pages(f) * page_size;
			lists.add(f, ilx);
		});
		return lists.migrate() * page_size;
	}
};

class VaddrOps final : public VaOps {
public:
	constexpr VaddrOps() : VaOps(OpsId::vaddr) {}

	/* Regions the user set are kept until the first update. */
	void init(Context &c) override
	{
		for (Target &t : c.targets)
			if (!t.nr_regions)
				apply_three_regions(c, t);
	}

	void update(Context &c) override
	{
		for (Target &t : c.targets)
			apply_three_regions(c, t);
	}
};

class FvaddrOps final : public VaOps {
public:
	constexpr FvaddrOps() : VaOps(OpsId::fvaddr) {}
};

constinit VaddrOps the_vaddr_ops;
constinit FvaddrOps the_fvaddr_ops;

} // namespace

Ops *vaddr_ops()
{
	return resolve::available(resolve::Feature::vaddr) ? &the_vaddr_ops : nullptr;
}

Ops *fvaddr_ops()
{
	return resolve::available(resolve::Feature::vaddr) ? &the_fvaddr_ops : nullptr;
}

} // namespace dx::damon
