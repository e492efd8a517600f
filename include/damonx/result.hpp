/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Errors are values: a negative errno, or Result<T> holding either a T or a
 * negative errno.  DX_TRY(expr) returns the error of expr from the calling
 * function, keeping the success path one line.
 */
#pragma once

#include <damonx/base.hpp>
#include <damonx/new.hpp>

namespace dx {

template <typename T> class [[nodiscard]] Result {
public:
	Result(T v) : err_(0) { new (&storage_) T(move(v)); }
	static Result error(int e) { return Result(e, 0); }
	Result(Result &&o) : err_(o.err_)
	{
		if (!err_)
			new (&storage_) T(move(o.value()));
	}
	Result(const Result &) = delete;
	Result &operator=(const Result &) = delete;
	~Result()
	{
		if (!err_)
			value().~T();
	}

	bool ok() const { return err_ == 0; }
	int err() const { return err_; }
	T &value() { return *reinterpret_cast<T *>(&storage_); }
	const T &value() const { return *reinterpret_cast<const T *>(&storage_); }
	T take() { return move(value()); }

private:
	Result(int e, int) : err_(e) {}
	int err_;
	alignas(T) unsigned char storage_[sizeof(T)];
};

/* Convenience for "an errno or nothing". */
using Status = int;

} // namespace dx

/* Evaluates a Status or a Result; on error returns it from the caller. */
#define DX_TRY(expr)                                   \
	({                                             \
		int __dx_e = dx::detail_err(expr);     \
		if (__dx_e)                            \
			return __dx_e;                 \
	})

namespace dx {
inline int detail_err(int e) { return e; }
template <typename T> inline int detail_err(const Result<T> &r) { return r.err(); }
} // namespace dx
