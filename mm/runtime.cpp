// SPDX-License-Identifier: GPL-2.0
/*
 * The C++ runtime damonx needs, and nothing more: allocation over kmalloc
 * with an explicit gfp, deallocation, and the pure virtual call handler.
 * No exceptions, no RTTI, no global constructors (the build check verifies
 * the module has no .init_array/.ctors and no unwind tables).
 */
#include <damonx/new.hpp>

void *operator new(dx::size_t size, dx::Gfp gfp) noexcept
{
	return dx_kmalloc(size, gfp.v);
}

void *operator new[](dx::size_t size, dx::Gfp gfp) noexcept
{
	return dx_kmalloc(size, gfp.v);
}

void operator delete(void *p) noexcept
{
	dx_kfree(p);
}

void operator delete(void *p, dx::size_t) noexcept
{
	dx_kfree(p);
}

void operator delete[](void *p) noexcept
{
	dx_kfree(p);
}

void operator delete[](void *p, dx::size_t) noexcept
{
	dx_kfree(p);
}

void operator delete(void *p, dx::Gfp) noexcept
{
	dx_kfree(p);
}

void operator delete[](void *p, dx::Gfp) noexcept
{
	dx_kfree(p);
}

extern "C" void __cxa_pure_virtual() noexcept
{
	dx_bug("pure virtual function called");
}
