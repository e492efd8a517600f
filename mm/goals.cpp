// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS quota goal metrics: what each metric's current value is, computed
 * from the kernel's counters when a charge window starts, and each goal's
 * score.  The arithmetic lives here; mm/shim/memstat.c only reads counters.
 */
#include <damonx/goals.hpp>

namespace dx::damon {

ulong ratio_bp(ulong part, ulong total)
{
	if (!total)
		return 0;
	/* Scale both down until total * 10000 fits: then the remainder term
	 * cannot overflow, and the result loses at most a rounding step. */
	while (total > ulong_max / goal_bp_max) {
		part >>= 1;
		total >>= 1;
	}
	ulong whole = part / total;
	ulong rest = part % total * goal_bp_max / total;

	if (whole > (ulong_max - rest) / goal_bp_max)
		return ulong_max;
	return whole * goal_bp_max + rest;
}

ulong goal_score(ulong current, ulong target)
{
	return ratio_bp(current, target);
}

namespace {

class KernelMetrics final : public MetricSource {
public:
	constexpr KernelMetrics() = default;
	bool psi_some_mem_total_us(u64 *us) const override
	{
		unsigned long long v;

		if (!dx_psi_some_mem_total_us(&v))
			return false;
		*us = v;
		return true;
	}
	bool node_mem_pages(int nid, ulong *total, ulong *free) const override
	{
		return dx_node_mem_pages(nid, total, free);
	}
	void lru_pages(ulong *active, ulong *inactive) const override
	{
		dx_lru_pages(active, inactive);
	}
	bool memcg_node_lru_pages(struct dx_memcg *m, int nid, ulong *pages) const override
	{
		if (!resolve::available(resolve::Feature::memcg_stat))
			return false;
		return dx_memcg_node_lru_pages(m, nid, pages);
	}
};

constinit KernelMetrics kernel_source;

/* What a metric of a missing node or memcg is: nothing used, all free. */
constexpr ulong nothing_bp(bool used)
{
	return used ? 0 : goal_bp_max;
}

} // namespace

const MetricSource &kernel_metrics()
{
	return kernel_source;
}

ulong node_mem_bp(const MetricSource &src, int nid, bool used)
{
	ulong total, free;

	if (!src.node_mem_pages(nid, &total, &free) || !total)
		return nothing_bp(used);
	free = min(free, total);
	return ratio_bp(used ? total - free : free, total);
}

ulong node_memcg_bp(const MetricSource &src, struct dx_memcg *m, int nid, bool used)
{
	ulong total, free, pages;

	if (!src.node_mem_pages(nid, &total, &free) || !total ||
	    !src.memcg_node_lru_pages(m, nid, &pages))
		return nothing_bp(used);
	/* Counters are read at different times: keep used within total. */
	pages = min(pages, total);
	return ratio_bp(used ? pages : total - pages, total);
}

ulong lru_bp(const MetricSource &src, bool active)
{
	ulong act, inact;

	src.lru_pages(&act, &inact);
	/* A sum that would overflow is scaled down (same ratio). */
	if (act > ulong_max - inact) {
		act >>= 1;
		inact >>= 1;
	}
	return ratio_bp(active ? act : inact, act + inact);
}

ulong psi_window_us(QuotaGoal &g, u64 now_total)
{
	ulong delta = 0;

	if (g.psi_baseline && now_total >= g.last_psi_total)
		delta = ulong(now_total - g.last_psi_total);
	g.last_psi_total = now_total;
	g.psi_baseline = true;
	return delta;
}

void measure_goal(QuotaGoal &g, const MetricSource &src)
{
	u64 psi_total;

	switch (g.metric) {
	case GoalMetric::user_input:
		break;		/* written by the user */
	case GoalMetric::some_mem_psi_us:
		/* PSI cannot go away once a goal was accepted; if it did,
		 * no stall is measured. */
		g.current_value = src.psi_some_mem_total_us(&psi_total) ?
			psi_window_us(g, psi_total) : 0;
		break;
	case GoalMetric::node_mem_used_bp:
	case GoalMetric::node_mem_free_bp:
		g.current_value = node_mem_bp(src, g.nid, g.metric == GoalMetric::node_mem_used_bp);
		break;
	case GoalMetric::node_memcg_used_bp:
	case GoalMetric::node_memcg_free_bp:
		g.current_value = node_memcg_bp(src, g.memcg.get(), g.nid,
						g.metric == GoalMetric::node_memcg_used_bp);
		break;
	case GoalMetric::active_mem_bp:
	case GoalMetric::inactive_mem_bp:
		g.current_value = lru_bp(src, g.metric == GoalMetric::active_mem_bp);
		break;
	}
}

const char *goal_metric_unavailable(GoalMetric m, resolve::Features avail,
				    enum dx_psi_state psi)
{
	using resolve::Feature;

	switch (m) {
	case GoalMetric::some_mem_psi_us:
		if (!(avail & resolve::bit(Feature::psi)))
			return "kernel internals for PSI are missing (see the resolver's message for psi)";
		switch (psi) {
		case DX_PSI_ON:
			return nullptr;
		case DX_PSI_NOT_BUILT:
			return "the kernel is built without CONFIG_PSI";
		case DX_PSI_OFF:
			return "PSI is disabled on this kernel (boot with psi=1)";
		case DX_PSI_UNRESOLVED:
			break;
		}
		return "kernel internals for PSI are missing (see the resolver's message for psi)";
	case GoalMetric::node_memcg_used_bp:
	case GoalMetric::node_memcg_free_bp:
		if (!(avail & resolve::bit(Feature::memcg_stat)))
			return "kernel internals for memcg statistics are missing (see the resolver's message for memcg_stat)";
		return nullptr;
	case GoalMetric::user_input:
	case GoalMetric::node_mem_used_bp:
	case GoalMetric::node_mem_free_bp:
	case GoalMetric::active_mem_bp:
	case GoalMetric::inactive_mem_bp:
		return nullptr;
	}
	return "unknown metric";
}

const char *goal_metric_unavailable(GoalMetric m)
{
	return goal_metric_unavailable(m, resolve::features(), dx_psi_state());
}

} // namespace dx::damon
