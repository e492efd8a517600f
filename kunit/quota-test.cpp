// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS quotas: scores, the effective quota (size, time, goals with both
 * tuners), charge windows that resume where the last one stopped, and the
 * priority threshold.
 */
#include <damonx/test.hpp>
#include <damonx/core.hpp>
#include <damonx/quota.hpp>

using namespace dx;
using namespace dx::damon;

namespace {

class ScoreOps final : public Ops {
public:
	constexpr ScoreOps() : Ops(OpsId::fvaddr) {}
	void prepare_access_checks(Context &) override {}
	u32 check_accesses(Context &) override { return 0; }
	ulong apply_scheme(Context &, Target &, Region &r, Scheme &, ulong *passed) override
	{
		*passed = 0;
		return r.size();
	}
	int scheme_score(Context &c, Target &, Region &r, Scheme &s) override
	{
		return cold_score(c, r, s);
	}
};

constinit ScoreOps score_ops;

/* @n regions of 10 pages; region i has nr_accesses i (of 20 per aggr). */
Context *make_ctx(u32 n)
{
	Context *c = new (gfp_kernel) Context();
	Target *t = new (gfp_kernel) Target();

	if (!c || !t) {
		delete c;
		delete t;
		return nullptr;
	}
	c->ops = &score_ops;
	c->attrs.sample_interval = 5000;
	c->attrs.aggr_interval = 100000;
	c->add_target(*t);
	for (u32 i = 0; i < n; i++) {
		Region *r = new (gfp_kernel) Region(i * 10 * page_size, (i + 1) * 10 * page_size);
		if (!r) {
			delete c;
			return nullptr;
		}
		r->nr_accesses = i;
		r->nr_accesses_bp = i * 10000;
		t->add_region(*r);
	}
	return c;
}

Scheme *add_scheme(Context &c)
{
	Scheme *s = new (gfp_kernel) Scheme();
	if (!s)
		return nullptr;
	s->action = DamosAction::pageout;
	s->pattern.max_sz_region = ulong_max;
	s->pattern.max_nr_accesses = uint_max;
	s->pattern.max_age_region = uint_max;
	c.schemes.push_back(*s);
	return s;
}

QuotaGoal *add_goal(Quota &q, ulong target, ulong current)
{
	QuotaGoal *g = new (gfp_kernel) QuotaGoal();
	if (g) {
		g->target_value = target;
		g->current_value = current;
		q.goals.push_back(*g);
	}
	return g;
}

} // namespace

DX_TEST(dx_test_quota_scores)
{
	Owned<Context> c(make_ctx(0));
	DX_ASSERT_TRUE(bool(c));
	Scheme s;
	s.quota.weight_nr_accesses = 1000;
	s.quota.weight_age = 0;
	Region r(0, page_size);

	r.nr_accesses_bp = 20 * 10000;	/* every sample */
	DX_EXPECT_EQ(hot_score(*c, r, s), 99);
	DX_EXPECT_EQ(cold_score(*c, r, s), 0);
	r.nr_accesses_bp = 10 * 10000;
	DX_EXPECT_EQ(hot_score(*c, r, s), 49);
	r.nr_accesses_bp = 0;
	DX_EXPECT_EQ(hot_score(*c, r, s), 0);

	/* By age only: long idle is coldest, long accessed is hottest. */
	s.quota.weight_nr_accesses = 0;
	s.quota.weight_age = 1000;
	r.age = 10 * 60 * 10;		/* 10 minutes of 100 ms aggregations */
	int idle_old = hot_score(*c, r, s);
	r.age = 0;
	int idle_new = hot_score(*c, r, s);
	DX_EXPECT_LT(idle_old, idle_new);
	r.nr_accesses_bp = 10000;
	r.age = 10 * 60 * 10;
	DX_EXPECT_GT(hot_score(*c, r, s), idle_new);
	for (int i = 0; i < 50; i++) {
		r.age = u32(i) * 997;
		r.nr_accesses_bp = u32(i % 21) * 10000;
		int h = hot_score(*c, r, s);
		DX_EXPECT_TRUE(h >= 0 && h <= 99);
	}
}

DX_TEST(dx_test_quota_effective_size)
{
	Quota q;

	q.sz = 12345;
	set_effective_quota(q, page_size);
	DX_EXPECT_EQ(q.esz, 12345UL);

	/* Time quota: throughput (bytes/ms so far) times ms, capped by sz. */
	q.ms = 10;
	q.total_charged_sz = 1000000;
	q.total_charged_ns = 1000000;	/* 1 MB per ms */
	q.sz = 0;
	set_effective_quota(q, page_size);
	DX_EXPECT_EQ(q.esz, 10000000UL);
	q.sz = 5000000;
	set_effective_quota(q, page_size);
	DX_EXPECT_EQ(q.esz, 5000000UL);
	q.total_charged_sz = 0;
	q.total_charged_ns = 0;		/* no measurement: 4 MiB/ms assumed */
	q.sz = 0;
	set_effective_quota(q, page_size);
	DX_EXPECT_EQ(q.esz, 10 * page_size * 1024);
}

DX_TEST(dx_test_quota_goal_consist)
{
	Quota q;
	QuotaGoal *g = add_goal(q, 10000, 5000);	/* half way: more quota */
	DX_ASSERT_TRUE(g != nullptr);

	set_effective_quota(q, page_size);
	ulong first = q.esz;
	set_effective_quota(q, page_size);
	DX_EXPECT_GT(q.esz, first);
	/* Over the goal: less. */
	g->current_value = 15000;
	ulong before = q.esz;
	set_effective_quota(q, page_size);
	DX_EXPECT_LT(q.esz, before);
	/* The highest score of all goals counts. */
	DX_ASSERT_TRUE(add_goal(q, 100, 1000) != nullptr);
	DX_EXPECT_EQ(quota_score(q), 100000UL);
	/* Capped by the size quota. */
	q.sz = 3;
	g->current_value = 0;
	set_effective_quota(q, page_size);
	DX_EXPECT_LE(q.esz, 3UL);
}

DX_TEST(dx_test_quota_goal_temporal)
{
	Quota q;
	q.goal_tuner = GoalTuner::temporal;
	q.sz = 4096;
	QuotaGoal *g = add_goal(q, 100, 50);
	DX_ASSERT_TRUE(g != nullptr);
	set_effective_quota(q, page_size);
	DX_EXPECT_EQ(q.esz, 4096UL);
	g->current_value = 100;
	set_effective_quota(q, page_size);
	DX_EXPECT_EQ(q.esz, 0UL);
	DX_EXPECT_TRUE(q.full(page_size));
	q.sz = 0;
	g->current_value = 10;
	set_effective_quota(q, page_size);
	DX_EXPECT_EQ(q.esz, ulong_max);
}

DX_TEST(dx_test_quota_windows)
{
	/* 10 regions of 10 pages; 25 pages per window.  Each window applies
	 * at most the quota and the next resumes where the last stopped. */
	Owned<Context> c(make_ctx(10));
	DX_ASSERT_TRUE(bool(c));
	Scheme *s = add_scheme(*c);
	DX_ASSERT_TRUE(s != nullptr);
	s->quota.sz = 25 * page_size;
	s->quota.reset_interval = 0;	/* a new window at every apply */
	s->apply_interval_us = 5000;
	init_schemes_intervals(*c);

	ulong last_applied = 0;
	ulong first_start = 0;
	for (ulong sis = 1; sis <= 4; sis++) {
		c->passed_sample_intervals = sis;
		apply_schemes(*c, nullptr);
		ulong applied = s->stat.sz_applied - last_applied;
		last_applied = s->stat.sz_applied;
		DX_EXPECT_LE(applied, 25 * page_size);
		DX_EXPECT_GT(applied, 0UL);
		if (sis == 1)
			first_start = s->quota.charge_addr_from;
	}
	DX_EXPECT_EQ(first_start, 25 * page_size);
	/* Windows after the first were all full. */
	DX_EXPECT_GE(s->stat.qt_exceeds, 3UL);
	/* Coverage moved on: 4 windows x 25 pages = 100 pages = everything. */
	DX_EXPECT_EQ(s->stat.sz_applied, 100 * page_size);
}

DX_TEST(dx_test_quota_priority)
{
	/* With a quota, the coldest regions go first (pageout uses the cold
	 * score). */
	Owned<Context> c(make_ctx(10));
	DX_ASSERT_TRUE(bool(c));
	Scheme *s = add_scheme(*c);
	DX_ASSERT_TRUE(s != nullptr);
	s->quota.sz = 30 * page_size;
	s->quota.reset_interval = 1000000;
	s->quota.weight_nr_accesses = 1000;
	init_schemes_intervals(*c);
	c->passed_sample_intervals = 20;
	apply_schemes(*c, nullptr);
	DX_EXPECT_EQ(s->stat.sz_applied, 30 * page_size);
	/* The three least accessed regions (0, 1, 2) were applied: their
	 * age was reset while the others kept theirs. */
	u32 i = 0;
	for (Region &r : c->targets.first()->regions) {
		if (i < 3)
			DX_EXPECT_EQ(r.age, 0U);
		i++;
	}
	DX_EXPECT_EQ(s->stat.nr_applied, 3UL);
	/* The threshold: regions 0..2 score above it, 3 below. */
	Region *r3 = c->targets.first()->regions.first();
	for (int k = 0; k < 3; k++)
		r3 = c->targets.first()->regions.next(*r3);
	DX_EXPECT_LT(u32(cold_score(*c, *r3, *s)), s->quota.min_score);
}

DX_TEST(dx_test_watermarks)
{
	Watermarks w;

	DX_EXPECT_EQ(w.wait_us(123), 0UL);	/* metric none: always active */
	w.metric = WmarkMetric::free_mem_rate;
	w.interval_us = 5000;
	w.high = 800;
	w.mid = 500;
	w.low = 200;
	DX_EXPECT_EQ(w.wait_us(900), 5000UL);	/* above high: off */
	DX_EXPECT_FALSE(w.activated);
	DX_EXPECT_EQ(w.wait_us(600), 5000UL);	/* mid..high: stays off */
	DX_EXPECT_FALSE(w.activated);
	DX_EXPECT_EQ(w.wait_us(400), 0UL);	/* low..mid: on */
	DX_EXPECT_TRUE(w.activated);
	DX_EXPECT_EQ(w.wait_us(700), 0UL);	/* mid..high: stays on */
	DX_EXPECT_TRUE(w.activated);
	DX_EXPECT_EQ(w.wait_us(100), 5000UL);	/* below low: off */
	DX_EXPECT_FALSE(w.activated);
	DX_EXPECT_EQ(w.wait_us(500), 5000UL);	/* at mid: still off (upstream) */
	DX_EXPECT_EQ(w.wait_us(499), 0UL);	/* below mid: on */

	/* The kdamond waits only while every scheme is inactive. */
	Context c;
	DX_EXPECT_EQ(schemes_wait_us(c), 0UL);	/* no schemes */
	Scheme *a = new (gfp_kernel) Scheme(), *b = new (gfp_kernel) Scheme();
	DX_ASSERT_TRUE(a && b);
	c.schemes.push_back(*a);
	c.schemes.push_back(*b);
	a->wmarks.metric = WmarkMetric::free_mem_rate;
	a->wmarks.interval_us = 7000;
	a->wmarks.high = 0;		/* always above high: inactive */
	DX_EXPECT_EQ(schemes_wait_us(c), 0UL);	/* b is active */
	b->wmarks.metric = WmarkMetric::free_mem_rate;
	b->wmarks.interval_us = 3000;
	b->wmarks.high = 0;
	DX_EXPECT_EQ(schemes_wait_us(c), 3000UL);
}

/* 7.2 fail_charge: what was tried but not applied costs num/denom. */
DX_TEST(dx_test_quota_fail_charge)
{
	Quota q;

	DX_EXPECT_EQ(q.charge_of(100, 30), 100UL);	/* denom 0: all of it */
	q.fail_charge_num = 1;
	q.fail_charge_denom = 4;
	DX_EXPECT_EQ(q.charge_of(100, 20), 40UL);	/* 20 + 80 / 4 */
	DX_EXPECT_EQ(q.charge_of(100, 100), 100UL);
	DX_EXPECT_EQ(q.charge_of(100, 200), 100UL);	/* never more than tried */
	q.fail_charge_num = 0;
	DX_EXPECT_EQ(q.charge_of(100, 20), 20UL);	/* failures are free */
	q.fail_charge_num = 3;
	q.fail_charge_denom = 2;
	DX_EXPECT_EQ(q.charge_of(100, 0), 150UL);	/* or cost more */
}
