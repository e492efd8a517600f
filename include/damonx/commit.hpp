/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Applying new parameters to a running context (upstream damon_commit_ctx).
 */
#pragma once

#include <damonx/damon.hpp>

namespace dx::damon {

/* What commit_ctx() would refuse, checked before anything changes. */
int check_commit(Context &dst, Context &src);
/* Applies @src's parameters to @dst, which keeps its monitoring results
 * where targets and regions continue.  Runs on @dst's kdamond.  @src is
 * consumed (its targets and schemes may move into @dst). */
int commit_ctx(Context &dst, Context &src);
/* Applies a quota's parameters and goals, keeping its charge state. */
void commit_quota(Quota &dst, Quota &src);

} // namespace dx::damon
