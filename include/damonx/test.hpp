/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expectations for damonx's KUnit suites, written in C++.  A test is an
 * extern "C" function taking the struct kunit; kunit/shim.c lists them in
 * suites.  DX_ASSERT* return from the test on failure (KUnit's own asserts
 * leave the test thread without running C++ destructors, so they are not
 * used).
 */
#pragma once

#include <damonx/base.hpp>

#define DX_TEST(name)                                          \
	extern "C" void name(struct kunit *test) noexcept;     \
	extern "C" void name(struct kunit *test) noexcept

#define DX_EXPECT_TRUE(cond)                                                    \
	({                                                                      \
		bool __ok = !!(cond);                                           \
		if (!__ok)                                                      \
			dx_kunit_fail(test, __FILE__, __LINE__, "expected %s", #cond); \
		__ok;                                                           \
	})

#define DX_EXPECT_FALSE(cond) DX_EXPECT_TRUE(!(cond))

#define DX_EXPECT_OP(a, op, b)                                                  \
	({                                                                      \
		auto __a = (a);                                                 \
		auto __b = (b);                                                 \
		bool __ok = __a op __b;                                         \
		if (!__ok)                                                      \
			dx_kunit_fail(test, __FILE__, __LINE__,                \
				      "expected %s %s %s, got %lld vs %lld", #a, #op, #b, \
				      (long long)__a, (long long)__b);          \
		__ok;                                                           \
	})

#define DX_EXPECT_EQ(a, b) DX_EXPECT_OP(a, ==, b)
#define DX_EXPECT_NE(a, b) DX_EXPECT_OP(a, !=, b)
#define DX_EXPECT_LT(a, b) DX_EXPECT_OP(a, <, b)
#define DX_EXPECT_LE(a, b) DX_EXPECT_OP(a, <=, b)
#define DX_EXPECT_GT(a, b) DX_EXPECT_OP(a, >, b)
#define DX_EXPECT_GE(a, b) DX_EXPECT_OP(a, >=, b)

#define DX_EXPECT_STREQ(a, b)                                                   \
	({                                                                      \
		const char *__a = (a), *__b = (b);                              \
		bool __ok = dx::streq(__a, __b);                                \
		if (!__ok)                                                      \
			dx_kunit_fail(test, __FILE__, __LINE__,                \
				      "expected %s == %s, got \"%s\" vs \"%s\"", #a, #b, __a, __b); \
		__ok;                                                           \
	})

#define DX_ASSERT_TRUE(cond) do { if (!DX_EXPECT_TRUE(cond)) return; } while (0)
#define DX_ASSERT_EQ(a, b) do { if (!DX_EXPECT_EQ(a, b)) return; } while (0)
