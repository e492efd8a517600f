// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: the memory counters quota goal metrics are computed from (node
 * memory, LRU sizes, a memcg's LRU pages on a node, memory pressure).  Only
 * reads; the ratios are computed by the C++ side (mm/goals.cpp).
 */
#include <linux/cgroup.h>
#include <linux/jump_label.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/psi.h>
#include <linux/static_call.h>
#include <linux/vmstat.h>

#include <damonx/shim.h>

#include "ksym.h"

bool dx_node_has_memory(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && node_state(nid, N_MEMORY);
}

bool dx_node_mem_pages(int nid, unsigned long *total, unsigned long *free)
{
	unsigned long managed = 0, nr_free = 0;
	struct pglist_data *pgdat;
	int z;

	if (!dx_node_has_memory(nid))
		return false;
	/* si_meminfo_node() (not exported) counts the same. */
	pgdat = NODE_DATA(nid);
	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		managed += zone_managed_pages(zone);
		nr_free += zone_page_state(zone, NR_FREE_PAGES);
	}
	*total = managed;
	*free = nr_free;
	return true;
}

void dx_lru_pages(unsigned long *active, unsigned long *inactive)
{
	/* As /proc/meminfo's Active and Inactive. */
	*active = global_node_page_state(NR_LRU_BASE + LRU_ACTIVE_ANON) +
		  global_node_page_state(NR_LRU_BASE + LRU_ACTIVE_FILE);
	*inactive = global_node_page_state(NR_LRU_BASE + LRU_INACTIVE_ANON) +
		    global_node_page_state(NR_LRU_BASE + LRU_INACTIVE_FILE);
}

bool dx_memcg_node_lru_pages(struct dx_memcg *m, int nid, unsigned long *pages)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg = (struct mem_cgroup *)m;
	static const enum lru_list lrus[] = {
		LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE,
	};
	struct lruvec *lruvec;
	unsigned long sum = 0;
	int i;

	/* A removed cgroup counts as gone, as upstream's lookup by id. */
	if (!memcg || css_is_dying(&memcg->css) || !dx_node_has_memory(nid))
		return false;
	static_call(dx_mem_cgroup_flush_stats)(memcg);
	/* mem_cgroup_lruvec() without its NULL case (root_mem_cgroup is not
	 * exported). */
	lruvec = &memcg->nodeinfo[nid]->lruvec;
	for (i = 0; i < ARRAY_SIZE(lrus); i++)
		sum += static_call(dx_lruvec_page_state)(lruvec, NR_LRU_BASE + lrus[i]);
	*pages = sum;
	return true;
#else
	return false;
#endif
}

enum dx_psi_state dx_psi_state(void)
{
#ifdef CONFIG_PSI
	struct static_key_false *disabled = (struct static_key_false *)dx_ksym_psi_disabled;

	if (!dx_ksym_psi_system || !disabled)
		return DX_PSI_UNRESOLVED;
	return static_key_enabled(disabled) ? DX_PSI_OFF : DX_PSI_ON;
#else
	return DX_PSI_NOT_BUILT;
#endif
}

bool dx_psi_some_mem_total_us(unsigned long long *us)
{
#ifdef CONFIG_PSI
	const struct psi_group *sys = (const struct psi_group *)dx_ksym_psi_system;

	if (dx_psi_state() != DX_PSI_ON)
		return false;
	/* The running total the averaging worker keeps, in ns. */
	*us = div_u64(READ_ONCE(sys->total[PSI_AVGS][PSI_MEM_SOME]), NSEC_PER_USEC);
	return true;
#else
	return false;
#endif
}
