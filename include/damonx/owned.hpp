/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Owned<T>: the single owner of a heap object (kfree'd by delete when the
 * owner goes away), and make_owned<T>(gfp, args...) to create one.
 * Owned<T, put>: the owner of a reference on a kernel object, released by
 * the shim function @put (e.g. Owned<dx_folio, dx_folio_put>).
 */
#pragma once

#include <damonx/base.hpp>
#include <damonx/new.hpp>

namespace dx {

template <typename T, auto Put = nullptr> class Owned {
public:
	Owned() = default;
	explicit Owned(T *p) : p_(p) {}
	Owned(decltype(nullptr)) {}
	Owned(Owned &&o) : p_(o.release()) {}
	template <typename U> Owned(Owned<U, Put> &&o) : p_(o.release()) {}
	Owned &operator=(Owned &&o)
	{
		reset(o.release());
		return *this;
	}
	Owned(const Owned &) = delete;
	Owned &operator=(const Owned &) = delete;
	~Owned() { reset(); }

	T *get() const { return p_; }
	T *operator->() const { return p_; }
	T &operator*() const { return *p_; }
	explicit operator bool() const { return p_ != nullptr; }
	T *release()
	{
		T *p = p_;
		p_ = nullptr;
		return p;
	}
	void reset(T *p = nullptr)
	{
		T *old = p_;
		p_ = p;
		if constexpr (!__is_same(decltype(Put), decltype(nullptr))) {
			if (old)
				Put(old);
		} else {
			delete old;
		}
	}

private:
	T *p_ = nullptr;
};

template <typename T, typename... Args> Owned<T> make_owned(Gfp gfp, Args &&...args)
{
	return Owned<T>(new (gfp) T(forward<Args>(args)...));
}

} // namespace dx
