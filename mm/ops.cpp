// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of operations sets (damon_register_ops/damon_select_ops).
 */
#include <damonx/damon.hpp>
#include <damonx/ops.hpp>

namespace dx::damon {

const char *const ops_names[nr_ops_ids] = { "vaddr", "fvaddr", "paddr" };

Ops *ops_get(OpsId id)
{
	switch (id) {
	case OpsId::vaddr:
		return vaddr_ops();
	case OpsId::fvaddr:
		return fvaddr_ops();
	case OpsId::paddr:
		return paddr_ops();
	}
	return nullptr;
}

bool ops_available(OpsId id)
{
	return ops_get(id) != nullptr;
}

} // namespace dx::damon
