/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kdamond: the kernel thread that runs one Context.
 *
 * While it runs, only the thread touches the context's targets and regions.
 * Everybody else works on them through call(): the request runs on the
 * thread between two samples (upstream's damon_call()).
 */
#pragma once

#include <damonx/damon.hpp>

namespace dx::damon {

/* Work to run on the kdamond thread. */
struct Request {
	/* Runs on the kdamond with the context; its return value is call()'s. */
	int (*fn)(Context &ctx, void *arg) = nullptr;
	void *arg = nullptr;
	int ret = 0;
	Completion done;
	ListNode list;
};

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

	/* Runs @req on the kdamond thread and waits for it; -ECANCELED if
	 * the thread is not running or ends before running it. */
	int call(Request &req);

	/* Before start(): @fn(ctx, @arg) runs on the thread after every
	 * sample's requests (upstream's repeated damon_call). */
	void set_repeat(void (*fn)(Context &, void *), void *arg)
	{
		repeat_fn_ = fn;
		repeat_arg_ = arg;
	}

	/* Runs @walk over one apply round of every scheme and waits for it;
	 * -ECANCELED if the kdamond is not running or stops meanwhile. */
	int walk(DamosWalk &walk);

	/* The context.  Only for use while the thread is not running, or by
	 * requests running on it. */
	Context &ctx() { return *ctx_; }

private:
	static int thread_fn(void *arg);
	void run();
	bool need_stop();
	bool wait_activation();
	void handle_requests();
	void cancel_requests();
	void cancel_walk();
	void cancel_walk_locked();	/* lock_ held */
	bool wait_unpause();
	void apply_schemes_and_walk();

	Owned<Context> ctx_;
	Mutex lock_{DX_LOCK_KDAMOND};	/* guards the fields below */
	struct dx_task *task_ = nullptr;	/* set while the thread runs */
	bool started_ = false;
	bool entered_ = false;		/* thread_fn() ran */
	bool accepting_ = false;	/* call() may queue requests */
	List<Request, &Request::list> requests_;
	DamosWalk *walk_ = nullptr;
	void (*repeat_fn_)(Context &, void *) = nullptr;
	void *repeat_arg_ = nullptr;
	Completion exited_;		/* thread_fn() left module code */
	struct dx_kthread thread_ = {};
};

} // namespace dx::damon
