// SPDX-License-Identifier: GPL-2.0
/*
 * The kdamond lifecycle: start, stop, pid, refusing bad attributes, and
 * stopping by itself when no target is left.
 */
#include <damonx/test.hpp>
#include <damonx/kdamond.hpp>

using namespace dx;
using namespace dx::damon;

namespace {

/* A context monitoring the task with pid @pid through fvaddr. */
Owned<Context> make_ctx(int pid, OpsId ops = OpsId::fvaddr)
{
	Owned<Context> c = make_owned<Context>(gfp_kernel);

	if (!c || c->select_ops(ops))
		return nullptr;
	c->attrs.sample_interval = 1000;
	c->attrs.aggr_interval = 10000;
	if (pid >= 0) {
		Target *t = new (gfp_kernel) Target();
		if (!t)
			return nullptr;
		c->add_target(*t);
		t->pid = dx_find_get_pid(pid);
		Region *r = new (gfp_kernel) Region(0x10000, 0x20000);
		if (!t->pid || !r) {
			delete r;
			return nullptr;
		}
		t->add_region(*r);
	}
	return c;
}

/* Waits up to @ms for the kdamond to stop by itself. */
bool wait_stopped(Kdamond &k, unsigned ms)
{
	for (unsigned i = 0; i < ms / 10; i++) {
		if (!k.running())
			return true;
		dx_msleep(10);
	}
	return !k.running();
}

} // namespace

DX_TEST(dx_test_attrs_validate)
{
	Attrs a;

	DX_EXPECT_EQ(a.validate(), 0);
	DX_EXPECT_EQ(a.max_nr_accesses(), 20U);
	a.min_nr_regions = 2;
	DX_EXPECT_EQ(a.validate(), -err::inval);
	a.min_nr_regions = 3;
	DX_EXPECT_EQ(a.validate(), 0);
	a.max_nr_regions = 2;
	DX_EXPECT_EQ(a.validate(), -err::inval);
	a.max_nr_regions = 3;
	a.sample_interval = a.aggr_interval + 1;
	DX_EXPECT_EQ(a.validate(), -err::inval);
	a.sample_interval = 0;
	DX_EXPECT_EQ(a.validate(), 0);
	DX_EXPECT_EQ(a.max_nr_accesses(), 100000U);	/* sample 0 counts as 1 */
	a.aggr_interval = 0;
	DX_EXPECT_EQ(a.max_nr_accesses(), 1U);
}

DX_TEST(dx_test_kdamond_start_stop)
{
	Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, make_ctx(dx_current_pid()));

	DX_ASSERT_TRUE(bool(k));
	DX_EXPECT_FALSE(k->running());
	DX_EXPECT_EQ(k->pid(), -1);
	DX_ASSERT_EQ(k->start(900), 0);
	DX_EXPECT_TRUE(k->running());
	DX_EXPECT_GT(k->pid(), 0);
	DX_EXPECT_NE(k->pid(), dx_current_pid());
	dx_msleep(20);
	DX_EXPECT_TRUE(k->running());
	DX_EXPECT_EQ(k->stop(), 0);
	DX_EXPECT_FALSE(k->running());
	DX_EXPECT_EQ(k->pid(), -1);
	DX_EXPECT_EQ(k->stop(), -err::perm);
	/* A kdamond runs once; a new "on" builds a new one. */
	DX_EXPECT_EQ(k->start(900), -err::busy);
}

DX_TEST(dx_test_kdamond_invalid_attrs)
{
	Owned<Context> c = make_ctx(dx_current_pid());

	DX_ASSERT_TRUE(bool(c));
	c->attrs.min_nr_regions = 1;
	Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, move(c));
	DX_ASSERT_TRUE(bool(k));
	DX_EXPECT_EQ(k->start(901), -err::inval);
	DX_EXPECT_FALSE(k->running());
	DX_EXPECT_EQ(k->pid(), -1);
}

DX_TEST(dx_test_kdamond_double_start)
{
	Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, make_ctx(dx_current_pid()));

	DX_ASSERT_TRUE(bool(k));
	DX_ASSERT_EQ(k->start(902), 0);
	int pid = k->pid();
	DX_EXPECT_EQ(k->start(902), -err::busy);
	DX_EXPECT_EQ(k->pid(), pid);
	DX_EXPECT_EQ(k->stop(), 0);
}

DX_TEST(dx_test_kdamond_no_targets)
{
	/* vaddr without any valid target has nothing to do: it stops. */
	Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, make_ctx(-1, OpsId::vaddr));

	DX_ASSERT_TRUE(bool(k));
	DX_ASSERT_EQ(k->start(903), 0);
	DX_EXPECT_TRUE(wait_stopped(*k, 2000));
	DX_EXPECT_EQ(k->pid(), -1);
	DX_EXPECT_EQ(k->stop(), -err::perm);
}

DX_TEST(dx_test_kdamond_target_exit)
{
	/* b monitors a's thread; when a stops, b's target is gone. */
	Owned<Kdamond> a = make_owned<Kdamond>(gfp_kernel, make_ctx(dx_current_pid()));

	DX_ASSERT_TRUE(bool(a));
	DX_ASSERT_EQ(a->start(904), 0);
	Owned<Kdamond> b = make_owned<Kdamond>(gfp_kernel, make_ctx(a->pid()));
	DX_ASSERT_TRUE(bool(b));
	DX_ASSERT_EQ(b->start(905), 0);
	dx_msleep(20);
	DX_EXPECT_TRUE(b->running());
	DX_EXPECT_EQ(a->stop(), 0);
	DX_EXPECT_TRUE(wait_stopped(*b, 2000));
}

DX_TEST(dx_test_kdamond_destroy_running)
{
	Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, make_ctx(dx_current_pid()));

	DX_ASSERT_TRUE(bool(k));
	DX_ASSERT_EQ(k->start(906), 0);
	DX_EXPECT_TRUE(k->running());
	k.reset();	/* stops the thread and waits until it left the module */
	DX_EXPECT_FALSE(bool(k));
}

DX_TEST(dx_test_kdamond_samples)
{
	Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, make_ctx(dx_current_pid()));

	DX_ASSERT_TRUE(bool(k));
	DX_ASSERT_EQ(k->start(907), 0);
	dx_msleep(100);
	DX_EXPECT_EQ(k->stop(), 0);
	/* 1 ms samples over 100 ms: at least a few, and not more than
	 * possible. */
	ulong n = k->ctx().passed_sample_intervals;
	DX_EXPECT_GE(n, 5UL);
	DX_EXPECT_LE(n, 110UL);
	DX_EXPECT_GE(k->ctx().next_aggregation_sis, n);
}

DX_TEST(dx_test_kdamond_stop_before_run)
{
	/* Stopping right after starting often catches the thread before it
	 * ran: it must still end up stopped, with nothing left behind. */
	for (int i = 0; i < 20; i++) {
		Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, make_ctx(dx_current_pid()));
		DX_ASSERT_TRUE(bool(k));
		DX_ASSERT_EQ(k->start(908), 0);
		DX_EXPECT_EQ(k->stop(), 0);
		DX_EXPECT_FALSE(k->running());
		DX_EXPECT_EQ(k->pid(), -1);
		DX_EXPECT_EQ(k->stop(), -err::perm);
		Request req;
		req.fn = [](Context &, void *) { return 0; };
		DX_EXPECT_EQ(k->call(req), -err::canceled);
	}
}

DX_TEST(dx_test_kdamond_call)
{
	Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, make_ctx(dx_current_pid()));

	DX_ASSERT_TRUE(bool(k));
	DX_ASSERT_EQ(k->start(909), 0);
	/* Requests run on the kdamond thread, and their result comes back. */
	struct Arg {
		int pid;
		ulong sis;
	} arg = {0, 0};
	Request req;
	req.fn = [](Context &c, void *a) {
		static_cast<Arg *>(a)->pid = dx_current_pid();
		static_cast<Arg *>(a)->sis = c.passed_sample_intervals;
		return -err::range;
	};
	req.arg = &arg;
	DX_EXPECT_EQ(k->call(req), -err::range);
	DX_EXPECT_EQ(arg.pid, k->pid());
	DX_EXPECT_EQ(k->stop(), 0);
	Request late;
	late.fn = req.fn;
	late.arg = &arg;
	DX_EXPECT_EQ(k->call(late), -err::canceled);
}

/* A paused context (7.2) does not sample but serves requests, one of which
 * can resume it. */
DX_TEST(dx_test_kdamond_pause)
{
	Owned<Context> ctx = make_ctx(dx_current_pid());
	DX_ASSERT_TRUE(bool(ctx));
	ctx->pause = true;
	Owned<Kdamond> k = make_owned<Kdamond>(gfp_kernel, move(ctx));
	DX_ASSERT_TRUE(bool(k));
	DX_ASSERT_EQ(k->start(910), 0);

	Request sis;
	ulong n[3] = {};
	sis.fn = [](Context &c, void *a) {
		*static_cast<ulong *>(a) = c.passed_sample_intervals;
		return 0;
	};
	dx_msleep(20);
	sis.arg = &n[0];
	DX_EXPECT_EQ(k->call(sis), 0);
	dx_msleep(50);
	sis.arg = &n[1];
	DX_EXPECT_EQ(k->call(sis), 0);
	DX_EXPECT_EQ(n[1], n[0]);		/* paused: no samples */
	DX_EXPECT_LE(n[0], 1UL);

	Request resume;
	resume.fn = [](Context &c, void *) {
		c.pause = false;
		return 0;
	};
	DX_EXPECT_EQ(k->call(resume), 0);
	dx_msleep(50);
	sis.arg = &n[2];
	DX_EXPECT_EQ(k->call(sis), 0);
	DX_EXPECT_GT(n[2], n[1] + 5);		/* 1 ms samples again */
	DX_EXPECT_EQ(k->stop(), 0);
}
