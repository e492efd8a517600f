/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim-internal: Accessed-bit helpers shared by the vaddr (mm.c) and paddr
 * (paddr.c) shims, in mm/shim/young.c.  @flags are enum dx_va_flags.
 */
#ifndef DAMONX_SHIM_YOUNG_H
#define DAMONX_SHIM_YOUNG_H

#include <linux/mm_types.h>

/* A referenced folio for @pfn if it is an online page on an LRU list, else
 * NULL (upstream damon_get_folio()). */
struct folio *dx_get_folio(unsigned long pfn);
/* The LRU folio mapped at @pfn by a present entry whose lock the caller
 * holds (pinned by that mapping: no reference taken), else NULL. */
struct folio *dx_mapped_folio(unsigned long pfn);
/* Whether a secondary MMU (KVM...) saw @addr of @mm young. */
bool dx_test_young_notify(struct mm_struct *mm, unsigned long addr, unsigned int flags);
/* Clear the Accessed bit of a present PTE / THP PMD, remembering it in the
 * folio's young flag, and mark the folio idle.  PTE/PMD lock held. */
void dx_ptep_mkold(struct vm_area_struct *vma, pte_t *pte, unsigned long addr,
		   unsigned int flags);
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
void dx_pmdp_mkold(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr,
		   unsigned int flags);
#endif

#endif /* DAMONX_SHIM_YOUNG_H */
