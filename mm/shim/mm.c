// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: address spaces of monitored processes (vaddr).
 *
 * Getting a task's mm, listing its VMAs, and the per-address Accessed-bit
 * operations of upstream's damon_va_mkold()/damon_va_young().  walk_page_range()
 * is not exported, so the page table is walked here by hand down to the PMD
 * (one address needs no more); non-exported helpers are reached through the
 * static calls of ksym.h.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmap_lock.h>
#include <linux/mmu_notifier.h>
#include <linux/hugetlb.h>
#include <linux/page_idle.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

#include <damonx/shim.h>

#include "ksym.h"
#include "young.h"

#define to_mm(m) ((struct mm_struct *)(m))

struct dx_mm *dx_pid_get_mm(struct dx_pid *pid)
{
	struct task_struct *task = get_pid_task((struct pid *)pid, PIDTYPE_PID);
	struct mm_struct *mm;

	if (!task)
		return NULL;
	/* NULL for kthreads and exiting tasks; else mmget()s. */
	mm = get_task_mm(task);
	put_task_struct(task);
	return (struct dx_mm *)mm;
}

void dx_mm_put(struct dx_mm *mm)
{
	mmput(to_mm(mm));
}

void dx_va_pass_begin(struct dx_va_pass *p, struct dx_mm *mm)
{
	p->mm = mm;
	p->vma = NULL;
	mmap_read_lock(to_mm(mm));
}

void dx_va_pass_end(struct dx_va_pass *p)
{
	mmap_read_unlock(to_mm(p->mm));
}

void dx_mm_for_each_vma(struct dx_mm *dmm,
			void (*fn)(void *arg, unsigned long start, unsigned long end),
			void *arg)
{
	struct mm_struct *mm = to_mm(dmm);
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		fn(arg, vma->vm_start, vma->vm_end);
	mmap_read_unlock(mm);
}

/* ---- Accessed bits --------------------------------------------------------- */

/*
 * The VMA mapping @addr if the generic page walk would visit it: hugetlb
 * entries need their own walk (not done) and VM_PFNMAP has no struct pages.
 */
static struct vm_area_struct *dx_walkable_vma(struct mm_struct *mm,
					      unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma || is_vm_hugetlb_page(vma) || (vma->vm_flags & VM_PFNMAP))
		return NULL;
	return vma;
}

/*
 * The PMD entry covering @addr, or NULL if an upper level is empty or a leaf.
 * Under mmap_read_lock, upper-level tables are not freed.
 */
static pmd_t *dx_pmd_of(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pud_t pude;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	pude = pudp_get(pud);
	if (pud_none(pude) || pud_leaf(pude) || pud_bad(pude))
		return NULL;
	return pmd_offset(pud, addr);
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/*
 * The PMD lock if *@pmd maps a THP (re-checked under the lock: it may have
 * been split or zapped meanwhile), else NULL.
 */
static spinlock_t *dx_pmd_thp_lock(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *ptl;
	pmd_t pmde;

	if (!pmd_trans_huge(pmdp_get(pmd)))
		return NULL;
	ptl = pmd_lock(mm, pmd);
	pmde = pmdp_get(pmd);
	if (pmd_present(pmde) && pmd_trans_huge(pmde))
		return ptl;
	spin_unlock(ptl);
	return NULL;
}
#else
static spinlock_t *dx_pmd_thp_lock(struct mm_struct *mm, pmd_t *pmd)
{
	return NULL;
}
#endif /* CONFIG_TRANSPARENT_HUGEPAGE */

/*
 * The mapped, locked PTE of @addr below @pmd, or NULL (none, or no longer a
 * page table: pte_offset_map_lock() re-checks the PMD).  Unlock with
 * pte_unmap_unlock().
 */
static pte_t *dx_pte_lock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
			  spinlock_t **ptlp)
{
	if (pmd_none(pmdp_get(pmd)))
		return NULL;
	return static_call(dx_pte_offset_map_lock)(mm, pmd, addr, ptlp);
}

static void dx_pmd_mkold(struct vm_area_struct *vma, pmd_t *pmd,
			 unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *pte;

	ptl = dx_pmd_thp_lock(mm, pmd);
	if (ptl) {
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
		dx_pmdp_mkold(vma, pmd, addr, flags);
#endif
		spin_unlock(ptl);
		return;
	}
	pte = dx_pte_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return;
	if (pte_present(ptep_get(pte)))
		dx_ptep_mkold(vma, pte, addr, flags);
	pte_unmap_unlock(pte, ptl);
}

/*
 * dx_walkable_vma() of @addr in a pass: the last VMA found is tried first
 * (a pass visits addresses in order, several often in one VMA), which is
 * valid while the pass holds mmap_read_lock.
 */
static struct vm_area_struct *dx_pass_vma(struct dx_va_pass *p, unsigned long addr)
{
	struct vm_area_struct *vma = p->vma;

	if (vma && vma->vm_start <= addr && addr < vma->vm_end)
		return vma;
	vma = dx_walkable_vma(to_mm(p->mm), addr);
	if (vma)
		p->vma = vma;
	return vma;
}

void dx_va_mkold(struct dx_va_pass *p, unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = to_mm(p->mm);
	struct vm_area_struct *vma;
	pmd_t *pmd;

	vma = dx_pass_vma(p, addr);
	pmd = vma ? dx_pmd_of(mm, addr) : NULL;
	if (pmd)
		dx_pmd_mkold(vma, pmd, addr, flags);
}

/* Whether the folio mapped by an entry was accessed since mkold (upstream
 * damon_young_pmd_entry()). */
static bool dx_mapped_folio_young(struct mm_struct *mm, unsigned long pfn,
				  bool young, unsigned long addr, unsigned int flags)
{
	struct folio *folio = dx_mapped_folio(pfn);

	if (!folio)
		return false;
	if (!young)
		young = !folio_test_idle(folio) || dx_test_young_notify(mm, addr, flags);
	return young;
}

static bool dx_pmd_young(struct vm_area_struct *vma, pmd_t *pmd,
			 unsigned long addr, unsigned int flags,
			 unsigned long *folio_sz)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	bool young = false;
	pte_t *pte;
	pte_t ptent;

	ptl = dx_pmd_thp_lock(mm, pmd);
	if (ptl) {
		pmd_t pmde = pmdp_get(pmd);

		young = dx_mapped_folio_young(mm, pmd_pfn(pmde), pmd_young(pmde), addr, flags);
		*folio_sz = PMD_SIZE;
		spin_unlock(ptl);
		return young;
	}
	pte = dx_pte_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return false;
	ptent = ptep_get(pte);
	if (pte_present(ptent)) {
		young = dx_mapped_folio_young(mm, pte_pfn(ptent), pte_young(ptent), addr, flags);
		*folio_sz = PAGE_SIZE;
	}
	pte_unmap_unlock(pte, ptl);
	return young;
}

bool dx_va_young(struct dx_va_pass *p, unsigned long addr, unsigned int flags,
		 unsigned long *folio_sz)
{
	struct mm_struct *mm = to_mm(p->mm);
	struct vm_area_struct *vma;
	bool young = false;
	pmd_t *pmd;

	*folio_sz = PAGE_SIZE;
	vma = dx_pass_vma(p, addr);
	pmd = vma ? dx_pmd_of(mm, addr) : NULL;
	if (pmd)
		young = dx_pmd_young(vma, pmd, addr, flags, folio_sz);
	return young;
}

/* ---- folios of a range ------------------------------------------------------ */

/* Where dx_va_folios() stores what it finds. */
struct dx_va_batch {
	struct dx_folio **folios;
	unsigned long *ilxs;
	unsigned int n, max;
	struct folio *last;	/* a PTE-mapped large folio is taken once */
};

/* Takes a reference on the folio of @pfn for @b; false when @b is full. */
static bool dx_batch_add(struct dx_va_batch *b, struct vm_area_struct *vma,
			 unsigned long addr, unsigned long pfn)
{
	struct folio *folio;
	unsigned int order;

	if (b->n == b->max)
		return false;
	folio = dx_get_folio(pfn);
	if (!folio)
		return true;
	if (folio == b->last) {
		folio_put(folio);
		return true;
	}
	b->last = folio;
	order = folio_order(folio);
	/* The interleave index of upstream's weighted migration. */
	b->ilxs[b->n] = (vma->vm_pgoff >> order) +
			((addr - vma->vm_start) >> (PAGE_SHIFT + order));
	b->folios[b->n++] = (struct dx_folio *)folio;
	return true;
}

/* The folios mapped in [@addr, @end) below one PMD; returns where it
 * stopped (@end, or the first address @b had no room for). */
static unsigned long dx_pmd_folios(struct vm_area_struct *vma, pmd_t *pmd,
				   unsigned long addr, unsigned long end,
				   struct dx_va_batch *b)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *start_pte, *pte;

	ptl = dx_pmd_thp_lock(mm, pmd);
	if (ptl) {
		bool room = dx_batch_add(b, vma, addr, pmd_pfn(pmdp_get(pmd)));

		spin_unlock(ptl);
		return room ? end : addr;
	}
	start_pte = pte = dx_pte_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return end;
	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t ptent = ptep_get(pte);

		if (pte_present(ptent) && !dx_batch_add(b, vma, addr, pte_pfn(ptent)))
			break;
	}
	pte_unmap_unlock(start_pte, ptl);
	return addr;
}

unsigned int dx_va_folios(struct dx_mm *dmm, unsigned long start, unsigned long end,
			  struct dx_folio **folios, unsigned long *ilxs,
			  unsigned int max, unsigned long *next)
{
	struct mm_struct *mm = to_mm(dmm);
	struct dx_va_batch b = { .folios = folios, .ilxs = ilxs, .max = max };
	unsigned long addr = start;

	mmap_read_lock(mm);
	while (addr < end) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long vend, stop;

		if (!vma || vma->vm_start >= end) {
			addr = end;
			break;
		}
		if (addr < vma->vm_start)
			addr = vma->vm_start;
		vend = min(end, vma->vm_end);
		if (!dx_walkable_vma(mm, addr)) {
			addr = vend;
			continue;
		}
		while (addr < vend) {
			unsigned long pend = min(pmd_addr_end(addr, vend), vend);
			pmd_t *pmd = dx_pmd_of(mm, addr);

			stop = pmd ? dx_pmd_folios(vma, pmd, addr, pend, &b) : pend;
			if (stop < pend) {
				addr = stop;
				goto out;
			}
			addr = pend;
		}
	}
out:
	mmap_read_unlock(mm);
	*next = addr;
	return b.n;
}

int dx_va_madvise(struct dx_mm *dmm, unsigned long start, unsigned long len,
		  enum dx_madv advice)
{
	static const int behavior[] = {
		[DX_MADV_WILLNEED] = MADV_WILLNEED,
		[DX_MADV_COLD] = MADV_COLD,
		[DX_MADV_PAGEOUT] = MADV_PAGEOUT,
		[DX_MADV_HUGEPAGE] = MADV_HUGEPAGE,
		[DX_MADV_NOHUGEPAGE] = MADV_NOHUGEPAGE,
		[DX_MADV_COLLAPSE] = MADV_COLLAPSE,
	};

	return static_call(dx_do_madvise)((struct mm_struct *)dmm, start, len,
					  behavior[advice]);
}
