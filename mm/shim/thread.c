// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: kernel threads, sleeping, pids.
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/delay.h>
#include <linux/pid.h>
#include <linux/err.h>

#include <damonx/shim.h>

#define to_task(t) ((struct task_struct *)(t))

static int dx_kthread_main(void *data)
{
	struct dx_kthread *k = data;
	int ret = k->fn(k->arg);

	kthread_complete_and_exit((struct completion *)k->exited, ret);
}

struct dx_task *dx_kthread_run(struct dx_kthread *k, const char *name, int *err)
{
	struct task_struct *t = kthread_create(dx_kthread_main, k, "%s", name);

	if (IS_ERR(t)) {
		*err = PTR_ERR(t);
		return NULL;
	}
	wake_up_process(t);
	return (struct dx_task *)t;
}

void dx_task_get(struct dx_task *t)
{
	get_task_struct(to_task(t));
}

int dx_kthread_stop_put(struct dx_task *t)
{
	return kthread_stop_put(to_task(t));
}

void dx_task_put(struct dx_task *t)
{
	put_task_struct(to_task(t));
}

int dx_task_pid(struct dx_task *t)
{
	return task_pid_nr(to_task(t));
}

bool dx_kthread_should_stop(void)
{
	return kthread_should_stop();
}

void dx_sleep_us(unsigned long us)
{
	/* Like upstream's kdamond_usleep(): hrtimer sleeps for short waits. */
	if (us >= 20 * USEC_PER_MSEC) {
		set_current_state(TASK_IDLE);
		if (!kthread_should_stop())
			schedule_timeout(usecs_to_jiffies(us));
		__set_current_state(TASK_RUNNING);
	} else {
		usleep_range_state(us, us + 1, TASK_IDLE);
	}
}

void dx_wake(struct dx_task *t)
{
	wake_up_process(to_task(t));
}

void dx_msleep(unsigned int ms)
{
	msleep(ms);
}

int dx_current_pid(void)
{
	return task_pid_nr(current);
}

struct dx_pid *dx_find_get_pid(int nr)
{
	return (struct dx_pid *)find_get_pid(nr);
}

void dx_put_pid(struct dx_pid *pid)
{
	put_pid((struct pid *)pid);
}

bool dx_pid_alive(struct dx_pid *pid)
{
	struct task_struct *t = get_pid_task((struct pid *)pid, PIDTYPE_PID);

	if (!t)
		return false;
	put_task_struct(t);
	return true;
}
