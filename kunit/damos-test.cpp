// SPDX-License-Identifier: GPL-2.0
/*
 * The DAMOS engine and online commits: which regions a scheme tries, stats,
 * age resets, apply intervals, walks, snapshot limits, and commit_ctx()
 * matching targets and schemes by index.
 */
#include <damonx/test.hpp>
#include <damonx/commit.hpp>
#include <damonx/core.hpp>

using namespace dx;
using namespace dx::damon;

namespace {

/* An ops set that "applies" every action but stat to whole regions. */
class FakeOps final : public Ops {
public:
	constexpr FakeOps() : Ops(OpsId::fvaddr) {}
	void prepare_access_checks(Context &) override {}
	u32 check_accesses(Context &) override { return 0; }
	ulong apply_scheme(Context &, Target &, Region &r, Scheme &s, ulong *passed) override
	{
		*passed = r.size();
		return s.action == DamosAction::stat ? 0 : r.size();
	}
};

constinit FakeOps fake_ops;

/* A context with one target of @n regions of one page each; region i has
 * nr_accesses_bp i*10000 and age 5. */
Context *make_ctx(u32 n)
{
	Context *c = new (gfp_kernel) Context();
	Target *t = new (gfp_kernel) Target();

	if (!c || !t) {
		delete c;
		delete t;
		return nullptr;
	}
	c->ops = &fake_ops;
	c->ops_id = OpsId::fvaddr;
	c->attrs.sample_interval = 1000;
	c->attrs.aggr_interval = 20000;
	c->add_target(*t);
	for (u32 i = 0; i < n; i++) {
		Region *r = new (gfp_kernel) Region(i * page_size, (i + 1) * page_size);
		if (!r) {
			delete c;
			return nullptr;
		}
		r->nr_accesses_bp = i * 10000;
		r->nr_accesses = i;
		r->age = 5;
		t->add_region(*r);
	}
	return c;
}

Scheme *add_scheme(Context &c, DamosAction a, u32 min_nr, u32 max_nr)
{
	Scheme *s = new (gfp_kernel) Scheme();

	if (!s)
		return nullptr;
	s->action = a;
	s->pattern.max_sz_region = ulong_max;
	s->pattern.min_nr_accesses = min_nr;
	s->pattern.max_nr_accesses = max_nr;
	s->pattern.max_age_region = uint_max;
	c.schemes.push_back(*s);
	return s;
}

struct WalkLog {
	u32 n = 0;
	ulong bytes = 0;
};

void log_region(void *arg, u32, u32, const Region &r, ulong)
{
	auto *l = static_cast<WalkLog *>(arg);
	l->n++;
	l->bytes += r.size();
}

} // namespace

DX_TEST(dx_test_damos_pattern)
{
	AccessPattern p;
	Region r(0, 10 * page_size);

	p.min_sz_region = 10 * page_size;
	p.max_sz_region = 10 * page_size;
	p.min_nr_accesses = 2;
	p.max_nr_accesses = 3;
	p.min_age_region = 1;
	p.max_age_region = 1;
	r.age = 1;
	r.nr_accesses_bp = 29999;	/* counts as 2 */
	r.nr_accesses = 9;		/* the aggregated count is not used */
	DX_EXPECT_TRUE(p.matches(r));
	r.nr_accesses_bp = 19999;
	DX_EXPECT_FALSE(p.matches(r));
	r.nr_accesses_bp = 39999;
	DX_EXPECT_TRUE(p.matches(r));
	r.nr_accesses_bp = 40000;
	DX_EXPECT_FALSE(p.matches(r));
	r.nr_accesses_bp = 30000;
	r.age = 2;
	DX_EXPECT_FALSE(p.matches(r));
	r.age = 1;
	r.end += page_size;
	DX_EXPECT_FALSE(p.matches(r));
}

DX_TEST(dx_test_damos_stat_and_age)
{
	Owned<Context> c(make_ctx(10));
	DX_ASSERT_TRUE(bool(c));
	Scheme *st = add_scheme(*c, DamosAction::stat, 0, 4);
	Scheme *po = add_scheme(*c, DamosAction::pageout, 8, 100);
	DX_ASSERT_TRUE(st && po);

	init_schemes_intervals(*c);
	c->passed_sample_intervals = 20;	/* both due */
	DX_EXPECT_FALSE(apply_schemes(*c, nullptr));
	DX_EXPECT_EQ(st->stat.nr_tried, 5UL);
	DX_EXPECT_EQ(st->stat.sz_tried, 5 * page_size);
	DX_EXPECT_EQ(st->stat.nr_applied, 0UL);
	DX_EXPECT_EQ(po->stat.nr_tried, 2UL);
	DX_EXPECT_EQ(po->stat.nr_applied, 2UL);
	DX_EXPECT_EQ(po->stat.sz_applied, 2 * page_size);
	DX_EXPECT_EQ(st->stat.nr_snapshots, 1UL);
	/* stat leaves the age alone; other actions restart it. */
	u32 i = 0;
	for (Region &r : c->targets.first()->regions) {
		DX_EXPECT_EQ(r.age, i >= 8 ? 0U : 5U);
		i++;
	}
	/* Not due again until one aggregation interval (20 samples) later. */
	c->passed_sample_intervals = 39;
	apply_schemes(*c, nullptr);
	DX_EXPECT_EQ(st->stat.nr_tried, 5UL);
	c->passed_sample_intervals = 40;
	apply_schemes(*c, nullptr);
	DX_EXPECT_EQ(st->stat.nr_tried, 10UL);
}

DX_TEST(dx_test_damos_apply_interval)
{
	Owned<Context> c(make_ctx(2));
	DX_ASSERT_TRUE(bool(c));
	Scheme *fast = add_scheme(*c, DamosAction::stat, 0, 100);
	Scheme *slow = add_scheme(*c, DamosAction::stat, 0, 100);
	DX_ASSERT_TRUE(fast && slow);
	fast->apply_interval_us = 2000;		/* 2 samples */

	init_schemes_intervals(*c);
	for (ulong sis = 1; sis <= 40; sis++) {
		c->passed_sample_intervals = sis;
		apply_schemes(*c, nullptr);
	}
	DX_EXPECT_EQ(fast->stat.nr_snapshots, 20UL);
	DX_EXPECT_EQ(slow->stat.nr_snapshots, 2UL);
}

DX_TEST(dx_test_damos_max_snapshots)
{
	Owned<Context> c(make_ctx(3));
	DX_ASSERT_TRUE(bool(c));
	Scheme *s = add_scheme(*c, DamosAction::stat, 0, 100);
	DX_ASSERT_TRUE(s != nullptr);
	s->max_nr_snapshots = 2;
	s->apply_interval_us = 1000;
	init_schemes_intervals(*c);
	for (ulong sis = 1; sis <= 10; sis++) {
		c->passed_sample_intervals = sis;
		apply_schemes(*c, nullptr);
	}
	DX_EXPECT_EQ(s->stat.nr_snapshots, 2UL);
	DX_EXPECT_EQ(s->stat.nr_tried, 6UL);
}

DX_TEST(dx_test_damos_walk)
{
	Owned<Context> c(make_ctx(6));
	DX_ASSERT_TRUE(bool(c));
	Scheme *a = add_scheme(*c, DamosAction::stat, 0, 2);
	Scheme *b = add_scheme(*c, DamosAction::stat, 0, 100);
	DX_ASSERT_TRUE(a && b);
	b->apply_interval_us = 40000;	/* due less often than a */
	init_schemes_intervals(*c);

	WalkLog log;
	DamosWalk w;
	w.fn = log_region;
	w.arg = &log;
	bool done = false;
	ulong sis;
	for (sis = 1; sis <= 100 && !done; sis++) {
		c->passed_sample_intervals = sis;
		done = apply_schemes(*c, &w);
	}
	DX_EXPECT_TRUE(done);
	/* Done at b's first round; a's first round counted once. */
	DX_EXPECT_EQ(sis - 1, 40UL);
	DX_EXPECT_EQ(log.n, 3U + 6U);
	DX_EXPECT_EQ(log.bytes, 9 * page_size);
}

DX_TEST(dx_test_damos_walk_no_schemes)
{
	Owned<Context> c(make_ctx(2));
	DX_ASSERT_TRUE(bool(c));
	DamosWalk w;
	WalkLog log;
	w.fn = log_region;
	w.arg = &log;
	DX_EXPECT_TRUE(apply_schemes(*c, &w));
	DX_EXPECT_EQ(log.n, 0U);
}

DX_TEST(dx_test_commit_targets_and_schemes)
{
	Owned<Context> dst(make_ctx(4));
	Owned<Context> src(make_ctx(0));
	DX_ASSERT_TRUE(dst && src);
	Scheme *ds = add_scheme(*dst, DamosAction::stat, 0, 100);
	add_scheme(*dst, DamosAction::stat, 0, 100);
	DX_ASSERT_TRUE(ds != nullptr);
	ds->stat.nr_tried = 77;

	/* src: one scheme (pageout), two targets: the first with new
	 * regions, the second new. */
	Scheme *ss = add_scheme(*src, DamosAction::pageout, 3, 9);
	DX_ASSERT_TRUE(ss != nullptr);
	ss->target_nid = 1;
	ss->dests = new (gfp_kernel) MigrateDest[2];
	DX_ASSERT_TRUE(ss->dests != nullptr);
	ss->dests[0] = {0, 1};
	ss->dests[1] = {1, 3};
	ss->nr_dests = 2;
	Target *t2 = new (gfp_kernel) Target();
	Region *nr = new (gfp_kernel) Region(10 * page_size, 12 * page_size);
	DX_ASSERT_TRUE(t2 && nr);
	src->add_target(*t2);
	t2->add_region(*nr);
	Region *r0 = new (gfp_kernel) Region(page_size, 3 * page_size);
	DX_ASSERT_TRUE(r0 != nullptr);
	src->targets.first()->add_region(*r0);

	Target &dt = *dst->targets.first();
	Region *kept = dt.regions.next(*dt.regions.first());	/* [1, 2) pages */
	DX_ASSERT_TRUE(kept != nullptr);
	kept->nr_accesses = 3;

	DX_EXPECT_EQ(commit_ctx(*dst, *src), 0);
	DX_EXPECT_EQ(dst->schemes.size(), 1UL);
	DX_EXPECT_TRUE(dst->schemes.first() == ds);
	DX_EXPECT_TRUE(ds->action == DamosAction::pageout);
	DX_EXPECT_EQ(ds->pattern.min_nr_accesses, 3U);
	DX_EXPECT_EQ(ds->stat.nr_tried, 77UL);	/* stats continue */
	/* Migration destinations move over with the parameters. */
	DX_EXPECT_EQ(ds->target_nid, 1);
	DX_EXPECT_EQ(ds->nr_dests, 2U);
	DX_EXPECT_TRUE(ds->dests && ds->dests[1].nid == 1 && ds->dests[1].weight == 3U);
	DX_EXPECT_EQ(dst->nr_targets(), 2U);
	Target &first = *dst->targets.first();
	DX_EXPECT_EQ(first.nr_regions, 2U);	/* [1,2) kept, [2,3) */
	DX_EXPECT_EQ(first.regions.first()->start, page_size);
	DX_EXPECT_EQ(first.regions.first()->nr_accesses, 3U);
	DX_EXPECT_EQ(first.regions.last()->end, 3 * page_size);
	DX_EXPECT_EQ(dst->targets.last()->regions.first()->start, 10 * page_size);
}

DX_TEST(dx_test_commit_obsolete_target)
{
	Owned<Context> dst(make_ctx(1));
	Owned<Context> src(make_ctx(0));
	DX_ASSERT_TRUE(dst && src);
	for (int i = 0; i < 2; i++) {
		Target *d = new (gfp_kernel) Target(), *s = new (gfp_kernel) Target();
		DX_ASSERT_TRUE(d && s);
		dst->add_target(*d);
		src->add_target(*s);
	}
	Target *last = dst->targets.last();
	/* src: keep, obsolete, keep -> dst loses its middle target */
	Target *mid = src->targets.next(*src->targets.first());
	mid->obsolete = true;
	DX_EXPECT_EQ(commit_ctx(*dst, *src), 0);
	DX_EXPECT_EQ(dst->nr_targets(), 2U);
	DX_EXPECT_TRUE(dst->targets.last() == last);

	/* An obsolete target without a counterpart is refused, and nothing
	 * changes. */
	Owned<Context> src2(make_ctx(0));
	DX_ASSERT_TRUE(bool(src2));
	for (int i = 0; i < 2; i++) {
		Target *s = new (gfp_kernel) Target();
		DX_ASSERT_TRUE(s != nullptr);
		src2->add_target(*s);
	}
	src2->targets.last()->obsolete = true;
	Target *s3 = new (gfp_kernel) Target();
	DX_ASSERT_TRUE(s3 != nullptr);
	s3->obsolete = true;
	src2->add_target(*s3);
	DX_EXPECT_EQ(commit_ctx(*dst, *src2), -err::inval);
	DX_EXPECT_EQ(dst->nr_targets(), 2U);
}

DX_TEST(dx_test_commit_attrs_rescale)
{
	Owned<Context> dst(make_ctx(3));
	Owned<Context> src(make_ctx(0));
	DX_ASSERT_TRUE(dst && src);
	DX_ASSERT_EQ(set_attrs(*dst, dst->attrs), 0);	/* 1 ms / 20 ms */
	/* At an aggregation boundary: counts are rescaled. */
	dst->passed_sample_intervals = dst->next_aggregation_sis;
	src->attrs = dst->attrs;
	src->attrs.sample_interval = 500;		/* 40 samples per aggregation */
	src->attrs.aggr_interval = 20000;
	Target *t = new (gfp_kernel) Target();
	DX_ASSERT_TRUE(t != nullptr);
	src->add_target(*t);
	DX_EXPECT_EQ(commit_ctx(*dst, *src), 0);
	Region *r2 = dst->targets.first()->regions.last();
	DX_EXPECT_EQ(r2->nr_accesses, 4U);	/* 2 of 20 -> 4 of 40 */
	DX_EXPECT_EQ(r2->age, 5U);		/* same aggregation interval */
	DX_EXPECT_EQ(dst->attrs.sample_interval, 500UL);

	/* Invalid attributes: refused, nothing changes. */
	Owned<Context> bad(make_ctx(0));
	DX_ASSERT_TRUE(bool(bad));
	bad->attrs.min_nr_regions = 2;
	u32 nr_targets = dst->nr_targets();
	DX_EXPECT_EQ(commit_ctx(*dst, *bad), -err::inval);
	DX_EXPECT_EQ(dst->attrs.sample_interval, 500UL);
	DX_EXPECT_EQ(dst->nr_targets(), nr_targets);
}

namespace {

Filter *add_filter(FilterList &l, FilterType type, bool matching, bool allow)
{
	Filter *f = new (gfp_kernel) Filter();
	if (f) {
		f->type = type;
		f->matching = matching;
		f->allow = allow;
		l.push_back(*f);
	}
	return f;
}

} // namespace

DX_TEST(dx_test_core_filter_addr_split)
{
	/* One 10-page region, a reject filter on pages [3, 6): the region is
	 * split at the edges and only the middle is rejected. */
	Owned<Context> c(make_ctx(0));
	DX_ASSERT_TRUE(bool(c));
	Target &t = *c->targets.first();
	Region *r = new (gfp_kernel) Region(0, 10 * page_size);
	DX_ASSERT_TRUE(r != nullptr);
	t.add_region(*r);
	Scheme s;
	Filter *f = add_filter(s.core_filters, FilterType::addr, true, false);
	DX_ASSERT_TRUE(f != nullptr);
	f->addr_start = 3 * page_size;
	f->addr_end = 6 * page_size + 100;	/* aligned down */

	DX_EXPECT_FALSE(core_filters_reject(*c, t, 0, *r, s));	/* [0,3) */
	DX_EXPECT_EQ(r->end, 3 * page_size);
	Region *mid = t.regions.next(*r);
	DX_ASSERT_TRUE(mid != nullptr);
	DX_EXPECT_TRUE(core_filters_reject(*c, t, 0, *mid, s));	/* [3,6) */
	DX_EXPECT_EQ(mid->end, 6 * page_size);
	Region *tail = t.regions.next(*mid);
	DX_ASSERT_TRUE(tail != nullptr);
	DX_EXPECT_FALSE(core_filters_reject(*c, t, 0, *tail, s));
	DX_EXPECT_EQ(tail->end, 10 * page_size);
	DX_EXPECT_EQ(t.nr_regions, 3U);
}

DX_TEST(dx_test_core_filter_verdicts)
{
	Owned<Context> c(make_ctx(1));
	DX_ASSERT_TRUE(bool(c));
	Target &t = *c->targets.first();
	Region &r = *t.regions.first();

	/* No filters: allowed. */
	Scheme s0;
	DX_EXPECT_FALSE(core_filters_reject(*c, t, 0, r, s0));

	/* target filter for target 0: rejects it; matching=false rejects the
	 * others instead. */
	Scheme s1;
	add_filter(s1.core_filters, FilterType::target, true, false);
	DX_EXPECT_TRUE(core_filters_reject(*c, t, 0, r, s1));
	DX_EXPECT_FALSE(core_filters_reject(*c, t, 1, r, s1));
	s1.core_filters.first()->matching = false;
	DX_EXPECT_FALSE(core_filters_reject(*c, t, 0, r, s1));
	DX_EXPECT_TRUE(core_filters_reject(*c, t, 1, r, s1));

	/* An allow filter as the last one: what no filter matched is
	 * rejected... */
	Scheme s2;
	Filter *f = add_filter(s2.core_filters, FilterType::target, true, true);
	DX_ASSERT_TRUE(f != nullptr);
	f->target_idx = 5;
	DX_EXPECT_TRUE(core_filters_reject(*c, t, 0, r, s2));
	DX_EXPECT_FALSE(core_filters_reject(*c, t, 5, r, s2));
	/* ...unless ops filters follow, which then decide. */
	add_filter(s2.ops_filters, FilterType::anon, true, false);
	DX_EXPECT_FALSE(core_filters_reject(*c, t, 0, r, s2));

	/* The first matching filter decides. */
	Scheme s3;
	add_filter(s3.core_filters, FilterType::target, true, true);	/* allow 0 */
	add_filter(s3.core_filters, FilterType::target, true, false);	/* reject 0 */
	DX_EXPECT_FALSE(core_filters_reject(*c, t, 0, r, s3));
}

DX_TEST(dx_test_core_filter_not_tried)
{
	/* Regions the core filters reject are not even tried. */
	Owned<Context> c(make_ctx(4));
	DX_ASSERT_TRUE(bool(c));
	Scheme *s = add_scheme(*c, DamosAction::pageout, 0, 100);
	DX_ASSERT_TRUE(s != nullptr);
	Filter *f = add_filter(s->core_filters, FilterType::addr, true, false);
	DX_ASSERT_TRUE(f != nullptr);
	f->addr_start = page_size;
	f->addr_end = 3 * page_size;
	init_schemes_intervals(*c);
	c->passed_sample_intervals = 20;
	apply_schemes(*c, nullptr);
	DX_EXPECT_EQ(s->stat.nr_tried, 2UL);
	DX_EXPECT_EQ(s->stat.sz_tried, 2 * page_size);
	DX_EXPECT_EQ(s->stat.sz_applied, 2 * page_size);
}
