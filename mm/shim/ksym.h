/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim-internal: the static calls to non-exported kernel functions
 * (mm/shim/resolve.c).  Call one only where the C++ side has checked that
 * its resolver feature is available; an uninstalled call is a stub that
 * returns 0 (NULL).
 */
#ifndef DAMONX_SHIM_KSYM_H
#define DAMONX_SHIM_KSYM_H

#include <linux/mm_types.h>
#include <linux/migrate_mode.h>
#include <linux/mmzone.h>
#include <linux/static_call.h>

/* Stubs with the signatures of the kernel functions. */
pte_t *dx_stub_pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
				   unsigned long addr, spinlock_t **ptlp);
int dx_stub_ptep_test_and_clear_young(struct vm_area_struct *vma,
				      unsigned long addr, pte_t *ptep);
int dx_stub_pmdp_test_and_clear_young(struct vm_area_struct *vma,
				      unsigned long addr, pmd_t *pmdp);
int dx_stub_mmu_notifier_clear_young(struct mm_struct *mm,
				     unsigned long start, unsigned long end);
int dx_stub_mmu_notifier_test_young(struct mm_struct *mm, unsigned long addr);
int dx_stub_do_madvise(struct mm_struct *mm, unsigned long start, size_t len,
		       int behavior);
struct rmap_walk_control;
struct page_vma_mapped_walk;
void dx_stub_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc);
bool dx_stub_page_vma_mapped_walk(struct page_vma_mapped_walk *pvmw);
bool dx_stub_folio_isolate_lru(struct folio *folio);
void dx_stub_folio_putback_lru(struct folio *folio);
unsigned long dx_stub_reclaim_pages(struct list_head *folio_list);
void dx_stub_folio_deactivate(struct folio *folio);
int dx_stub_migrate_pages(struct list_head *from,
			  struct folio *(*get_new_folio)(struct folio *, unsigned long),
			  void (*put_new_folio)(struct folio *, unsigned long),
			  unsigned long private, enum migrate_mode mode, int reason,
			  unsigned int *ret_succeeded);
struct lruvec;
struct mem_cgroup;
unsigned long dx_stub_lruvec_page_state(struct lruvec *lruvec, enum node_stat_item idx);
void dx_stub_mem_cgroup_flush_stats(struct mem_cgroup *memcg);

/* __pte_offset_map_lock (behind the inline pte_offset_map_lock()) */
DECLARE_STATIC_CALL(dx_pte_offset_map_lock, dx_stub_pte_offset_map_lock);
DECLARE_STATIC_CALL(dx_ptep_test_and_clear_young, dx_stub_ptep_test_and_clear_young);
DECLARE_STATIC_CALL(dx_pmdp_test_and_clear_young, dx_stub_pmdp_test_and_clear_young);
/* __mmu_notifier_clear_young/__mmu_notifier_test_young (behind the inline
 * mmu_notifier_clear_young()/mmu_notifier_test_young()) */
DECLARE_STATIC_CALL(dx_mmu_notifier_clear_young, dx_stub_mmu_notifier_clear_young);
DECLARE_STATIC_CALL(dx_mmu_notifier_test_young, dx_stub_mmu_notifier_test_young);
DECLARE_STATIC_CALL(dx_do_madvise, dx_stub_do_madvise);
DECLARE_STATIC_CALL(dx_rmap_walk, dx_stub_rmap_walk);
DECLARE_STATIC_CALL(dx_page_vma_mapped_walk, dx_stub_page_vma_mapped_walk);
DECLARE_STATIC_CALL(dx_folio_isolate_lru, dx_stub_folio_isolate_lru);
DECLARE_STATIC_CALL(dx_folio_putback_lru, dx_stub_folio_putback_lru);
DECLARE_STATIC_CALL(dx_reclaim_pages, dx_stub_reclaim_pages);
DECLARE_STATIC_CALL(dx_folio_deactivate, dx_stub_folio_deactivate);
DECLARE_STATIC_CALL(dx_migrate_pages, dx_stub_migrate_pages);
/* lruvec_page_state/mem_cgroup_flush_stats (out of line with CONFIG_MEMCG) */
DECLARE_STATIC_CALL(dx_lruvec_page_state, dx_stub_lruvec_page_state);
DECLARE_STATIC_CALL(dx_mem_cgroup_flush_stats, dx_stub_mem_cgroup_flush_stats);

/* Addresses of data symbols and callbacks (0: unresolved). */
extern unsigned long dx_ksym_mm_kobj;
/* folio_lock_anon_vma_read, for rmap_walk_control.anon_lock */
extern unsigned long dx_ksym_folio_lock_anon_vma_read;
extern unsigned long dx_ksym_psi_system;	/* struct psi_group */
extern unsigned long dx_ksym_psi_disabled;	/* struct static_key_false */

#endif /* DAMONX_SHIM_KSYM_H */
