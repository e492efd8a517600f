/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MemcgRef: the owner of one reference on a memory cgroup (dx_memcg_get()),
 * released when the owner goes away.
 */
#pragma once

#include <damonx/owned.hpp>

namespace dx {

using MemcgRef = Owned<struct dx_memcg, dx_memcg_put>;

/* The memcg of cgroup2 path @path (empty if there is none). */
inline MemcgRef memcg_of_path(const char *path)
{
	return MemcgRef(dx_memcg_get(path));
}

} // namespace dx
