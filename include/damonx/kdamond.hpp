/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kdamond: the kernel thread that runs one Context.
 */
#pragma once

#include <damonx/damon.hpp>

namespace dx::damon {

class Kdamond {
public:
	/* Takes ownership of @ctx. */
	explicit Kdamond(Owned<Context> ctx) : ctx_(move(ctx)) {}
	~Kdamond();
	Kdamond(const Kdamond &) = delete;
	Kdamond &operator=(const Kdamond &) = delete;

	/* Validates the context and starts the thread "kdamond.<id>".
	 * -EBUSY if running; -EINVAL on invalid attributes or ops. */
	int start(int id);
	/* Stops the thread and waits for it: -EPERM if it is not running. */
	int stop();
	bool running();
	/* The thread's pid, or -1 when it is not running. */
	int pid();

	Context &ctx() { return *ctx_; }

private:
	static int thread_fn(void *arg);
	void run();
	bool need_stop();

	Owned<Context> ctx_;
	Mutex lock_{DX_LOCK_KDAMOND};	/* guards task_ */
	struct dx_task *task_ = nullptr;	/* set while the thread runs */
	bool started_ = false;
	bool entered_ = false;		/* thread_fn() ran */
	Completion exited_;		/* thread_fn() left module code */
};

} // namespace dx::damon
