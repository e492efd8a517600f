/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS: Data Access Monitoring-based Operation Schemes.  A Scheme applies
 * an action to the regions whose access pattern matches, at its apply
 * interval, within its quota and watermarks (upstream struct damos).
 */
#pragma once

#include <damonx/base.hpp>
#include <damonx/list.hpp>
#include <damonx/lock.hpp>
#include <damonx/memcg.hpp>

namespace dx::damon {

struct Region;
class Context;

/* The actions, in upstream's order (collapse as in 7.2). */
enum class DamosAction : u8 {
	willneed, cold, pageout, hugepage, nohugepage, collapse, lru_prio,
	lru_deprio, migrate_hot, migrate_cold, stat,
};
constexpr unsigned nr_damos_actions = 11;
extern const char *const damos_action_names[nr_damos_actions];

struct AccessPattern {
	ulong min_sz_region = 0, max_sz_region = 0;
	u32 min_nr_accesses = 0, max_nr_accesses = 0;
	u32 min_age_region = 0, max_age_region = 0;

	/* Whether @r matches (nr_accesses from the moving sum). */
	bool matches(const Region &r) const;
};

/* Quota goal metrics, in upstream's order (7.1). */
enum class GoalMetric : u8 {
	user_input, some_mem_psi_us, node_mem_used_bp, node_mem_free_bp,
	node_memcg_used_bp, node_memcg_free_bp, active_mem_bp, inactive_mem_bp,
};
constexpr unsigned nr_goal_metrics = 8;
extern const char *const goal_metric_names[nr_goal_metrics];

/* A quota goal (struct damos_quota_goal): the metric's current value is
 * measured at each charge window's start (mm/goals.cpp). */
struct QuotaGoal {
	GoalMetric metric = GoalMetric::user_input;
	ulong target_value = 0;
	ulong current_value = 0;
	int nid = 0;			/* node_mem_*, node_memcg_* */
	MemcgRef memcg;			/* node_memcg_*: the goal's path */
	/* some_mem_psi_us: the PSI total at the last window start */
	u64 last_psi_total = 0;
	bool psi_baseline = false;	/* last_psi_total is set */
	ListNode list;
};

using QuotaGoalList = List<QuotaGoal, &QuotaGoal::list>;

enum class GoalTuner : u8 { consist, temporal };

struct Target;

/* A scheme's quota (struct damos_quota): what it may apply per charge
 * window, and how that is shared out by priority. */
struct Quota {
	ulong ms = 0;			/* time quota per window */
	ulong sz = 0;			/* size quota per window */
	ulong reset_interval = 0;	/* the charge window, ms */
	u32 weight_sz = 0, weight_nr_accesses = 0, weight_age = 0;
	GoalTuner goal_tuner = GoalTuner::consist;
	/* 7.2: bytes tried but not applied are charged num/denom of their
	 * size (denom 0: charged in full). */
	u32 fail_charge_num = 0, fail_charge_denom = 0;
	QuotaGoalList goals;

	/* kdamond-private */
	ulong esz = 0;			/* effective size quota */
	ulong esz_bp = 0;
	ulong charged_sz = 0;		/* in this window */
	u64 charged_from_ns = 0;	/* window start */
	bool window_started = false;
	u64 total_charged_sz = 0, total_charged_ns = 0;
	Target *charge_target_from = nullptr;	/* resume point */
	ulong charge_addr_from = 0;
	u32 min_score = 0;

	Quota() = default;
	~Quota();
	Quota(const Quota &) = delete;
	Quota &operator=(const Quota &) = delete;

	bool is_set() const { return ms || sz || !goals.empty(); }
	/* What applying an action to @sz bytes, @applied of them for real,
	 * charges to the quota. */
	ulong charge_of(ulong sz, ulong applied) const;
	/* Whether this window's quota is used up. */
	bool full(ulong min_sz_region) const;
};

enum class WmarkMetric : u8 { none, free_mem_rate };

/* When a scheme is active (struct damos_watermarks): the metric above
 * high or below low deactivates it; between low and mid activates it;
 * between mid and high keeps the state.  Values in permil. */
struct Watermarks {
	WmarkMetric metric = WmarkMetric::none;
	ulong interval_us = 0;
	ulong high = 0, mid = 0, low = 0;
	bool activated = true;	/* kdamond-private */

	/* Re-evaluates with the metric's current value; returns how long to
	 * wait before checking again (0: active). */
	ulong wait_us(ulong metric_value);
};

/* Filter types, in upstream's order: the first six are handled by the ops
 * set, addr and target by the core. */
enum class FilterType : u8 {
	anon, active, memcg, young, hugepage_size, unmapped, addr, target,
};
constexpr unsigned nr_filter_types = 8;
constexpr bool is_core_filter(FilterType t) { return t >= FilterType::addr; }

struct Filter {
	FilterType type = FilterType::anon;
	bool matching = false;	/* filter what (does not) have the type */
	bool allow = false;	/* allow, or reject, what the filter matches */
	ulong addr_start = 0, addr_end = 0;	/* addr */
	int target_idx = 0;			/* target */
	ulong sz_min = 0, sz_max = 0;		/* hugepage_size */
	MemcgRef memcg;				/* memcg */
	ListNode list;
};

using FilterList = List<Filter, &Filter::list>;

/* A destination of migrate_hot/migrate_cold (dests/<D>: id, weight). */
struct MigrateDest {
	int nid = 0;
	u32 weight = 0;
};

struct DamosStat {
	ulong nr_tried = 0, sz_tried = 0;
	ulong nr_applied = 0, sz_applied = 0;
	ulong sz_ops_filter_passed = 0;
	ulong qt_exceeds = 0;
	ulong nr_snapshots = 0;
};

struct Scheme {
	AccessPattern pattern;
	DamosAction action = DamosAction::stat;
	Quota quota;
	Watermarks wmarks;
	FilterList core_filters;	/* addr, target: applied by the core */
	FilterList ops_filters;		/* the others: applied by the ops set */
	ulong apply_interval_us = 0;	/* 0: the aggregation interval */
	int target_nid = -1;
	ulong max_nr_snapshots = 0;	/* 0: unlimited */
	/* Migration destinations; when there are any, they override
	 * target_nid, each folio going to one of them by weighted
	 * interleave.  Owned. */
	MigrateDest *dests = nullptr;
	u32 nr_dests = 0;
	DamosStat stat;

	ulong next_apply_sis = 0;
	/* kdamond-private: a core filter allowed the region being applied
	 * (its ops filters are then skipped), and the last folio an action
	 * was applied to (not applied twice when it spans two regions). */
	bool core_filters_allowed = false;
	const void *last_applied = nullptr;
	Scheme() = default;
	~Scheme();
	Scheme(const Scheme &) = delete;
	Scheme &operator=(const Scheme &) = delete;

	/* Which destination a folio with interleave index @ilx goes to:
	 * 0 (target_nid) without dests, else the dests' index chosen by
	 * weighted interleave; -1 when their weights sum to 0. */
	int dest_index(ulong ilx) const;
	/* The node of destination @idx (of dest_index()). */
	int dest_node(int idx) const { return nr_dests ? dests[idx].nid : target_nid; }

	/* kdamond-private: progress of the current DamosWalk */
	enum : u8 { walk_none, walk_walking, walk_done } walk_state = walk_none;
	ListNode list;
};

using SchemeList = List<Scheme, &Scheme::list>;

/*
 * A walk over the regions the schemes try (damos_walk): during one whole
 * apply round of every scheme, fn() runs on the kdamond for each region a
 * scheme tried.
 */
struct DamosWalk {
	void (*fn)(void *arg, u32 scheme_idx, u32 target_idx, const Region &r,
		   ulong sz_filter_passed) = nullptr;
	void *arg = nullptr;
	int ret = 0;
	Completion done;
	bool started = false;	/* kdamond-private */
};

/* Applies due schemes to every region (kdamond_apply_schemes), reporting
 * tried regions to @walk if there is one.  Returns true when @walk has seen
 * a whole apply round of every scheme. */
bool apply_schemes(Context &c, DamosWalk *walk);
/* Whether the core filters reject region @r of the target with index
 * @tidx (damos_filter_out); may split @r at an addr filter's edge so that
 * each part is wholly in or out.  The first matching filter decides;
 * what none matches is rejected only if the last filter allows and no ops
 * filter follows (v6.14+ semantics). */
bool core_filters_reject(Context &c, Target &t, u32 tidx, Region &r, Scheme &s);
void destroy_filters(FilterList &l);
/* Whether @s has a filter of @type among its ops filters. */
bool has_ops_filter(Scheme &s, FilterType type);

/* The value of a watermark metric now (permil). */
ulong wmark_metric_value(WmarkMetric m);
/* How long the kdamond should sleep because every scheme is inactive by
 * its watermarks (0: some scheme is active, or there are no schemes). */
ulong schemes_wait_us(Context &c);

/* @s's apply interval in sample intervals of @c. */
ulong apply_interval_sis(const Context &c, const Scheme &s);
/* Schedules every scheme's first apply (at kdamond start). */
void init_schemes_intervals(Context &c);

} // namespace dx::damon
