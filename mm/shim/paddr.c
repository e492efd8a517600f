// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: physical memory (paddr).
 *
 * Folios by physical page, their Accessed state through the reverse map
 * (rmap_walk() and page_vma_mapped_walk(), which are not exported, are
 * reached through the static calls of ksym.h), and the LRU operations of the
 * paddr DAMOS actions.  Which folio to look at, filters and accounting are
 * the C++ side's (mm/paddr.cpp).
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmu_notifier.h>
#include <linux/nodemask.h>
#include <linux/page_idle.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/swap.h>

#include <damonx/shim.h>

#include "ksym.h"
#include "young.h"

#define to_folio(f) ((struct folio *)(f))

static_assert(sizeof(struct list_head) <= sizeof(struct dx_folio_list));

#define to_list(l) ((struct list_head *)(l))

struct dx_folio *dx_pfn_folio(unsigned long pfn)
{
	return (struct dx_folio *)dx_get_folio(pfn);
}

void dx_folio_put(struct dx_folio *f)
{
	folio_put(to_folio(f));
}

unsigned long dx_folio_pfn(const struct dx_folio *f)
{
	return folio_pfn(to_folio(f));
}

unsigned long dx_folio_nr_pages(const struct dx_folio *f)
{
	return folio_nr_pages(to_folio(f));
}

int dx_folio_nid(const struct dx_folio *f)
{
	return folio_nid(to_folio(f));
}

unsigned int dx_folio_flags(const struct dx_folio *f)
{
	struct folio *folio = to_folio(f);
	unsigned int flags = 0;

	if (folio_test_anon(folio))
		flags |= DX_FOLIO_ANON;
	if (folio_test_active(folio))
		flags |= DX_FOLIO_ACTIVE;
	if (folio_mapped(folio))
		flags |= DX_FOLIO_MAPPED;
	return flags;
}

/* ---- Accessed state through the reverse map -------------------------------- */

/* What an rmap walk of ours carries to its rmap_one callback. */
struct dx_rmap_arg {
	unsigned int flags;	/* enum dx_va_flags */
	bool young;		/* dx_folio_young: found an access */
};

static bool dx_folio_mkold_one(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, void *arg)
{
	struct dx_rmap_arg *a = arg;
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, 0);

	while (static_call(dx_page_vma_mapped_walk)(&pvmw)) {
		if (pvmw.pte)
			dx_ptep_mkold(vma, pvmw.pte, pvmw.address, a->flags);
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
		else
			dx_pmdp_mkold(vma, pvmw.pmd, pvmw.address, a->flags);
#endif
	}
	return true;
}

static bool dx_folio_young_one(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, void *arg)
{
	struct dx_rmap_arg *a = arg;
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, 0);

	while (static_call(dx_page_vma_mapped_walk)(&pvmw)) {
		bool entry_young = false;

		if (pvmw.pte)
			entry_young = pte_young(ptep_get(pvmw.pte));
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
		else
			entry_young = pmd_young(pmdp_get(pvmw.pmd));
#endif
		if (entry_young || !folio_test_idle(folio) ||
		    dx_test_young_notify(vma->vm_mm, pvmw.address, a->flags)) {
			a->young = true;
			page_vma_mapped_walk_done(&pvmw);
			break;
		}
	}
	/* Stop the rmap walk at the first access. */
	return !a->young;
}

/* folio_raw_mapping() of mm/internal.h: the mapping without its type bits. */
static bool dx_folio_has_mapping(struct folio *folio)
{
	return ((unsigned long)folio->mapping & ~PAGE_MAPPING_FLAGS) != 0;
}

/*
 * Runs @rmap_one on every mapping of @folio, with the locking rmap_walk()
 * expects: file and KSM folios locked (trylock: a contended folio is not
 * walked), anon ones through their anon_vma.  False if not walked.
 */
static bool dx_folio_rmap_walk(struct folio *folio,
			       bool (*rmap_one)(struct folio *, struct vm_area_struct *,
						unsigned long, void *),
			       struct dx_rmap_arg *arg)
{
	struct rmap_walk_control rwc = {
		.arg = arg,
		.rmap_one = rmap_one,
		.anon_lock = (void *)dx_ksym_folio_lock_anon_vma_read,
	};
	bool need_lock = !folio_test_anon(folio) || folio_test_ksm(folio);

	if (need_lock && !folio_trylock(folio))
		return false;
	static_call(dx_rmap_walk)(folio, &rwc);
	if (need_lock)
		folio_unlock(folio);
	return true;
}

void dx_folio_mkold(struct dx_folio *f, unsigned int flags)
{
	struct folio *folio = to_folio(f);
	struct dx_rmap_arg arg = { .flags = flags };

	/* Unmapped (e.g. page cache): only the idle flag can tell. */
	if (!folio_mapped(folio) || !dx_folio_has_mapping(folio)) {
		folio_set_idle(folio);
		return;
	}
	dx_folio_rmap_walk(folio, dx_folio_mkold_one, &arg);
}

bool dx_folio_young(struct dx_folio *f, unsigned int flags)
{
	struct folio *folio = to_folio(f);
	struct dx_rmap_arg arg = { .flags = flags };

	if (!folio_mapped(folio) || !dx_folio_has_mapping(folio))
		return !folio_test_idle(folio);
	dx_folio_rmap_walk(folio, dx_folio_young_one, &arg);
	return arg.young;
}

/* ---- LRU operations of DAMOS actions ---------------------------------------- */

void dx_folio_mark_accessed(struct dx_folio *f)
{
	folio_mark_accessed(to_folio(f));
}

void dx_folio_deactivate(struct dx_folio *f)
{
	static_call(dx_folio_deactivate)(to_folio(f));
}

void dx_folio_list_init(struct dx_folio_list *l)
{
	INIT_LIST_HEAD(to_list(l));
}

bool dx_folio_list_empty(const struct dx_folio_list *l)
{
	return list_empty(to_list(l));
}

bool dx_folio_isolate(struct dx_folio *f, struct dx_folio_list *l, bool for_reclaim)
{
	struct folio *folio = to_folio(f);

	if (for_reclaim) {
		/* Reclaim must not keep it for a recent reference. */
		folio_clear_referenced(folio);
		folio_test_clear_young(folio);
	}
	/* Takes a reference of its own for the isolation. */
	if (!static_call(dx_folio_isolate_lru)(folio))
		return false;
	if (for_reclaim && folio_test_unevictable(folio)) {
		static_call(dx_folio_putback_lru)(folio);
		return false;
	}
	list_add_tail(&folio->lru, to_list(l));
	return true;
}

unsigned long dx_folio_list_reclaim(struct dx_folio_list *l)
{
	unsigned long nr = static_call(dx_reclaim_pages)(to_list(l));

	cond_resched();
	return nr;
}

/* The new folio of a migration: on @private's node only, without reclaim
 * or warnings (a full node just leaves the folio where it is). */
static struct folio *dx_migration_alloc(struct folio *src, unsigned long private)
{
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) | __GFP_THISNODE |
		    __GFP_NOWARN | __GFP_NOMEMALLOC | GFP_NOWAIT;

	if (folio_order(src))
		gfp |= __GFP_COMP;
	return __folio_alloc_node(gfp, folio_order(src), (int)private);
}

static void dx_folio_list_putback(struct list_head *list)
{
	while (!list_empty(list)) {
		struct folio *folio = lru_to_folio(list);

		list_del(&folio->lru);
		static_call(dx_folio_putback_lru)(folio);
	}
}

unsigned long dx_folio_list_migrate(struct dx_folio_list *l, int nid)
{
	struct list_head *list = to_list(l);
	unsigned int nr_succeeded = 0;

	if (!list_empty(list) && nid >= 0 && nid < MAX_NUMNODES &&
	    node_state(nid, N_MEMORY))
		static_call(dx_migrate_pages)(list, dx_migration_alloc, NULL,
					      (unsigned long)nid, MIGRATE_ASYNC,
					      MR_DAMON, &nr_succeeded);
	/* What did not move stays on the list. */
	dx_folio_list_putback(list);
	cond_resched();
	return nr_succeeded;
}

unsigned long dx_nr_ram_pages(void)
{
	return totalram_pages();
}
