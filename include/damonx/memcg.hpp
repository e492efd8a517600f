/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MemcgRef: the owner of one reference on a memory cgroup (dx_memcg_get()),
 * released when the owner goes away.
 */
#pragma once

#include <damonx/base.hpp>

namespace dx {

class MemcgRef {
public:
	MemcgRef() = default;
	/* Takes over the reference @m holds. */
	explicit MemcgRef(struct dx_memcg *m) : m_(m) {}
	/* The memcg of cgroup2 path @path (empty if there is none). */
	static MemcgRef of_path(const char *path) { return MemcgRef(dx_memcg_get(path)); }

	MemcgRef(MemcgRef &&o) : m_(o.release()) {}
	MemcgRef &operator=(MemcgRef &&o)
	{
		reset(o.release());
		return *this;
	}
	MemcgRef(const MemcgRef &) = delete;
	MemcgRef &operator=(const MemcgRef &) = delete;
	~MemcgRef() { reset(); }

	struct dx_memcg *get() const { return m_; }
	explicit operator bool() const { return m_ != nullptr; }
	struct dx_memcg *release()
	{
		struct dx_memcg *m = m_;
		m_ = nullptr;
		return m;
	}
	void reset(struct dx_memcg *m = nullptr)
	{
		struct dx_memcg *old = m_;
		m_ = m;
		if (old)
			dx_memcg_put(old);
	}

private:
	struct dx_memcg *m_ = nullptr;
};

} // namespace dx
