/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The freestanding vocabulary every damonx C++ file uses: fixed-size
 * integers, move/forward, min/max, errno values and invariant checks.
 * No libstdc++ and no kernel headers.
 */
#pragma once

#include <damonx/shim.h>

namespace dx {

using u8 = unsigned char;
using u16 = unsigned short;
using u32 = unsigned int;
using u64 = unsigned long long;
using s32 = int;
using s64 = long long;
using ulong = unsigned long;
using size_t = __SIZE_TYPE__;
using ssize_t = long;
using uintptr_t = __UINTPTR_TYPE__;

template <typename T> struct remove_reference { using type = T; };
template <typename T> struct remove_reference<T &> { using type = T; };
template <typename T> struct remove_reference<T &&> { using type = T; };

template <typename T>
constexpr typename remove_reference<T>::type &&move(T &&t) noexcept
{
	return static_cast<typename remove_reference<T>::type &&>(t);
}

template <typename T>
constexpr T &&forward(typename remove_reference<T>::type &t) noexcept
{
	return static_cast<T &&>(t);
}

template <typename T> constexpr void swap(T &a, T &b) noexcept
{
	T tmp = move(a);
	a = move(b);
	b = move(tmp);
}

template <typename T> constexpr const T &min(const T &a, const T &b) { return b < a ? b : a; }
template <typename T> constexpr const T &max(const T &a, const T &b) { return a < b ? b : a; }
template <typename T> constexpr T clamp(T v, T lo, T hi) { return v < lo ? lo : (hi < v ? hi : v); }

template <typename T, size_t N> constexpr size_t array_size(const T (&)[N]) { return N; }

constexpr ulong align_down(ulong v, ulong a) { return v / a * a; }
constexpr ulong align_up(ulong v, ulong a) { return (v + a - 1) / a * a; }
constexpr bool is_power_of_2(ulong v) { return v && !(v & (v - 1)); }

constexpr ulong ulong_max = ~0UL;
constexpr u32 uint_max = ~0U;
constexpr int int_max = 0x7fffffff;
constexpr ulong page_size = 4096;

/* The errno values damonx returns (the kernel's numbers). */
namespace err {
constexpr int perm = 1;
constexpr int noent = 2;
constexpr int srch = 3;
constexpr int intr = 4;
constexpr int nomem = 12;
constexpr int busy = 16;
constexpr int exist = 17;
constexpr int inval = 22;
constexpr int range = 34;
constexpr int nametoolong = 36;
constexpr int opnotsupp = 95;
constexpr int canceled = 125;
} // namespace err

/* Copy a NUL-terminated string into a fixed buffer, always terminating. */
inline void strscpy(char *dst, const char *src, size_t size)
{
	size_t i = 0;

	if (!size)
		return;
	for (; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

inline bool streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

} // namespace dx

/* A broken invariant: warn (with a stack trace) and let the caller recover. */
#define DX_WARN_ON(cond)                                                \
	({                                                              \
		bool __dx_c = !!(cond);                                 \
		if (__builtin_expect(__dx_c, 0))                        \
			dx_warn(__FILE__, __LINE__, #cond);             \
		__dx_c;                                                 \
	})

#define dx_likely(x) __builtin_expect(!!(x), 1)
#define dx_unlikely(x) __builtin_expect(!!(x), 0)

#define dx_err(...) dx_log(DX_LOG_ERR, __VA_ARGS__)
#define dx_warn_log(...) dx_log(DX_LOG_WARN, __VA_ARGS__)
#define dx_info(...) dx_log(DX_LOG_INFO, __VA_ARGS__)
