// SPDX-License-Identifier: GPL-2.0
/*
 * The schemes/ directories: their files as tables, and building core
 * Schemes from them.
 */
#include "schemes.hpp"

#include <damonx/goals.hpp>
#include <damonx/owned.hpp>

namespace dx::sysfs {

using namespace dx::damon;

static const File range_files[] = {
	rw<&RangeDir::min>("min"),
	rw<&RangeDir::max>("max"),
};
DirSpec RangeDir::spec{"range", range_files, array_size(range_files)};

DirSpec AccessPatternDir::spec{"access_pattern", nullptr, 0};

int AccessPatternDir::populate()
{
	DX_TRY(sz.add(this, "sz"));
	DX_TRY(nr_accesses.add(this, "nr_accesses"));
	return age.add(this, "age");
}

static const File weights_files[] = {
	rw<&WeightsDir::sz_permil>("sz_permil"),
	rw<&WeightsDir::nr_accesses_permil>("nr_accesses_permil"),
	rw<&WeightsDir::age_permil>("age_permil"),
};
DirSpec WeightsDir::spec{"weights", weights_files, array_size(weights_files)};

static const char *const goal_metrics[] = {
	"user_input", "some_mem_psi_us", "node_mem_used_bp", "node_mem_free_bp",
	"node_memcg_used_bp", "node_memcg_free_bp", "active_mem_bp", "inactive_mem_bp",
};

static const File goal_files[] = {
	keyword<&GoalDir::target_metric>("target_metric", goal_metrics),
	rw<&GoalDir::target_value>("target_value"),
	rw<&GoalDir::current_value>("current_value"),
	rw<&GoalDir::nid>("nid"),
	rw<&GoalDir::path>("path"),
};
DirSpec GoalDir::spec{"goal", goal_files, array_size(goal_files)};

Result<QuotaGoal *> GoalDir::build_goal()
{
	/* Goals without a target are skipped, as upstream. */
	if (!target_value)
		return static_cast<QuotaGoal *>(nullptr);
	GoalMetric m = GoalMetric(target_metric);
	const char *why = goal_metric_unavailable(m);
	if (why) {
		dx_warn_log("quota goal metric %s refused: %s", goal_metric_names[u32(m)], why);
		return Result<QuotaGoal *>::error(-err::inval);
	}
	Owned<QuotaGoal> g = make_owned<QuotaGoal>(gfp_kernel);
	if (!g)
		return Result<QuotaGoal *>::error(-err::nomem);
	g->metric = m;
	g->target_value = target_value;
	if (m == GoalMetric::user_input)
		g->current_value = current_value;	/* else measured */
	g->nid = nid;
	if (m == GoalMetric::node_memcg_used_bp || m == GoalMetric::node_memcg_free_bp) {
		g->memcg = memcg_of_path(path);
		if (!g->memcg)
			return Result<QuotaGoal *>::error(-err::nomem);
	}
	return g.release();
}

static const File goals_files[] = {
	NR_FILE(GoalsDir, goals, "nr_goals", nullptr),
};
DirSpec GoalsDir::spec{"goals", goals_files, array_size(goals_files)};

static const char *const goal_tuners[] = {"consist", "temporal"};

static const File quotas_files[] = {
	rw<&QuotasDir::ms>("ms", nullptr, true),
	rw<&QuotasDir::bytes>("bytes", nullptr, true),
	rw<&QuotasDir::reset_interval_ms>("reset_interval_ms", nullptr, true),
	ro<&QuotasDir::effective_bytes>("effective_bytes"),
	keyword<&QuotasDir::goal_tuner>("goal_tuner", goal_tuners),
	rw<&QuotasDir::fail_charge_num>("fail_charge_num", nullptr, true),
	rw<&QuotasDir::fail_charge_denom>("fail_charge_denom", nullptr, true),
};
DirSpec QuotasDir::spec{"quotas", quotas_files, array_size(quotas_files)};

int QuotasDir::populate()
{
	DX_TRY(weights.add(this, "weights"));
	return goals.add(this, "goals");
}

static const char *const wmark_metrics[] = {"none", "free_mem_rate"};

static const File watermarks_files[] = {
	keyword<&WatermarksDir::metric>("metric", wmark_metrics),
	rw<&WatermarksDir::interval_us>("interval_us"),
	rw<&WatermarksDir::high>("high"),
	rw<&WatermarksDir::mid>("mid"),
	rw<&WatermarksDir::low>("low"),
};
DirSpec WatermarksDir::spec{"watermarks", watermarks_files, array_size(watermarks_files)};

/* Filter types in upstream's order; the first six are handled by the ops
 * set, addr and target by the core. */
static const char *const filter_types[] = {
	"anon", "active", "memcg", "young", "hugepage_size", "unmapped", "addr", "target",
};
constexpr u32 first_core_filter_type = 6;

static int check_filter_type(Dir &d, ulong type)
{
	auto *parent = static_cast<FiltersDir *>(d.parent());
	bool core = type >= first_core_filter_type;

	if (parent && ((parent->layer == FilterLayer::core && !core) ||
		       (parent->layer == FilterLayer::ops && core)))
		return -err::inval;
	return 0;
}

static ssize_t filter_type_store(Dir &d, const char *buf, size_t count)
{
	int t = parse_keyword(buf, filter_types, array_size(filter_types));

	if (t < 0)
		return t;
	int e = check_filter_type(d, ulong(t));
	if (e)
		return e;
	static_cast<FilterDir &>(d).type = u32(t);
	return ssize_t(count);
}

static ssize_t filter_type_show(Dir &d, char *buf)
{
	return dx_sysfs_emit(buf, "%s\n", filter_types[static_cast<FilterDir &>(d).type]);
}

static const File filter_files[] = {
	custom("type", mode_rw, filter_type_show, filter_type_store),
	rw<&FilterDir::matching>("matching"),
	rw<&FilterDir::allow>("allow"),
	rw<&FilterDir::memcg_path>("memcg_path"),
	rw<&FilterDir::addr_start>("addr_start"),
	rw<&FilterDir::addr_end>("addr_end"),
	rw<&FilterDir::damon_target_idx>("damon_target_idx"),
	rw<&FilterDir::min>("min"),
	rw<&FilterDir::max>("max"),
};
DirSpec FilterDir::spec{"filter", filter_files, array_size(filter_files)};

static const File filters_files[] = {
	NR_FILE(FiltersDir, filters, "nr_filters", nullptr),
};
DirSpec FiltersDir::spec{"filters", filters_files, array_size(filters_files)};

static const File dest_files[] = {
	rw<&DestDir::id>("id"),
	rw<&DestDir::weight>("weight"),
};
DirSpec DestDir::spec{"dest", dest_files, array_size(dest_files)};

static const File dests_files[] = {
	NR_FILE(DestsDir, dests, "nr_dests", nullptr),
};
DirSpec DestsDir::spec{"dests", dests_files, array_size(dests_files)};

static const File stats_files[] = {
	ro<&StatsDir::nr_tried>("nr_tried"),
	ro<&StatsDir::sz_tried>("sz_tried"),
	ro<&StatsDir::nr_applied>("nr_applied"),
	ro<&StatsDir::sz_applied>("sz_applied"),
	ro<&StatsDir::qt_exceeds>("qt_exceeds"),
	ro<&StatsDir::sz_ops_filter_passed>("sz_ops_filter_passed"),
	ro<&StatsDir::nr_snapshots>("nr_snapshots"),
	rw<&StatsDir::max_nr_snapshots>("max_nr_snapshots"),
};
DirSpec StatsDir::spec{"stats", stats_files, array_size(stats_files)};

static const File tried_region_files[] = {
	ro<&TriedRegionDir::start>("start"),
	ro<&TriedRegionDir::end>("end"),
	ro<&TriedRegionDir::nr_accesses>("nr_accesses"),
	ro<&TriedRegionDir::age>("age"),
	ro<&TriedRegionDir::sz_filter_passed>("sz_filter_passed"),
};
DirSpec TriedRegionDir::spec{"tried_region", tried_region_files, array_size(tried_region_files)};

static const File tried_regions_files[] = {
	ro<&TriedRegionsDir::total_bytes>("total_bytes"),
};
DirSpec TriedRegionsDir::spec{"tried_regions", tried_regions_files, array_size(tried_regions_files)};

static const File scheme_files[] = {
	keyword<&SchemeDir::action>("action", damos_action_names),
	rw<&SchemeDir::apply_interval_us>("apply_interval_us"),
	rw<&SchemeDir::target_nid>("target_nid"),
};
DirSpec SchemeDir::spec{"scheme", scheme_files, array_size(scheme_files)};

int SchemeDir::populate()
{
	DX_TRY(access_pattern.add(this, "access_pattern"));
	DX_TRY(quotas.add(this, "quotas"));
	DX_TRY(watermarks.add(this, "watermarks"));
	DX_TRY(filters.add(this, "filters"));
	DX_TRY(core_filters.add(this, "core_filters"));
	DX_TRY(ops_filters.add(this, "ops_filters"));
	DX_TRY(dests.add(this, "dests"));
	DX_TRY(stats.add(this, "stats"));
	return tried_regions.add(this, "tried_regions");
}

static const File schemes_files[] = {
	NR_FILE(SchemesDir, schemes, "nr_schemes", nullptr),
};
DirSpec SchemesDir::spec{"schemes", schemes_files, array_size(schemes_files)};

/* The filter of directory @fd, in @s's core or ops list; -ENOMEM for
 * anything invalid, as upstream reports every scheme build failure. */
static int add_filter(Scheme &s, FilterDir &fd)
{
	FilterType type = FilterType(fd.type);
	auto *dir = static_cast<FiltersDir *>(fd.parent());

	if (dir && ((dir->layer == FilterLayer::core && !is_core_filter(type)) ||
		    (dir->layer == FilterLayer::ops && is_core_filter(type))))
		return -err::inval;
	if (type == FilterType::addr && fd.addr_end < fd.addr_start)
		return -err::nomem;
	if (type == FilterType::hugepage_size && fd.min > fd.max)
		return -err::nomem;
	MemcgRef memcg;
	if (type == FilterType::memcg) {
		memcg = memcg_of_path(fd.memcg_path ? fd.memcg_path : "");
		if (!memcg)
			return -err::nomem;
	}
	Filter *f = new (gfp_kernel) Filter();
	if (!f)
		return -err::nomem;
	f->type = type;
	f->matching = fd.matching;
	f->allow = fd.allow;
	f->addr_start = fd.addr_start;
	f->addr_end = fd.addr_end;
	f->target_idx = fd.damon_target_idx;
	f->sz_min = fd.min;
	f->sz_max = fd.max;
	f->memcg = move(memcg);
	(is_core_filter(type) ? s.core_filters : s.ops_filters).push_back(*f);
	return 0;
}

Result<Scheme *> SchemeDir::build_scheme()
{
	Scheme *s = new (gfp_kernel) Scheme();

	if (!s)
		return Result<Scheme *>::error(-err::nomem);
	AccessPattern &p = s->pattern;
	p.min_sz_region = access_pattern.sz.min;
	p.max_sz_region = access_pattern.sz.max;
	/* The core keeps these as unsigned int, as upstream (truncated). */
	p.min_nr_accesses = u32(access_pattern.nr_accesses.min);
	p.max_nr_accesses = u32(access_pattern.nr_accesses.max);
	p.min_age_region = u32(access_pattern.age.min);
	p.max_age_region = u32(access_pattern.age.max);
	Quota &q = s->quota;
	q.ms = quotas.ms;
	q.sz = quotas.bytes;
	q.reset_interval = quotas.reset_interval_ms;
	q.weight_sz = quotas.weights.sz_permil;
	q.weight_nr_accesses = quotas.weights.nr_accesses_permil;
	q.weight_age = quotas.weights.age_permil;
	q.goal_tuner = GoalTuner(quotas.goal_tuner);
	q.fail_charge_num = quotas.fail_charge_num;
	q.fail_charge_denom = quotas.fail_charge_denom;
	for (GoalDir *gd : quotas.goals.goals) {
		auto g = gd->build_goal();
		if (!g.ok()) {
			delete s;
			return Result<Scheme *>::error(g.err());
		}
		if (g.value())
			q.goals.push_back(*g.value());
	}
	FiltersDir *const dirs[] = {&filters, &core_filters, &ops_filters};
	for (FiltersDir *fdir : dirs) {
		for (FilterDir *fd : fdir->filters) {
			int e = add_filter(*s, *fd);
			if (e) {
				delete s;
				return Result<Scheme *>::error(e);
			}
		}
	}
	s->wmarks.metric = WmarkMetric(watermarks.metric);
	s->wmarks.interval_us = watermarks.interval_us;
	s->wmarks.high = watermarks.high;
	s->wmarks.mid = watermarks.mid;
	s->wmarks.low = watermarks.low;
	s->action = DamosAction(action);
	s->apply_interval_us = apply_interval_us;
	s->target_nid = target_nid;
	s->max_nr_snapshots = stats.max_nr_snapshots;
	u32 nr = u32(dests.dests.size());
	if (nr) {
		s->dests = new (gfp_kernel) MigrateDest[nr];
		if (!s->dests) {
			delete s;
			return Result<Scheme *>::error(-err::nomem);
		}
		for (DestDir *dd : dests.dests)
			s->dests[s->nr_dests++] = {int(dd->id), dd->weight};
	}
	return s;
}

} // namespace dx::sysfs
