// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: the static calls through which damonx calls non-exported kernel
 * functions.
 *
 * Which symbols exist, which feature needs them and what to do when one is
 * missing is decided by the C++ resolver (mm/resolve.cpp); this file only
 * keeps the calls.  A function that is never address-taken inside the kernel
 * has no ENDBR on an IBT kernel, so an indirect call into it would fault; a
 * static call is a direct jump, which IBT does not check.  Until a call is
 * installed it goes to a stub that does nothing, so a shim path that runs
 * without its feature is harmless.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/pgtable.h>
#include <linux/static_call.h>

#include <damonx/shim.h>

#include "ksym.h"

pte_t *dx_stub_pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
					  unsigned long addr, spinlock_t **ptlp)
{
	return NULL;
}

int dx_stub_ptep_test_and_clear_young(struct vm_area_struct *vma,
					     unsigned long addr, pte_t *ptep)
{
	return 0;
}

int dx_stub_pmdp_test_and_clear_young(struct vm_area_struct *vma,
					     unsigned long addr, pmd_t *pmdp)
{
	return 0;
}

int dx_stub_mmu_notifier_clear_young(struct mm_struct *mm,
					    unsigned long start, unsigned long end)
{
	return 0;
}

int dx_stub_mmu_notifier_test_young(struct mm_struct *mm,
					   unsigned long addr)
{
	return 0;
}

int dx_stub_do_madvise(struct mm_struct *mm, unsigned long start, size_t len,
		       int behavior)
{
	return -ENOSYS;
}

void dx_stub_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc)
{
}

bool dx_stub_page_vma_mapped_walk(struct page_vma_mapped_walk *pvmw)
{
	return false;
}

bool dx_stub_folio_isolate_lru(struct folio *folio)
{
	return false;
}

void dx_stub_folio_putback_lru(struct folio *folio)
{
}

unsigned long dx_stub_reclaim_pages(struct list_head *folio_list)
{
	return 0;
}

void dx_stub_folio_deactivate(struct folio *folio)
{
}

int dx_stub_migrate_pages(struct list_head *from,
			  struct folio *(*get_new_folio)(struct folio *, unsigned long),
			  void (*put_new_folio)(struct folio *, unsigned long),
			  unsigned long private, enum migrate_mode mode, int reason,
			  unsigned int *ret_succeeded)
{
	return -ENOSYS;
}

DEFINE_STATIC_CALL(dx_pte_offset_map_lock, dx_stub_pte_offset_map_lock);
DEFINE_STATIC_CALL(dx_ptep_test_and_clear_young, dx_stub_ptep_test_and_clear_young);
DEFINE_STATIC_CALL(dx_pmdp_test_and_clear_young, dx_stub_pmdp_test_and_clear_young);
DEFINE_STATIC_CALL(dx_mmu_notifier_clear_young, dx_stub_mmu_notifier_clear_young);
DEFINE_STATIC_CALL(dx_mmu_notifier_test_young, dx_stub_mmu_notifier_test_young);
unsigned long dx_stub_lruvec_page_state(struct lruvec *lruvec, enum node_stat_item idx)
{
	return 0;
}

void dx_stub_mem_cgroup_flush_stats(struct mem_cgroup *memcg)
{
}

DEFINE_STATIC_CALL(dx_do_madvise, dx_stub_do_madvise);
DEFINE_STATIC_CALL(dx_rmap_walk, dx_stub_rmap_walk);
DEFINE_STATIC_CALL(dx_page_vma_mapped_walk, dx_stub_page_vma_mapped_walk);
DEFINE_STATIC_CALL(dx_folio_isolate_lru, dx_stub_folio_isolate_lru);
DEFINE_STATIC_CALL(dx_folio_putback_lru, dx_stub_folio_putback_lru);
DEFINE_STATIC_CALL(dx_reclaim_pages, dx_stub_reclaim_pages);
DEFINE_STATIC_CALL(dx_folio_deactivate, dx_stub_folio_deactivate);
DEFINE_STATIC_CALL(dx_migrate_pages, dx_stub_migrate_pages);

unsigned long dx_ksym_mm_kobj;
unsigned long dx_ksym_folio_lock_anon_vma_read;
DEFINE_STATIC_CALL(dx_lruvec_page_state, dx_stub_lruvec_page_state);
DEFINE_STATIC_CALL(dx_mem_cgroup_flush_stats, dx_stub_mem_cgroup_flush_stats);

unsigned long dx_ksym_mm_kobj;
unsigned long dx_ksym_psi_system;
unsigned long dx_ksym_psi_disabled;

bool dx_ksym_needed(enum dx_ksym sym)
{
	switch (sym) {
	case DX_KSYM_PTE_OFFSET_MAP_LOCK:
		return true;
	case DX_KSYM_PTEP_TEST_AND_CLEAR_YOUNG:
		/* x86 has it out of line (__HAVE_ARCH_PTEP_TEST_AND_CLEAR_YOUNG). */
		return true;
	case DX_KSYM_PMDP_TEST_AND_CLEAR_YOUNG:
		return IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE);
	case DX_KSYM_MMU_NOTIFIER_CLEAR_YOUNG:
	case DX_KSYM_MMU_NOTIFIER_TEST_YOUNG:
		return IS_ENABLED(CONFIG_MMU_NOTIFIER);
	case DX_KSYM_DO_MADVISE:
		return IS_ENABLED(CONFIG_ADVISE_SYSCALLS);
	case DX_KSYM_MM_KOBJ:
	case DX_KSYM_RMAP_WALK:
	case DX_KSYM_PAGE_VMA_MAPPED_WALK:
	case DX_KSYM_FOLIO_LOCK_ANON_VMA_READ:
	case DX_KSYM_FOLIO_ISOLATE_LRU:
	case DX_KSYM_FOLIO_PUTBACK_LRU:
	case DX_KSYM_RECLAIM_PAGES:
	case DX_KSYM_FOLIO_DEACTIVATE:
		return true;
	case DX_KSYM_MIGRATE_PAGES:
		return IS_ENABLED(CONFIG_MIGRATION);
	case DX_KSYM_PSI_SYSTEM:
	case DX_KSYM_PSI_DISABLED:
		return IS_ENABLED(CONFIG_PSI);
	case DX_KSYM_LRUVEC_PAGE_STATE:
	case DX_KSYM_MEM_CGROUP_FLUSH_STATS:
		return IS_ENABLED(CONFIG_MEMCG);
	case DX_NR_KSYMS:
		break;
	}
	return false;
}

/* static_call_update() takes the target with the call's type. */
#define dx_install(name, addr) \
	static_call_update(dx_##name, (addr) ? (typeof(&dx_stub_##name))(addr) : dx_stub_##name)

void dx_ksym_install(enum dx_ksym sym, unsigned long addr)
{
	switch (sym) {
	case DX_KSYM_PTE_OFFSET_MAP_LOCK:
		dx_install(pte_offset_map_lock, addr);
		break;
	case DX_KSYM_PTEP_TEST_AND_CLEAR_YOUNG:
		dx_install(ptep_test_and_clear_young, addr);
		break;
	case DX_KSYM_PMDP_TEST_AND_CLEAR_YOUNG:
		dx_install(pmdp_test_and_clear_young, addr);
		break;
	case DX_KSYM_MMU_NOTIFIER_CLEAR_YOUNG:
		dx_install(mmu_notifier_clear_young, addr);
		break;
	case DX_KSYM_MMU_NOTIFIER_TEST_YOUNG:
		dx_install(mmu_notifier_test_young, addr);
		break;
	case DX_KSYM_DO_MADVISE:
		dx_install(do_madvise, addr);
		break;
	case DX_KSYM_MM_KOBJ:
		dx_ksym_mm_kobj = addr;
		break;
	case DX_KSYM_RMAP_WALK:
		dx_install(rmap_walk, addr);
		break;
	case DX_KSYM_PAGE_VMA_MAPPED_WALK:
		dx_install(page_vma_mapped_walk, addr);
		break;
	case DX_KSYM_FOLIO_LOCK_ANON_VMA_READ:
		dx_ksym_folio_lock_anon_vma_read = addr;
		break;
	case DX_KSYM_FOLIO_ISOLATE_LRU:
		dx_install(folio_isolate_lru, addr);
		break;
	case DX_KSYM_FOLIO_PUTBACK_LRU:
		dx_install(folio_putback_lru, addr);
		break;
	case DX_KSYM_RECLAIM_PAGES:
		dx_install(reclaim_pages, addr);
		break;
	case DX_KSYM_FOLIO_DEACTIVATE:
		dx_install(folio_deactivate, addr);
		break;
	case DX_KSYM_MIGRATE_PAGES:
		dx_install(migrate_pages, addr);
		break;
	case DX_KSYM_PSI_SYSTEM:
		dx_ksym_psi_system = addr;
		break;
	case DX_KSYM_PSI_DISABLED:
		dx_ksym_psi_disabled = addr;
		break;
	case DX_KSYM_LRUVEC_PAGE_STATE:
		dx_install(lruvec_page_state, addr);
		break;
	case DX_KSYM_MEM_CGROUP_FLUSH_STATS:
		dx_install(mem_cgroup_flush_stats, addr);
		break;
	case DX_NR_KSYMS:
		break;
	}
}
