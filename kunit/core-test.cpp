// SPDX-License-Identifier: GPL-2.0
/*
 * The region core: every check of upstream's core KUnit suite that applies
 * (region bookkeeping, split, merge, set_regions, access-rate moving sum,
 * rescaling on attribute changes, the feedback loop), plus damonx's own
 * rules (merge/split bounds, age resets, min_nr_regions, intervals tuning).
 */
#include <damonx/test.hpp>
#include <damonx/core.hpp>

using namespace dx;
using namespace dx::damon;

namespace {

/* A target with regions [s[i], e[i]) and nr_accesses n[i]. */
Target *make_target(const ulong *s, const ulong *e, const u32 *n, int nr)
{
	Target *t = new (gfp_kernel) Target();

	if (!t)
		return nullptr;
	for (int i = 0; i < nr; i++) {
		Region *r = new (gfp_kernel) Region(s[i], e[i]);
		if (!r) {
			delete t;
			return nullptr;
		}
		r->nr_accesses = n ? n[i] : 0;
		r->nr_accesses_bp = r->nr_accesses * 10000;
		t->add_region(*r);
	}
	return t;
}

/* The regions of @t must be exactly @bounds (start, end pairs). */
bool regions_are(struct kunit *test, Target &t, const ulong *bounds, u32 nr)
{
	bool ok = DX_EXPECT_EQ(t.nr_regions, nr);
	u32 i = 0;
	for (Region &r : t.regions) {
		if (i >= nr)
			break;
		ok &= DX_EXPECT_EQ(r.start, bounds[2 * i]);
		ok &= DX_EXPECT_EQ(r.end, bounds[2 * i + 1]);
		i++;
	}
	ok &= DX_EXPECT_EQ(u32(t.regions.size()), t.nr_regions);
	return ok;
}

/* Regions sorted, non-overlapping, non-empty. */
bool regions_sane(Target &t)
{
	ulong prev_end = 0;
	for (Region &r : t.regions) {
		if (r.start >= r.end || r.start < prev_end)
			return false;
		prev_end = r.end;
	}
	return true;
}

} // namespace

DX_TEST(dx_test_core_target_regions)
{
	Context c;
	Target *t = new (gfp_kernel) Target();

	DX_ASSERT_TRUE(t != nullptr);
	c.add_target(*t);
	DX_EXPECT_EQ(c.nr_targets(), 1U);
	Region *r = new (gfp_kernel) Region(1, 2);
	DX_ASSERT_TRUE(r != nullptr);
	DX_EXPECT_EQ(r->start, 1UL);
	DX_EXPECT_EQ(r->end, 2UL);
	DX_EXPECT_EQ(r->nr_accesses, 0U);
	DX_EXPECT_EQ(r->age, 0U);
	t->add_region(*r);
	DX_EXPECT_EQ(t->nr_regions, 1U);
	t->destroy_region(*r);
	DX_EXPECT_EQ(t->nr_regions, 0U);
	DX_EXPECT_TRUE(t->regions.empty());
}

DX_TEST(dx_test_core_aggregate)
{
	static const ulong s[] = {10, 20, 30}, e[] = {15, 27, 40};
	static const u32 n[] = {1, 2, 3};
	Context c;

	for (int i = 0; i < 3; i++) {
		Target *t = make_target(s, e, n, 3);
		DX_ASSERT_TRUE(t != nullptr);
		c.add_target(*t);
	}
	reset_aggregated(c);
	for (Target &t : c.targets) {
		u32 i = 0;
		for (Region &r : t.regions) {
			DX_EXPECT_EQ(r.nr_accesses, 0U);
			DX_EXPECT_EQ(r.last_nr_accesses, n[i++]);
		}
		DX_EXPECT_EQ(i, 3U);
	}
}

DX_TEST(dx_test_core_split_at)
{
	static const ulong s[] = {0}, e[] = {100};
	Target *t = make_target(s, e, nullptr, 1);

	DX_ASSERT_TRUE(t != nullptr);
	Region *r = t->regions.first();
	r->nr_accesses_bp = 420000;
	r->nr_accesses = 42;
	r->last_nr_accesses = 15;
	r->age = 7;
	DX_EXPECT_TRUE(split_region_at(*t, *r, 25));
	static const ulong want[] = {0, 25, 25, 100};
	regions_are(test, *t, want, 2);
	Region *n = t->regions.next(*r);
	if (DX_EXPECT_TRUE(n != nullptr)) {
		DX_EXPECT_EQ(n->nr_accesses_bp, r->nr_accesses_bp);
		DX_EXPECT_EQ(n->nr_accesses, r->nr_accesses);
		DX_EXPECT_EQ(n->last_nr_accesses, r->last_nr_accesses);
		DX_EXPECT_EQ(n->age, r->age);
	}
	delete t;
}

DX_TEST(dx_test_core_merge_two)
{
	static const ulong s[] = {0, 100}, e[] = {100, 300};
	static const u32 n[] = {10, 20};
	Target *t = make_target(s, e, n, 2);

	DX_ASSERT_TRUE(t != nullptr);
	Region *l = t->regions.first(), *r = t->regions.last();
	l->age = 3;
	r->age = 9;
	merge_two_regions(*t, *l, *r);
	static const ulong want[] = {0, 300};
	regions_are(test, *t, want, 1);
	DX_EXPECT_EQ(l->nr_accesses, 16U);	/* (10*100 + 20*200) / 300 */
	DX_EXPECT_EQ(l->nr_accesses_bp, 160000U);
	DX_EXPECT_EQ(l->age, 7U);		/* (3*100 + 9*200) / 300 */
	delete t;
}

DX_TEST(dx_test_core_merge_regions_of)
{
	static const ulong s[] = {0, 100, 114, 122, 130, 156, 170, 184};
	static const ulong e[] = {100, 112, 122, 130, 156, 170, 184, 230};
	static const u32 n[] = {0, 0, 10, 10, 20, 30, 1, 2};
	Target *t = make_target(s, e, n, 8);

	DX_ASSERT_TRUE(t != nullptr);
	merge_regions_of(*t, 9, 9999, true);
	static const ulong want[] = {0, 112, 114, 130, 130, 156, 156, 170, 170, 230};
	regions_are(test, *t, want, 5);
	delete t;
}

DX_TEST(dx_test_core_merge_size_limit)
{
	/* Equal neighbours merge only up to the size limit. */
	static const ulong s[] = {0, 10, 20, 30}, e[] = {10, 20, 30, 40};
	static const u32 n[] = {5, 5, 5, 5};
	Target *t = make_target(s, e, n, 4);

	DX_ASSERT_TRUE(t != nullptr);
	merge_regions_of(*t, 0, 20, false);
	static const ulong want[] = {0, 20, 20, 40};
	regions_are(test, *t, want, 2);
	delete t;
}

DX_TEST(dx_test_core_age)
{
	/* Age grows while the frequency holds, and restarts on a change
	 * above the threshold or between idle and accessed. */
	static const ulong s[] = {0, 100, 200, 300}, e[] = {50, 150, 250, 350};
	static const u32 n[] = {10, 10, 1, 0};
	Target *t = make_target(s, e, n, 4);

	DX_ASSERT_TRUE(t != nullptr);
	u32 last[] = {10, 30, 0, 0};
	u32 i = 0;
	for (Region &r : t->regions) {
		r.age = 5;
		r.last_nr_accesses = last[i++];
	}
	merge_regions_of(*t, 2, 1, true);	/* no merges: not adjacent */
	u32 want_age[] = {6, 0, 0, 6};
	i = 0;
	for (Region &r : t->regions)
		DX_EXPECT_EQ(r.age, want_age[i++]);
	delete t;
}

DX_TEST(dx_test_core_merge_regions_bound)
{
	/* With more regions than max_nr_regions, the threshold doubles until
	 * the count fits (or the threshold is the maximum). */
	Context c;
	c.attrs.sample_interval = 1000;
	c.attrs.aggr_interval = 100000;	/* max_nr_accesses 100 */
	c.attrs.min_nr_regions = 3;
	c.attrs.max_nr_regions = 10;
	Target *t = new (gfp_kernel) Target();
	DX_ASSERT_TRUE(t != nullptr);
	c.add_target(*t);
	for (u32 i = 0; i < 100; i++) {
		Region *r = new (gfp_kernel) Region(i * page_size, (i + 1) * page_size);
		DX_ASSERT_TRUE(r != nullptr);
		r->nr_accesses = (i * 37) % 100;	/* all different */
		t->add_region(*r);
	}
	merge_regions(c, 0, ulong_max);
	DX_EXPECT_LE(t->nr_regions, 10U);
	DX_EXPECT_TRUE(regions_sane(*t));
	DX_EXPECT_EQ(t->total_size(), 100 * page_size);
}

DX_TEST(dx_test_core_split_regions_of)
{
	static const ulong s[] = {0}, e1[] = {22}, e2[] = {220};
	Target *t = make_target(s, e1, nullptr, 1);

	DX_ASSERT_TRUE(t != nullptr);
	split_regions_of(*t, 2, 1);
	DX_EXPECT_LE(t->nr_regions, 2U);
	DX_EXPECT_TRUE(regions_sane(*t));
	delete t;

	t = make_target(s, e2, nullptr, 1);
	DX_ASSERT_TRUE(t != nullptr);
	split_regions_of(*t, 4, 1);
	DX_EXPECT_LE(t->nr_regions, 4U);
	DX_EXPECT_TRUE(regions_sane(*t));
	DX_EXPECT_EQ(t->total_size(), 220UL);
	delete t;

	/* Regions of at most two minimum sizes are never split. */
	static const ulong e3[] = {2 * page_size};
	t = make_target(s, e3, nullptr, 1);
	DX_ASSERT_TRUE(t != nullptr);
	split_regions_of(*t, 3, page_size);
	DX_EXPECT_EQ(t->nr_regions, 1U);
	delete t;
}

DX_TEST(dx_test_core_split_pieces)
{
	/* Every piece is aligned to the minimum size and at least 10% of its
	 * parent; a split region copies its data. */
	for (int round = 0; round < 20; round++) {
		static const ulong s[] = {0}, e[] = {1000 * page_size};
		static const u32 n[] = {7};
		Target *t = make_target(s, e, n, 1);
		DX_ASSERT_TRUE(t != nullptr);
		split_regions_of(*t, 2, page_size);
		DX_EXPECT_EQ(t->nr_regions, 2U);
		Region *a = t->regions.first(), *b = t->regions.last();
		DX_EXPECT_EQ(a->start % page_size, 0UL);
		DX_EXPECT_EQ(a->end % page_size, 0UL);
		DX_EXPECT_GE(a->size(), 100 * page_size);
		DX_EXPECT_LE(a->size(), 900 * page_size);
		DX_EXPECT_EQ(b->nr_accesses, 7U);
		delete t;
	}
}

DX_TEST(dx_test_core_split_regions_limits)
{
	/* No split above max_nr_regions/2; three pieces when the count did
	 * not change since the last split and is below max/3. */
	Context c;
	c.attrs.max_nr_regions = 12;
	Target *t = new (gfp_kernel) Target();
	DX_ASSERT_TRUE(t != nullptr);
	c.add_target(*t);
	for (u32 i = 0; i < 7; i++) {
		Region *r = new (gfp_kernel) Region(i * 100 * page_size, (i + 1) * 100 * page_size);
		DX_ASSERT_TRUE(r != nullptr);
		t->add_region(*r);
	}
	split_regions(c);
	DX_EXPECT_EQ(t->nr_regions, 7U);	/* 7 > 12/2 */
	while (t->nr_regions > 3)
		t->destroy_region(*t->regions.last());
	c.last_nr_regions = 3;
	split_regions(c);
	DX_EXPECT_GT(t->nr_regions, 6U);	/* 3 pieces each, mostly */
	DX_EXPECT_LE(t->nr_regions, 9U);
	DX_EXPECT_TRUE(regions_sane(*t));
}

DX_TEST(dx_test_core_min_nr_regions)
{
	Context c;
	c.attrs.min_nr_regions = 10;
	static const ulong s[] = {0, 100 * page_size}, e[] = {90 * page_size, 101 * page_size};
	Target *t = make_target(s, e, nullptr, 2);
	DX_ASSERT_TRUE(t != nullptr);
	c.add_target(*t);
	DX_EXPECT_EQ(apply_min_nr_regions(c), 0);
	DX_EXPECT_GE(t->nr_regions, 10U);
	DX_EXPECT_TRUE(regions_sane(*t));
	DX_EXPECT_EQ(t->total_size(), 91 * page_size);
	ulong max_sz = align_up(91 * page_size / 10, page_size);
	for (Region &r : t->regions)
		DX_EXPECT_LE(r.size(), max_sz);
	/* Idempotent. */
	u32 n = t->nr_regions;
	apply_min_nr_regions(c);
	DX_EXPECT_EQ(t->nr_regions, n);
}

DX_TEST(dx_test_core_set_regions)
{
	static const ulong s[] = {4, 24}, e[] = {16, 32};
	Target *t = make_target(s, e, nullptr, 2);
	DX_ASSERT_TRUE(t != nullptr);
	t->regions.first()->nr_accesses = 9;
	AddrRange range = {8, 28};
	DX_EXPECT_EQ(set_regions(*t, &range, 1, 1), 0);
	static const ulong want[] = {8, 16, 16, 24, 24, 28};
	regions_are(test, *t, want, 3);
	DX_EXPECT_EQ(t->regions.first()->nr_accesses, 9U);	/* kept */
	delete t;
}

DX_TEST(dx_test_core_set_regions_cases)
{
	/* The vaddr "apply three regions" cases of upstream's suite. */
	static const ulong s[] = {10, 20, 30, 50, 59, 70, 80, 90};
	static const ulong e[] = {20, 25, 40, 55, 63, 80, 90, 100};
	struct Case {
		AddrRange ranges[3];
		ulong want[20];
		u32 nr;
	};
	static const Case cases[] = {
		/* 1: small changes: edges clipped/extended */
		{{{5, 27}, {45, 55}, {73, 104}},
		 {5, 20, 20, 27, 45, 55, 73, 80, 80, 90, 90, 104}, 6},
		/* 2: large changes: regions outside go, holes filled */
		{{{5, 27}, {56, 57}, {65, 104}},
		 {5, 20, 20, 27, 56, 57, 65, 80, 80, 90, 90, 104}, 6},
		/* 3: a new middle region */
		{{{5, 27}, {61, 63}, {65, 104}},
		 {5, 20, 20, 27, 61, 63, 65, 80, 80, 90, 90, 104}, 6},
		/* 4: everything new */
		{{{5, 7}, {30, 32}, {65, 68}},
		 {5, 7, 30, 32, 65, 68}, 3},
	};
	for (const Case &cs : cases) {
		Target *t = make_target(s, e, nullptr, 8);
		DX_ASSERT_TRUE(t != nullptr);
		DX_EXPECT_EQ(set_regions(*t, cs.ranges, 3, 1), 0);
		regions_are(test, *t, cs.want, cs.nr);
		delete t;
	}
}

DX_TEST(dx_test_core_set_regions_invalid)
{
	static const ulong s[] = {0}, e[] = {page_size};
	Target *t = make_target(s, e, nullptr, 1);
	DX_ASSERT_TRUE(t != nullptr);
	AddrRange overlap[] = {{0, 3 * page_size}, {2 * page_size, 4 * page_size}};
	DX_EXPECT_EQ(set_regions(*t, overlap, 2), -err::inval);
	AddrRange empty = {5 * page_size, 5 * page_size};
	DX_EXPECT_EQ(set_regions(*t, &empty, 1), -err::inval);
	static const ulong want[] = {0, page_size};
	regions_are(test, *t, want, 1);	/* unchanged */
	AddrRange unaligned = {page_size + 10, 2 * page_size + 10};
	DX_EXPECT_EQ(set_regions(*t, &unaligned, 1), 0);
	static const ulong want2[] = {page_size, 3 * page_size};
	regions_are(test, *t, want2, 1);
	delete t;
}

DX_TEST(dx_test_core_nr_accesses_to_bp)
{
	Attrs a;
	a.sample_interval = 10;
	a.aggr_interval = (ulong(uint_max) + 1) * 10;
	DX_EXPECT_EQ(nr_accesses_to_bp(123, a), 0U);
	a.aggr_interval = 1000;
	DX_EXPECT_EQ(nr_accesses_to_bp(50, a), 5000U);
	DX_EXPECT_EQ(bp_to_nr_accesses(5000, a), 50U);
}

DX_TEST(dx_test_core_update_monitoring_result)
{
	Attrs old_a, new_a;
	Region r(3, 7);

	old_a.sample_interval = 10;
	old_a.aggr_interval = 1000;
	r.nr_accesses = 15;
	r.nr_accesses_bp = 150000;
	r.age = 20;
	new_a.sample_interval = 100;
	new_a.aggr_interval = 10000;
	update_monitoring_result(r, old_a, new_a, false);
	DX_EXPECT_EQ(r.nr_accesses, 15U);
	DX_EXPECT_EQ(r.age, 2U);
	new_a.sample_interval = 1;
	new_a.aggr_interval = 1000;
	update_monitoring_result(r, old_a, new_a, false);
	DX_EXPECT_EQ(r.nr_accesses, 150U);
	DX_EXPECT_EQ(r.age, 2U);
	new_a.aggr_interval = 100;
	update_monitoring_result(r, old_a, new_a, false);
	DX_EXPECT_EQ(r.nr_accesses, 150U);
	DX_EXPECT_EQ(r.age, 20U);

	/* In the middle of an aggregation: restart from the last result. */
	Region m(3, 7);
	m.nr_accesses = 4;
	m.last_nr_accesses = 10;
	new_a.sample_interval = 5;
	new_a.aggr_interval = 1000;	/* max 200 vs 100 before */
	update_monitoring_result(m, old_a, new_a, true);
	DX_EXPECT_EQ(m.nr_accesses, 0U);
	DX_EXPECT_EQ(m.last_nr_accesses, 20U);
	DX_EXPECT_EQ(m.nr_accesses_bp, 200000U);
}

DX_TEST(dx_test_core_set_attrs)
{
	Context c;
	Attrs valid;
	valid.min_nr_regions = 10;
	valid.max_nr_regions = 1000;
	valid.sample_interval = 5000;
	valid.aggr_interval = 100000;
	DX_EXPECT_EQ(set_attrs(c, valid), 0);
	DX_EXPECT_EQ(c.attrs.aggr_samples, 20UL);
	Attrs bad = valid;
	bad.min_nr_regions = 1;
	DX_EXPECT_EQ(set_attrs(c, bad), -err::inval);
	bad = valid;
	bad.max_nr_regions = 9;
	DX_EXPECT_EQ(set_attrs(c, bad), -err::inval);
	bad = valid;
	bad.aggr_interval = 4999;
	DX_EXPECT_EQ(set_attrs(c, bad), -err::inval);
	DX_EXPECT_EQ(c.attrs.aggr_interval, 100000UL);	/* unchanged */
	/* Rescheduled from now. */
	c.passed_sample_intervals = 1000;
	valid.aggr_interval = 50000;
	DX_EXPECT_EQ(set_attrs(c, valid), 0);
	DX_EXPECT_EQ(c.next_aggregation_sis, 1010UL);
}

DX_TEST(dx_test_core_moving_sum)
{
	Attrs a;
	a.sample_interval = 1;
	a.aggr_interval = 10;	/* window of 10 samples */
	Region r(0, 1);
	r.nr_accesses_bp = 50000;
	r.last_nr_accesses = 5;
	static const bool accessed[] = {1, 0, 1, 0, 0, 0, 1, 0, 0, 0};
	static const u32 want[] = {55000, 50000, 55000, 50000, 45000, 40000,
				   45000, 40000, 35000, 30000};
	for (int i = 0; i < 10; i++) {
		update_region_access(r, accessed[i], a);
		DX_EXPECT_EQ(r.nr_accesses_bp, want[i]);
	}
	DX_EXPECT_EQ(r.nr_accesses, 3U);
}

DX_TEST(dx_test_core_feed_loop)
{
	ulong last = 10000;
	/* Under the goal: grows; over: shrinks; at the goal: stays. */
	ulong up = feed_loop_next_input(last, 5000);
	DX_EXPECT_GT(up, last);
	ulong down = feed_loop_next_input(up, 15000);
	DX_EXPECT_LT(down, up);
	DX_EXPECT_EQ(feed_loop_next_input(12345, 10000), 12345UL);
	DX_EXPECT_EQ(feed_loop_next_input(999999, 20000), 10000UL);
	DX_EXPECT_GE(feed_loop_next_input(10000, 19999), 10000UL);
	/* Monotonic in the score. */
	DX_EXPECT_GE(feed_loop_next_input(50000, 1000), feed_loop_next_input(50000, 2000));
	DX_EXPECT_EQ(feed_loop_next_input(ulong_max, 0), ulong_max);
}

DX_TEST(dx_test_core_tune_intervals)
{
	Context c;
	Attrs a;
	a.sample_interval = 5000;
	a.aggr_interval = 100000;
	a.intervals_goal = {400, 3, 1000, 100000};
	DX_ASSERT_EQ(set_attrs(c, a), 0);
	Target *t = new (gfp_kernel) Target();
	Region *r = new (gfp_kernel) Region(0, 100 * page_size);
	DX_ASSERT_TRUE(t && r);
	c.add_target(*t);
	t->add_region(*r);

	/* Nothing observed: far under the 4% goal, so intervals grow. */
	r->nr_accesses = 0;
	DX_EXPECT_EQ(intervals_score(c), 0UL);
	tune_intervals(c);
	DX_EXPECT_GT(c.attrs.sample_interval, 5000UL);
	DX_EXPECT_EQ(c.attrs.aggr_interval, c.attrs.sample_interval * 20);

	/* Everything accessed every sample: far over, intervals shrink but
	 * by at most half per step. */
	ulong before = c.attrs.sample_interval;
	r->nr_accesses = u32(c.attrs.aggr_samples);
	tune_intervals(c);
	DX_EXPECT_LT(c.attrs.sample_interval, before);
	DX_EXPECT_GE(c.attrs.sample_interval, before / 2);
	DX_EXPECT_EQ(c.attrs.aggr_interval, c.attrs.sample_interval * 20);

	/* Bounded by [min_sample_us, max_sample_us]. */
	for (int i = 0; i < 40; i++)
		tune_intervals(c);
	DX_EXPECT_EQ(c.attrs.sample_interval, 1000UL);
	r->nr_accesses = 0;
	for (int i = 0; i < 40; i++)
		tune_intervals(c);
	DX_EXPECT_EQ(c.attrs.sample_interval, 100000UL);

	/* Nothing seen: the fastest growth, twice per step. */
	DX_EXPECT_EQ(intervals_adaptation_bp(c), 20000UL);

	/* Exactly at the goal (5% of 20 samples = 1): nothing changes. */
	c.attrs.intervals_goal.access_bp = 500;
	r->nr_accesses = 1;
	DX_EXPECT_EQ(intervals_score(c), 10000UL);
	DX_EXPECT_EQ(intervals_adaptation_bp(c), 10000UL);
	before = c.attrs.sample_interval;
	tune_intervals(c);
	DX_EXPECT_EQ(c.attrs.sample_interval, before);
}
