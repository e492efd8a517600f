// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS quotas: the effective size quota of each charge window (from the
 * size and time quotas and the goals' feedback loop), and prioritisation:
 * the score threshold that lets the hottest (or coldest) regions use the
 * quota first.
 */
#include <damonx/core.hpp>
#include <damonx/goals.hpp>
#include <damonx/quota.hpp>

namespace dx::damon {

const char *const goal_metric_names[nr_goal_metrics] = {
	"user_input", "some_mem_psi_us", "node_mem_used_bp", "node_mem_free_bp",
	"node_memcg_used_bp", "node_memcg_free_bp", "active_mem_bp", "inactive_mem_bp",
};

Quota::~Quota()
{
	for (QuotaGoal &g : goals) {
		QuotaGoalList::remove(g);
		delete &g;
	}
}

ulong Quota::charge_of(ulong sz, ulong applied) const
{
	if (!fail_charge_denom)
		return sz;
	applied = min(applied, sz);
	return applied + ulong(u64(sz - applied) * fail_charge_num / fail_charge_denom);
}

bool Quota::full(ulong min_sz_region) const
{
	if (!is_set())
		return false;
	/* What is left of the quota is less than a region. */
	return charged_sz >= esz || esz - charged_sz < min_sz_region;
}

/* ---- scores (upstream ops-common.c) -------------------------------------- */

constexpr int max_subscore = 100;
constexpr int max_age_in_log = 32;

int hot_score(const Context &c, const Region &r, const Scheme &s)
{
	int freq = int(u64(r.nr_accesses_bp / 10000) * max_subscore / c.attrs.max_nr_accesses());
	u64 age_in_sec = u64(r.age) * c.attrs.aggr_interval / 1000000;
	int age_in_log = 0;

	for (; age_in_log < max_age_in_log && age_in_sec; age_in_log++)
		age_in_sec >>= 1;
	/* Idle for long is cold, accessed for long is hot. */
	if (freq == 0)
		age_in_log = -age_in_log;
	int age = (age_in_log + max_age_in_log) * max_subscore / max_age_in_log / 2;

	u32 wf = s.quota.weight_nr_accesses, wa = s.quota.weight_age;
	int hot = int(wf * u32(freq) + wa * u32(age));
	if (wf + wa)
		hot /= int(wf + wa);
	hot = hot * max_damos_score / max_subscore;
	return clamp(hot, 0, max_damos_score);
}

int cold_score(const Context &c, const Region &r, const Scheme &s)
{
	return max_damos_score - hot_score(c, r, s);
}

/* ---- effective quota ------------------------------------------------------- */

ulong quota_score(Quota &q, const MetricSource &src)
{
	ulong highest = 0;

	/* The highest score: the least aggressive choice. */
	for (QuotaGoal &g : q.goals) {
		measure_goal(g, src);
		highest = max(highest, goal_score(g.current_value, g.target_value));
	}
	return highest;
}

void set_effective_quota(Quota &q, ulong min_sz_region, const MetricSource &src)
{
	ulong esz = ulong_max;

	if (!q.ms && q.goals.empty()) {
		q.esz = q.sz;
		return;
	}
	if (!q.goals.empty()) {
		ulong score = quota_score(q, src);
		if (q.goal_tuner == GoalTuner::temporal) {
			esz = score >= 10000 ? 0 : (q.sz ? q.sz : ulong_max);
			q.esz = esz;
			return;
		}
		q.esz_bp = feed_loop_next_input(max(q.esz_bp, 10000UL), score);
		esz = q.esz_bp / 10000;
	}
	if (q.ms) {
		/* Bytes per ms the action has achieved so far. */
		u64 throughput = q.total_charged_ns ?
			q.total_charged_sz * 1000000 / q.total_charged_ns : page_size * 1024;
		u64 t_esz = throughput * q.ms;
		esz = min(esz, t_esz > ulong_max ? ulong_max : ulong(t_esz));
		esz = max(esz, min_sz_region);
	}
	if (q.sz && q.sz < esz)
		esz = q.sz;
	q.esz = esz;
}

void adjust_quota(Context &c, Scheme &s)
{
	Quota &q = s.quota;

	if (!q.is_set())
		return;
	u64 now = dx_ktime_ns();
	u64 window = u64(q.reset_interval) * 1000000;
	if (!q.window_started) {
		q.window_started = true;
		q.charged_from_ns = now;
		set_effective_quota(q, c.min_sz_region);
	} else if (now < q.charged_from_ns || now - q.charged_from_ns >= window) {
		if (q.charged_sz >= q.esz)
			s.stat.qt_exceeds++;
		q.total_charged_sz += q.charged_sz;
		q.charged_from_ns = now;
		q.charged_sz = 0;
		set_effective_quota(q, c.min_sz_region);
	}

	/* The score above which the regions fill the quota. */
	ulong *hist = c.score_histogram;
	int max_score = 0;
	for (int i = 0; i <= max_damos_score; i++)
		hist[i] = 0;
	for (Target &t : c.targets) {
		for (Region &r : t.regions) {
			if (!s.pattern.matches(r))
				continue;
			int score = c.ops->scheme_score(c, t, r, s);
			hist[score] += r.size();
			max_score = max(max_score, score);
		}
	}
	ulong cumulated = 0;
	int score = max_score;
	for (;; score--) {
		cumulated += hist[score];
		if (cumulated >= q.esz || !score)
			break;
	}
	q.min_score = u32(score);
}

} // namespace dx::damon
