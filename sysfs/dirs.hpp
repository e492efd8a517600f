/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The directories of the DAMON sysfs ABI (admin/kdamonds/...), their values
 * and children.  Their files are described in dirs.cpp.
 */
#pragma once

#include <damonx/sysfs.hpp>
#include <damonx/kdamond.hpp>
#include "schemes.hpp"

namespace dx::sysfs {

/* An empty directory (damon/, admin/). */
struct EmptyDir : Dir {
	EmptyDir();
	static DirSpec spec;
};

struct IntervalsGoalDir : Dir {
	IntervalsGoalDir() : Dir(spec) {}
	ulong access_bp = 0, aggrs = 0, min_sample_us = 0, max_sample_us = 0;
	static DirSpec spec;
};

struct IntervalsDir : Dir {
	IntervalsDir() : Dir(spec) {}
	int populate() override { return goal.add(this, "intervals_goal"); }
	ulong sample_us = 5000, aggr_us = 100000, update_us = 60000000;
	IntervalsGoalDir goal;
	static DirSpec spec;
};

struct NrRegionsDir : Dir {
	NrRegionsDir() : Dir(spec) {}
	ulong min = 10, max = 1000;
	static DirSpec spec;
};

struct MonitoringAttrsDir : Dir {
	MonitoringAttrsDir() : Dir(spec) {}
	int populate() override;
	IntervalsDir intervals;
	NrRegionsDir nr_regions;
	static DirSpec spec;
};

struct RegionDir : Dir {
	RegionDir() : Dir(spec) {}
	ulong start = 0, end = 0;
	static DirSpec spec;
};

struct RegionsDir : Dir {
	RegionsDir() : Dir(spec) {}
	DirArray<RegionDir> regions;
	static DirSpec spec;
};

struct TargetDir : Dir {
	TargetDir() : Dir(spec) {}
	int populate() override { return regions.add(this, "regions"); }
	int pid_target = 0;
	bool obsolete_target = false;
	RegionsDir regions;
	static DirSpec spec;
};

struct TargetsDir : Dir {
	TargetsDir() : Dir(spec) {}
	DirArray<TargetDir> targets;
	static DirSpec spec;
};

struct ContextDir : Dir {
	ContextDir() : Dir(spec) {}
	int populate() override;
	u32 operations = u32(damon::OpsId::vaddr);
	ulong addr_unit = 1;
	bool pause = false;
	MonitoringAttrsDir monitoring_attrs;
	TargetsDir targets;
	SchemesDir schemes;
	static DirSpec spec;

	/* Builds a fresh Context from the values below this directory. */
	Result<Owned<damon::Context>> build_context();
};

struct ContextsDir : Dir {
	ContextsDir() : Dir(spec) {}
	DirArray<ContextDir> contexts;
	static DirSpec spec;
};

struct KdamondDir : Dir {
	KdamondDir() : Dir(spec) {}
	~KdamondDir() override;
	int populate() override { return contexts.add(this, "contexts"); }
	u32 refresh_ms = 0;
	u64 next_refresh_ns = 0;	/* kdamond-private, under the tree lock */
	ContextsDir contexts;
	/* The last started kdamond; kept after it stops so that its results
	 * stay readable, replaced at the next "on". */
	Owned<damon::Kdamond> kdamond;
	static DirSpec spec;

	bool running() { return kdamond && kdamond->running(); }
	int handle_state(const char *cmd);

private:
	int commit();
	int update_stats();
	int update_tried_regions(bool only_bytes);
	void clear_tried_regions();
	int update_tuned_intervals();
	int update_effective_quotas();
	int commit_quota_goals();
};

struct KdamondsDir : Dir {
	KdamondsDir() : Dir(spec) {}
	DirArray<KdamondDir> kdamonds;
	static DirSpec spec;
};

} // namespace dx::sysfs
