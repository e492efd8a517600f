/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS quota goal metrics (mm/goals.cpp): the current value of each
 * metric, measured at the start of a charge window, and each goal's score.
 * The counters come from a MetricSource: the kernel's (kernel_metrics()),
 * or a test's.
 */
#pragma once

#include <damonx/damos.hpp>
#include <damonx/resolve.hpp>

namespace dx::damon {

constexpr ulong goal_bp_max = 10000;

/* @part of @total in basis points (1/10000), rounded down, saturating at
 * ulong_max; 0 when @total is 0.  Never overflows: a @total above
 * ulong_max / 10000 is scaled down with @part, which may cost one bp. */
ulong ratio_bp(ulong part, ulong total);
/* A goal's score: @current of @target in bp (10000: met), saturating at
 * ulong_max; 0 when @target is 0. */
ulong goal_score(ulong current, ulong target);

/* The counters metrics are computed from; see the dx_* functions of
 * shim.h for what each means. */
class MetricSource {
public:
	virtual bool psi_some_mem_total_us(u64 *us) const = 0;
	virtual bool node_mem_pages(int nid, ulong *total, ulong *free) const = 0;
	virtual void lru_pages(ulong *active, ulong *inactive) const = 0;
	virtual bool memcg_node_lru_pages(struct dx_memcg *m, int nid, ulong *pages) const = 0;

protected:
	~MetricSource() = default;
};

/* The running kernel's counters. */
const MetricSource &kernel_metrics();

/* Node @nid's used or free memory in bp.  A node that does not exist or
 * has no memory is all free: 0 used, 10000 free. */
ulong node_mem_bp(const MetricSource &src, int nid, bool used);
/* The LRU pages of memcg @m on node @nid of the node's memory (used), or
 * the rest (free).  No such memcg (NULL, removed) or node: 0 used, 10000
 * free. */
ulong node_memcg_bp(const MetricSource &src, struct dx_memcg *m, int nid, bool used);
/* Active (or inactive) LRU pages of all LRU pages, in bp; 0 if none. */
ulong lru_bp(const MetricSource &src, bool active);
/* The memory stall time (us) since the goal's last window: the delta of
 * @now_total from the goal's baseline, which moves to @now_total.  A goal
 * without a baseline (new, or its metric just changed) gets one and
 * measures 0. */
ulong psi_window_us(QuotaGoal &g, u64 now_total);

/* Sets @g's current_value for a new charge window (user_input: as the
 * user wrote it). */
void measure_goal(QuotaGoal &g, const MetricSource &src);

/* Why metric @m cannot be measured with the resolver features @avail and
 * PSI state @psi (nullptr: it can). */
const char *goal_metric_unavailable(GoalMetric m, resolve::Features avail,
				    enum dx_psi_state psi);
/* The same on the running kernel. */
const char *goal_metric_unavailable(GoalMetric m);

} // namespace dx::damon
