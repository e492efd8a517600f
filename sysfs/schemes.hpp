/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The schemes/ part of the DAMON sysfs ABI: one directory per DAMOS scheme
 * with its access pattern, quotas, watermarks, filters, destinations, stats
 * and tried regions.  Files are described in schemes.cpp.
 */
#pragma once

#include <damonx/sysfs.hpp>
#include <damonx/damos.hpp>
#include <damonx/result.hpp>

namespace dx::sysfs {

struct RangeDir : Dir {
	RangeDir() : Dir(spec) {}
	ulong min = 0, max = 0;
	static DirSpec spec;
};

struct AccessPatternDir : Dir {
	AccessPatternDir() : Dir(spec) {}
	int populate() override;
	RangeDir sz, nr_accesses, age;
	static DirSpec spec;
};

struct WeightsDir : Dir {
	WeightsDir() : Dir(spec) {}
	u32 sz_permil = 0, nr_accesses_permil = 0, age_permil = 0;
	static DirSpec spec;
};

struct GoalDir : Dir {
	GoalDir() : Dir(spec) {}
	~GoalDir() override { delete[] path; }
	/* The goal these files describe (nullptr: none, target_value is 0).
	 * A metric this kernel cannot measure is -EINVAL (logged); a
	 * node_memcg_* path that names no memcg is -ENOMEM (upstream's error
	 * for any scheme that cannot be built). */
	Result<damon::QuotaGoal *> build_goal();
	u32 target_metric = 0;
	ulong target_value = 0, current_value = 0;
	int nid = 0;
	char *path = nullptr;
	static DirSpec spec;
};

struct GoalsDir : Dir {
	GoalsDir() : Dir(spec) {}
	DirArray<GoalDir> goals;
	static DirSpec spec;
};

struct QuotasDir : Dir {
	QuotasDir() : Dir(spec) {}
	int populate() override;
	ulong ms = 0, bytes = 0, reset_interval_ms = 0, effective_bytes = 0;
	u32 goal_tuner = 0;
	u32 fail_charge_num = 0, fail_charge_denom = 0;
	WeightsDir weights;
	GoalsDir goals;
	static DirSpec spec;
};

struct WatermarksDir : Dir {
	WatermarksDir() : Dir(spec) {}
	u32 metric = 0;
	ulong interval_us = 0, high = 0, mid = 0, low = 0;
	static DirSpec spec;
};

/* Which filter types a filters directory takes. */
enum class FilterLayer : u8 { any, core, ops };

struct FilterDir : Dir {
	FilterDir() : Dir(spec) {}
	~FilterDir() override { delete[] memcg_path; }
	u32 type = 0;
	bool matching = false, allow = false;
	char *memcg_path = nullptr;
	ulong addr_start = 0, addr_end = 0;
	int damon_target_idx = 0;
	ulong min = 0, max = 0;
	static DirSpec spec;
};

struct FiltersDir : Dir {
	explicit FiltersDir(FilterLayer l) : Dir(spec), layer(l) {}
	FilterLayer layer;
	DirArray<FilterDir> filters;
	static DirSpec spec;
};

struct DestDir : Dir {
	DestDir() : Dir(spec) {}
	u32 id = 0, weight = 0;
	static DirSpec spec;
};

struct DestsDir : Dir {
	DestsDir() : Dir(spec) {}
	DirArray<DestDir> dests;
	static DirSpec spec;
};

struct StatsDir : Dir {
	StatsDir() : Dir(spec) {}
	ulong nr_tried = 0, sz_tried = 0, nr_applied = 0, sz_applied = 0;
	ulong qt_exceeds = 0, sz_ops_filter_passed = 0, nr_snapshots = 0;
	ulong max_nr_snapshots = 0;
	static DirSpec spec;
};

struct TriedRegionDir : Dir {
	TriedRegionDir() : Dir(spec) {}
	ulong start = 0, end = 0;
	u32 nr_accesses = 0, age = 0;
	ulong sz_filter_passed = 0;
	static DirSpec spec;
};

struct TriedRegionsDir : Dir {
	TriedRegionsDir() : Dir(spec) {}
	ulong total_bytes = 0;
	DirArray<TriedRegionDir> regions;
	static DirSpec spec;
};

struct SchemeDir : Dir {
	SchemeDir() : Dir(spec) {}
	int populate() override;
	u32 action = u32(damon::DamosAction::stat);
	ulong apply_interval_us = 0;
	int target_nid = -1;
	AccessPatternDir access_pattern;
	QuotasDir quotas;
	WatermarksDir watermarks;
	FiltersDir filters{FilterLayer::any};
	FiltersDir core_filters{FilterLayer::core};
	FiltersDir ops_filters{FilterLayer::ops};
	DestsDir dests;
	StatsDir stats;
	TriedRegionsDir tried_regions;
	static DirSpec spec;

	/* A core Scheme with this directory's parameters. */
	Result<damon::Scheme *> build_scheme();
};

struct SchemesDir : Dir {
	SchemesDir() : Dir(spec) {}
	DirArray<SchemeDir> schemes;
	static DirSpec spec;
};

} // namespace dx::sysfs
