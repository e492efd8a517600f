// SPDX-License-Identifier: GPL-2.0
/*
 * The DAMOS engine: which regions a scheme tries, applying the action
 * through the ops set, statistics, and walks over the tried regions.
 */
#include <damonx/damon.hpp>
#include <damonx/core.hpp>
#include <damonx/quota.hpp>

namespace dx::damon {

const char *const damos_action_names[nr_damos_actions] = {
	"willneed", "cold", "pageout", "hugepage", "nohugepage", "collapse",
	"lru_prio", "lru_deprio", "migrate_hot", "migrate_cold", "stat",
};

bool AccessPattern::matches(const Region &r) const
{
	ulong sz = r.size();
	u32 nr_accesses = r.nr_accesses_bp / 10000;

	return min_sz_region <= sz && sz <= max_sz_region &&
	       min_nr_accesses <= nr_accesses && nr_accesses <= max_nr_accesses &&
	       min_age_region <= r.age && r.age <= max_age_region;
}

ulong Watermarks::wait_us(ulong v)
{
	if (metric == WmarkMetric::none)
		return 0;
	if (v > high || v < low) {
		activated = false;
		return interval_us;
	}
	/* Between mid and high: an inactive scheme stays inactive. */
	if (v >= mid && !activated)
		return interval_us;
	activated = true;
	return 0;
}

ulong wmark_metric_value(WmarkMetric m)
{
	return m == WmarkMetric::free_mem_rate ? dx_free_mem_permil() : 0;
}

ulong schemes_wait_us(Context &c)
{
	ulong min_wait = 0;
	bool first = true;

	for (Scheme &s : c.schemes) {
		ulong w = s.wmarks.wait_us(wmark_metric_value(s.wmarks.metric));
		if (first || w < min_wait)
			min_wait = w;
		first = false;
	}
	return min_wait;
}

Scheme::~Scheme()
{
	destroy_filters(core_filters);
	destroy_filters(ops_filters);
	delete[] dests;
}

int Scheme::dest_index(ulong ilx) const
{
	u64 total = 0;

	if (!nr_dests)
		return 0;
	for (u32 i = 0; i < nr_dests; i++)
		total += dests[i].weight;
	if (!total)
		return -1;
	u64 pick = ilx % total;
	for (u32 i = 0; i < nr_dests; i++) {
		if (pick < dests[i].weight)
			return int(i);
		pick -= dests[i].weight;
	}
	return -1;	/* not reached */
}

bool has_ops_filter(Scheme &s, FilterType type)
{
	for (Filter &f : s.ops_filters)
		if (f.type == type)
			return true;
	return false;
}

void destroy_filters(FilterList &l)
{
	for (Filter &f : l) {
		FilterList::remove(f);
		delete &f;
	}
}

/* Whether @f's type condition holds for @r (splitting @r at an addr
 * filter's edge first when it straddles one). */
static bool core_filter_holds(Context &c, Target &t, u32 tidx, Region &r, const Filter &f)
{
	if (f.type == FilterType::target)
		return tidx == u32(f.target_idx);
	ulong start = align_down(f.addr_start, c.min_sz_region);
	ulong end = align_down(f.addr_end, c.min_sz_region);
	if (start <= r.start && r.end <= end)
		return true;
	if (r.end <= start || end <= r.start)
		return false;
	if (r.start < start) {
		/* The part before the range is visited now, the rest next. */
		split_region_at(t, r, start - r.start);
		return false;
	}
	split_region_at(t, r, end - r.start);
	return true;
}

bool core_filters_reject(Context &c, Target &t, u32 tidx, Region &r, Scheme &s)
{
	s.core_filters_allowed = false;
	for (Filter &f : s.core_filters) {
		if (core_filter_holds(c, t, tidx, r, f) == f.matching) {
			s.core_filters_allowed = f.allow;
			return !f.allow;
		}
	}
	/* Nothing matched: with ops filters the ops set decides; else the
	 * opposite of the last filter's verdict. */
	Filter *last = s.core_filters.last();
	return last && s.ops_filters.empty() && last->allow;
}

ulong apply_interval_sis(const Context &c, const Scheme &s)
{
	ulong sample = c.attrs.sample_interval ? c.attrs.sample_interval : 1;

	return (s.apply_interval_us ? s.apply_interval_us : c.attrs.aggr_interval) / sample;
}

void init_schemes_intervals(Context &c)
{
	for (Scheme &s : c.schemes)
		s.next_apply_sis = c.passed_sample_intervals + apply_interval_sis(c, s);
}

static bool scheme_due(const Context &c, const Scheme &s)
{
	if (c.passed_sample_intervals < s.next_apply_sis || !s.wmarks.activated)
		return false;
	if (s.max_nr_snapshots && s.stat.nr_snapshots >= s.max_nr_snapshots)
		return false;
	return true;
}

static void update_stat(Scheme &s, ulong sz_tried, ulong sz_applied, ulong sz_passed)
{
	s.stat.nr_tried++;
	s.stat.sz_tried += sz_tried;
	if (sz_applied)
		s.stat.nr_applied++;
	s.stat.sz_applied += sz_applied;
	s.stat.sz_ops_filter_passed += sz_passed;
}

/*
 * Whether @r (or its start) was charged in the previous window: the next
 * window resumes where that one stopped (damos_skip_charged_region).  May
 * split @r so that its uncharged part is visited next.
 */
static bool skip_charged_region(Context &c, Target &t, Region &r, Scheme &s)
{
	Quota &q = s.quota;
	bool skip = false;

	if (q.charge_target_from) {
		if (&t != q.charge_target_from)
			return true;
		if (q.charge_addr_from && r.end <= q.charge_addr_from) {
			skip = true;
		} else if (q.charge_addr_from && r.start < q.charge_addr_from) {
			ulong sz_to_skip = align_down(q.charge_addr_from - r.start, c.min_sz_region);
			if (!sz_to_skip) {
				if (r.size() <= c.min_sz_region)
					skip = true;
				sz_to_skip = c.min_sz_region;
			}
			if (!skip)
				split_region_at(t, r, sz_to_skip);
			skip = true;
		}
	}
	if (&r == t.regions.last()) {
		q.charge_target_from = nullptr;
		q.charge_addr_from = 0;
	}
	return skip;
}

static bool valid_target(Context &c, Target &t, Region &r, Scheme &s)
{
	if (!s.pattern.matches(r))
		return false;
	if (!s.quota.is_set())
		return true;
	return u32(c.ops->scheme_score(c, t, r, s)) >= s.quota.min_score;
}

static void apply_scheme(Context &c, Target &t, Region &r, Scheme &s, u32 sidx,
			 u32 tidx, DamosWalk *walk)
{
	Quota &q = s.quota;
	ulong sz = r.size(), sz_passed = 0, applied = 0;

	if (q.is_set() && q.charged_sz + sz > q.esz) {
		/* Only what fits the quota. */
		sz = align_down(q.esz - q.charged_sz, c.min_sz_region);
		if (!sz) {
			update_stat(s, 0, 0, 0);
			return;
		}
		split_region_at(t, r, sz);
	}
	/* Memory the core filters reject is not even tried. */
	if (core_filters_reject(c, t, tidx, r, s))
		return;
	sz = r.size();
	u64 begin = dx_ktime_ns();
	applied = c.ops->apply_scheme(c, t, r, s, &sz_passed);
	q.total_charged_ns += dx_ktime_ns() - begin;
	q.charged_sz += q.charge_of(sz, applied);
	if (q.is_set() && q.charged_sz >= q.esz) {
		q.charge_target_from = &t;
		q.charge_addr_from = r.end;
	}
	if (walk && s.walk_state == Scheme::walk_walking)
		walk->fn(walk->arg, sidx, tidx, r, sz_passed);
	if (s.action != DamosAction::stat)
		r.age = 0;
	update_stat(s, sz, applied, sz_passed);
}

bool apply_schemes(Context &c, DamosWalk *walk)
{
	bool any = false;

	if (walk && !walk->started) {
		walk->started = true;
		for (Scheme &s : c.schemes)
			s.walk_state = Scheme::walk_none;
	}
	for (Scheme &s : c.schemes) {
		if (s.max_nr_snapshots && s.stat.nr_snapshots >= s.max_nr_snapshots) {
			/* Never applied again: nothing for a walk to wait. */
			s.walk_state = Scheme::walk_done;
			continue;
		}
		if (!scheme_due(c, s))
			continue;
		any = true;
		adjust_quota(c, s);
		if (walk && s.walk_state == Scheme::walk_none)
			s.walk_state = Scheme::walk_walking;
	}
	if (any) {
		u32 tidx = 0;
		for (Target &t : c.targets) {
			/* Regions may be split while walking: visit the
			 * new right parts too. */
			for (Region *r = t.regions.first(); r; r = t.regions.next(*r)) {
				u32 sidx = 0;
				for (Scheme &s : c.schemes) {
					if (scheme_due(c, s) && !s.quota.full(c.min_sz_region) &&
					    !skip_charged_region(c, t, *r, s) &&
					    valid_target(c, t, *r, s))
						apply_scheme(c, t, *r, s, sidx, tidx, walk);
					sidx++;
				}
			}
			tidx++;
		}
		for (Scheme &s : c.schemes) {
			if (!scheme_due(c, s))
				continue;
			s.next_apply_sis = c.passed_sample_intervals + apply_interval_sis(c, s);
			s.stat.nr_snapshots++;
			if (s.walk_state == Scheme::walk_walking)
				s.walk_state = Scheme::walk_done;
		}
	}
	if (!walk)
		return false;
	for (Scheme &s : c.schemes)
		if (s.walk_state != Scheme::walk_done)
			return false;
	return true;
}

} // namespace dx::damon
