/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel-internals resolver: finds, at module load, the non-exported
 * kernel symbols damonx needs, and tells which features are available.
 *
 * mm/resolve.cpp has the one table of those symbols, each with the feature
 * that needs it.  A feature is available only if all of its symbols
 * resolved; code that needs a feature asks available() first (an ops set
 * that cannot work is simply not registered).
 */
#pragma once

#include <damonx/base.hpp>

namespace dx::resolve {

/* What needs kernel internals.  A bit mask (Features) of these. */
enum class Feature : u32 {
	vaddr = 1U << 0,	/* vaddr/fvaddr: page-table Accessed bits */
	mmu_notifier = 1U << 1,	/* vaddr: young bits of secondary MMUs (KVM) */
	paddr = 1U << 2,	/* paddr: rmap access checks */
	pageout = 1U << 3,	/* DAMOS pageout */
	migrate = 1U << 4,	/* DAMOS migrate_hot/migrate_cold */
	madvise = 1U << 5,	/* DAMOS actions of vaddr done by madvise */
	mm_sysfs = 1U << 6,	/* the sysfs tree below /sys/kernel/mm */
	lru_deprio = 1U << 7,	/* DAMOS lru_deprio (paddr) */
	psi = 1U << 8,		/* quota goal metric some_mem_psi_us */
	memcg_stat = 1U << 9,	/* quota goal metrics node_memcg_{used,free}_bp */
};
using Features = u32;
constexpr unsigned nr_features = 10;
constexpr Features all_features = (1U << nr_features) - 1;

constexpr Features bit(Feature f) { return static_cast<Features>(f); }
const char *feature_name(Feature f);

enum class Kind : u8 {
	function,	/* called through a static call of the shim */
	data,		/* read through its address */
	/*
	 * Handed to the kernel as a function pointer, which the kernel calls
	 * indirectly: on a kernel and CPU enforcing IBT it must start with
	 * ENDBR (a function whose address the kernel itself takes has it),
	 * or it counts as missing.
	 */
	callback,
};

struct Symbol {
	enum dx_ksym id;	/* its slot in the shim (DX_NR_KSYMS: none) */
	const char *name;	/* as kallsyms knows it */
	Features features;	/* what cannot work without it */
	Kind kind;
	const char *why;	/* what it is used for, for the log */
};

/* Module load: resolves the table, installs the static calls, and logs one
 * line per missing symbol.  @debug_missing: comma-separated names to treat
 * as missing (the debug_missing_symbols parameter). */
void init(const char *debug_missing);
/* Module unload: puts the stubs back; nothing is available afterwards. */
void exit();
bool available(Feature f);
/* Every feature available (a mask of Feature bits). */
Features features();

/* ---- the parts of init() that do not touch the module's state (tests) ---- */

/* Whether @name is an item of the comma-separated @list (blanks around items
 * are ignored). */
bool name_in_list(const char *list, const char *name);

/*
 * Looks up every symbol of @table (@n entries) that this kernel needs,
 * treating the names in @debug_missing as not found, and stores the
 * addresses in @addrs (0: missing or not needed).  A callback without ENDBR
 * counts as missing when @ibt (IBT is enforced).  Returns the features left
 * available: all_features minus those of any missing symbol.  Logs one line
 * per missing symbol when @report.
 */
Features resolve_table(const Symbol *table, size_t n, const char *debug_missing,
		       bool ibt, ulong *addrs, bool report);

} // namespace dx::resolve
