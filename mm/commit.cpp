// SPDX-License-Identifier: GPL-2.0
/*
 * Online changes of a running context (damon_commit_ctx): a new set of
 * parameters is matched to the running one by index and applied in place,
 * keeping monitoring results and scheme statistics where they continue.
 */
#include <damonx/core.hpp>
#include <damonx/commit.hpp>

namespace dx::damon {

/*
 * Matches @dst's and @src's elements by index: commit(d, s) for each pair,
 * then @dst's extra elements are destroyed and @src's extra ones move over
 * (adopt(s) runs once each is in @dst).
 */
template <typename T, ListNode T::*M, typename Commit, typename Adopt>
static void commit_by_index(List<T, M> &dst, List<T, M> &src, Commit commit, Adopt adopt)
{
	T *d = dst.first();
	T *s = src.first();

	for (; d && s; d = dst.next(*d), s = src.next(*s))
		commit(*d, *s);
	while (d) {
		T *n = dst.next(*d);
		List<T, M>::remove(*d);
		delete d;
		d = n;
	}
	while (s) {
		T *n = src.next(*s);
		List<T, M>::remove(*s);
		dst.push_back(*s);
		adopt(*s);
		s = n;
	}
}

/*
 * Goals are matched by index too; the feedback state continues.  The
 * memcg reference moves over (the one @d held is dropped).  A goal whose
 * metric changes gets a new PSI baseline at its next window, so that it
 * never measures from another metric's total.
 */
static void commit_quota_goals(Quota &dst, Quota &src)
{
	commit_by_index(dst.goals, src.goals, [](QuotaGoal &d, QuotaGoal &s) {
		if (d.metric != s.metric)
			d.psi_baseline = false;
		d.metric = s.metric;
		d.target_value = s.target_value;
		/* Measured metrics keep their last measurement. */
		if (s.metric == GoalMetric::user_input)
			d.current_value = s.current_value;
		d.nid = s.nid;
		d.memcg = move(s.memcg);
	}, [](QuotaGoal &) {});
}

void commit_quota(Quota &dst, Quota &src)
{
	dst.ms = src.ms;
	dst.sz = src.sz;
	dst.reset_interval = src.reset_interval;
	dst.weight_sz = src.weight_sz;
	dst.weight_nr_accesses = src.weight_nr_accesses;
	dst.weight_age = src.weight_age;
	dst.goal_tuner = src.goal_tuner;
	dst.fail_charge_num = src.fail_charge_num;
	dst.fail_charge_denom = src.fail_charge_denom;
	commit_quota_goals(dst, src);
}

static void commit_scheme(Scheme &dst, Scheme &src)
{
	commit_quota(dst.quota, src.quota);
	/* Parameters only: whether the scheme is active is re-evaluated. */
	dst.wmarks.metric = src.wmarks.metric;
	dst.wmarks.interval_us = src.wmarks.interval_us;
	dst.wmarks.high = src.wmarks.high;
	dst.wmarks.mid = src.wmarks.mid;
	dst.wmarks.low = src.wmarks.low;
	/* Filters carry no state: the new lists replace the old. */
	destroy_filters(dst.core_filters);
	destroy_filters(dst.ops_filters);
	dst.core_filters.splice_back(src.core_filters);
	dst.ops_filters.splice_back(src.ops_filters);
	dst.pattern = src.pattern;
	dst.action = src.action;
	dst.apply_interval_us = src.apply_interval_us;
	dst.target_nid = src.target_nid;
	swap(dst.dests, src.dests);
	swap(dst.nr_dests, src.nr_dests);
	dst.max_nr_snapshots = src.max_nr_snapshots;
	/* stat and scheduling continue */
}

/* Schemes the new parameters no longer have go; new ones are first applied
 * one interval from now. */
static void commit_schemes(Context &dst, Context &src)
{
	commit_by_index(dst.schemes, src.schemes, commit_scheme, [&dst](Scheme &s) {
		s.next_apply_sis = dst.passed_sample_intervals + apply_interval_sis(dst, s);
	});
}

/* Regions: the new ones (if any were given) replace the ranges. */
static int commit_target_regions(Target &dst, Target &src, ulong min_sz)
{
	u32 n = src.nr_regions, i = 0;

	if (!n)
		return 0;
	AddrRange *ranges = new (gfp_kernel) AddrRange[n];
	if (!ranges)
		return -err::nomem;
	for (Region &r : src.regions)
		ranges[i++] = {r.start, r.end};
	int e = set_regions(dst, ranges, n, min_sz);
	delete[] ranges;
	return e;
}

static int commit_targets(Context &dst, Context &src)
{
	Target *d = dst.targets.first();
	Target *s = src.targets.first();

	while (d && s) {
		Target *dn = dst.targets.next(*d), *sn = src.targets.next(*s);

		if (s->obsolete) {
			TargetList::remove(*d);
			delete d;
		} else {
			if (src.ops_id != OpsId::paddr)
				swap(d->pid, s->pid);
			DX_TRY(commit_target_regions(*d, *s, dst.min_sz_region));
		}
		d = dn;
		s = sn;
	}
	while (d) {
		Target *dn = dst.targets.next(*d);
		TargetList::remove(*d);
		delete d;
		d = dn;
	}
	while (s) {
		Target *sn = src.targets.next(*s);
		/* An obsolete target with no match is an error. */
		if (s->obsolete)
			return -err::inval;
		TargetList::remove(*s);
		dst.add_target(*s);
		s = sn;
	}
	return 0;
}

int check_commit(Context &dst, Context &src)
{
	/* Obsolete targets must have a counterpart. */
	u32 nd = dst.nr_targets(), i = 0;
	for (Target &t : src.targets)
		if (t.obsolete && i++ >= nd)
			return -err::inval;
	DX_TRY(src.attrs.validate());
	return src.ops ? 0 : -err::inval;
}

int commit_ctx(Context &dst, Context &src)
{
	DX_TRY(check_commit(dst, src));
	commit_schemes(dst, src);
	DX_TRY(commit_targets(dst, src));
	if (dst.ops != src.ops) {
		dst.ops->cleanup(dst);
		dst.ops = src.ops;
		dst.ops_id = src.ops_id;
		dst.ops->init(dst);
	}
	dst.addr_unit = src.addr_unit;
	dst.pause = src.pause;
	dst.min_sz_region = src.min_sz_region;
	return set_attrs(dst, src.attrs);
}

} // namespace dx::damon
