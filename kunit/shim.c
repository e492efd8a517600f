// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit glue of the test module: the suites and their cases (the test bodies
 * are C++, in the kunit/ .cpp files), and the failure reporting they use.
 */
#include <kunit/test.h>

#include <damonx/shim.h>

void dx_kunit_fail(struct kunit *test, const char *file, int line,
		   const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	kunit_err(test, "%s:%d: %pV\n", file, line, &vaf);
	va_end(args);
	kunit_set_failure(test);
}

void dx_kunit_skip(struct kunit *test, const char *why)
{
	kunit_mark_skipped(test, "%s", why);
}

void dx_kunit_log(struct kunit *test, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	kunit_info(test, "%pV\n", &vaf);
	va_end(args);
}

