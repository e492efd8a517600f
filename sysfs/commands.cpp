// SPDX-License-Identifier: GPL-2.0
/*
 * The keywords of <K>/state: starting and stopping a kdamond, committing
 * new parameters online, and copying results (stats, tried regions, tuned
 * intervals) from the running kdamond into the tree.  Every command but on
 * and off runs on the kdamond through a request (damon_call), so it sees a
 * consistent context and its errors reach the writer.
 */
#include "dirs.hpp"
#include <damonx/commit.hpp>

namespace dx::sysfs {

using namespace dx::damon;

KdamondDir::~KdamondDir()
{
	kdamond.reset();	/* stops a running kdamond */
}

namespace {

/* Runs @fn(ctx, arg) on the kdamond of @k. */
int run_on_kdamond(Kdamond &k, int (*fn)(Context &, void *), void *arg)
{
	Request req;

	req.fn = fn;
	req.arg = arg;
	return k.call(req);
}

struct CommitArg {
	Context *src;
};

int do_commit(Context &dst, void *arg)
{
	Context &src = *static_cast<CommitArg *>(arg)->src;

	DX_TRY(check_commit(dst, src));
	int e = commit_ctx(dst, src);
	if (e)
		dst.maybe_corrupted = true;	/* half applied: stop */
	return e;
}

struct StatsArg {
	DamosStat *stats;
	u32 n;
};

int do_read_stats(Context &c, void *arg)
{
	auto *a = static_cast<StatsArg *>(arg);
	u32 i = 0;

	for (Scheme &s : c.schemes) {
		if (i >= a->n)
			break;
		a->stats[i++] = s.stat;
	}
	return 0;
}

struct EszArg {
	ulong *esz;
	u32 n;
};

int do_read_esz(Context &c, void *arg)
{
	auto *a = static_cast<EszArg *>(arg);
	u32 i = 0;

	for (Scheme &s : c.schemes) {
		if (i >= a->n)
			break;
		a->esz[i++] = s.quota.esz;
	}
	return 0;
}

/* New quota goals for the running schemes, by index. */
int do_commit_goals(Context &c, void *arg)
{
	Context &src = *static_cast<Context *>(arg);
	Scheme *s = src.schemes.first();

	for (Scheme &d : c.schemes) {
		if (!s)
			break;
		commit_quota(d.quota, s->quota);
		s = src.schemes.next(*s);
	}
	return 0;
}

int do_read_attrs(Context &c, void *arg)
{
	*static_cast<Attrs *>(arg) = c.attrs;
	return 0;
}

/* The regions a walk saw, for the tried_regions/ directories. */
struct Tried {
	u32 sidx;
	ulong start, end;
	u32 nr_accesses, age;
	ulong sz_filter_passed;
};

struct Collector {
	Tried *items = nullptr;
	u32 n = 0, cap = 0;
	ulong *totals = nullptr;	/* per scheme */
	u32 nr_schemes = 0;
	bool only_bytes = false;
	bool failed = false;

	~Collector()
	{
		dx_kvfree(items);
		delete[] totals;
	}
};

void collect(void *arg, u32 sidx, u32, const Region &r, ulong sz_filter_passed)
{
	auto *c = static_cast<Collector *>(arg);

	if (sidx >= c->nr_schemes)
		return;
	c->totals[sidx] += r.size();
	if (c->only_bytes || c->failed)
		return;
	if (c->n == c->cap) {
		u32 cap = c->cap ? c->cap * 2 : 64;
		Tried *items = static_cast<Tried *>(dx_kvcalloc(cap, sizeof(Tried)));
		if (!items) {
			c->failed = true;
			return;
		}
		for (u32 i = 0; i < c->n; i++)
			items[i] = c->items[i];
		dx_kvfree(c->items);
		c->items = items;
		c->cap = cap;
	}
	c->items[c->n++] = {sidx, r.start, r.end, r.nr_accesses_bp / 10000, r.age,
			    sz_filter_passed};
}

} // namespace

int KdamondDir::commit()
{
	auto ctx = contexts.contexts[0].build_context();

	if (!ctx.ok())
		return ctx.err();
	CommitArg arg{ctx.value().get()};
	return run_on_kdamond(*kdamond, do_commit, &arg);
}

int KdamondDir::update_stats()
{
	SchemesDir &sd = contexts.contexts[0].schemes;
	u32 n = sd.schemes.size();

	if (!n)
		return run_on_kdamond(*kdamond, [](Context &, void *) { return 0; }, nullptr);
	DamosStat *stats = new (gfp_kernel) DamosStat[n];
	if (!stats)
		return -err::nomem;
	StatsArg arg{stats, n};
	int e = run_on_kdamond(*kdamond, do_read_stats, &arg);
	if (!e) {
		/* Scheme directories beyond the running schemes keep theirs. */
		u32 i = 0;
		for (SchemeDir *s : sd.schemes) {
			const DamosStat &st = stats[i++];
			s->stats.nr_tried = st.nr_tried;
			s->stats.sz_tried = st.sz_tried;
			s->stats.nr_applied = st.nr_applied;
			s->stats.sz_applied = st.sz_applied;
			s->stats.qt_exceeds = st.qt_exceeds;
			s->stats.sz_ops_filter_passed = st.sz_ops_filter_passed;
			s->stats.nr_snapshots = st.nr_snapshots;
		}
	}
	delete[] stats;
	return e;
}

int KdamondDir::update_tried_regions(bool only_bytes)
{
	SchemesDir &sd = contexts.contexts[0].schemes;
	Collector col;
	DamosWalk walk;

	col.nr_schemes = sd.schemes.size();
	col.only_bytes = only_bytes;
	col.totals = new (gfp_kernel) ulong[col.nr_schemes ? col.nr_schemes : 1]();
	if (!col.totals)
		return -err::nomem;
	walk.fn = collect;
	walk.arg = &col;
	DX_TRY(kdamond->walk(walk));
	if (col.failed)
		return -err::nomem;

	u32 sidx = 0;
	for (SchemeDir *s : sd.schemes) {
		TriedRegionsDir &tr = s->tried_regions;
		tr.total_bytes = col.totals[sidx];
		if (!only_bytes) {
			u32 count = 0;
			for (u32 i = 0; i < col.n; i++)
				count += col.items[i].sidx == sidx;
			DX_TRY(tr.regions.set_nr(&tr, count));
			u32 j = 0;
			for (u32 i = 0; i < col.n; i++) {
				const Tried &t = col.items[i];
				if (t.sidx != sidx)
					continue;
				TriedRegionDir &d = tr.regions[j++];
				d.start = t.start;
				d.end = t.end;
				d.nr_accesses = t.nr_accesses;
				d.age = t.age;
				d.sz_filter_passed = t.sz_filter_passed;
			}
		}
		sidx++;
	}
	return 0;
}

void KdamondDir::clear_tried_regions()
{
	if (contexts.contexts.size() != 1)
		return;
	for (SchemeDir *s : contexts.contexts[0].schemes.schemes) {
		s->tried_regions.regions.clear();
		s->tried_regions.total_bytes = 0;
	}
}

int KdamondDir::update_effective_quotas()
{
	SchemesDir &sd = contexts.contexts[0].schemes;
	u32 n = sd.schemes.size();
	ulong *esz = new (gfp_kernel) ulong[n ? n : 1]();

	if (!esz)
		return -err::nomem;
	EszArg arg{esz, n};
	int e = run_on_kdamond(*kdamond, do_read_esz, &arg);
	if (!e) {
		u32 i = 0;
		for (SchemeDir *s : sd.schemes)
			s->quotas.effective_bytes = esz[i++];
	}
	delete[] esz;
	return e;
}

int KdamondDir::commit_quota_goals()
{
	auto ctx = contexts.contexts[0].build_context();

	if (!ctx.ok())
		return ctx.err();
	return run_on_kdamond(*kdamond, do_commit_goals, ctx.value().get());
}

int KdamondDir::update_tuned_intervals()
{
	Attrs a;

	DX_TRY(run_on_kdamond(*kdamond, do_read_attrs, &a));
	IntervalsDir &iv = contexts.contexts[0].monitoring_attrs.intervals;
	iv.sample_us = a.sample_interval;
	iv.aggr_us = a.aggr_interval;
	return 0;
}

/* Called with the tree lock held. */
int KdamondDir::handle_state(const char *cmd)
{
	static int next_id;

	if (streq(cmd, "off")) {
		if (!kdamond)
			return -err::inval;
		return kdamond->stop();
	}
	if (contexts.contexts.size() != 1)
		return -err::inval;
	if (streq(cmd, "on")) {
		if (running())
			return -err::busy;
		auto ctx = contexts.contexts[0].build_context();
		if (!ctx.ok())
			return ctx.err();
		kdamond.reset();
		kdamond = make_owned<Kdamond>(gfp_kernel, ctx.take());
		if (!kdamond)
			return -err::nomem;
		int e = kdamond->start(next_id++);
		if (e)
			kdamond.reset();
		return e;
	}
	if (streq(cmd, "clear_schemes_tried_regions")) {
		clear_tried_regions();
		return 0;
	}
	/* Every other command works on a kdamond that was started. */
	if (!kdamond)
		return -err::inval;
	if (!kdamond->running())
		return -err::canceled;
	if (streq(cmd, "commit"))
		return commit();
	if (streq(cmd, "update_schemes_stats"))
		return update_stats();
	if (streq(cmd, "update_schemes_tried_regions"))
		return update_tried_regions(false);
	if (streq(cmd, "update_schemes_tried_bytes"))
		return update_tried_regions(true);
	if (streq(cmd, "update_tuned_intervals"))
		return update_tuned_intervals();
	if (streq(cmd, "update_schemes_effective_quotas"))
		return update_effective_quotas();
	if (streq(cmd, "commit_schemes_quota_goals"))
		return commit_quota_goals();
	return -err::inval;
}

} // namespace dx::sysfs
