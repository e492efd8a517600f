// SPDX-License-Identifier: GPL-2.0
/*
 * The vaddr/fvaddr operations sets: the "three regions" of a VMA list and
 * their application to a target (upstream vaddr-kunit.h), and access checks
 * on targets without an address space.  Real Accessed-bit checks need a user
 * process and are covered by the functional tests.
 */
#include <damonx/test.hpp>
#include <damonx/lock.hpp>
#include <damonx/owned.hpp>
#include <damonx/resolve.hpp>
#include <damonx/vaddr.hpp>

using namespace dx;
using namespace dx::damon;

namespace {

Region *nth_region(Target &t, unsigned idx)
{
	unsigned i = 0;

	for (Region &r : t.regions)
		if (i++ == idx)
			return &r;
	return nullptr;
}

/* Adds regions [bounds[2i], bounds[2i+1]) to @t; false on allocation failure. */
bool add_regions(Target &t, const ulong *bounds, size_t nr_bounds)
{
	for (size_t i = 0; i + 1 < nr_bounds; i += 2) {
		Region *r = new (gfp_kernel) Region(bounds[i], bounds[i + 1]);
		if (!r)
			return false;
		t.add_region(*r);
	}
	return true;
}

/* Whether @t's regions are exactly @expected (start/end pairs). */
bool regions_are(struct kunit *test, Target &t, const ulong *expected, size_t nr)
{
	if (!DX_EXPECT_EQ(t.nr_regions, u32(nr / 2)))
		return false;
	for (size_t i = 0; i < nr / 2; i++) {
		Region *r = nth_region(t, unsigned(i));
		if (!DX_EXPECT_TRUE(r))
			return false;
		if (!DX_EXPECT_EQ(r->start, expected[i * 2]) ||
		    !DX_EXPECT_EQ(r->end, expected[i * 2 + 1]))
			return false;
	}
	return true;
}

/*
 * Upstream damon_do_test_apply_three_regions(): @t starts with @regions and
 * gets @three applied (at byte granularity, like upstream's tests).
 */
void apply_three_regions(struct kunit *test, const ulong *regions, size_t nr_regions,
			 const AddrRange three[3], const ulong *expected, size_t nr_expected)
{
	Target t;

	if (!add_regions(t, regions, nr_regions)) {
		dx_kunit_skip(test, "region alloc fail");
		return;
	}
	DX_EXPECT_EQ(set_regions(t, three, 3, 1), 0);
	regions_are(test, t, expected, nr_expected);
}

/* Waits up to @ms until no task has @pid. */
bool wait_pid_gone(struct dx_pid *pid, unsigned ms)
{
	for (unsigned i = 0; i < ms / 10 && dx_pid_alive(pid); i++)
		dx_msleep(10);
	return !dx_pid_alive(pid);
}

/* A thread that exits once told to. */
struct ShortThread {
	Completion go;
	Completion exited;
	struct dx_kthread k = {};

	static int fn(void *arg)
	{
		static_cast<ShortThread *>(arg)->go.wait();
		return 0;
	}
};

/* A pid reference whose task has exited. */
struct dx_pid *dead_pid()
{
	Owned<ShortThread> st = make_owned<ShortThread>(gfp_kernel);
	int err = 0;

	if (!st)
		return nullptr;
	st->k = {ShortThread::fn, st.get(), &st->exited.raw()};
	struct dx_task *task = dx_kthread_run(&st->k, "dx_vaddr_test", &err);
	if (!task)
		return nullptr;
	/* The thread waits for go: task is alive until then. */
	struct dx_pid *pid = dx_find_get_pid(dx_task_pid(task));
	st->go.complete();
	st->exited.wait();
	if (pid && !wait_pid_gone(pid, 2000)) {
		dx_put_pid(pid);
		return nullptr;
	}
	return pid;
}

/*
 * A context of ops @id with one target of @pid (a reference we give away)
 * having regions 0x10000-0x20000-0x30000, or no region when !@with_regions.
 */
Owned<Context> ctx_of(OpsId id, struct dx_pid *pid, bool with_regions)
{
	static const ulong bounds[] = {0x10000, 0x20000, 0x20000, 0x30000};
	Owned<Context> c = make_owned<Context>(gfp_kernel);
	Target *t = new (gfp_kernel) Target();

	if (!c || !t || c->select_ops(id)) {
		delete t;
		if (pid)
			dx_put_pid(pid);
		return nullptr;
	}
	t->pid = pid;
	c->add_target(*t);
	if (with_regions && !add_regions(*t, bounds, array_size(bounds)))
		return nullptr;
	return c;
}

/*
 * Runs every callback of the ops on a target that has no mm: nothing may
 * change but the sampled accesses, which must all be "not accessed".
 */
void run_ops_without_mm(struct kunit *test, OpsId id, struct dx_pid *pid, bool alive)
{
	static const ulong bounds[] = {0x10000, 0x20000, 0x20000, 0x30000};

	Owned<Context> c = ctx_of(id, pid, true);
	if (!c) {
		dx_kunit_skip(test, "alloc fail");
		return;
	}
	Target &t = *c->targets.first();
	Ops &ops = *c->ops;

	ops.init(*c);
	DX_EXPECT_TRUE(regions_are(test, t, bounds, array_size(bounds)));
	for (int i = 0; i < 3; i++) {
		ops.prepare_access_checks(*c);
		DX_EXPECT_EQ(ops.check_accesses(*c), 0U);
	}
	for (Region &r : t.regions)
		DX_EXPECT_EQ(r.nr_accesses, 0U);
	ops.update(*c);
	DX_EXPECT_TRUE(regions_are(test, t, bounds, array_size(bounds)));
	DX_EXPECT_TRUE(ops.has_target_valid());
	DX_EXPECT_EQ(ops.target_valid(t), alive);
	ops.cleanup(*c);
}

} // namespace

/*
 * Upstream damon_test_three_regions_in_vmas(): mappings 10-20-25,
 * 200-210-220, 300-305, 307-330 have gaps 25-200, 220-300 and 305-307; the
 * two biggest split them into 10-25, 200-220 and 300-330.
 */
DX_TEST(dx_test_vaddr_three_regions)
{
	const AddrRange vmas[] = {
		{10, 20}, {20, 25}, {200, 210}, {210, 220}, {300, 305}, {307, 330},
	};
	AddrRange r[3] = {};

	DX_ASSERT_EQ(vaddr::three_regions(vmas, array_size(vmas), r, 1), 0);
	DX_EXPECT_EQ(r[0].start, 10UL);
	DX_EXPECT_EQ(r[0].end, 25UL);
	DX_EXPECT_EQ(r[1].start, 200UL);
	DX_EXPECT_EQ(r[1].end, 220UL);
	DX_EXPECT_EQ(r[2].start, 300UL);
	DX_EXPECT_EQ(r[2].end, 330UL);
}

/* The biggest gap first in address order or not, bounds aligned up. */
DX_TEST(dx_test_vaddr_three_regions_order_align)
{
	/* gaps: 0x3000-0x100000 (second), 0x101000-0x900000 (first) */
	const AddrRange vmas[] = {
		{0x1000, 0x3000}, {0x100000, 0x100800}, {0x100800, 0x101000},
		{0x900000, 0x900100},
	};
	AddrRange r[3] = {};

	DX_ASSERT_EQ(vaddr::three_regions(vmas, array_size(vmas), r, page_size), 0);
	DX_EXPECT_EQ(r[0].start, 0x1000UL);
	DX_EXPECT_EQ(r[0].end, 0x3000UL);
	DX_EXPECT_EQ(r[1].start, 0x100000UL);
	DX_EXPECT_EQ(r[1].end, 0x101000UL);
	DX_EXPECT_EQ(r[2].start, 0x900000UL);
	DX_EXPECT_EQ(r[2].end, 0x901000UL);	/* 0x900100 aligned up */

	/* Equal gaps: the earlier one counts as bigger, as upstream. */
	const AddrRange eq[] = {{0, 10}, {20, 30}, {40, 50}, {60, 70}};
	DX_ASSERT_EQ(vaddr::three_regions(eq, array_size(eq), r, 1), 0);
	DX_EXPECT_EQ(r[0].end, 10UL);
	DX_EXPECT_EQ(r[1].start, 20UL);
	DX_EXPECT_EQ(r[1].end, 30UL);
	DX_EXPECT_EQ(r[2].start, 40UL);
	DX_EXPECT_EQ(r[2].end, 70UL);
}

/* Fewer than two gaps: no three regions. */
DX_TEST(dx_test_vaddr_three_regions_too_few_gaps)
{
	const AddrRange one[] = {{10, 20}};
	const AddrRange adjacent[] = {{10, 20}, {20, 30}, {30, 40}};
	const AddrRange one_gap[] = {{10, 20}, {20, 30}, {40, 50}};
	AddrRange r[3] = {};

	DX_EXPECT_EQ(vaddr::three_regions(one, 0, r, 1), -err::inval);
	DX_EXPECT_EQ(vaddr::three_regions(one, array_size(one), r, 1), -err::inval);
	DX_EXPECT_EQ(vaddr::three_regions(adjacent, array_size(adjacent), r, 1), -err::inval);
	DX_EXPECT_EQ(vaddr::three_regions(one_gap, array_size(one_gap), r, 1), -err::inval);
}

/* Upstream damon_test_apply_three_regions1(): boundaries slightly moved. */
DX_TEST(dx_test_vaddr_apply_three_regions1)
{
	const ulong regions[] = {10, 20, 20, 30, 50, 55, 55, 57, 57, 59,
				 70, 80, 80, 90, 90, 100};
	const AddrRange three[3] = {{5, 27}, {45, 55}, {73, 104}};
	const ulong expected[] = {5, 20, 20, 27, 45, 55, 73, 80, 80, 90, 90, 104};

	apply_three_regions(test, regions, array_size(regions), three,
			    expected, array_size(expected));
}

/* ...2: the second region now needs two regions removed. */
DX_TEST(dx_test_vaddr_apply_three_regions2)
{
	const ulong regions[] = {10, 20, 20, 30, 50, 55, 55, 57, 57, 59,
				 70, 80, 80, 90, 90, 100};
	const AddrRange three[3] = {{5, 27}, {56, 57}, {65, 104}};
	const ulong expected[] = {5, 20, 20, 27, 56, 57, 65, 80, 80, 90, 90, 104};

	apply_three_regions(test, regions, array_size(regions), three,
			    expected, array_size(expected));
}

/* ...3: the second region moved entirely (50-59 -> 61-63). */
DX_TEST(dx_test_vaddr_apply_three_regions3)
{
	const ulong regions[] = {10, 20, 20, 30, 50, 55, 55, 57, 57, 59,
				 70, 80, 80, 90, 90, 100};
	const AddrRange three[3] = {{5, 27}, {61, 63}, {65, 104}};
	const ulong expected[] = {5, 20, 20, 27, 61, 63, 65, 80, 80, 90, 90, 104};

	apply_three_regions(test, regions, array_size(regions), three,
			    expected, array_size(expected));
}

/* ...4: the second and third regions moved entirely. */
DX_TEST(dx_test_vaddr_apply_three_regions4)
{
	const ulong regions[] = {10, 20, 20, 30, 50, 55, 55, 57, 57, 59,
				 70, 80, 80, 90, 90, 100};
	const AddrRange three[3] = {{5, 7}, {30, 32}, {65, 68}};
	const ulong expected[] = {5, 7, 30, 32, 65, 68};

	apply_three_regions(test, regions, array_size(regions), three,
			    expected, array_size(expected));
}

/* vaddr and fvaddr exist exactly when the resolver has feature vaddr. */
DX_TEST(dx_test_vaddr_availability)
{
	bool avail = resolve::available(resolve::Feature::vaddr);

	DX_EXPECT_EQ(ops_available(OpsId::vaddr), avail);
	DX_EXPECT_EQ(ops_available(OpsId::fvaddr), avail);
	if (!avail)
		dx_kunit_skip(test, "feature vaddr unavailable on this kernel");
}

/* A live target without an mm (this KUnit kthread): harmless no-ops. */
DX_TEST(dx_test_vaddr_target_without_mm)
{
	if (!ops_available(OpsId::vaddr)) {
		dx_kunit_skip(test, "vaddr unavailable");
		return;
	}
	run_ops_without_mm(test, OpsId::vaddr, dx_find_get_pid(dx_current_pid()), true);
	run_ops_without_mm(test, OpsId::fvaddr, dx_find_get_pid(dx_current_pid()), true);

	/* vaddr init cannot build regions for it either. */
	Owned<Context> c = ctx_of(OpsId::vaddr, dx_find_get_pid(dx_current_pid()), false);
	DX_ASSERT_TRUE(bool(c));
	c->ops->init(*c);
	DX_EXPECT_EQ(c->targets.first()->nr_regions, 0U);
}

/* A target whose task exited: harmless no-ops, and not valid. */
DX_TEST(dx_test_vaddr_target_gone)
{
	if (!ops_available(OpsId::vaddr)) {
		dx_kunit_skip(test, "vaddr unavailable");
		return;
	}
	struct dx_pid *pid = dead_pid();
	DX_ASSERT_TRUE(pid);
	run_ops_without_mm(test, OpsId::vaddr, pid, false);

	pid = dead_pid();
	DX_ASSERT_TRUE(pid);
	run_ops_without_mm(test, OpsId::fvaddr, pid, false);
}
