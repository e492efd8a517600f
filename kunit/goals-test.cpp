// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS quota goal metrics: the bp and score arithmetic, each metric's
 * value from given counters (and from the running kernel), the PSI delta
 * across windows and commits, missing nodes and memcgs, the feedback loop
 * moving the effective quota the right way for every metric, metrics the
 * kernel cannot measure, and goals carried by commit.
 */
#include <damonx/test.hpp>
#include <damonx/commit.hpp>
#include <damonx/core.hpp>
#include <damonx/goals.hpp>
#include <damonx/quota.hpp>
#include "../sysfs/schemes.hpp"

using namespace dx;
using namespace dx::damon;

namespace {

/* Counters a test sets.  Node 0 is the only node. */
class FakeMetrics final : public MetricSource {
public:
	bool psi_ok = true;
	u64 psi_total = 0;
	ulong node_total = 1000, node_free = 250;
	ulong active = 300, inactive = 100;
	bool memcg_ok = true;
	ulong memcg_pages = 100;
	mutable int memcg_reads = 0;

	bool psi_some_mem_total_us(u64 *us) const override
	{
		if (psi_ok)
			*us = psi_total;
		return psi_ok;
	}
	bool node_mem_pages(int nid, ulong *total, ulong *free) const override
	{
		if (nid != 0)
			return false;
		*total = node_total;
		*free = node_free;
		return true;
	}
	void lru_pages(ulong *a, ulong *i) const override
	{
		*a = active;
		*i = inactive;
	}
	bool memcg_node_lru_pages(struct dx_memcg *, int nid, ulong *pages) const override
	{
		memcg_reads++;
		if (!memcg_ok || nid != 0)
			return false;
		*pages = memcg_pages;
		return true;
	}
};

QuotaGoal *add_goal(Quota &q, GoalMetric m, ulong target, int nid = 0)
{
	QuotaGoal *g = new (gfp_kernel) QuotaGoal();
	if (g) {
		g->metric = m;
		g->target_value = target;
		g->nid = nid;
		q.goals.push_back(*g);
	}
	return g;
}

/* A copy of @s on the heap, for GoalDir::path (freed by ~GoalDir). */
char *dup_str(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	char *p = new (gfp_kernel) char[n + 1];
	if (p)
		strscpy(p, s, n + 1);
	return p;
}

/*
 * Runs @windows charge windows of a quota with the one goal @g (other
 * parameters as set in @q), @step changing the counters before each, and
 * returns the effective size after the last.
 */
template <typename Step>
ulong run_windows(Quota &q, FakeMetrics &src, int windows, Step step)
{
	for (int i = 0; i < windows; i++) {
		step(src);
		set_effective_quota(q, page_size, src);
	}
	return q.esz;
}

} // namespace

DX_TEST(dx_test_goals_ratio_bp)
{
	DX_EXPECT_EQ(ratio_bp(1, 2), 5000UL);
	DX_EXPECT_EQ(ratio_bp(1, 3), 3333UL);
	DX_EXPECT_EQ(ratio_bp(3, 3), 10000UL);
	DX_EXPECT_EQ(ratio_bp(0, 7), 0UL);
	/* Zero totals: no division by zero, 0. */
	DX_EXPECT_EQ(ratio_bp(0, 0), 0UL);
	DX_EXPECT_EQ(ratio_bp(12345, 0), 0UL);
	/* Above the total (a score): more than 10000. */
	DX_EXPECT_EQ(ratio_bp(3, 2), 15000UL);
	/* part * 10000 overflows 64 bits here; the result must not. */
	DX_EXPECT_EQ(ratio_bp(1UL << 62, 1UL << 63), 5000UL);
	DX_EXPECT_EQ(ratio_bp(3UL << 60, 1UL << 62), 7500UL);
	/* Totals that big are scaled down: at most one bp lower. */
	ulong half = ratio_bp(ulong_max / 4, ulong_max / 2);	/* just below 1/2 */
	DX_EXPECT_TRUE(half == 4999 || half == 5000);
	DX_EXPECT_EQ(ratio_bp(1000, (1UL << 40) * 1000), 0UL);
	DX_EXPECT_EQ(ratio_bp(ulong_max, ulong_max), 10000UL);
	DX_EXPECT_EQ(ratio_bp(ulong_max / 1000, ulong_max / 500), 5000UL);
	DX_EXPECT_EQ(ratio_bp(ulong_max / 10000 + 7, ulong_max / 10000 + 7), 10000UL);
	/* A large ratio saturates instead of wrapping. */
	DX_EXPECT_EQ(ratio_bp(ulong_max, 1), ulong_max);
	DX_EXPECT_EQ(ratio_bp(ulong_max / 10000 + 1, 1), ulong_max);
	DX_EXPECT_EQ(ratio_bp(ulong_max / 10000, 1), ulong_max / 10000 * 10000);
	/* Rounding is down, like upstream's mult_frac(). */
	DX_EXPECT_EQ(ratio_bp(2, 3), 6666UL);
	DX_EXPECT_EQ(ratio_bp(999999999UL, 1000000000UL), 9999UL);
}

DX_TEST(dx_test_goals_score)
{
	DX_EXPECT_EQ(goal_score(5000, 10000), 5000UL);
	DX_EXPECT_EQ(goal_score(10000, 10000), 10000UL);
	DX_EXPECT_EQ(goal_score(1, 0), 0UL);	/* no target: no score */
	DX_EXPECT_EQ(goal_score(ulong_max, 1), ulong_max);
	/* upstream's current * 10000 / target would wrap here */
	DX_EXPECT_EQ(goal_score(ulong_max / 2, ulong_max / 4), 20000UL);

	/* The quota's score is the highest of its goals'. */
	Quota q;
	FakeMetrics src;
	QuotaGoal *a = add_goal(q, GoalMetric::user_input, 100);
	QuotaGoal *b = add_goal(q, GoalMetric::node_mem_free_bp, 5000);	/* 2500 free */
	DX_ASSERT_TRUE(a && b);
	a->current_value = 30;
	DX_EXPECT_EQ(quota_score(q, src), 5000UL);	/* b: 2500/5000 */
	a->current_value = 70;
	DX_EXPECT_EQ(quota_score(q, src), 7000UL);	/* a */
	DX_EXPECT_EQ(b->current_value, 2500UL);	/* measured on the way */
}

DX_TEST(dx_test_goals_psi_windows)
{
	FakeMetrics src;
	QuotaGoal g;

	g.metric = GoalMetric::some_mem_psi_us;
	g.target_value = 1000;
	src.psi_total = 5000000;	/* since boot */
	/* The first window only takes the baseline. */
	measure_goal(g, src);
	DX_EXPECT_EQ(g.current_value, 0UL);
	DX_EXPECT_TRUE(g.psi_baseline);
	DX_EXPECT_EQ(g.last_psi_total, 5000000ULL);
	/* Then each window measures what accumulated since the last. */
	src.psi_total += 1500;
	measure_goal(g, src);
	DX_EXPECT_EQ(g.current_value, 1500UL);
	measure_goal(g, src);
	DX_EXPECT_EQ(g.current_value, 0UL);
	src.psi_total += 40;
	measure_goal(g, src);
	DX_EXPECT_EQ(g.current_value, 40UL);
	/* A total going back (cannot happen) measures 0, not a wrap. */
	src.psi_total -= 100;
	measure_goal(g, src);
	DX_EXPECT_EQ(g.current_value, 0UL);
	src.psi_total += 300;
	measure_goal(g, src);
	DX_EXPECT_EQ(g.current_value, 300UL);
	/* No PSI: nothing measured. */
	src.psi_ok = false;
	src.psi_total += 300;
	measure_goal(g, src);
	DX_EXPECT_EQ(g.current_value, 0UL);

	/* The pure step. */
	QuotaGoal h;
	DX_EXPECT_EQ(psi_window_us(h, 77), 0UL);
	DX_EXPECT_EQ(psi_window_us(h, 100), 23UL);
	DX_EXPECT_EQ(psi_window_us(h, ~0ULL), ulong(~0ULL - 100));
}

DX_TEST(dx_test_goals_node_mem)
{
	FakeMetrics src;

	src.node_total = 1000;
	src.node_free = 250;
	DX_EXPECT_EQ(node_mem_bp(src, 0, true), 7500UL);
	DX_EXPECT_EQ(node_mem_bp(src, 0, false), 2500UL);
	/* A node that does not exist or has no memory is all free. */
	DX_EXPECT_EQ(node_mem_bp(src, 1, true), 0UL);
	DX_EXPECT_EQ(node_mem_bp(src, 1, false), 10000UL);
	DX_EXPECT_EQ(node_mem_bp(src, -1, false), 10000UL);
	/* A node without managed pages too (no division by zero). */
	src.node_total = 0;
	src.node_free = 0;
	DX_EXPECT_EQ(node_mem_bp(src, 0, true), 0UL);
	DX_EXPECT_EQ(node_mem_bp(src, 0, false), 10000UL);
	/* Free read above total (counters read apart): clamped. */
	src.node_total = 100;
	src.node_free = 120;
	DX_EXPECT_EQ(node_mem_bp(src, 0, true), 0UL);
	DX_EXPECT_EQ(node_mem_bp(src, 0, false), 10000UL);
	/* Huge counts do not overflow. */
	src.node_total = ulong_max;
	src.node_free = ulong_max / 2;
	DX_EXPECT_EQ(node_mem_bp(src, 0, false), 4999UL);

	/* The kernel: invalid node ids are refused by the shim... */
	ulong total = 1, free = 1;
	DX_EXPECT_FALSE(dx_node_mem_pages(-1, &total, &free));
	DX_EXPECT_FALSE(dx_node_mem_pages(1 << 20, &total, &free));
	DX_EXPECT_FALSE(dx_node_mem_pages(int_max, &total, &free));
	DX_EXPECT_EQ(total, 1UL);	/* and nothing was written */
	const MetricSource &k = kernel_metrics();
	DX_EXPECT_EQ(node_mem_bp(k, -1, true), 0UL);
	DX_EXPECT_EQ(node_mem_bp(k, 1 << 20, false), 10000UL);
	/* ... and node 0 has memory, some of it free and some used. */
	DX_ASSERT_TRUE(dx_node_mem_pages(0, &total, &free));
	dx_kunit_log(test, "node 0: %lu pages, %lu free", total, free);
	DX_EXPECT_GT(total, 0UL);
	DX_EXPECT_GT(free, 0UL);
	DX_EXPECT_LT(free, total);
	ulong used = node_mem_bp(k, 0, true), fr = node_mem_bp(k, 0, false);
	DX_EXPECT_GT(used, 0UL);
	DX_EXPECT_LT(used, 10000UL);
	/* Two reads of a running system: about complementary. */
	DX_EXPECT_GE(used + fr, 9900UL);
	DX_EXPECT_LE(used + fr, 10100UL);
}

DX_TEST(dx_test_goals_lru)
{
	FakeMetrics src;

	src.active = 300;
	src.inactive = 100;
	DX_EXPECT_EQ(lru_bp(src, true), 7500UL);
	DX_EXPECT_EQ(lru_bp(src, false), 2500UL);
	src.active = 0;
	src.inactive = 0;
	DX_EXPECT_EQ(lru_bp(src, true), 0UL);	/* no LRU pages at all */
	DX_EXPECT_EQ(lru_bp(src, false), 0UL);
	src.active = 1UL << 63;			/* the sum would overflow */
	src.inactive = 1UL << 63;
	DX_EXPECT_EQ(lru_bp(src, true), 5000UL);
	src.active = ulong_max;
	src.inactive = ulong_max / 3;
	ulong three_quarters = lru_bp(src, true);
	DX_EXPECT_TRUE(three_quarters == 7499 || three_quarters == 7500);

	/* The kernel: the two add up to all LRU pages. */
	ulong a, i;
	dx_lru_pages(&a, &i);
	dx_kunit_log(test, "LRU: %lu active, %lu inactive pages", a, i);
	DX_EXPECT_GT(a + i, 0UL);
	ulong ab = lru_bp(kernel_metrics(), true);
	ulong ib = lru_bp(kernel_metrics(), false);
	DX_EXPECT_LE(ab, 10000UL);
	DX_EXPECT_LE(ib, 10000UL);
	DX_EXPECT_GE(ab + ib, 9900UL);
	DX_EXPECT_LE(ab + ib, 10100UL);
}

DX_TEST(dx_test_goals_memcg)
{
	FakeMetrics src;

	src.node_total = 1000;
	src.memcg_pages = 100;
	DX_EXPECT_EQ(node_memcg_bp(src, nullptr, 0, true), 1000UL);
	DX_EXPECT_EQ(node_memcg_bp(src, nullptr, 0, false), 9000UL);
	/* No such node, or no such memcg: nothing used, all free. */
	DX_EXPECT_EQ(node_memcg_bp(src, nullptr, 3, true), 0UL);
	DX_EXPECT_EQ(node_memcg_bp(src, nullptr, 3, false), 10000UL);
	src.memcg_ok = false;
	DX_EXPECT_EQ(node_memcg_bp(src, nullptr, 0, true), 0UL);
	DX_EXPECT_EQ(node_memcg_bp(src, nullptr, 0, false), 10000UL);
	/* More LRU pages than the node has (stats lag): clamped. */
	src.memcg_ok = true;
	src.memcg_pages = 2000;
	DX_EXPECT_EQ(node_memcg_bp(src, nullptr, 0, true), 10000UL);
	DX_EXPECT_EQ(node_memcg_bp(src, nullptr, 0, false), 0UL);

	/* The kernel: paths that name no memcg. */
	DX_EXPECT_TRUE(dx_memcg_get(nullptr) == nullptr);
	DX_EXPECT_TRUE(dx_memcg_get("") == nullptr);
	DX_EXPECT_TRUE(dx_memcg_get("\n") == nullptr);
	DX_EXPECT_TRUE(dx_memcg_get("/dx-no-such-cgroup") == nullptr);
	DX_EXPECT_TRUE(dx_memcg_get("/dx-no-such-cgroup\n") == nullptr);
	MemcgRef root = memcg_of_path("/");
	if (!root) {
		dx_kunit_skip(test, "no root memcg (memory controller disabled)");
		return;
	}
	/* One trailing newline is ignored. */
	MemcgRef root2 = memcg_of_path("/\n");
	DX_EXPECT_TRUE(root2.get() == root.get());
	/* run-kunit.sh makes /dx-kunit (memory enabled) and
	 * /dx-kunit/nomem (not enabled there). */
	if (dx_cgroup_path_exists("/dx-kunit/nomem")) {
		MemcgRef child = memcg_of_path("/dx-kunit");
		DX_EXPECT_TRUE(bool(child));
		DX_EXPECT_TRUE(child.get() != root.get());
		/* Not its ancestor's memcg: none. */
		DX_EXPECT_TRUE(dx_memcg_get("/dx-kunit/nomem") == nullptr);
		if (child && resolve::available(resolve::Feature::memcg_stat)) {
			ulong pages = ulong_max;
			DX_EXPECT_TRUE(dx_memcg_node_lru_pages(child.get(), 0, &pages));
			DX_EXPECT_LE(pages, 256UL);	/* nothing runs there */
		}
	} else {
		dx_kunit_log(test, "no /dx-kunit/nomem cgroup: child cgroup cases not run");
	}
	if (!resolve::available(resolve::Feature::memcg_stat)) {
		dx_kunit_skip(test, "memcg_stat unavailable");
		return;
	}
	/* The root memcg holds every LRU page of the node. */
	ulong pages = 0, total = 0, free = 0;
	DX_ASSERT_TRUE(dx_memcg_node_lru_pages(root.get(), 0, &pages));
	DX_ASSERT_TRUE(dx_node_mem_pages(0, &total, &free));
	dx_kunit_log(test, "root memcg: %lu LRU pages of %lu on node 0", pages, total);
	DX_EXPECT_GT(pages, 0UL);
	DX_EXPECT_LE(pages, total);
	ulong a, i;
	dx_lru_pages(&a, &i);
	DX_EXPECT_LE(pages, a + i + 1024);	/* node 0 is part of the system */
	/* Invalid node ids. */
	DX_EXPECT_FALSE(dx_memcg_node_lru_pages(root.get(), -1, &pages));
	DX_EXPECT_FALSE(dx_memcg_node_lru_pages(root.get(), 1 << 20, &pages));
	DX_EXPECT_FALSE(dx_memcg_node_lru_pages(nullptr, 0, &pages));
	const MetricSource &k = kernel_metrics();
	ulong used = node_memcg_bp(k, root.get(), 0, true);
	DX_EXPECT_GT(used, 0UL);
	DX_EXPECT_LE(used, 10000UL);
	DX_EXPECT_EQ(node_memcg_bp(k, root.get(), -1, false), 10000UL);
	DX_EXPECT_EQ(node_memcg_bp(k, nullptr, 0, true), 0UL);
}

/* Every metric drives the feedback loop: a score below 10000 (goal not
 * met) grows the effective quota window after window; one of 20000 or
 * more keeps it at the minimum. */
DX_TEST(dx_test_goals_feedback)
{
	struct Case {
		GoalMetric metric;
		ulong target_low, target_high;	/* score well above / below 10000 */
	};
	/* FakeMetrics defaults: node 0 2500 bp free (7500 used), memcg 1000
	 * bp used (9000 free), 7500 bp active (2500 inactive); the PSI stall
	 * grows 1000 us per window. */
	const Case cases[] = {
		{ GoalMetric::some_mem_psi_us, 100, 4000 },
		{ GoalMetric::node_mem_used_bp, 1000, 10000 },
		{ GoalMetric::node_mem_free_bp, 500, 10000 },
		{ GoalMetric::node_memcg_used_bp, 200, 4000 },
		{ GoalMetric::node_memcg_free_bp, 1000, 20000 },
		{ GoalMetric::active_mem_bp, 1000, 10000 },
		{ GoalMetric::inactive_mem_bp, 500, 10000 },
	};

	for (const Case &c : cases) {
		const char *name = goal_metric_names[u32(c.metric)];
		for (int high = 0; high < 2; high++) {
			Quota q;
			FakeMetrics src;
			QuotaGoal *g = add_goal(q, c.metric, high ? c.target_high : c.target_low);
			DX_ASSERT_TRUE(g != nullptr);
			auto step = [](FakeMetrics &s) { s.psi_total += 1000; };
			ulong first = run_windows(q, src, 2, step);
			ulong later = run_windows(q, src, 10, step);
			ulong score = goal_score(g->current_value, g->target_value);
			dx_kunit_log(test, "%s target %lu: current %lu score %lu esz %lu -> %lu",
				     name, g->target_value, g->current_value, score, first, later);
			if (high) {
				if (!DX_EXPECT_LT(score, 10000UL) || !DX_EXPECT_GT(later, first * 4))
					dx_kunit_log(test, "%s: target above the current value", name);
			} else {
				if (!DX_EXPECT_GE(score, 20000UL) || !DX_EXPECT_EQ(later, 1UL) ||
				    !DX_EXPECT_EQ(q.esz_bp, 10000UL))
					dx_kunit_log(test, "%s: target below the current value", name);
			}
		}
	}

	/* A measured goal overrides nothing it should not: with a size quota
	 * the growth stops at it, and the time quota's floor holds. */
	Quota q;
	FakeMetrics src;
	DX_ASSERT_TRUE(add_goal(q, GoalMetric::active_mem_bp, 100000) != nullptr);
	q.sz = 1 << 20;
	run_windows(q, src, 60, [](FakeMetrics &) {});
	DX_EXPECT_EQ(q.esz, 1UL << 20);
	/* Then the metric rises above the target: back to the minimum. */
	src.active = 1000000;
	src.inactive = 0;
	q.goals.first()->target_value = 1000;
	run_windows(q, src, 1, [](FakeMetrics &) {});
	DX_EXPECT_EQ(q.esz, 1UL);
	q.ms = 10;
	run_windows(q, src, 1, [](FakeMetrics &) {});
	DX_EXPECT_EQ(q.esz, page_size);
}

/* Metrics are measured when a charge window starts, from the kernel. */
DX_TEST(dx_test_goals_window_start)
{
	Owned<Context> c(new (gfp_kernel) Context());
	Scheme *s = new (gfp_kernel) Scheme();
	DX_ASSERT_TRUE(c && s);
	c->schemes.push_back(*s);
	Quota &q = s->quota;
	q.reset_interval = 1000000;	/* one window in this test */
	QuotaGoal *free_g = add_goal(q, GoalMetric::node_mem_free_bp, 5000, 1 << 20);
	QuotaGoal *used_g = add_goal(q, GoalMetric::node_mem_used_bp, 5000, -1);
	QuotaGoal *act_g = add_goal(q, GoalMetric::active_mem_bp, 20000);
	QuotaGoal *node0 = add_goal(q, GoalMetric::node_mem_used_bp, 100000, 0);
	DX_ASSERT_TRUE(free_g && used_g && act_g && node0);
	act_g->current_value = 123456789;
	node0->current_value = 123456789;

	/* No targets: the score histogram (and the ops set) is not used. */
	adjust_quota(*c, *s);
	DX_EXPECT_TRUE(q.window_started);
	/* Invalid nodes: all free, nothing used. */
	DX_EXPECT_EQ(free_g->current_value, 10000UL);
	DX_EXPECT_EQ(used_g->current_value, 0UL);
	DX_EXPECT_LE(act_g->current_value, 10000UL);
	DX_EXPECT_GT(node0->current_value, 0UL);
	DX_EXPECT_LT(node0->current_value, 10000UL);
	/* free_g's score is 20000: the least aggressive wins. */
	DX_EXPECT_EQ(q.esz, 1UL);
	/* Within the window nothing is measured again. */
	free_g->current_value = 7;
	adjust_quota(*c, *s);
	DX_EXPECT_EQ(free_g->current_value, 7UL);
}

DX_TEST(dx_test_goals_unavailable)
{
	using resolve::Feature;
	const resolve::Features all = resolve::all_features;
	const resolve::Features no_psi = all & ~resolve::bit(Feature::psi);
	const resolve::Features no_memcg = all & ~resolve::bit(Feature::memcg_stat);

	for (u32 m = 0; m < nr_goal_metrics; m++)
		DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric(m), all, DX_PSI_ON) == nullptr);
	DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric::some_mem_psi_us, no_psi, DX_PSI_ON));
	DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric::some_mem_psi_us, all, DX_PSI_OFF));
	DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric::some_mem_psi_us, all, DX_PSI_NOT_BUILT));
	DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric::some_mem_psi_us, all, DX_PSI_UNRESOLVED));
	DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric::node_memcg_used_bp, no_memcg, DX_PSI_ON));
	DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric::node_memcg_free_bp, no_memcg, DX_PSI_ON));
	/* Each feature only refuses its own metrics. */
	DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric::node_memcg_used_bp, no_psi, DX_PSI_OFF) == nullptr);
	DX_EXPECT_TRUE(goal_metric_unavailable(GoalMetric::some_mem_psi_us, no_memcg, DX_PSI_ON) == nullptr);
	const GoalMetric always[] = {
		GoalMetric::user_input, GoalMetric::node_mem_used_bp, GoalMetric::node_mem_free_bp,
		GoalMetric::active_mem_bp, GoalMetric::inactive_mem_bp,
	};
	for (GoalMetric m : always)
		DX_EXPECT_TRUE(goal_metric_unavailable(m, 0, DX_PSI_NOT_BUILT) == nullptr);

	/* Building goals from sysfs files on this kernel. */
	sysfs::GoalDir gd;
	gd.target_value = 0;
	gd.target_metric = u32(GoalMetric::some_mem_psi_us);
	{
		auto r = gd.build_goal();	/* no target: skipped, never refused */
		DX_EXPECT_TRUE(r.ok() && r.value() == nullptr);
	}
	gd.target_value = 1000;
	{
		auto r = gd.build_goal();
		Owned<QuotaGoal> g(r.ok() ? r.value() : nullptr);
		dx_kunit_log(test, "PSI state %d, psi feature %d", int(dx_psi_state()),
			     int(resolve::available(Feature::psi)));
		if (dx_psi_state() == DX_PSI_ON && resolve::available(Feature::psi))
			DX_EXPECT_TRUE(r.ok() && g);
		else
			DX_EXPECT_EQ(r.err(), -err::inval);
	}
	gd.target_metric = u32(GoalMetric::node_memcg_used_bp);
	gd.path = dup_str("/dx-no-such-cgroup\n");
	DX_ASSERT_TRUE(gd.path != nullptr);
	bool memcg_stat = resolve::available(Feature::memcg_stat);
	DX_EXPECT_EQ(gd.build_goal().err(), memcg_stat ? -err::nomem : -err::inval);
	delete[] gd.path;
	gd.path = nullptr;
	DX_EXPECT_EQ(gd.build_goal().err(), memcg_stat ? -err::nomem : -err::inval);
	gd.path = dup_str("/\n");
	DX_ASSERT_TRUE(gd.path != nullptr);
	gd.nid = 0;
	gd.current_value = 4242;	/* read only for user_input */
	{
		auto r = gd.build_goal();
		Owned<QuotaGoal> g(r.ok() ? r.value() : nullptr);
		if (memcg_stat && dx_cgroup_path_exists("/")) {
			DX_EXPECT_TRUE(bool(g));
			if (g) {
				DX_EXPECT_TRUE(bool(g->memcg));
				DX_EXPECT_EQ(g->current_value, 0UL);
				DX_EXPECT_EQ(g->target_value, 1000UL);
			}
		}
	}
	/* Other metrics ignore the path, even a bad one. */
	delete[] gd.path;
	gd.path = dup_str("/dx-no-such-cgroup");
	gd.target_metric = u32(GoalMetric::node_mem_free_bp);
	gd.nid = 5;
	{
		auto r = gd.build_goal();
		Owned<QuotaGoal> g(r.ok() ? r.value() : nullptr);
		DX_EXPECT_TRUE(bool(g));
		if (g) {
			DX_EXPECT_FALSE(bool(g->memcg));
			DX_EXPECT_EQ(g->nid, 5);
			DX_EXPECT_TRUE(g->metric == GoalMetric::node_mem_free_bp);
		}
	}
	gd.target_metric = u32(GoalMetric::user_input);
	{
		auto r = gd.build_goal();
		Owned<QuotaGoal> g(r.ok() ? r.value() : nullptr);
		DX_EXPECT_TRUE(g && g->current_value == 4242);
	}
}

DX_TEST(dx_test_goals_commit)
{
	Quota dst, src;
	FakeMetrics m;

	/* dst: psi goal with a baseline, a node goal, a user goal, one extra. */
	QuotaGoal *d0 = add_goal(dst, GoalMetric::some_mem_psi_us, 1000);
	QuotaGoal *d1 = add_goal(dst, GoalMetric::node_mem_used_bp, 5000, 0);
	QuotaGoal *d2 = add_goal(dst, GoalMetric::user_input, 10);
	QuotaGoal *d3 = add_goal(dst, GoalMetric::active_mem_bp, 10);
	DX_ASSERT_TRUE(d0 && d1 && d2 && d3);
	m.psi_total = 1000000;
	set_effective_quota(dst, page_size, m);		/* baseline */
	m.psi_total += 500;
	set_effective_quota(dst, page_size, m);
	DX_EXPECT_EQ(d0->current_value, 500UL);
	ulong esz_bp = dst.esz_bp;

	/* src: the psi goal stays psi, the node goal becomes psi, the user
	 * goal becomes a memcg goal, and the fourth goal goes. */
	QuotaGoal *s0 = add_goal(src, GoalMetric::some_mem_psi_us, 2000);
	QuotaGoal *s1 = add_goal(src, GoalMetric::some_mem_psi_us, 3000);
	QuotaGoal *s2 = add_goal(src, GoalMetric::node_memcg_free_bp, 6000, 0);
	DX_ASSERT_TRUE(s0 && s1 && s2);
	s0->current_value = 999;	/* measured metrics keep their own */
	MemcgRef root = memcg_of_path("/");
	struct dx_memcg *root_ptr = root.get();
	s2->memcg = move(root);
	commit_quota(dst, src);

	DX_EXPECT_EQ(dst.goals.size(), 3UL);	/* d3 went */
	DX_EXPECT_TRUE(dst.goals.first() == d0);
	DX_EXPECT_EQ(d0->target_value, 2000UL);
	DX_EXPECT_EQ(d0->current_value, 500UL);
	DX_EXPECT_TRUE(d1->metric == GoalMetric::some_mem_psi_us);
	DX_EXPECT_EQ(d1->target_value, 3000UL);
	DX_EXPECT_TRUE(d2->metric == GoalMetric::node_memcg_free_bp);
	DX_EXPECT_EQ(d2->nid, 0);
	DX_EXPECT_TRUE(d2->memcg.get() == root_ptr);	/* moved, not copied */
	DX_EXPECT_FALSE(bool(s2->memcg));
	DX_EXPECT_EQ(dst.esz_bp, esz_bp);		/* feedback state kept */

	/* After the commit: the kept psi goal continues from its baseline
	 * (the last window's end), the one that became psi starts a new one. */
	m.psi_total += 70;
	set_effective_quota(dst, page_size, m);
	DX_EXPECT_EQ(d0->current_value, 70UL);
	DX_EXPECT_EQ(d1->current_value, 0UL);
	m.psi_total += 30;
	set_effective_quota(dst, page_size, m);
	DX_EXPECT_EQ(d0->current_value, 30UL);
	DX_EXPECT_EQ(d1->current_value, 30UL);
	/* The memcg goal is measured from the moved reference. */
	int reads = m.memcg_reads;
	DX_EXPECT_EQ(d2->current_value, 9000UL);
	DX_EXPECT_GT(reads, 0);

	/* A commit with a metric change psi -> user_input -> psi resets the
	 * baseline; user_input's value comes from src. */
	Quota src2;
	QuotaGoal *u = add_goal(src2, GoalMetric::user_input, 2000);
	DX_ASSERT_TRUE(u != nullptr);
	u->current_value = 1234;
	commit_quota(dst, src2);
	DX_EXPECT_EQ(dst.goals.size(), 1UL);
	DX_EXPECT_EQ(d0->current_value, 1234UL);
	DX_EXPECT_FALSE(d0->psi_baseline);
	Quota src3;
	DX_ASSERT_TRUE(add_goal(src3, GoalMetric::some_mem_psi_us, 2000) != nullptr);
	commit_quota(dst, src3);
	m.psi_total += 5000;
	set_effective_quota(dst, page_size, m);
	DX_EXPECT_EQ(d0->current_value, 0UL);	/* new baseline */
	m.psi_total += 5;
	set_effective_quota(dst, page_size, m);
	DX_EXPECT_EQ(d0->current_value, 5UL);

	/* A new goal adopted by commit starts without a baseline too. */
	Quota src4;
	DX_ASSERT_TRUE(add_goal(src4, GoalMetric::some_mem_psi_us, 2000) != nullptr);
	QuotaGoal *n = add_goal(src4, GoalMetric::some_mem_psi_us, 2000);
	DX_ASSERT_TRUE(n != nullptr);
	commit_quota(dst, src4);
	DX_EXPECT_EQ(dst.goals.size(), 2UL);
	DX_EXPECT_TRUE(dst.goals.last() == n);
	m.psi_total += 8;
	set_effective_quota(dst, page_size, m);
	DX_EXPECT_EQ(d0->current_value, 8UL);
	DX_EXPECT_EQ(n->current_value, 0UL);
}
