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
DX_DECLARE(dx_test_kdamond_stop_before_run);
DX_DECLARE(dx_test_kdamond_call);
DX_DECLARE(dx_test_kdamond_pause);

static struct kunit_case damonx_kdamond_cases[] = {
	KUNIT_CASE(dx_test_attrs_validate),
	KUNIT_CASE(dx_test_kdamond_start_stop),
	KUNIT_CASE(dx_test_kdamond_invalid_attrs),
	KUNIT_CASE(dx_test_kdamond_double_start),
	KUNIT_CASE(dx_test_kdamond_no_targets),
	KUNIT_CASE(dx_test_kdamond_target_exit),
	KUNIT_CASE(dx_test_kdamond_destroy_running),
	KUNIT_CASE(dx_test_kdamond_samples),
	KUNIT_CASE(dx_test_kdamond_stop_before_run),
	KUNIT_CASE(dx_test_kdamond_call),
	KUNIT_CASE(dx_test_kdamond_pause),
	{}
};

static struct kunit_suite damonx_kdamond_suite = {
	.name = "damonx-kdamond",
	.test_cases = damonx_kdamond_cases,
};

/* kunit/core-test.cpp */
DX_DECLARE(dx_test_core_target_regions);
DX_DECLARE(dx_test_core_aggregate);
DX_DECLARE(dx_test_core_split_at);
DX_DECLARE(dx_test_core_merge_two);
DX_DECLARE(dx_test_core_merge_regions_of);
DX_DECLARE(dx_test_core_merge_size_limit);
DX_DECLARE(dx_test_core_age);
DX_DECLARE(dx_test_core_merge_regions_bound);
DX_DECLARE(dx_test_core_split_regions_of);
DX_DECLARE(dx_test_core_split_pieces);
DX_DECLARE(dx_test_core_split_regions_limits);
DX_DECLARE(dx_test_core_min_nr_regions);
DX_DECLARE(dx_test_core_set_regions);
DX_DECLARE(dx_test_core_set_regions_cases);
DX_DECLARE(dx_test_core_set_regions_invalid);
DX_DECLARE(dx_test_core_nr_accesses_to_bp);
DX_DECLARE(dx_test_core_update_monitoring_result);
DX_DECLARE(dx_test_core_set_attrs);
DX_DECLARE(dx_test_core_moving_sum);
DX_DECLARE(dx_test_core_feed_loop);
DX_DECLARE(dx_test_core_tune_intervals);

static struct kunit_case damonx_core_cases[] = {
	KUNIT_CASE(dx_test_core_target_regions),
	KUNIT_CASE(dx_test_core_aggregate),
	KUNIT_CASE(dx_test_core_split_at),
	KUNIT_CASE(dx_test_core_merge_two),
	KUNIT_CASE(dx_test_core_merge_regions_of),
	KUNIT_CASE(dx_test_core_merge_size_limit),
	KUNIT_CASE(dx_test_core_age),
	KUNIT_CASE(dx_test_core_merge_regions_bound),
	KUNIT_CASE(dx_test_core_split_regions_of),
	KUNIT_CASE(dx_test_core_split_pieces),
	KUNIT_CASE(dx_test_core_split_regions_limits),
	KUNIT_CASE(dx_test_core_min_nr_regions),
	KUNIT_CASE(dx_test_core_set_regions),
	KUNIT_CASE(dx_test_core_set_regions_cases),
	KUNIT_CASE(dx_test_core_set_regions_invalid),
	KUNIT_CASE(dx_test_core_nr_accesses_to_bp),
	KUNIT_CASE(dx_test_core_update_monitoring_result),
	KUNIT_CASE(dx_test_core_set_attrs),
	KUNIT_CASE(dx_test_core_moving_sum),
	KUNIT_CASE(dx_test_core_feed_loop),
	KUNIT_CASE(dx_test_core_tune_intervals),
	{}
};

static struct kunit_suite damonx_core_suite = {
	.name = "damonx-core",
	.test_cases = damonx_core_cases,
};

/* kunit/resolve-test.cpp */
DX_DECLARE(dx_test_resolve_name_in_list);
DX_DECLARE(dx_test_resolve_missing_symbol);
DX_DECLARE(dx_test_resolve_debug_missing);
DX_DECLARE(dx_test_resolve_not_needed);
DX_DECLARE(dx_test_resolve_feature_names);
DX_DECLARE(dx_test_resolve_shared_symbol);
DX_DECLARE(dx_test_resolve_callback_endbr);

static struct kunit_case damonx_resolve_cases[] = {
	KUNIT_CASE(dx_test_resolve_name_in_list),
	KUNIT_CASE(dx_test_resolve_missing_symbol),
	KUNIT_CASE(dx_test_resolve_debug_missing),
	KUNIT_CASE(dx_test_resolve_not_needed),
	KUNIT_CASE(dx_test_resolve_feature_names),
	KUNIT_CASE(dx_test_resolve_shared_symbol),
	KUNIT_CASE(dx_test_resolve_callback_endbr),
	{}
};

static struct kunit_suite damonx_resolve_suite = {
	.name = "damonx-resolve",
	.test_cases = damonx_resolve_cases,
};

/* kunit/paddr-test.cpp */
DX_DECLARE(dx_test_paddr_addr_to_pfn);
DX_DECLARE(dx_test_paddr_unit_sizes);
DX_DECLARE(dx_test_paddr_availability);
DX_DECLARE(dx_test_paddr_sampling_addresses);
DX_DECLARE(dx_test_paddr_unmapped_folio_access);
DX_DECLARE(dx_test_paddr_ops_filters_order);
DX_DECLARE(dx_test_paddr_migrate_dests);

static struct kunit_case damonx_paddr_cases[] = {
	KUNIT_CASE(dx_test_paddr_addr_to_pfn),
	KUNIT_CASE(dx_test_paddr_unit_sizes),
	KUNIT_CASE(dx_test_paddr_availability),
	KUNIT_CASE(dx_test_paddr_sampling_addresses),
	KUNIT_CASE(dx_test_paddr_unmapped_folio_access),
	KUNIT_CASE(dx_test_paddr_ops_filters_order),
	KUNIT_CASE(dx_test_paddr_migrate_dests),
	{}
};

static struct kunit_suite damonx_paddr_suite = {
	.name = "damonx-paddr",
	.test_cases = damonx_paddr_cases,
};

/* kunit/vaddr-test.cpp */
DX_DECLARE(dx_test_vaddr_three_regions);
DX_DECLARE(dx_test_vaddr_three_regions_order_align);
DX_DECLARE(dx_test_vaddr_three_regions_too_few_gaps);
DX_DECLARE(dx_test_vaddr_apply_three_regions1);
DX_DECLARE(dx_test_vaddr_apply_three_regions2);
DX_DECLARE(dx_test_vaddr_apply_three_regions3);
DX_DECLARE(dx_test_vaddr_apply_three_regions4);
DX_DECLARE(dx_test_vaddr_availability);
DX_DECLARE(dx_test_vaddr_target_without_mm);
DX_DECLARE(dx_test_vaddr_target_gone);

static struct kunit_case damonx_vaddr_cases[] = {
	KUNIT_CASE(dx_test_vaddr_three_regions),
	KUNIT_CASE(dx_test_vaddr_three_regions_order_align),
	KUNIT_CASE(dx_test_vaddr_three_regions_too_few_gaps),
	KUNIT_CASE(dx_test_vaddr_apply_three_regions1),
	KUNIT_CASE(dx_test_vaddr_apply_three_regions2),
	KUNIT_CASE(dx_test_vaddr_apply_three_regions3),
	KUNIT_CASE(dx_test_vaddr_apply_three_regions4),
	KUNIT_CASE(dx_test_vaddr_availability),
	KUNIT_CASE(dx_test_vaddr_target_without_mm),
	KUNIT_CASE(dx_test_vaddr_target_gone),
	{}
};

static struct kunit_suite damonx_vaddr_suite = {
	.name = "damonx-vaddr",
	.test_cases = damonx_vaddr_cases,
};

/* kunit/damos-test.cpp */
DX_DECLARE(dx_test_damos_pattern);
DX_DECLARE(dx_test_damos_stat_and_age);
DX_DECLARE(dx_test_damos_apply_interval);
DX_DECLARE(dx_test_damos_max_snapshots);
DX_DECLARE(dx_test_damos_walk);
DX_DECLARE(dx_test_damos_walk_no_schemes);
DX_DECLARE(dx_test_commit_targets_and_schemes);
DX_DECLARE(dx_test_commit_obsolete_target);
DX_DECLARE(dx_test_commit_attrs_rescale);
DX_DECLARE(dx_test_core_filter_addr_split);
DX_DECLARE(dx_test_core_filter_verdicts);
DX_DECLARE(dx_test_core_filter_not_tried);

static struct kunit_case damonx_damos_cases[] = {
	KUNIT_CASE(dx_test_damos_pattern),
	KUNIT_CASE(dx_test_damos_stat_and_age),
	KUNIT_CASE(dx_test_damos_apply_interval),
	KUNIT_CASE(dx_test_damos_max_snapshots),
	KUNIT_CASE(dx_test_damos_walk),
	KUNIT_CASE(dx_test_damos_walk_no_schemes),
	KUNIT_CASE(dx_test_commit_targets_and_schemes),
	KUNIT_CASE(dx_test_commit_obsolete_target),
	KUNIT_CASE(dx_test_commit_attrs_rescale),
	KUNIT_CASE(dx_test_core_filter_addr_split),
	KUNIT_CASE(dx_test_core_filter_verdicts),
	KUNIT_CASE(dx_test_core_filter_not_tried),
	{}
};

static struct kunit_suite damonx_damos_suite = {
	.name = "damonx-damos",
	.test_cases = damonx_damos_cases,
};

/* kunit/quota-test.cpp */
DX_DECLARE(dx_test_quota_scores);
DX_DECLARE(dx_test_quota_effective_size);
DX_DECLARE(dx_test_quota_goal_consist);
DX_DECLARE(dx_test_quota_goal_temporal);
DX_DECLARE(dx_test_quota_windows);
DX_DECLARE(dx_test_quota_priority);
DX_DECLARE(dx_test_watermarks);
DX_DECLARE(dx_test_quota_fail_charge);

static struct kunit_case damonx_quota_cases[] = {
	KUNIT_CASE(dx_test_quota_scores),
	KUNIT_CASE(dx_test_quota_effective_size),
	KUNIT_CASE(dx_test_quota_goal_consist),
	KUNIT_CASE(dx_test_quota_goal_temporal),
	KUNIT_CASE(dx_test_quota_windows),
	KUNIT_CASE(dx_test_quota_priority),
	KUNIT_CASE(dx_test_watermarks),
	KUNIT_CASE(dx_test_quota_fail_charge),
	{}
};

static struct kunit_suite damonx_quota_suite = {
	.name = "damonx-quota",
	.test_cases = damonx_quota_cases,
};

/* kunit/goals-test.cpp */
DX_DECLARE(dx_test_goals_ratio_bp);
DX_DECLARE(dx_test_goals_score);
DX_DECLARE(dx_test_goals_psi_windows);
DX_DECLARE(dx_test_goals_node_mem);
DX_DECLARE(dx_test_goals_lru);
DX_DECLARE(dx_test_goals_memcg);
DX_DECLARE(dx_test_goals_feedback);
DX_DECLARE(dx_test_goals_window_start);
DX_DECLARE(dx_test_goals_unavailable);
DX_DECLARE(dx_test_goals_commit);

static struct kunit_case damonx_goals_cases[] = {
	KUNIT_CASE(dx_test_goals_ratio_bp),
	KUNIT_CASE(dx_test_goals_score),
	KUNIT_CASE(dx_test_goals_psi_windows),
	KUNIT_CASE(dx_test_goals_node_mem),
	KUNIT_CASE(dx_test_goals_lru),
	KUNIT_CASE(dx_test_goals_memcg),
	KUNIT_CASE(dx_test_goals_feedback),
	KUNIT_CASE(dx_test_goals_window_start),
	KUNIT_CASE(dx_test_goals_unavailable),
	KUNIT_CASE(dx_test_goals_commit),
	{}
};

static struct kunit_suite damonx_goals_suite = {
	.name = "damonx-goals",
	.test_cases = damonx_goals_cases,
};

kunit_test_suites(&damonx_quota_suite, &damonx_damos_suite, &damonx_core_suite, &damonx_runtime_suite, &damonx_sysfs_parse_suite,
		  &damonx_kdamond_suite, &damonx_resolve_suite, &damonx_vaddr_suite,
		  &damonx_paddr_suite, &damonx_goals_suite);
