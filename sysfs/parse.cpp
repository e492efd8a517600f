// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of sysfs values, with the kernel's kstrto*() semantics (base 0,
 * one trailing newline allowed) and upstream DAMON's error codes.
 */
#include <damonx/sysfs.hpp>

namespace dx::sysfs {

int parse_ulong(const char *buf, ulong *v)
{
	return dx_kstrtoul(buf, v);
}

int parse_uint(const char *buf, u32 *v)
{
	return dx_kstrtouint(buf, v);
}

int parse_int(const char *buf, int *v)
{
	return dx_kstrtoint(buf, v);
}

int parse_bool(const char *buf, bool *v)
{
	return dx_kstrtobool(buf, v);
}

int parse_keyword(const char *buf, const char *const *kw, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (dx_sysfs_streq(buf, kw[i]))
			return int(i);
	return -err::inval;
}

int parse_nr(const char *buf, u32 *v)
{
	int n;
	int e = dx_kstrtoint(buf, &n);

	if (e)
		return e;
	if (n < 0)
		return -err::inval;
	*v = u32(n);
	return 0;
}

} // namespace dx::sysfs
