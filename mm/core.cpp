// SPDX-License-Identifier: GPL-2.0
/*
 * The region core's data: attributes, targets, regions, contexts.
 */
#include <damonx/damon.hpp>

namespace dx::damon {

int Attrs::validate() const
{
	if (min_nr_regions < 3)
		return -err::inval;
	if (min_nr_regions > max_nr_regions)
		return -err::inval;
	if (sample_interval > aggr_interval)
		return -err::inval;
	if (intervals_goal.aggrs) {
		if (intervals_goal.min_sample_us > intervals_goal.max_sample_us)
			return -err::inval;
		if (sample_interval < intervals_goal.min_sample_us ||
		    sample_interval > intervals_goal.max_sample_us)
			return -err::inval;
	}
	return 0;
}

u32 Attrs::max_nr_accesses() const
{
	ulong n = aggr_interval / (sample_interval ? sample_interval : 1);

	return n < 1 ? 1 : (n > uint_max ? uint_max : u32(n));
}

Target::~Target()
{
	destroy_regions();
	if (pid)
		dx_put_pid(pid);
}

void Target::add_region(Region &r)
{
	regions.push_back(r);
	nr_regions++;
}

void Target::insert_region(Region &r, Region *after)
{
	if (after)
		regions.insert_after(*after, r);
	else
		regions.push_front(r);
	nr_regions++;
}

void Target::destroy_region(Region &r)
{
	RegionList::remove(r);
	nr_regions--;
	delete &r;
}

void Target::destroy_regions()
{
	for (Region &r : regions)
		destroy_region(r);
}

ulong Target::total_size()
{
	ulong sz = 0;

	for (Region &r : regions)
		sz += r.size();
	return sz;
}

Context::~Context()
{
	for (Target &t : targets) {
		TargetList::remove(t);
		delete &t;
	}
	for (Scheme &s : schemes) {
		SchemeList::remove(s);
		delete &s;
	}
}

int Context::select_ops(OpsId id)
{
	Ops *o = ops_get(id);

	if (!o)
		return -err::inval;
	ops_id = id;
	ops = o;
	return 0;
}

} // namespace dx::damon

namespace dx::damon {

ulong rand_range(ulong lo, ulong hi)
{
	if (hi <= lo)
		return lo;
	ulong span = hi - lo;
	if (span <= uint_max)
		return lo + dx_random_below(u32(span));
	/* Wider than 32 bits: compose two draws. */
	u64 v = (u64(dx_random_below(uint_max)) << 32) | dx_random_below(uint_max);
	return lo + ulong(v % span);
}

void update_region_access(Region &r, bool accessed, const Attrs &a)
{
	u32 len_window = a.sample_interval ? a.max_nr_accesses() : 1;

	/* A pseudo moving sum over the last aggregation: drop the average
	 * share of the last aggregation's count, add this sample. */
	r.nr_accesses_bp = r.nr_accesses_bp - r.last_nr_accesses * 10000 / len_window +
			   (accessed ? 10000 : 0);
	if (accessed)
		r.nr_accesses++;
}

static bool intersects(const Region &r, const AddrRange &ar)
{
	return !(r.end <= ar.start || ar.end <= r.start);
}

int set_regions(Target &t, const AddrRange *ranges, u32 nr, ulong min_sz)
{
	ulong last_end = 0;

	for (u32 i = 0; i < nr; i++) {
		ulong s = align_down(ranges[i].start, min_sz);
		ulong e = align_up(ranges[i].end, min_sz);
		if (s >= e || (i && last_end > s))
			return -err::inval;
		last_end = e;
	}

	/* Regions outside every range go. */
	for (Region &r : t.regions) {
		u32 i = 0;
		while (i < nr && !intersects(r, ranges[i]))
			i++;
		if (i == nr)
			t.destroy_region(r);
	}

	Region *r = t.regions.first();
	for (u32 i = 0; i < nr; i++) {
		const AddrRange &ar = ranges[i];
		ulong s = align_down(ar.start, min_sz), e = align_up(ar.end, min_sz);
		Region *first = nullptr, *last = nullptr;

		for (; r; r = t.regions.next(*r)) {
			if (intersects(*r, ar)) {
				if (!first)
					first = r;
				last = r;
			}
			if (r->start >= ar.end)
				break;
		}
		if (!first) {
			/* Nothing there yet: one new region, before @r. */
			Region *n = new (gfp_kernel) Region(s, e);
			if (!n)
				return -err::nomem;
			t.insert_region(*n, r ? t.regions.prev(*r) : t.regions.last());
			continue;
		}
		first->start = s;
		last->end = e;
		/* Fill the holes between first and last. */
		for (Region *p = first; p != last; p = t.regions.next(*p)) {
			Region *nx = t.regions.next(*p);
			if (p->end != nx->start) {
				Region *n = new (gfp_kernel) Region(p->end, nx->start);
				if (!n)
					return -err::nomem;
				t.insert_region(*n, p);
				p = n;
			}
		}
	}
	return 0;
}

} // namespace dx::damon
