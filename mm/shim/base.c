// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: memory, printing, parsing, locks, time and randomness.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/mutex.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/bug.h>
#include <linux/vmstat.h>
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/mm.h>

#include <damonx/shim.h>

static gfp_t dx_to_gfp(enum dx_gfp gfp)
{
	return gfp == DX_GFP_NOWAIT ? GFP_NOWAIT | __GFP_NOWARN : GFP_KERNEL;
}

void *dx_kmalloc(size_t size, enum dx_gfp gfp)
{
	return kmalloc(size, dx_to_gfp(gfp));
}

void *dx_kzalloc(size_t size, enum dx_gfp gfp)
{
	return kzalloc(size, dx_to_gfp(gfp));
}

void dx_kfree(const void *p)
{
	kfree(p);
}

void *dx_kvcalloc(size_t n, size_t size)
{
	return kvcalloc(n, size, GFP_KERNEL);
}

void dx_kvfree(const void *p)
{
	kvfree(p);
}

void dx_log(enum dx_log_level level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	switch (level) {
	case DX_LOG_ERR:
		pr_err("damonx: %pV\n", &vaf);
		break;
	case DX_LOG_WARN:
		pr_warn("damonx: %pV\n", &vaf);
		break;
	case DX_LOG_NOTICE:
		pr_notice("damonx: %pV\n", &vaf);
		break;
	case DX_LOG_INFO:
		pr_info("damonx: %pV\n", &vaf);
		break;
	default:
		pr_debug("damonx: %pV\n", &vaf);
		break;
	}
	va_end(args);
}

int dx_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

int dx_sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(buf, PAGE_SIZE, fmt, args);
	va_end(args);
	return n;
}

void dx_warn(const char *file, int line, const char *what)
{
	WARN(1, "damonx: %s:%d: %s\n", file, line, what);
}

void dx_bug(const char *what)
{
	pr_crit("damonx: %s\n", what);
	BUG();
}

int dx_kstrtoul(const char *s, unsigned long *res)
{
	return kstrtoul(s, 0, res);
}

int dx_kstrtoint(const char *s, int *res)
{
	return kstrtoint(s, 0, res);
}

int dx_kstrtouint(const char *s, unsigned int *res)
{
	return kstrtouint(s, 0, res);
}

int dx_kstrtobool(const char *s, bool *res)
{
	return kstrtobool(s, res);
}

bool dx_sysfs_streq(const char *a, const char *b)
{
	return sysfs_streq(a, b);
}

static_assert(sizeof(struct mutex) <= sizeof(struct dx_mutex));
static_assert(__alignof__(struct mutex) <= __alignof__(struct dx_mutex));
static_assert(sizeof(struct completion) <= sizeof(struct dx_completion));
static_assert(__alignof__(struct completion) <= __alignof__(struct dx_completion));

static struct lock_class_key dx_lock_keys[DX_NR_LOCK_CLASSES];
static const char *const dx_lock_names[DX_NR_LOCK_CLASSES] = {
	[DX_LOCK_SYSFS] = "damonx_sysfs_lock",
	[DX_LOCK_KDAMOND] = "damonx_kdamond_lock",
	[DX_LOCK_CALL] = "damonx_call_lock",
	[DX_LOCK_TEST] = "damonx_test_lock",
};

void dx_mutex_init(struct dx_mutex *m, enum dx_lock_class cls)
{
	__mutex_init((struct mutex *)m, dx_lock_names[cls], &dx_lock_keys[cls]);
}

void dx_mutex_destroy(struct dx_mutex *m)
{
	mutex_destroy((struct mutex *)m);
}

void dx_mutex_lock(struct dx_mutex *m)
{
	mutex_lock((struct mutex *)m);
}

bool dx_mutex_trylock(struct dx_mutex *m)
{
	return mutex_trylock((struct mutex *)m);
}

void dx_mutex_unlock(struct dx_mutex *m)
{
	mutex_unlock((struct mutex *)m);
}

bool dx_mutex_is_locked(struct dx_mutex *m)
{
	return mutex_is_locked((struct mutex *)m);
}

void dx_completion_init(struct dx_completion *c)
{
	init_completion((struct completion *)c);
}

void dx_complete(struct dx_completion *c)
{
	complete((struct completion *)c);
}

void dx_wait_for_completion(struct dx_completion *c)
{
	wait_for_completion((struct completion *)c);
}

unsigned long long dx_ktime_ns(void)
{
	return ktime_get_ns();
}

unsigned long dx_jiffies(void)
{
	return jiffies;
}

unsigned int dx_random_below(unsigned int ceil)
{
	return ceil ? get_random_u32_below(ceil) : 0;
}

void dx_cond_resched(void)
{
	cond_resched();
}

unsigned long dx_free_mem_permil(void)
{
	unsigned long total = totalram_pages();

	return total ? global_zone_page_state(NR_FREE_PAGES) * 1000 / total : 0;
}

bool dx_cgroup_path_exists(const char *path)
{
	struct cgroup *cg;

	if (!path || !*path)
		return false;
	cg = cgroup_get_from_path(path);
	if (IS_ERR(cg))
		return false;
	cgroup_put(cg);
	return true;
}
