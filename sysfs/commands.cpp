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

/* Calls @fn(dir, scheme) for each scheme directory and the running scheme
 * of the same index; directories beyond the running schemes are left. */
template <typename Fn> void for_each_scheme_pair(SchemesDir &sd, Context &c, Fn fn)
{
	Scheme *s = c.schemes.first();

	for (SchemeDir *d : sd.schemes) {
		if (!s)
			break;
		fn(*d, *s);
		s = c.schemes.next(*s);
	}
}

void copy_stats(StatsDir &d, const DamosStat &st)
{
	d.nr_tried = st.nr_tried;
	d.sz_tried = st.sz_tried;
	d.nr_applied = st.nr_applied;
	d.sz_applied = st.sz_applied;
	d.qt_exceeds = st.qt_exceeds;
	d.sz_ops_filter_passed = st.sz_ops_filter_passed;
	d.nr_snapshots = st.nr_snapshots;
}

/* Runs on the kdamond while the writer holds the tree lock: the scheme
 * directories are stable, and so are the schemes. */
int do_copy_stats(Context &c, void *arg)
{
	for_each_scheme_pair(*static_cast<SchemesDir *>(arg), c,
			     [](SchemeDir &d, Scheme &s) { copy_stats(d.stats, s.stat); });
	return 0;
}

int do_copy_esz(Context &c, void *arg)
{
	for_each_scheme_pair(*static_cast<SchemesDir *>(arg), c,
			     [](SchemeDir &d, Scheme &s) { d.quotas.effective_bytes = s.quota.esz; });
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

/* Copies the running schemes' stats and effective quotas, and the tuned
 * intervals, into the directories below @k.  Tree lock held. */
void copy_results(KdamondDir &k, Context &c)
{
	if (k.contexts.contexts.size() != 1)
		return;
	ContextDir &cd = k.contexts.contexts[0];
	for_each_scheme_pair(cd.schemes, c, [](SchemeDir &d, Scheme &s) {
		copy_stats(d.stats, s.stat);
		d.quotas.effective_bytes = s.quota.esz;
	});
	if (c.attrs.intervals_goal.aggrs) {
		cd.monitoring_attrs.intervals.sample_us = c.attrs.sample_interval;
		cd.monitoring_attrs.intervals.aggr_us = c.attrs.aggr_interval;
	}
}

/*
 * refresh_ms: on the kdamond, every refresh_ms, the results are copied into
 * the tree without any command.  Skipped when the tree lock is contended
 * (a command is running; it may be waiting for this very thread).
 */
void refresh(Context &c, void *arg)
{
	KdamondDir &k = *static_cast<KdamondDir *>(arg);
	u64 now = dx_ktime_ns();

	if (now < k.next_refresh_ns)
		return;
	TryGuard g(lock());
	if (!g)
		return;
	if (!k.refresh_ms) {
		k.next_refresh_ns = now + 100 * 1000000ULL;	/* look again soon */
		return;
	}
	k.next_refresh_ns = now + u64(k.refresh_ms) * 1000000;
	copy_results(k, c);
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
	return run_on_kdamond(*kdamond, do_copy_stats, &contexts.contexts[0].schemes);
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
	return run_on_kdamond(*kdamond, do_copy_esz, &contexts.contexts[0].schemes);
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
		next_refresh_ns = 0;
		kdamond->set_repeat(refresh, this);
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
