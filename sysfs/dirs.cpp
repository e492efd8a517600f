// SPDX-License-Identifier: GPL-2.0
/*
 * The DAMON sysfs ABI tree: each directory's files as a table, and the few
 * handlers that do more than store a value (nr_* files, state, pid).
 */
#include "dirs.hpp"

#include <damonx/paddr.hpp>

namespace dx::sysfs {

using namespace dx::damon;

/* ---- checks and handlers shared by several files ------------------------ */

static int check_nonzero(Dir &, ulong v)
{
	return v ? 0 : -err::inval;
}

/* ---- the tree, leaves first ---------------------------------------------- */

DirSpec EmptyDir::spec{"dir", nullptr, 0};
EmptyDir::EmptyDir() : Dir(spec) {}

static const File intervals_goal_files[] = {
	rw<&IntervalsGoalDir::access_bp>("access_bp"),
	rw<&IntervalsGoalDir::aggrs>("aggrs"),
	rw<&IntervalsGoalDir::min_sample_us>("min_sample_us"),
	rw<&IntervalsGoalDir::max_sample_us>("max_sample_us"),
};
DirSpec IntervalsGoalDir::spec{"intervals_goal", intervals_goal_files, array_size(intervals_goal_files)};

static const File intervals_files[] = {
	rw<&IntervalsDir::sample_us>("sample_us"),
	rw<&IntervalsDir::aggr_us>("aggr_us"),
	rw<&IntervalsDir::update_us>("update_us"),
};
DirSpec IntervalsDir::spec{"intervals", intervals_files, array_size(intervals_files)};

static const File nr_regions_files[] = {
	rw<&NrRegionsDir::min>("min"),
	rw<&NrRegionsDir::max>("max"),
};
DirSpec NrRegionsDir::spec{"nr_regions", nr_regions_files, array_size(nr_regions_files)};

DirSpec MonitoringAttrsDir::spec{"monitoring_attrs", nullptr, 0};

int MonitoringAttrsDir::populate()
{
	DX_TRY(intervals.add(this, "intervals"));
	return nr_regions.add(this, "nr_regions");
}

static const File region_files[] = {
	rw<&RegionDir::start>("start"),
	rw<&RegionDir::end>("end"),
};
DirSpec RegionDir::spec{"region", region_files, array_size(region_files)};

static const File regions_files[] = {
	NR_FILE(RegionsDir, regions, "nr_regions", nullptr),
};
DirSpec RegionsDir::spec{"regions", regions_files, array_size(regions_files)};

static const File target_files[] = {
	rw<&TargetDir::pid_target>("pid_target", nullptr, true),
	rw<&TargetDir::obsolete_target>("obsolete_target"),
};
DirSpec TargetDir::spec{"target", target_files, array_size(target_files)};

static const File targets_files[] = {
	NR_FILE(TargetsDir, targets, "nr_targets", nullptr),
};
DirSpec TargetsDir::spec{"targets", targets_files, array_size(targets_files)};

static ssize_t avail_operations_show(Dir &, char *buf)
{
	int len = 0;

	for (unsigned i = 0; i < nr_ops_ids; i++)
		if (ops_available(OpsId(i)))
			len += dx_sysfs_emit(buf + len, "%s\n", ops_names[i]);
	return len;
}

static const File context_files[] = {
	custom("avail_operations", mode_ro, avail_operations_show),
	keyword<&ContextDir::operations>("operations", ops_names),
	rw<&ContextDir::addr_unit>("addr_unit", check_nonzero),
	rw<&ContextDir::pause>("pause"),
};
DirSpec ContextDir::spec{"context", context_files, array_size(context_files)};

int ContextDir::populate()
{
	DX_TRY(monitoring_attrs.add(this, "monitoring_attrs"));
	DX_TRY(targets.add(this, "targets"));
	return schemes.add(this, "schemes");
}

static int nr_contexts_allowed(ContextsDir &, u32 n)
{
	return n > 1 ? -err::inval : 0;
}

static const File contexts_files[] = {
	NR_FILE(ContextsDir, contexts, "nr_contexts", nr_contexts_allowed),
};
DirSpec ContextsDir::spec{"contexts", contexts_files, array_size(contexts_files)};

/* The keywords of <K>/state, in upstream's order. */
static const char *const state_cmds[] = {
	"on", "off", "commit", "commit_schemes_quota_goals", "update_schemes_stats",
	"update_schemes_tried_bytes", "update_schemes_tried_regions",
	"clear_schemes_tried_regions", "update_schemes_effective_quotas",
	"update_tuned_intervals",
};

static ssize_t state_show(Dir &d, char *buf)
{
	TryGuard g(lock());
	if (!g)
		return -err::busy;
	return dx_sysfs_emit(buf, "%s\n", static_cast<KdamondDir &>(d).running() ? "on" : "off");
}

static ssize_t state_store(Dir &d, const char *buf, size_t count)
{
	int cmd = parse_keyword(buf, state_cmds, array_size(state_cmds));

	if (cmd < 0)
		return cmd;
	TryGuard g(lock());
	if (!g)
		return -err::busy;
	int e = static_cast<KdamondDir &>(d).handle_state(state_cmds[cmd]);
	return e ? e : ssize_t(count);
}

static ssize_t pid_show(Dir &d, char *buf)
{
	TryGuard g(lock());
	if (!g)
		return -err::busy;
	KdamondDir &k = static_cast<KdamondDir &>(d);
	return dx_sysfs_emit(buf, "%d\n", k.kdamond ? k.kdamond->pid() : -1);
}

static const File kdamond_files[] = {
	custom("state", mode_rw, state_show, state_store),
	custom("pid", mode_ro, pid_show),
	rw<&KdamondDir::refresh_ms>("refresh_ms"),
};
DirSpec KdamondDir::spec{"kdamond", kdamond_files, array_size(kdamond_files)};

static int nr_kdamonds_allowed(KdamondsDir &d, u32)
{
	for (KdamondDir *k : d.kdamonds)
		if (k->running())
			return -err::busy;
	return 0;
}

static const File kdamonds_files[] = {
	NR_FILE(KdamondsDir, kdamonds, "nr_kdamonds", nr_kdamonds_allowed),
};
DirSpec KdamondsDir::spec{"kdamonds", kdamonds_files, array_size(kdamonds_files)};

DirSpec *const all_specs[] = {
	&EmptyDir::spec, &IntervalsGoalDir::spec, &IntervalsDir::spec,
	&NrRegionsDir::spec, &MonitoringAttrsDir::spec, &RegionDir::spec,
	&RegionsDir::spec, &TargetDir::spec, &TargetsDir::spec, &ContextDir::spec,
	&ContextsDir::spec, &KdamondDir::spec, &KdamondsDir::spec,
	&RangeDir::spec, &AccessPatternDir::spec, &WeightsDir::spec, &GoalDir::spec,
	&GoalsDir::spec, &QuotasDir::spec, &WatermarksDir::spec, &FilterDir::spec,
	&FiltersDir::spec, &DestDir::spec, &DestsDir::spec, &StatsDir::spec,
	&TriedRegionDir::spec, &TriedRegionsDir::spec, &SchemeDir::spec, &SchemesDir::spec,
};
const u32 nr_all_specs = array_size(all_specs);

/* ---- building a Context from the tree -------------------------------------- */

Result<Owned<Context>> ContextDir::build_context()
{
	Owned<Context> ctx = make_owned<Context>(gfp_kernel);

	if (!ctx)
		return Result<Owned<Context>>::error(-err::nomem);
	Attrs &a = ctx->attrs;
	a.sample_interval = monitoring_attrs.intervals.sample_us;
	a.aggr_interval = monitoring_attrs.intervals.aggr_us;
	a.ops_update_interval = monitoring_attrs.intervals.update_us;
	a.min_nr_regions = monitoring_attrs.nr_regions.min;
	a.max_nr_regions = monitoring_attrs.nr_regions.max;
	IntervalsGoalDir &g = monitoring_attrs.intervals.goal;
	a.intervals_goal = {g.access_bp, g.aggrs, g.min_sample_us, g.max_sample_us};
	int e = a.validate();
	if (!e)
		e = ctx->select_ops(OpsId(operations));
	if (e)
		return Result<Owned<Context>>::error(e);
	/* Only paddr honours addr_unit (v6.18): its core addresses are
	 * physical addresses / addr_unit, so the smallest region is a page in
	 * those units, which must be a power of two. */
	ctx->addr_unit = addr_unit;
	ctx->pause = pause;
	if (ctx->ops_id == OpsId::paddr) {
		ctx->min_sz_region = paddr::min_region_size(addr_unit);
		if (!ctx->min_sz_region)
			return Result<Owned<Context>>::error(-err::inval);
	}

	if (ctx->ops_id == OpsId::paddr && targets.targets.size() > 1)
		return Result<Owned<Context>>::error(-err::inval);
	for (TargetDir *td : targets.targets) {
		Target *t = new (gfp_kernel) Target();
		if (!t)
			return Result<Owned<Context>>::error(-err::nomem);
		ctx->add_target(*t);
		t->obsolete = td->obsolete_target;
		if (ctx->ops_id != OpsId::paddr) {
			t->pid = dx_find_get_pid(td->pid_target);
			if (!t->pid)
				return Result<Owned<Context>>::error(-err::inval);
		}
		ulong prev_end = 0;
		for (RegionDir *rd : td->regions.regions) {
			if (rd->start > rd->end || rd->start < prev_end)
				return Result<Owned<Context>>::error(-err::inval);
			prev_end = rd->end;
			ulong s = align_down(rd->start, ctx->min_sz_region);
			ulong en = align_up(rd->end, ctx->min_sz_region);
			if (s >= en)
				return Result<Owned<Context>>::error(-err::inval);
			Region *r = new (gfp_kernel) Region(s, en);
			if (!r)
				return Result<Owned<Context>>::error(-err::nomem);
			t->add_region(*r);
		}
	}
	for (SchemeDir *sd : schemes.schemes) {
		auto s = sd->build_scheme();
		if (!s.ok())
			return Result<Owned<Context>>::error(s.err());
		ctx->schemes.push_back(*s.value());
	}
	return Result<Owned<Context>>(move(ctx));
}

/* ---- the root -------------------------------------------------------------- */

namespace {

struct AdminDir : EmptyDir {
	int populate() override { return kdamonds.add(this, "kdamonds"); }
	KdamondsDir kdamonds;
};

struct RootDir : EmptyDir {
	int populate() override { return admin.add(this, "admin"); }
	AdminDir admin;
};

RootDir *root;

} // namespace

int create_root(const char *name)
{
	root = new (gfp_kernel) RootDir();
	if (!root)
		return -err::nomem;
	int e = root->add(nullptr, name);
	if (e) {
		delete root;
		root = nullptr;
	}
	return e;
}

void destroy_root()
{
	delete root;
	root = nullptr;
}

} // namespace dx::sysfs
