// SPDX-License-Identifier: GPL-2.0
/*
 * The kdamond thread: region-based sampling and aggregation on a Context's
 * intervals (kdamond_fn upstream), and requests from other threads.
 */
#include <damonx/kdamond.hpp>
#include <damonx/core.hpp>
#include <damonx/damos.hpp>

namespace dx::damon {

Kdamond::~Kdamond()
{
	bool entered;

	stop();
	/* A thread stopped before it ran never enters thread_fn(); one that
	 * entered it leaves through exited_. */
	{
		Guard g(lock_);
		entered = entered_;
	}
	if (entered)
		exited_.wait();
}

int Kdamond::start(int id)
{
	Context &c = *ctx_;
	char name[24];
	int err = 0;

	Guard g(lock_);
	if (task_ || started_)
		return -err::busy;
	if (!c.ops)
		return -err::inval;
	DX_TRY(set_attrs(c, c.attrs));	/* validates; computes aggr_samples */
	dx_snprintf(name, sizeof(name), "kdamond.%d", id);
	accepting_ = true;
	thread_ = {thread_fn, this, &exited_.raw()};
	task_ = dx_kthread_run(&thread_, name, &err);
	if (!task_) {
		accepting_ = false;
		return err;
	}
	started_ = true;
	return 0;
}

int Kdamond::stop()
{
	struct dx_task *t;

	{
		Guard g(lock_);
		t = task_;
		if (!t)
			return -err::perm;
		dx_task_get(t);
	}
	dx_kthread_stop_put(t);
	/* A thread stopped before it ran never cleared task_, and leaves
	 * requests behind. */
	{
		Guard g(lock_);
		if (task_ == t)
			task_ = nullptr;
	}
	cancel_requests();
	return 0;
}

bool Kdamond::running()
{
	Guard g(lock_);
	return task_ != nullptr;
}

int Kdamond::pid()
{
	Guard g(lock_);
	return task_ ? dx_task_pid(task_) : -1;
}

int Kdamond::call(Request &req)
{
	{
		Guard g(lock_);
		if (!accepting_)
			return -err::canceled;
		requests_.push_back(req);
	}
	req.done.wait();
	return req.ret;
}

void Kdamond::handle_requests()
{
	for (;;) {
		Request *r;
		{
			Guard g(lock_);
			r = requests_.first();
			if (!r)
				return;
			requests_.remove(*r);
		}
		r->ret = r->fn(*ctx_, r->arg);
		r->done.complete();
	}
}

void Kdamond::cancel_requests()
{
	Guard g(lock_);
	accepting_ = false;
	while (Request *r = requests_.first()) {
		requests_.remove(*r);
		r->ret = -err::canceled;
		r->done.complete();
	}
	cancel_walk_locked();
}

int Kdamond::walk(DamosWalk &w)
{
	{
		Guard g(lock_);
		if (!accepting_ || walk_)
			return !accepting_ ? -err::canceled : -err::busy;
		w.started = false;
		w.ret = 0;
		walk_ = &w;
	}
	w.done.wait();
	return w.ret;
}

void Kdamond::apply_schemes_and_walk()
{
	Context &c = *ctx_;
	DamosWalk *w;

	{
		Guard g(lock_);
		w = walk_;
	}
	if (c.schemes.empty() && !w)
		return;
	if (apply_schemes(c, w) || (w && c.schemes.empty())) {
		Guard g(lock_);
		walk_ = nullptr;
		w->done.complete();
	}
}

/*
 * While every scheme is deactivated by its watermarks, monitoring pauses:
 * the thread only sleeps, re-checks, and serves requests (a walk cannot
 * finish meanwhile, so it is cancelled).  Returns true if the kdamond must
 * stop.
 */
bool Kdamond::wait_activation()
{
	Context &c = *ctx_;

	while (!need_stop()) {
		ulong wait = schemes_wait_us(c);
		if (!wait)
			return false;
		cancel_walk();
		/* Sleep until the next check, serving requests at least every
		 * sample interval meanwhile. */
		u64 until = dx_ktime_ns() + u64(wait) * 1000;
		for (u64 now = dx_ktime_ns(); now < until && !need_stop(); now = dx_ktime_ns()) {
			ulong left_us = ulong((until - now) / 1000);
			dx_sleep_us(min(left_us ? left_us : 1UL, max(c.attrs.sample_interval, 1000UL)));
			handle_requests();
		}
	}
	return true;
}

/* The walk in progress, if any, ends with -ECANCELED: it cannot see a
 * whole apply round (the schemes are inactive or paused). */
void Kdamond::cancel_walk()
{
	Guard g(lock_);
	cancel_walk_locked();
}

void Kdamond::cancel_walk_locked()
{
	if (walk_) {
		walk_->ret = -err::canceled;
		walk_->done.complete();
		walk_ = nullptr;
	}
}

/*
 * While the context is paused (7.2), the thread only sleeps a sample
 * interval at a time and serves requests, one of which may resume it.
 * Returns true if the kdamond must stop.
 */
bool Kdamond::wait_unpause()
{
	Context &c = *ctx_;

	while (c.pause) {
		if (need_stop())
			return true;
		cancel_walk();
		dx_sleep_us(max(c.attrs.sample_interval, 1UL));
		handle_requests();
	}
	return false;
}

bool Kdamond::need_stop()
{
	Context &c = *ctx_;

	if (dx_kthread_should_stop() || c.maybe_corrupted)
		return true;
	if (!c.ops->has_target_valid())
		return false;
	for (Target &t : c.targets)
		if (c.ops->target_valid(t))
			return false;
	return true;
}

int Kdamond::thread_fn(void *arg)
{
	Kdamond *k = static_cast<Kdamond *>(arg);

	{
		Guard g(k->lock_);
		k->entered_ = true;
	}
	k->run();
	k->cancel_requests();
	{
		Guard g(k->lock_);
		k->task_ = nullptr;
	}
	return 0;	/* the shim then completes exited_ and exits */
}

static ulong sample_us(const Context &c)
{
	return c.attrs.sample_interval ? c.attrs.sample_interval : 1;
}

void Kdamond::run()
{
	Context &c = *ctx_;
	u32 max_nr_accesses = 0;

	c.passed_sample_intervals = 0;
	c.next_aggregation_sis = c.attrs.aggr_interval / sample_us(c);
	c.next_ops_update_sis = c.attrs.ops_update_interval / sample_us(c);
	c.next_intervals_tune_sis = c.attrs.aggr_samples * c.attrs.intervals_goal.aggrs;
	init_schemes_intervals(c);
	c.ops->init(c);
	apply_min_nr_regions(c);
	ulong sz_limit = region_sz_limit(c);

	while (!need_stop()) {
		if (wait_activation())
			break;
		/* Requests may change the attributes: this round uses the
		 * schedule it started with. */
		ulong next_aggregation_sis = c.next_aggregation_sis;
		ulong next_ops_update_sis = c.next_ops_update_sis;

		c.ops->prepare_access_checks(c);
		dx_sleep_us(c.attrs.sample_interval);
		c.passed_sample_intervals++;
		max_nr_accesses = c.ops->check_accesses(c);

		bool aggregated = c.passed_sample_intervals >= next_aggregation_sis;
		if (aggregated) {
			merge_regions(c, max_nr_accesses / 10, sz_limit);
			apply_min_nr_regions(c);
		}
		handle_requests();
		if (repeat_fn_)
			repeat_fn_(c, repeat_arg_);
		if (wait_unpause())
			break;
		apply_schemes_and_walk();
		if (aggregated) {
			if (c.attrs.intervals_goal.aggrs &&
			    c.passed_sample_intervals >= c.next_intervals_tune_sis) {
				c.next_intervals_tune_sis +=
					c.attrs.aggr_samples * c.attrs.intervals_goal.aggrs;
				tune_intervals(c);
			}
			c.next_aggregation_sis = next_aggregation_sis +
				c.attrs.aggr_interval / sample_us(c);
			reset_aggregated(c);
			split_regions(c);
		}
		if (c.passed_sample_intervals >= next_ops_update_sis) {
			c.next_ops_update_sis = next_ops_update_sis +
				c.attrs.ops_update_interval / sample_us(c);
			c.ops->update(c);
			sz_limit = region_sz_limit(c);
		}
	}
	for (Target &t : c.targets)
		t.destroy_regions();
	c.ops->cleanup(c);
}

} // namespace dx::damon
