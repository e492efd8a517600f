// SPDX-License-Identifier: GPL-2.0
/*
 * Adaptive regions: merging regions of similar access frequency, splitting
 * regions at random points, and keeping the region count between
 * min_nr_regions and max_nr_regions.
 */
#include <damonx/core.hpp>

namespace dx::damon {

static ulong absdiff(u32 a, u32 b)
{
	return a > b ? a - b : b - a;
}

bool split_region_at(Target &t, Region &r, ulong sz_r)
{
	Region *n = new (gfp_nowait) Region(r.start + sz_r, r.end);

	if (!n)
		return false;
	r.end = n->start;
	n->age = r.age;
	n->last_nr_accesses = r.last_nr_accesses;
	n->nr_accesses_bp = r.nr_accesses_bp;
	n->nr_accesses = r.nr_accesses;
	t.insert_region(*n, &r);
	return true;
}

void merge_two_regions(Target &t, Region &l, Region &r)
{
	ulong sz_l = l.size(), sz_r = r.size();

	l.nr_accesses = u32((l.nr_accesses * sz_l + r.nr_accesses * sz_r) / (sz_l + sz_r));
	l.nr_accesses_bp = l.nr_accesses * 10000;
	l.age = u32((ulong(l.age) * sz_l + ulong(r.age) * sz_r) / (sz_l + sz_r));
	l.end = r.end;
	t.destroy_region(r);
}

void merge_regions_of(Target &t, u32 thres, ulong sz_limit, bool count_age)
{
	Region *prev = nullptr;

	for (Region &r : t.regions) {
		if (count_age) {
			/* A changed access frequency restarts the age, and
			 * so does going between idle and accessed. */
			if (absdiff(r.nr_accesses, r.last_nr_accesses) > thres ||
			    (!r.nr_accesses != !r.last_nr_accesses))
				r.age = 0;
			else if (r.age < uint_max)
				r.age++;
		}
		if (prev && prev->end == r.start &&
		    absdiff(prev->nr_accesses, r.nr_accesses) <= thres &&
		    prev->size() + r.size() <= sz_limit)
			merge_two_regions(t, *prev, r);
		else
			prev = &r;
	}
}

u32 nr_regions(Context &c)
{
	u32 n = 0;

	for (Target &t : c.targets)
		n += t.nr_regions;
	return n;
}

void merge_regions(Context &c, u32 threshold, ulong sz_limit)
{
	u32 max_thres = c.attrs.max_nr_accesses();
	bool count_age = true;

	for (;;) {
		for (Target &t : c.targets)
			merge_regions_of(t, threshold, sz_limit, count_age);
		count_age = false;
		if (nr_regions(c) <= c.attrs.max_nr_regions || threshold >= max_thres)
			break;
		threshold = threshold < max_thres / 2 ? max(1U, threshold * 2) : max_thres;
	}
}

void split_regions_of(Target &t, int nr_subs, ulong min_sz)
{
	for (Region &r : t.regions) {
		ulong sz_region = r.size();

		for (int i = 0; i < nr_subs - 1 && sz_region > 2 * min_sz; i++) {
			/* The left piece gets 10% to 90% of the region. */
			ulong sz_sub = align_down(rand_range(1, 10) * sz_region / 10, min_sz);

			if (sz_sub == 0 || sz_sub >= sz_region)
				continue;
			if (!split_region_at(t, r, sz_sub))
				return;
			sz_region = sz_sub;
		}
	}
}

void split_regions(Context &c)
{
	u32 n = nr_regions(c);
	int nr_subs = 2;

	if (n > c.attrs.max_nr_regions / 2)
		return;
	/* Maybe the middle of the region has a different access frequency. */
	if (c.last_nr_regions == n && n < c.attrs.max_nr_regions / 3)
		nr_subs = 3;
	for (Target &t : c.targets)
		split_regions_of(t, nr_subs, c.min_sz_region);
	c.last_nr_regions = n;
}

ulong region_sz_limit(Context &c)
{
	ulong sz = 0;

	for (Target &t : c.targets)
		sz += t.total_size();
	if (c.attrs.min_nr_regions)
		sz /= c.attrs.min_nr_regions;
	return max(sz, c.min_sz_region);
}

int apply_min_nr_regions(Context &c)
{
	ulong total = 0;

	for (Target &t : c.targets)
		total += t.total_size();
	if (!total || !c.attrs.min_nr_regions)
		return 0;
	ulong max_sz = align_up(total / c.attrs.min_nr_regions, c.min_sz_region);
	if (max_sz < c.min_sz_region)
		max_sz = c.min_sz_region;
	for (Target &t : c.targets) {
		/* Each split's right part is the next region visited. */
		for (Region *r = t.regions.first(); r; r = t.regions.next(*r))
			if (r->size() > max_sz && !split_region_at(t, *r, max_sz))
				return -err::nomem;
	}
	return 0;
}

void reset_aggregated(Context &c)
{
	for (Target &t : c.targets) {
		for (Region &r : t.regions) {
			r.last_nr_accesses = r.nr_accesses;
			r.nr_accesses = 0;
		}
	}
}

} // namespace dx::damon
