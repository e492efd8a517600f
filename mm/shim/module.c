// SPDX-License-Identifier: GPL-2.0
/*
 * Shim: module entry points and parameters.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

#include <damonx/shim.h>

static char *sysfs_dir = "";
module_param(sysfs_dir, charp, 0444);
MODULE_PARM_DESC(sysfs_dir,
	"Name of the sysfs directory below /sys/kernel/mm (default: \"damon\" if free, else \"damonx\")");

const char *dx_param_sysfs_dir(void)
{
	return sysfs_dir ? sysfs_dir : "";
}

static char *debug_missing_symbols = "";
module_param(debug_missing_symbols, charp, 0444);
MODULE_PARM_DESC(debug_missing_symbols,
	"Testing only: comma-separated kernel symbols to treat as unresolvable");

const char *dx_param_debug_missing_symbols(void)
{
	return debug_missing_symbols ? debug_missing_symbols : "";
}

static int __init damonx_init(void)
{
	return dx_module_init();
}

static void __exit damonx_exit(void)
{
	dx_module_exit();
}

module_init(damonx_init);
module_exit(damonx_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("damonx developers");
MODULE_DESCRIPTION("Data Access MONitor and DAMOS, in freestanding C++");
