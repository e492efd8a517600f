// SPDX-License-Identifier: GPL-2.0
/*
 * The paddr operations set: address/addr_unit arithmetic, sampling address
 * selection, access checks of real folios of this kernel, the ops filters'
 * evaluation order, and the migration destinations' weighted interleave.
 * Accessed bits of mapped pages need a user process: the functional test
 * paddr-hotcold covers them.
 */
#include <damonx/test.hpp>
#include <damonx/ops.hpp>
#include <damonx/owned.hpp>
#include <damonx/paddr.hpp>
#include <damonx/resolve.hpp>

using namespace dx;
using namespace dx::damon;
using namespace dx::damon::paddr;

DX_TEST(dx_test_paddr_addr_to_pfn)
{
	ulong pfn = 0;

	DX_EXPECT_TRUE(addr_to_pfn(0x1000, 1, &pfn));
	DX_EXPECT_EQ(pfn, 1UL);
	DX_EXPECT_TRUE(addr_to_pfn(0x1fff, 1, &pfn));
	DX_EXPECT_EQ(pfn, 1UL);
	/* addr_unit 4096: core addresses are page frames. */
	DX_EXPECT_TRUE(addr_to_pfn(5, 4096, &pfn));
	DX_EXPECT_EQ(pfn, 5UL);
	DX_EXPECT_TRUE(addr_to_pfn(0x800, 2, &pfn));
	DX_EXPECT_EQ(pfn, 1UL);
	/* Beyond 64 bits of physical address: no page. */
	DX_EXPECT_FALSE(addr_to_pfn(ulong_max, 2, &pfn));
	DX_EXPECT_FALSE(addr_to_pfn(ulong_max / 1024, 4096, &pfn));

	DX_EXPECT_EQ(addr_to_pfn_up(0x1000, 1), 1UL);
	DX_EXPECT_EQ(addr_to_pfn_up(0x1001, 1), 2UL);
	DX_EXPECT_EQ(addr_to_pfn_up(3, 4096), 3UL);
	DX_EXPECT_EQ(addr_to_pfn_up(ulong_max, 1), ulong_max);
	DX_EXPECT_EQ(addr_to_pfn_up(ulong_max / 2, 4), ulong_max);
}

DX_TEST(dx_test_paddr_unit_sizes)
{
	DX_EXPECT_EQ(pages_to_core(1, 1), 4096UL);
	DX_EXPECT_EQ(pages_to_core(1, 4096), 1UL);
	DX_EXPECT_EQ(pages_to_core(1, 2), 2048UL);
	DX_EXPECT_EQ(pages_to_core(3, 1024), 12UL);
	DX_EXPECT_EQ(pages_to_core(0, 1), 0UL);
	/* min_region_sz = max(PAGE_SIZE / addr_unit, 1), a power of two. */
	DX_EXPECT_EQ(min_region_size(1), 4096UL);
	DX_EXPECT_EQ(min_region_size(2), 2048UL);
	DX_EXPECT_EQ(min_region_size(4096), 1UL);
	DX_EXPECT_EQ(min_region_size(1UL << 20), 1UL);
	DX_EXPECT_EQ(min_region_size(1000), 4UL);	/* 4096 / 1000 */
	DX_EXPECT_EQ(min_region_size(3), 0UL);		/* 1365: not a power of two */
	DX_EXPECT_EQ(min_region_size(5), 0UL);
}

namespace {

/* A paddr context with one target and the regions [b[2i], b[2i+1]). */
Owned<Context> paddr_ctx(const ulong *b, size_t n, ulong addr_unit)
{
	Owned<Context> c = make_owned<Context>(gfp_kernel);

	if (!c || c->select_ops(OpsId::paddr))
		return Owned<Context>();
	c->addr_unit = addr_unit;
	c->min_sz_region = min_region_size(addr_unit);
	Target *t = new (gfp_kernel) Target();
	if (!t)
		return Owned<Context>();
	c->add_target(*t);
	for (size_t i = 0; i + 1 < n; i += 2) {
		Region *r = new (gfp_kernel) Region(b[i], b[i + 1]);
		if (!r)
			return Owned<Context>();
		t->add_region(*r);
	}
	return c;
}

/* An LRU folio that no page table maps (page cache of the initramfs...),
 * referenced; nullptr if this kernel has none in its first RAM pages. */
struct dx_folio *unmapped_lru_folio()
{
	ulong end = dx_nr_ram_pages() + (1UL << 18);

	for (ulong pfn = 0; pfn < end; pfn++) {
		struct dx_folio *f = dx_pfn_folio(pfn);

		if (!f)
			continue;
		if (!(dx_folio_flags(f) & DX_FOLIO_MAPPED))
			return f;
		pfn = dx_folio_pfn(f) + dx_folio_nr_pages(f) - 1;
		dx_folio_put(f);
	}
	return nullptr;
}

} // namespace

/* paddr exists exactly when the resolver has feature paddr. */
DX_TEST(dx_test_paddr_availability)
{
	bool avail = resolve::available(resolve::Feature::paddr);

	DX_EXPECT_EQ(ops_available(OpsId::paddr), avail);
	if (!avail)
		dx_kunit_skip(test, "feature paddr unavailable on this kernel");
}

/* Every sampling address is inside its region, whatever the addr_unit,
 * and regions with no RAM behind them are never accessed. */
DX_TEST(dx_test_paddr_sampling_addresses)
{
	if (!ops_available(OpsId::paddr)) {
		dx_kunit_skip(test, "paddr unavailable");
		return;
	}
	/* Far above any RAM of a test guest: no folios at all. */
	const ulong far = 1UL << 46;
	const ulong b1[] = {far, far + 0x10000, far + 0x10000, far + 0x13000};
	const ulong b4096[] = {far >> 12, (far >> 12) + 16, (far >> 12) + 16, (far >> 12) + 17};
	const struct { const ulong *b; ulong unit; } cases[] = { {b1, 1}, {b4096, 4096} };

	for (const auto &k : cases) {
		Owned<Context> c = paddr_ctx(k.b, 4, k.unit);
		DX_ASSERT_TRUE(bool(c));
		for (int round = 0; round < 20; round++) {
			c->ops->prepare_access_checks(*c);
			for (Region &r : c->targets.first()->regions) {
				DX_EXPECT_GE(r.sampling_addr, r.start);
				DX_EXPECT_LT(r.sampling_addr, r.end);
			}
			DX_EXPECT_EQ(c->ops->check_accesses(*c), 0U);
		}
	}
}

/* An unmapped folio's access is its idle flag: mkold sets it, and
 * folio_mark_accessed() (what lru_prio does) clears it again. */
DX_TEST(dx_test_paddr_unmapped_folio_access)
{
	if (!ops_available(OpsId::paddr)) {
		dx_kunit_skip(test, "paddr unavailable");
		return;
	}
	DX_EXPECT_FALSE(dx_pfn_folio(ulong_max >> 13));	/* no such page */
	struct dx_folio *f = unmapped_lru_folio();
	if (!f) {
		dx_kunit_skip(test, "no unmapped LRU folio found");
		return;
	}
	dx_folio_mkold(f, 0);
	DX_EXPECT_FALSE(dx_folio_young(f, 0));
	dx_folio_mark_accessed(f);
	DX_EXPECT_TRUE(dx_folio_young(f, 0));
	dx_folio_mkold(f, 0);
	DX_EXPECT_FALSE(dx_folio_young(f, 0));

	/* Its filter properties: not mapped, so "unmapped" holds. */
	Filter unmapped;
	unmapped.type = FilterType::unmapped;
	DX_EXPECT_TRUE(folio_filter_holds(unmapped, f));
	Filter huge;
	huge.type = FilterType::hugepage_size;
	huge.sz_min = dx_folio_nr_pages(f) * page_size;
	huge.sz_max = huge.sz_min;
	DX_EXPECT_TRUE(folio_filter_holds(huge, f));
	huge.sz_min++;
	DX_EXPECT_FALSE(folio_filter_holds(huge, f));
	dx_folio_put(f);
}

namespace {

/* Scheme @s gets ops filters of the given types/matching/allow. */
struct FilterSpec {
	FilterType type;
	bool matching, allow;
};

bool add_filters(Scheme &s, const FilterSpec *specs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		Filter *f = new (gfp_kernel) Filter();
		if (!f)
			return false;
		f->type = specs[i].type;
		f->matching = specs[i].matching;
		f->allow = specs[i].allow;
		s.ops_filters.push_back(*f);
	}
	return true;
}

/* The verdict for memory where exactly the types in @holding hold. */
bool rejects(Scheme &s, u32 holding, const Filter *implicit = nullptr)
{
	return ops_filters_verdict(s, implicit, [holding](const Filter &f) {
		return bool(holding & (1U << u32(f.type)));
	});
}

constexpr u32 anon = 1U << u32(FilterType::anon);
constexpr u32 young = 1U << u32(FilterType::young);

} // namespace

/* The v6.14+ order: the first filter that matches decides; what none
 * matches takes the opposite of the last filter's verdict. */
DX_TEST(dx_test_paddr_ops_filters_order)
{
	Owned<Scheme> nonep = make_owned<Scheme>(gfp_kernel);
	DX_ASSERT_TRUE(bool(nonep));
	Scheme &none = *nonep;
	DX_EXPECT_FALSE(rejects(none, anon));
	DX_EXPECT_FALSE(rejects(none, 0));

	/* reject anon */
	Owned<Scheme> s1p = make_owned<Scheme>(gfp_kernel);
	DX_ASSERT_TRUE(bool(s1p));
	Scheme &s1 = *s1p;
	const FilterSpec f1[] = {{FilterType::anon, true, false}};
	DX_ASSERT_TRUE(add_filters(s1, f1, 1));
	DX_EXPECT_TRUE(rejects(s1, anon));
	DX_EXPECT_FALSE(rejects(s1, 0));

	/* allow anon: what is not anon is rejected */
	Owned<Scheme> s2p = make_owned<Scheme>(gfp_kernel);
	DX_ASSERT_TRUE(bool(s2p));
	Scheme &s2 = *s2p;
	const FilterSpec f2[] = {{FilterType::anon, true, true}};
	DX_ASSERT_TRUE(add_filters(s2, f2, 1));
	DX_EXPECT_FALSE(rejects(s2, anon));
	DX_EXPECT_TRUE(rejects(s2, 0));

	/* matching=N: the filter is about memory that is NOT anon */
	Owned<Scheme> s3p = make_owned<Scheme>(gfp_kernel);
	DX_ASSERT_TRUE(bool(s3p));
	Scheme &s3 = *s3p;
	const FilterSpec f3[] = {{FilterType::anon, false, false}};
	DX_ASSERT_TRUE(add_filters(s3, f3, 1));
	DX_EXPECT_FALSE(rejects(s3, anon));
	DX_EXPECT_TRUE(rejects(s3, 0));

	/* allow young, then reject anon: young anon is allowed (first
	 * match), old anon rejected, old file memory rejected by default
	 * (the last filter rejects, so the default allows: kept) */
	Owned<Scheme> s4p = make_owned<Scheme>(gfp_kernel);
	DX_ASSERT_TRUE(bool(s4p));
	Scheme &s4 = *s4p;
	const FilterSpec f4[] = {{FilterType::young, true, true}, {FilterType::anon, true, false}};
	DX_ASSERT_TRUE(add_filters(s4, f4, 2));
	DX_EXPECT_FALSE(rejects(s4, anon | young));
	DX_EXPECT_TRUE(rejects(s4, anon));
	DX_EXPECT_FALSE(rejects(s4, 0));

	/* What a core filter allowed skips the ops filters. */
	s2.core_filters_allowed = true;
	DX_EXPECT_FALSE(rejects(s2, 0));
	s2.core_filters_allowed = false;

	/* paddr pageout's implicit young filter comes last, but what
	 * nothing matched still gets the default of the scheme's own
	 * filters (upstream sets it before adding the young filter). */
	Filter implicit;
	implicit.type = FilterType::young;
	implicit.matching = true;
	implicit.allow = false;
	DX_EXPECT_TRUE(rejects(none, young, &implicit));
	DX_EXPECT_FALSE(rejects(none, 0, &implicit));
	DX_EXPECT_FALSE(rejects(s2, anon | young, &implicit));	/* anon allowed first */
	DX_EXPECT_TRUE(rejects(s2, young, &implicit));
	DX_EXPECT_TRUE(rejects(s2, 0, &implicit));	/* "allow anon": others rejected */
}

/* dests/: weighted interleave of folio indexes over the destinations. */
DX_TEST(dx_test_paddr_migrate_dests)
{
	Scheme s;

	s.target_nid = 3;
	DX_EXPECT_EQ(s.dest_index(12345), 0);
	DX_EXPECT_EQ(s.dest_node(0), 3);

	MigrateDest d[] = {{0, 1}, {1, 3}};
	s.dests = new (gfp_kernel) MigrateDest[2];
	DX_ASSERT_TRUE(s.dests);
	s.dests[0] = d[0];
	s.dests[1] = d[1];
	s.nr_dests = 2;
	int count[2] = {};
	for (ulong ilx = 0; ilx < 400; ilx++) {
		int i = s.dest_index(ilx);
		if (!DX_EXPECT_TRUE(i == 0 || i == 1))
			return;
		count[i]++;
	}
	DX_EXPECT_EQ(count[0], 100);
	DX_EXPECT_EQ(count[1], 300);
	DX_EXPECT_EQ(s.dest_node(1), 1);

	/* Weights summing to 0: no migration at all. */
	s.dests[0].weight = s.dests[1].weight = 0;
	DX_EXPECT_EQ(s.dest_index(7), -1);
}
