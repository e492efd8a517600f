// SPDX-License-Identifier: GPL-2.0
/*
 * Monitoring attributes of a running context: changing them online (with
 * the results rescaled to the new intervals) and auto-tuning the sampling
 * and aggregation intervals toward an access-events goal.
 */
#include <damonx/core.hpp>

namespace dx::damon {

u32 nr_accesses_to_bp(u32 nr_accesses, const Attrs &a)
{
	return u32(u64(nr_accesses) * 10000 / a.max_nr_accesses());
}

u32 bp_to_nr_accesses(u32 bp, const Attrs &a)
{
	return u32(u64(bp) * a.max_nr_accesses() / 10000);
}

static u32 nr_accesses_for_new_attrs(u32 n, const Attrs &old_a, const Attrs &new_a)
{
	return bp_to_nr_accesses(nr_accesses_to_bp(n, old_a), new_a);
}

void update_monitoring_result(Region &r, const Attrs &old_a, const Attrs &new_a,
			      bool aggregating)
{
	if (!aggregating) {
		r.nr_accesses = nr_accesses_for_new_attrs(r.nr_accesses, old_a, new_a);
		r.nr_accesses_bp = r.nr_accesses * 10000;
	} else {
		/* In the middle of an aggregation the partial count means
		 * nothing under the new intervals: restart the aggregation
		 * from the rescaled last result. */
		r.last_nr_accesses = nr_accesses_for_new_attrs(r.last_nr_accesses, old_a, new_a);
		r.nr_accesses_bp = r.last_nr_accesses * 10000;
		r.nr_accesses = 0;
	}
	r.age = u32(u64(r.age) * old_a.aggr_interval / new_a.aggr_interval);
}

int set_attrs(Context &c, const Attrs &in)
{
	Attrs a = in;

	DX_TRY(a.validate());
	ulong sample = a.sample_interval ? a.sample_interval : 1;
	if (!a.aggr_samples)
		a.aggr_samples = a.aggr_interval / sample;

	/* If any interval is zero, the results are not converted. */
	if (c.attrs.sample_interval && c.attrs.aggr_interval && a.sample_interval &&
	    a.aggr_interval) {
		bool aggregating = c.passed_sample_intervals < c.next_aggregation_sis &&
			c.next_aggregation_sis - c.passed_sample_intervals <
				c.attrs.aggr_interval / max(c.attrs.sample_interval, 1UL);
		for (Target &t : c.targets)
			for (Region &r : t.regions)
				update_monitoring_result(r, c.attrs, a, aggregating);
	}
	c.next_aggregation_sis = c.passed_sample_intervals + a.aggr_interval / sample;
	c.next_ops_update_sis = c.passed_sample_intervals + a.ops_update_interval / sample;
	c.next_intervals_tune_sis = c.passed_sample_intervals +
		a.aggr_samples * a.intervals_goal.aggrs;
	c.attrs = a;
	return 0;
}

ulong feed_loop_next_input(ulong last_input, ulong score)
{
	const ulong goal = 10000;
	const ulong min_input = 10000;	/* keeps the compensation non-zero */
	bool over = score > goal;

	if (score == goal)
		return last_input;
	if (score >= goal * 2)
		return min_input;
	ulong diff = over ? score - goal : goal - score;
	ulong comp = last_input < ulong_max / diff ? last_input * diff / goal
						   : last_input / goal * diff;
	if (over)
		return max(last_input - comp, min_input);
	return last_input < ulong_max - comp ? last_input + comp : ulong_max;
}

ulong intervals_score(Context &c)
{
	/* Access events: a region of N bytes seen accessed in K samples is
	 * N*K events.  Counted in pages so large address spaces don't
	 * overflow. */
	u64 max_events = 0, events = 0;
	ulong goal_bp = c.attrs.intervals_goal.access_bp;

	for (Target &t : c.targets) {
		for (Region &r : t.regions) {
			u64 pages = r.size() / page_size ? r.size() / page_size : 1;
			max_events += pages * c.attrs.aggr_samples;
			events += pages * r.nr_accesses;
		}
	}
	u64 target = max_events * goal_bp / 10000;
	if (!target)
		target = 1;
	return ulong(events * 10000 / target);
}

ulong intervals_adaptation_bp(Context &c)
{
	ulong bp = feed_loop_next_input(100000000, intervals_score(c)) / 10000;

	/* The result is in [1, 20000]; shrinking intervals fast helps nobody,
	 * so [1, 10000] is rescaled into [5000, 10000]. */
	if (bp <= 10000)
		bp = 5000 + bp / 2;
	return bp;
}

void tune_intervals(Context &c)
{
	ulong bp = intervals_adaptation_bp(c);

	if (bp == 10000)
		return;
	const IntervalsGoal &g = c.attrs.intervals_goal;
	Attrs a = c.attrs;
	a.sample_interval = min(g.max_sample_us, ulong(u64(c.attrs.sample_interval) * bp / 10000));
	a.sample_interval = max(g.min_sample_us, a.sample_interval);
	a.aggr_interval = a.sample_interval * c.attrs.aggr_samples;
	/* Keeps aggr_samples: the ratio of the two intervals stays. */
	set_attrs(c, a);
}

} // namespace dx::damon
