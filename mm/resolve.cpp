// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-internals resolver: the table of non-exported kernel symbols
 * damonx uses, resolved through kallsyms at module load.
 *
 * Exported or inline kernel facilities are always preferred; a symbol is
 * listed here only when the kernel offers no public path to what it does.
 */
#include <damonx/resolve.hpp>

namespace dx::resolve {

namespace {

/* clang-format off */
constexpr Symbol symbols[] = {
	{ DX_KSYM_PTE_OFFSET_MAP_LOCK, "__pte_offset_map_lock", bit(Feature::vaddr),
	  Kind::function, "maps and locks a PTE (pte_offset_map_lock)" },
	{ DX_KSYM_PTEP_TEST_AND_CLEAR_YOUNG, "ptep_test_and_clear_young",
	  bit(Feature::vaddr) | bit(Feature::paddr),
	  Kind::function, "clears a PTE's Accessed bit (out of line on x86)" },
	{ DX_KSYM_PMDP_TEST_AND_CLEAR_YOUNG, "pmdp_test_and_clear_young",
	  bit(Feature::vaddr) | bit(Feature::paddr),
	  Kind::function, "clears a THP PMD's Accessed bit (out of line on x86)" },
	{ DX_KSYM_MMU_NOTIFIER_CLEAR_YOUNG, "__mmu_notifier_clear_young", bit(Feature::mmu_notifier),
	  Kind::function, "clears secondary MMUs' young bits (mmu_notifier_clear_young)" },
	{ DX_KSYM_MMU_NOTIFIER_TEST_YOUNG, "__mmu_notifier_test_young", bit(Feature::mmu_notifier),
	  Kind::function, "tests secondary MMUs' young bits (mmu_notifier_test_young)" },
	{ DX_KSYM_DO_MADVISE, "do_madvise", bit(Feature::madvise),
	  Kind::function, "madvise() on another process's mm (process_madvise)" },
	{ DX_KSYM_MM_KOBJ, "mm_kobj", bit(Feature::mm_sysfs),
	  Kind::data, "the kobject of /sys/kernel/mm" },
	{ DX_KSYM_RMAP_WALK, "rmap_walk", bit(Feature::paddr),
	  Kind::function, "visits every mapping of a folio (reverse map)" },
	{ DX_KSYM_PAGE_VMA_MAPPED_WALK, "page_vma_mapped_walk", bit(Feature::paddr),
	  Kind::function, "finds the PTEs/PMD mapping a folio in one VMA" },
	{ DX_KSYM_FOLIO_LOCK_ANON_VMA_READ, "folio_lock_anon_vma_read", bit(Feature::paddr),
	  Kind::callback, "locks an anon folio's anon_vma safely during rmap walks" },
	{ DX_KSYM_FOLIO_ISOLATE_LRU, "folio_isolate_lru",
	  bit(Feature::pageout) | bit(Feature::migrate),
	  Kind::function, "takes a folio off its LRU list" },
	{ DX_KSYM_FOLIO_PUTBACK_LRU, "folio_putback_lru",
	  bit(Feature::pageout) | bit(Feature::migrate),
	  Kind::function, "puts an isolated folio back on its LRU list" },
	{ DX_KSYM_RECLAIM_PAGES, "reclaim_pages", bit(Feature::pageout),
	  Kind::function, "reclaims a list of isolated folios" },
	{ DX_KSYM_FOLIO_DEACTIVATE, "folio_deactivate", bit(Feature::lru_deprio),
	  Kind::function, "moves a folio to the inactive LRU list" },
	{ DX_KSYM_MIGRATE_PAGES, "migrate_pages", bit(Feature::migrate),
	  Kind::function, "moves isolated folios to another NUMA node" },
	{ DX_KSYM_PSI_SYSTEM, "psi_system", bit(Feature::psi),
	  Kind::data, "the system's memory pressure stall totals" },
	{ DX_KSYM_PSI_DISABLED, "psi_disabled", bit(Feature::psi),
	  Kind::data, "whether PSI was disabled at boot (a static key)" },
	{ DX_KSYM_LRUVEC_PAGE_STATE, "lruvec_page_state", bit(Feature::memcg_stat),
	  Kind::function, "a memcg's LRU page counts on a node" },
	{ DX_KSYM_MEM_CGROUP_FLUSH_STATS, "mem_cgroup_flush_stats", bit(Feature::memcg_stat),
	  Kind::function, "brings a memcg's statistics up to date" },
};
/* clang-format on */
constexpr size_t nr_symbols = array_size(symbols);

constexpr const char *feature_names[nr_features] = {
	"vaddr", "mmu_notifier", "paddr", "pageout", "migrate", "madvise", "mm_sysfs",
	"lru_deprio", "psi", "memcg_stat",
};

/* What each feature's absence means, for the log. */
constexpr const char *feature_effects[nr_features] = {
	"vaddr and fvaddr operations unavailable",
	"vaddr does not see accesses through secondary MMUs (KVM guests)",
	"paddr operations unavailable",
	"DAMOS pageout unavailable",
	"DAMOS migrate_hot/migrate_cold unavailable",
	"vaddr DAMOS willneed/cold/pageout/hugepage/nohugepage/collapse apply to 0 bytes",
	"the sysfs tree is created below /sys/kernel instead of /sys/kernel/mm",
	"DAMOS lru_deprio applies to 0 bytes",
	"quota goal metric some_mem_psi_us refused",
	"quota goal metrics node_memcg_used_bp/node_memcg_free_bp refused",
};

/* Written only at module init and exit, when nothing else runs. */
Features available_features;

unsigned feature_index(Feature f)
{
	return unsigned(__builtin_ctz(bit(f)));
}

bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Whether [s, s + n) equals @name. */
bool item_is(const char *s, size_t n, const char *name)
{
	size_t i = 0;

	for (; i < n && name[i]; i++)
		if (s[i] != name[i])
			return false;
	return i == n && !name[i];
}

/* Looks one symbol up; 0 and *@why set when it is missing. */
ulong lookup(const Symbol &s, const char *debug_missing, bool ibt, const char **why)
{
	if (name_in_list(debug_missing, s.name)) {
		*why = "treated as missing (debug_missing_symbols)";
		return 0;
	}
	ulong addr = dx_kallsyms_lookup(s.name);
	if (!addr) {
		*why = "not found in kallsyms";
		return 0;
	}
	if (s.kind == Kind::callback && ibt && !dx_addr_has_endbr(addr)) {
		*why = "has no ENDBR and IBT is enforced (the kernel would call it indirectly)";
		return 0;
	}
	return addr;
}

void report_missing(const Symbol &s, const char *why)
{
	for (unsigned f = 0; f < nr_features; f++)
		if (s.features & (1U << f))
			dx_warn_log("kernel symbol %s %s: feature %s disabled, %s (needed: %s)",
				    s.name, why, feature_names[f], feature_effects[f], s.why);
}

} // namespace

const char *feature_name(Feature f)
{
	return feature_names[feature_index(f)];
}

bool name_in_list(const char *list, const char *name)
{
	const char *p = list;

	while (*p) {
		while (is_blank(*p))
			p++;
		const char *start = p;
		while (*p && *p != ',')
			p++;
		const char *end = p;
		while (end > start && is_blank(end[-1]))
			end--;
		if (end > start && item_is(start, size_t(end - start), name))
			return true;
		if (*p == ',')
			p++;
	}
	return false;
}

Features resolve_table(const Symbol *table, size_t n, const char *debug_missing,
		       bool ibt, ulong *addrs, bool report)
{
	Features avail = all_features;

	for (size_t i = 0; i < n; i++) {
		const Symbol &s = table[i];
		const char *why = "";

		addrs[i] = 0;
		if (s.id != DX_NR_KSYMS && !dx_ksym_needed(s.id))
			continue;
		addrs[i] = lookup(s, debug_missing, ibt, &why);
		if (addrs[i])
			continue;
		avail &= ~s.features;
		if (report)
			report_missing(s, why);
	}
	return avail;
}

void init(const char *debug_missing)
{
	ulong addrs[nr_symbols];

	available_features = resolve_table(symbols, nr_symbols, debug_missing,
					   dx_ibt_enforced(), addrs, true);
	/*
	 * Install only the symbols some available feature needs: a call
	 * whose features are all gone stays a stub, whatever the shim does.
	 */
	for (size_t i = 0; i < nr_symbols; i++) {
		const Symbol &s = symbols[i];

		if (s.id != DX_NR_KSYMS && (available_features & s.features))
			dx_ksym_install(s.id, addrs[i]);
	}
}

void exit()
{
	available_features = 0;
	for (const Symbol &s : symbols)
		if (s.id != DX_NR_KSYMS)
			dx_ksym_install(s.id, 0);
}

bool available(Feature f)
{
	return available_features & bit(f);
}

Features features()
{
	return available_features;
}

} // namespace dx::resolve
