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
/* lruvec_page_state/mem_cgroup_flush_stats (out of line with CONFIG_MEMCG) */
DECLARE_STATIC_CALL(dx_lruvec_page_state, dx_stub_lruvec_page_state);
DECLARE_STATIC_CALL(dx_mem_cgroup_flush_stats, dx_stub_mem_cgroup_flush_stats);

/* Addresses of data symbols (0: unresolved). */
extern unsigned long dx_ksym_mm_kobj;
extern unsigned long dx_ksym_psi_system;	/* struct psi_group */
extern unsigned long dx_ksym_psi_disabled;	/* struct static_key_false */

#endif /* DAMONX_SHIM_KSYM_H */
