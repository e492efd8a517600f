/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS quotas and prioritisation (mm/quota.cpp).
 */
#pragma once

#include <damonx/damon.hpp>
#include <damonx/goals.hpp>

namespace dx::damon {

constexpr int max_damos_score = 99;

/* Upstream's damon_hot_score()/damon_cold_score(): 0..99 from the
 * region's access frequency and age, weighted by the scheme's quota. */
int hot_score(const Context &c, const Region &r, const Scheme &s);
int cold_score(const Context &c, const Region &r, const Scheme &s);

/* The goals' score (highest current/target, 10000 = met), measuring each
 * goal's metric from @src. */
ulong quota_score(Quota &q, const MetricSource &src = kernel_metrics());
/* The effective size quota for a new charge window. */
void set_effective_quota(Quota &q, ulong min_sz_region,
			 const MetricSource &src = kernel_metrics());
/* Start of an apply round: new window if due, and the score threshold. */
void adjust_quota(Context &c, Scheme &s);

} // namespace dx::damon
