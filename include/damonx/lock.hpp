/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locks are taken by RAII guards:
 *
 *	Guard g(lock);			// mutex_lock .. mutex_unlock
 *	TryGuard g(lock);		// mutex_trylock
 *	if (!g) return -EBUSY;
 */
#pragma once

#include <damonx/base.hpp>

namespace dx {

class Mutex {
public:
	explicit Mutex(enum dx_lock_class cls) { dx_mutex_init(&m_, cls); }
	~Mutex() { dx_mutex_destroy(&m_); }
	Mutex(const Mutex &) = delete;
	Mutex &operator=(const Mutex &) = delete;

	void lock() { dx_mutex_lock(&m_); }
	bool trylock() { return dx_mutex_trylock(&m_); }
	void unlock() { dx_mutex_unlock(&m_); }
	bool is_locked() { return dx_mutex_is_locked(&m_); }

private:
	struct dx_mutex m_;
};

class [[nodiscard]] Guard {
public:
	explicit Guard(Mutex &m) : m_(m) { m_.lock(); }
	~Guard() { m_.unlock(); }
	Guard(const Guard &) = delete;
	Guard &operator=(const Guard &) = delete;

private:
	Mutex &m_;
};

class [[nodiscard]] TryGuard {
public:
	explicit TryGuard(Mutex &m) : m_(m), held_(m.trylock()) {}
	~TryGuard()
	{
		if (held_)
			m_.unlock();
	}
	TryGuard(const TryGuard &) = delete;
	TryGuard &operator=(const TryGuard &) = delete;
	explicit operator bool() const { return held_; }

private:
	Mutex &m_;
	bool held_;
};

class Completion {
public:
	Completion() { dx_completion_init(&c_); }
	void complete() { dx_complete(&c_); }
	void wait() { dx_wait_for_completion(&c_); }
	struct dx_completion &raw() { return c_; }

private:
	struct dx_completion c_;
};

} // namespace dx
