/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation: `new (dx::gfp_kernel) T(...)` is kmalloc with an explicit
 * allocation context and yields nullptr on failure (the operators are
 * noexcept, so the constructor is not run then).  `delete` is kfree.  There
 * is no operator new without a gfp: an allocation always says whether it may
 * sleep.
 */
#pragma once

#include <damonx/base.hpp>

namespace dx {
struct Gfp {
	enum dx_gfp v;
};
constexpr Gfp gfp_kernel{DX_GFP_KERNEL};
constexpr Gfp gfp_nowait{DX_GFP_NOWAIT};
} // namespace dx

void *operator new(dx::size_t size, dx::Gfp gfp) noexcept;
void *operator new[](dx::size_t size, dx::Gfp gfp) noexcept;
void operator delete(void *p) noexcept;
void operator delete(void *p, dx::size_t) noexcept;
void operator delete[](void *p) noexcept;
void operator delete[](void *p, dx::size_t) noexcept;
/* Matching deallocators, used only if a constructor could throw (never). */
void operator delete(void *p, dx::Gfp) noexcept;
void operator delete[](void *p, dx::Gfp) noexcept;

/* Called for a pure virtual function (a bug): BUG(). */
extern "C" void __cxa_pure_virtual() noexcept;

/* Placement new, for constructing in storage we already own. */
inline void *operator new(dx::size_t, void *where) noexcept { return where; }
