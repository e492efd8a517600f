// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: the Accessed state of page-table entries and folios, shared by the
 * virtual (mm.c, page-table walks) and physical (paddr.c, rmap walks)
 * address spaces: upstream's ops-common.c helpers.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/page_idle.h>
#include <linux/pgtable.h>

#include <damonx/shim.h>

#include "ksym.h"
#include "young.h"

/*
 * A referenced folio for @pfn if it is an online page on an LRU list, else
 * NULL (upstream damon_get_folio()).
 */
struct folio *dx_get_folio(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);
	struct folio *folio;

	if (!page)
		return NULL;
	folio = page_folio(page);
	if (!folio_try_get(folio))
		return NULL;
	/* The folio may have been split or freed and reused meanwhile. */
	if (unlikely(page_folio(page) != folio) || !folio_test_lru(folio)) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

/*
 * The LRU folio of @pfn, mapped by a present page-table entry whose lock
 * the caller holds.  The mapping pins the folio: it can be neither freed nor
 * split nor migrated without taking that lock, so no reference is needed
 * (two atomics fewer than dx_get_folio() on every sample).  NULL for memory
 * without a struct page, the zero page and folios on no LRU list.
 */
struct folio *dx_mapped_folio(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);
	struct folio *folio;

	if (!page)
		return NULL;
	folio = page_folio(page);
	return folio_test_lru(folio) ? folio : NULL;
}

static bool dx_clear_young_notify(struct mm_struct *mm, unsigned long start,
				  unsigned long end, unsigned int flags)
{
	if (!IS_ENABLED(CONFIG_MMU_NOTIFIER) || !(flags & DX_VA_NOTIFIER) ||
	    !mm_has_notifiers(mm))
		return false;
	return static_call(dx_mmu_notifier_clear_young)(mm, start, end);
}

bool dx_test_young_notify(struct mm_struct *mm, unsigned long addr,
			  unsigned int flags)
{
	if (!IS_ENABLED(CONFIG_MMU_NOTIFIER) || !(flags & DX_VA_NOTIFIER) ||
	    !mm_has_notifiers(mm))
		return false;
	return static_call(dx_mmu_notifier_test_young)(mm, addr);
}

/*
 * Clears the Accessed bit of a present PTE, remembering it in the folio's
 * young flag, and marks the folio idle (upstream damon_ptep_mkold()).  The
 * PTE lock is held.
 */
void dx_ptep_mkold(struct vm_area_struct *vma, pte_t *pte,
			  unsigned long addr, unsigned int flags)
{
	struct folio *folio = dx_mapped_folio(pte_pfn(ptep_get(pte)));
	bool young;

	if (!folio)
		return;
	young = static_call(dx_ptep_test_and_clear_young)(vma, addr, pte);
	if (dx_clear_young_notify(vma->vm_mm, addr, addr + PAGE_SIZE, flags))
		young = true;
	if (young)
		folio_set_young(folio);
	folio_set_idle(folio);
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/* The same for a PMD-mapped THP (upstream damon_pmdp_mkold()); the PMD lock
 * is held. */
void dx_pmdp_mkold(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr, unsigned int flags)
{
	struct folio *folio = dx_mapped_folio(pmd_pfn(pmdp_get(pmd)));
	unsigned long start = addr & HPAGE_PMD_MASK;
	bool young;

	if (!folio)
		return;
	young = static_call(dx_pmdp_test_and_clear_young)(vma, addr, pmd);
	if (dx_clear_young_notify(vma->vm_mm, start, start + HPAGE_PMD_SIZE, flags))
		young = true;
	if (young)
		folio_set_young(folio);
	folio_set_idle(folio);
}
#endif /* CONFIG_TRANSPARENT_HUGEPAGE */
