// SPDX-License-Identifier: GPL-2.0
/*
 * The C++ runtime and vocabulary: allocation, ownership, errors as values,
 * intrusive lists, virtual dispatch, lock guards.
 */
#include <damonx/test.hpp>
#include <damonx/list.hpp>
#include <damonx/lock.hpp>
#include <damonx/owned.hpp>
#include <damonx/result.hpp>

using namespace dx;

namespace {

struct Counted {
	int *alive;
	int v;
	Counted(int *a, int value) : alive(a), v(value) { ++*alive; }
	~Counted() { --*alive; }
};

struct Elem {
	int v;
	ListNode node;
	explicit Elem(int x) : v(x) {}
};
using ElemList = List<Elem, &Elem::node>;

class Shape {
public:
	virtual ~Shape() = default;
	virtual int area() const = 0;
};

class Square final : public Shape {
public:
	constexpr explicit Square(int s) : s_(s) {}
	int area() const override { return s_ * s_; }

private:
	int s_;
};

/* An object with a vtable in static storage, set up at compile time. */
constinit Square static_square(7);

Result<int> half(int v)
{
	if (v & 1)
		return Result<int>::error(-err::inval);
	return v / 2;
}

int quarter(int v, int *out)
{
	auto h = half(v);
	DX_TRY(h);
	auto q = half(h.value());
	DX_TRY(q);
	*out = q.value();
	return 0;
}

} // namespace

DX_TEST(dx_test_new_delete)
{
	int alive = 0;
	Counted *c = new (gfp_kernel) Counted(&alive, 42);

	DX_ASSERT_TRUE(c != nullptr);
	DX_EXPECT_EQ(alive, 1);
	DX_EXPECT_EQ(c->v, 42);
	delete c;
	DX_EXPECT_EQ(alive, 0);

	/* A request no allocator can satisfy yields nullptr, no constructor. */
	Counted *huge = static_cast<Counted *>(operator new(size_t(1) << 62, gfp_nowait));
	DX_EXPECT_TRUE(huge == nullptr);
}

DX_TEST(dx_test_new_array)
{
	u64 *a = new (gfp_kernel) u64[64];

	DX_ASSERT_TRUE(a != nullptr);
	for (int i = 0; i < 64; i++)
		a[i] = u64(i) * i;
	u64 sum = 0;
	for (int i = 0; i < 64; i++)
		sum += a[i];
	DX_EXPECT_EQ(sum, 85344ULL);
	delete[] a;
}

DX_TEST(dx_test_owned)
{
	int alive = 0;
	{
		Owned<Counted> a = make_owned<Counted>(gfp_kernel, &alive, 1);
		DX_ASSERT_TRUE(bool(a));
		DX_EXPECT_EQ(alive, 1);
		Owned<Counted> b = move(a);
		DX_EXPECT_FALSE(bool(a));
		DX_EXPECT_EQ(b->v, 1);
		b.reset(new (gfp_kernel) Counted(&alive, 2));
		DX_EXPECT_EQ(alive, 1);
		DX_EXPECT_EQ(b->v, 2);
	}
	DX_EXPECT_EQ(alive, 0);
}

DX_TEST(dx_test_result)
{
	int out = 0;

	auto ok = half(8);
	DX_EXPECT_TRUE(ok.ok());
	DX_EXPECT_EQ(ok.value(), 4);
	auto bad = half(3);
	DX_EXPECT_FALSE(bad.ok());
	DX_EXPECT_EQ(bad.err(), -err::inval);
	DX_EXPECT_EQ(quarter(12, &out), 0);
	DX_EXPECT_EQ(out, 3);
	out = -1;
	DX_EXPECT_EQ(quarter(6, &out), -err::inval);	/* 6/2 = 3 is odd */
	DX_EXPECT_EQ(out, -1);
}

DX_TEST(dx_test_list)
{
	Elem e[5] = {Elem(0), Elem(1), Elem(2), Elem(3), Elem(4)};
	ElemList l;

	DX_EXPECT_TRUE(l.empty());
	for (Elem &x : e)
		l.push_back(x);
	DX_EXPECT_EQ(l.size(), 5UL);
	DX_EXPECT_EQ(l.first()->v, 0);
	DX_EXPECT_EQ(l.last()->v, 4);

	/* Unlinking the current element inside the loop is allowed. */
	for (Elem &x : l)
		if (x.v % 2)
			ElemList::remove(x);
	int expect[] = {0, 2, 4}, i = 0;
	for (Elem &x : l)
		DX_EXPECT_EQ(x.v, expect[i++]);
	DX_EXPECT_EQ(i, 3);

	l.insert_after(e[0], e[1]);
	l.insert_before(e[4], e[3]);
	i = 0;
	for (Elem &x : l)
		DX_EXPECT_EQ(x.v, i++);
	DX_EXPECT_EQ(i, 5);
	DX_EXPECT_TRUE(l.next(e[4]) == nullptr);
	DX_EXPECT_TRUE(l.prev(e[0]) == nullptr);
	DX_EXPECT_EQ(l.next(e[2])->v, 3);
	for (Elem &x : l)
		ElemList::remove(x);
	DX_EXPECT_TRUE(l.empty());
}

DX_TEST(dx_test_virtual_dispatch)
{
	Owned<Shape> s(new (gfp_kernel) Square(5));

	DX_ASSERT_TRUE(bool(s));
	DX_EXPECT_EQ(s->area(), 25);
	const Shape &st = static_square;
	DX_EXPECT_EQ(st.area(), 49);
}

DX_TEST(dx_test_mutex_guards)
{
	Mutex m(DX_LOCK_TEST);
	{
		Guard g(m);
		DX_EXPECT_TRUE(m.is_locked());
		TryGuard t(m);
		DX_EXPECT_FALSE(bool(t));
	}
	DX_EXPECT_FALSE(m.is_locked());
	{
		TryGuard t(m);
		DX_EXPECT_TRUE(bool(t));
		DX_EXPECT_TRUE(m.is_locked());
	}
	DX_EXPECT_FALSE(m.is_locked());
}
