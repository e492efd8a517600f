// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit suites of damonx_kunit.ko.  Test bodies are C++ (the .cpp files here).
 */
#include <kunit/test.h>

#define DX_DECLARE(name) void name(struct kunit *test)

/* kunit/runtime-test.cpp */
DX_DECLARE(dx_test_new_delete);
DX_DECLARE(dx_test_new_array);
DX_DECLARE(dx_test_owned);
DX_DECLARE(dx_test_result);
DX_DECLARE(dx_test_list);
DX_DECLARE(dx_test_virtual_dispatch);
DX_DECLARE(dx_test_mutex_guards);

static struct kunit_case damonx_runtime_cases[] = {
	KUNIT_CASE(dx_test_new_delete),
	KUNIT_CASE(dx_test_new_array),
	KUNIT_CASE(dx_test_owned),
	KUNIT_CASE(dx_test_result),
	KUNIT_CASE(dx_test_list),
	KUNIT_CASE(dx_test_virtual_dispatch),
	KUNIT_CASE(dx_test_mutex_guards),
	{}
};

static struct kunit_suite damonx_runtime_suite = {
	.name = "damonx-runtime",
	.test_cases = damonx_runtime_cases,
};

/* kunit/parse-test.cpp */
DX_DECLARE(dx_test_parse_ulong);
DX_DECLARE(dx_test_parse_int);
DX_DECLARE(dx_test_parse_bool);
DX_DECLARE(dx_test_parse_keyword);
DX_DECLARE(dx_test_parse_nr);
DX_DECLARE(dx_test_file_store_show);
DX_DECLARE(dx_test_abi_defaults);
DX_DECLARE(dx_test_build_context);

static struct kunit_case damonx_sysfs_parse_cases[] = {
	KUNIT_CASE(dx_test_parse_ulong),
	KUNIT_CASE(dx_test_parse_int),
	KUNIT_CASE(dx_test_parse_bool),
	KUNIT_CASE(dx_test_parse_keyword),
	KUNIT_CASE(dx_test_parse_nr),
	KUNIT_CASE(dx_test_file_store_show),
	KUNIT_CASE(dx_test_abi_defaults),
	KUNIT_CASE(dx_test_build_context),
	{}
};

static struct kunit_suite damonx_sysfs_parse_suite = {
	.name = "damonx-sysfs-parse",
	.test_cases = damonx_sysfs_parse_cases,
};

/* kunit/kdamond-test.cpp */
DX_DECLARE(dx_test_attrs_validate);
DX_DECLARE(dx_test_kdamond_start_stop);
DX_DECLARE(dx_test_kdamond_invalid_attrs);
DX_DECLARE(dx_test_kdamond_double_start);
DX_DECLARE(dx_test_kdamond_no_targets);
DX_DECLARE(dx_test_kdamond_target_exit);
DX_DECLARE(dx_test_kdamond_destroy_running);
DX_DECLARE(dx_test_kdamond_samples);

static struct kunit_case damonx_kdamond_cases[] = {
	KUNIT_CASE(dx_test_attrs_validate),
	KUNIT_CASE(dx_test_kdamond_start_stop),
	KUNIT_CASE(dx_test_kdamond_invalid_attrs),
	KUNIT_CASE(dx_test_kdamond_double_start),
	KUNIT_CASE(dx_test_kdamond_no_targets),
	KUNIT_CASE(dx_test_kdamond_target_exit),
	KUNIT_CASE(dx_test_kdamond_destroy_running),
	KUNIT_CASE(dx_test_kdamond_samples),
	{}
};

static struct kunit_suite damonx_kdamond_suite = {
	.name = "damonx-kdamond",
	.test_cases = damonx_kdamond_cases,
};

kunit_test_suites(&damonx_runtime_suite, &damonx_sysfs_parse_suite,
		  &damonx_kdamond_suite);
