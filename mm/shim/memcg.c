// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: memory cgroups by cgroup2 path, referenced.
 */
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/memcontrol.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <damonx/shim.h>

#ifdef CONFIG_MEMCG

struct dx_memcg *dx_memcg_get(const char *path)
{
	struct cgroup_subsys_state *css;
	struct cgroup *cgrp;
	size_t len;
	char *p;

	if (!path || mem_cgroup_disabled())
		return NULL;
	len = strlen(path);
	if (len && path[len - 1] == '\n')
		len--;
	if (!len)
		return NULL;
	p = kmemdup_nul(path, len, GFP_KERNEL);
	if (!p)
		return NULL;
	cgrp = cgroup_get_from_path(p);
	kfree(p);
	if (IS_ERR(cgrp))
		return NULL;
	/* The nearest ancestor's css when the controller is not enabled
	 * in @cgrp itself: that is not the memcg of @path. */
	css = cgroup_get_e_css(cgrp, &memory_cgrp_subsys);
	if (css && css->cgroup != cgrp) {
		css_put(css);
		css = NULL;
	}
	cgroup_put(cgrp);
	return css ? (struct dx_memcg *)mem_cgroup_from_css(css) : NULL;
}

void dx_memcg_put(struct dx_memcg *m)
{
	mem_cgroup_put((struct mem_cgroup *)m);
}

bool dx_folio_memcg_is(struct dx_folio *f, struct dx_memcg *m)
{
	bool is;

	rcu_read_lock();
	is = folio_memcg_check((struct folio *)f) == (struct mem_cgroup *)m;
	rcu_read_unlock();
	return is;
}

#else	/* CONFIG_MEMCG */

struct dx_memcg *dx_memcg_get(const char *path)
{
	return NULL;
}

void dx_memcg_put(struct dx_memcg *m)
{
}

bool dx_folio_memcg_is(struct dx_folio *f, struct dx_memcg *m)
{
	return false;
}

#endif	/* CONFIG_MEMCG */
