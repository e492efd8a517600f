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
