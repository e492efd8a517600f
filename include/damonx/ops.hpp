/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The operations sets damonx provides.  Each accessor returns nullptr when
 * the set is unavailable on the running kernel (a kernel internal it needs
 * could not be resolved).
 */
#pragma once

#include <damonx/damon.hpp>

namespace dx::damon {

Ops *vaddr_ops();
Ops *fvaddr_ops();
Ops *paddr_ops();

} // namespace dx::damon
