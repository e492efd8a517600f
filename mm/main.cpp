// SPDX-License-Identifier: GPL-2.0
/*
 * Module load and unload: resolve kernel internals, pick where the sysfs
 * tree goes, and build it.
 */
#include <damonx/resolve.hpp>
#include <damonx/sysfs.hpp>

using namespace dx;

static bool valid_dir_name(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (s[n] == '/' || n >= 63)
			return false;
	return n && !streq(s, ".") && !streq(s, "..");
}

/* Finds where the sysfs tree goes, and builds it. */
static int sysfs_init()
{
	const char *want = dx_param_sysfs_dir();
	enum dx_sysfs_parent parent = DX_PARENT_MM;
	const char *where = "/sys/kernel/mm";
	const char *name;

	if (!dx_sysfs_have_mm()) {
		parent = DX_PARENT_KERNEL;
		where = "/sys/kernel";
		dx_warn_log("/sys/kernel/mm is not reachable (mm_kobj unresolved); using %s", where);
	}
	if (want[0]) {
		if (!valid_dir_name(want)) {
			dx_err("sysfs_dir=\"%s\" is not a directory name", want);
			return -err::inval;
		}
		if (dx_sysfs_name_taken(parent, want)) {
			dx_err("sysfs_dir=%s: %s/%s already exists", want, where, want);
			return -err::exist;
		}
		name = want;
	} else if (!dx_sysfs_name_taken(parent, "damon")) {
		name = "damon";
	} else if (!dx_sysfs_name_taken(parent, "damonx")) {
		name = "damonx";
		dx_info("%s/damon is taken (in-tree DAMON?)", where);
	} else {
		dx_err("both %s/damon and %s/damonx exist; set sysfs_dir=", where, where);
		return -err::exist;
	}
	int e = sysfs::tree_init(name, parent);
	if (e) {
		dx_err("creating %s/%s/admin failed: %d", where, name, e);
		return e;
	}
	dx_info("sysfs tree at %s/%s/admin", where, name);
	return 0;
}

extern "C" int dx_module_init() noexcept
{
	/* Before the tree: avail_operations depends on what resolved. */
	resolve::init(dx_param_debug_missing_symbols());
	int e = sysfs_init();
	if (e)
		resolve::exit();
	return e;
}

extern "C" void dx_module_exit() noexcept
{
	sysfs::tree_exit();
	resolve::exit();
}
