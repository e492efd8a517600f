/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitoring model, with upstream DAMON's names: a Context monitors
 * Targets, each an ordered list of Regions, through one operations set (Ops),
 * with the monitoring Attrs; a kdamond thread runs the Context.
 */
#pragma once

#include <damonx/base.hpp>
#include <damonx/list.hpp>
#include <damonx/lock.hpp>
#include <damonx/owned.hpp>
#include <damonx/result.hpp>
#include <damonx/damos.hpp>

namespace dx::damon {

/* DAMON_MIN_REGION: the smallest region, and the split/merge granularity. */
constexpr ulong min_region_sz = page_size;

struct IntervalsGoal {
	ulong access_bp = 0;
	ulong aggrs = 0;
	ulong min_sample_us = 0;
	ulong max_sample_us = 0;
};

/* Monitoring attributes (struct damon_attrs). Intervals in microseconds. */
struct Attrs {
	ulong sample_interval = 5000;
	ulong aggr_interval = 100000;
	ulong ops_update_interval = 60000000;
	ulong min_nr_regions = 10;
	ulong max_nr_regions = 1000;
	IntervalsGoal intervals_goal;
	/* Samples per aggregation, kept by intervals tuning (set_attrs()). */
	ulong aggr_samples = 0;

	/* Upstream damon_set_attrs() validation; 0 or -EINVAL. */
	int validate() const;
	/* Samples per aggregation interval, at least 1 (max_nr_accesses). */
	u32 max_nr_accesses() const;
};

struct Region {
	ulong start;
	ulong end;
	ulong sampling_addr = 0;
	u32 nr_accesses = 0;
	u32 nr_accesses_bp = 0;
	u32 last_nr_accesses = 0;
	u32 age = 0;
	ListNode list;

	Region(ulong s, ulong e) : start(s), end(e) {}
	ulong size() const { return end - start; }
};

using RegionList = List<Region, &Region::list>;

/* The address range of a region, as written by a user. */
struct AddrRange {
	ulong start;
	ulong end;
};

struct Target {
	struct dx_pid *pid = nullptr;	/* vaddr/fvaddr: the monitored process */
	RegionList regions;
	u32 nr_regions = 0;
	bool obsolete = false;	/* commit: remove the matching target */
	ListNode list;

	Target() = default;
	~Target();
	Target(const Target &) = delete;
	Target &operator=(const Target &) = delete;

	void add_region(Region &r);		/* at the end */
	void insert_region(Region &r, Region *after);
	void destroy_region(Region &r);
	void destroy_regions();
	ulong total_size();
};

using TargetList = List<Target, &Target::list>;

/* The operations sets, with upstream's fixed ids. */
enum class OpsId : u8 { vaddr = 0, fvaddr = 1, paddr = 2 };
constexpr unsigned nr_ops_ids = 3;
extern const char *const ops_names[nr_ops_ids];

/*
 * An operations set: everything that depends on the monitored address
 * space.  The core calls only this interface (struct damon_operations).
 */
class Ops {
public:
	constexpr explicit Ops(OpsId id) : id_(id) {}
	OpsId id() const { return id_; }

	/* Set up the targets' initial regions at kdamond start. */
	virtual void init(Context &) {}
	/* Refresh targets' regions every ops update interval. */
	virtual void update(Context &) {}
	/* Choose the sampling address of every region and clear its Accessed
	 * state. */
	virtual void prepare_access_checks(Context &) = 0;
	/* Count accesses since the last prepare; returns the highest
	 * nr_accesses of any region. */
	virtual u32 check_accesses(Context &) = 0;
	/* Whether a target is still there (nullptr: always valid). */
	virtual bool has_target_valid() const { return false; }
	virtual bool target_valid(Target &) { return true; }
	/* Called when the kdamond ends. */
	virtual void cleanup(Context &) {}
	/* Applies @s's action to @r; returns the bytes it was applied to.  An
	 * action the set cannot do applies to 0 bytes. */
	virtual ulong apply_scheme(Context &, Target &, Region &, Scheme &, ulong *sz_filter_passed)
	{
		*sz_filter_passed = 0;
		return 0;
	}
	/* The priority of @r for @s under a quota, 0..99 (99: most urgent). */
	virtual int scheme_score(Context &, Target &, Region &, Scheme &) { return 99; }

protected:
	~Ops() = default;

private:
	OpsId id_;
};

/* ---- the region core (mm/core.cpp), also used by the ops sets ---------- */

/* A random number in [lo, hi) (damon_rand); lo if the range is empty. */
ulong rand_range(ulong lo, ulong hi);

/* Accounts one sample of @r: @accessed says whether it was accessed since
 * the last prepare.  Updates nr_accesses and the nr_accesses_bp moving sum
 * (damon_update_region_access_rate). */
void update_region_access(Region &r, bool accessed, const Attrs &a);

/*
 * Makes @t's regions cover exactly @ranges (sorted, non-overlapping), each
 * aligned outwards to @min_sz (damon_set_regions): regions outside every
 * range are destroyed, regions crossing a range's edge are clipped or
 * extended to it, gaps are filled with new regions; surviving regions keep
 * their monitoring results.  0, -EINVAL on bad ranges or -ENOMEM.
 */
int set_regions(Target &t, const AddrRange *ranges, u32 nr, ulong min_sz = min_region_sz);

/* The registered operations sets; nullptr when id is not available. */
Ops *ops_get(OpsId id);
bool ops_available(OpsId id);

class Kdamond;

/*
 * One monitoring context (struct damon_ctx): attributes, targets, ops.
 * While its kdamond runs, only the kdamond touches targets and regions;
 * others reach it through requests (Kdamond::call()).
 */
class Context {
public:
	Context() = default;
	~Context();
	Context(const Context &) = delete;
	Context &operator=(const Context &) = delete;

	Attrs attrs;
	/* The smallest region and the split/merge granularity: a page, or
	 * PAGE_SIZE/addr_unit for paddr (core addresses are in addr_unit). */
	ulong min_sz_region = min_region_sz;
	ulong addr_unit = 1;
	OpsId ops_id = OpsId::vaddr;
	Ops *ops = nullptr;
	/* 7.2: monitoring and schemes stopped; the kdamond only sleeps and
	 * serves requests (a commit can resume it). */
	bool pause = false;
	TargetList targets;
	SchemeList schemes;

	/* Bookkeeping of the kdamond loop, in sample intervals. */
	ulong passed_sample_intervals = 0;
	ulong next_aggregation_sis = 0;
	ulong next_ops_update_sis = 0;
	ulong next_intervals_tune_sis = 0;
	/* DAMOS prioritisation: bytes of matching regions per score. */
	ulong score_histogram[100] = {};
	/* A commit failed halfway: the kdamond stops. */
	bool maybe_corrupted = false;
	u32 last_nr_regions = 0;	/* at the last split */

	void add_target(Target &t) { targets.push_back(t); }
	unsigned nr_targets() { return targets.size(); }
	/* Select ops by id: -EINVAL if that set is not available. */
	int select_ops(OpsId id);
};

} // namespace dx::damon
