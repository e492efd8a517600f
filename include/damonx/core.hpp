/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The region core's algorithms (upstream kdamond_* and damon_* of core.c):
 * adaptive regions (merge, split, minimum count), aggregation, attribute
 * changes and intervals auto-tuning.  Called by the kdamond loop; exposed
 * here for the KUnit suites.
 */
#pragma once

#include <damonx/damon.hpp>

namespace dx::damon {

/* ---- adaptive regions (mm/regions.cpp) ---------------------------------- */

/* Splits @r in two at @sz_r bytes from its start; the new right part
 * copies @r's monitoring results.  False if allocation failed. */
bool split_region_at(Target &t, Region &r, ulong sz_r);
/* Merges @r into its left neighbour @l (size-weighted results). */
void merge_two_regions(Target &t, Region &l, Region &r);
/* One merge pass over @t (damon_merge_regions_of); updates ages first when
 * @count_age. */
void merge_regions_of(Target &t, u32 thres, ulong sz_limit, bool count_age);
/* Merges until max_nr_regions holds, doubling the threshold if needed. */
void merge_regions(Context &c, u32 threshold, ulong sz_limit);
/* Splits every region of @t into @nr_subs random pieces (10..90%). */
void split_regions_of(Target &t, int nr_subs, ulong min_sz);
/* kdamond_split_regions: 2 or 3 pieces, while under max_nr_regions/2. */
void split_regions(Context &c);
/* Splits regions so that there are at least min_nr_regions: no region is
 * larger than total/min_nr_regions (aligned up to the min region size). */
int apply_min_nr_regions(Context &c);
/* The merge size limit: total size / min_nr_regions, at least a region. */
ulong region_sz_limit(Context &c);
/* End of an aggregation: last_nr_accesses = nr_accesses, nr_accesses = 0. */
void reset_aggregated(Context &c);
u32 nr_regions(Context &c);

/* ---- attributes (mm/attrs.cpp) -------------------------------------------- */

/* Applies new attributes to a context (damon_set_attrs): validates, rescales
 * the monitoring results to the new intervals and reschedules.  -EINVAL
 * leaves everything unchanged. */
int set_attrs(Context &c, const Attrs &a);
/* Rescaling rules, exposed for tests. */
u32 nr_accesses_to_bp(u32 nr_accesses, const Attrs &a);
u32 bp_to_nr_accesses(u32 bp, const Attrs &a);
void update_monitoring_result(Region &r, const Attrs &old_a, const Attrs &new_a,
			      bool aggregating);
/* The feedback loop of quota goals and intervals tuning: the next input for
 * a score (10000 = goal met). */
ulong feed_loop_next_input(ulong last_input, ulong score);
/* Intervals auto-tuning, one step (kdamond_tune_intervals). */
ulong intervals_score(Context &c);
ulong intervals_adaptation_bp(Context &c);
void tune_intervals(Context &c);

} // namespace dx::damon
