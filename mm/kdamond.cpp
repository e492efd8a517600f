// SPDX-License-Identifier: GPL-2.0
/*
 * The kdamond thread: region-based sampling and aggregation on a Context's
 * intervals (kdamond_fn upstream).
 */
#include <damonx/kdamond.hpp>

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
	DX_TRY(c.attrs.validate());
	if (!c.ops)
		return -err::inval;
	dx_snprintf(name, sizeof(name), "kdamond.%d", id);
	task_ = dx_kthread_run(thread_fn, this, name, &err);
	if (!task_)
		return err;
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

bool Kdamond::need_stop()
{
	Context &c = *ctx_;

	if (dx_kthread_should_stop())
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
	{
		Guard g(k->lock_);
		k->task_ = nullptr;
	}
	dx_kthread_complete_and_exit(&k->exited_.raw(), 0);
	return 0;	/* not reached */
}

void Kdamond::run()
{
	Context &c = *ctx_;
	ulong sample = c.attrs.sample_interval ? c.attrs.sample_interval : 1;

	c.ops->init(c);
	c.passed_sample_intervals = 0;
	c.next_aggregation_sis = c.attrs.aggr_interval / sample;
	c.next_ops_update_sis = c.attrs.ops_update_interval / sample;

	while (!need_stop()) {
		c.ops->prepare_access_checks(c);
		dx_sleep_us(c.attrs.sample_interval);
		c.passed_sample_intervals++;
		c.ops->check_accesses(c);

		if (c.passed_sample_intervals >= c.next_aggregation_sis) {
			c.next_aggregation_sis = c.passed_sample_intervals +
				c.attrs.aggr_interval / sample;
			for (Target &t : c.targets) {
				for (Region &r : t.regions) {
					r.last_nr_accesses = r.nr_accesses;
					r.nr_accesses = 0;
				}
			}
		}
		if (c.passed_sample_intervals >= c.next_ops_update_sis) {
			c.next_ops_update_sis = c.passed_sample_intervals +
				c.attrs.ops_update_interval / sample;
			c.ops->update(c);
		}
	}
	for (Target &t : c.targets)
		t.destroy_regions();
	c.ops->cleanup(c);
}

} // namespace dx::damon
