// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-internals resolver: the debug_missing_symbols list, and
 * features going missing with their symbols.
 */
#include <damonx/test.hpp>
#include <damonx/resolve.hpp>

using namespace dx;
using namespace dx::resolve;

namespace {

/* A symbol that every supported kernel has, non-exported. */
constexpr const char *present = "__pte_offset_map_lock";

constexpr Symbol test_table[] = {
	{ DX_NR_KSYMS, present, bit(Feature::vaddr), Kind::function, "test" },
	{ DX_NR_KSYMS, "dx_no_such_symbol_for_test", bit(Feature::paddr), Kind::function, "test" },
	{ DX_NR_KSYMS, "dx_no_such_data_for_test", bit(Feature::migrate), Kind::data, "test" },
};

bool kallsyms_works()
{
	return dx_kallsyms_lookup(present) != 0;
}

} // namespace

DX_TEST(dx_test_resolve_name_in_list)
{
	DX_EXPECT_FALSE(name_in_list("", "a"));
	DX_EXPECT_TRUE(name_in_list("a", "a"));
	DX_EXPECT_TRUE(name_in_list("a,b,c", "b"));
	DX_EXPECT_TRUE(name_in_list("a,b,c", "c"));
	DX_EXPECT_TRUE(name_in_list(" a , b\n", "b"));
	DX_EXPECT_TRUE(name_in_list(",,a,", "a"));
	DX_EXPECT_FALSE(name_in_list("ab,c", "a"));
	DX_EXPECT_FALSE(name_in_list("a,bc", "b"));
	DX_EXPECT_FALSE(name_in_list("a,b", "ab"));
	DX_EXPECT_FALSE(name_in_list("a b", "a"));
	DX_EXPECT_FALSE(name_in_list(",", ""));
}

DX_TEST(dx_test_resolve_missing_symbol)
{
	ulong addrs[array_size(test_table)];

	if (!kallsyms_works()) {
		dx_kunit_skip(test, "kallsyms lookup unavailable");
		return;
	}
	Features f = resolve_table(test_table, array_size(test_table), "", false, addrs, false);
	DX_EXPECT_NE(addrs[0], 0UL);
	DX_EXPECT_EQ(addrs[1], 0UL);
	DX_EXPECT_EQ(addrs[2], 0UL);
	DX_EXPECT_TRUE(f & bit(Feature::vaddr));
	DX_EXPECT_FALSE(f & bit(Feature::paddr));
	DX_EXPECT_FALSE(f & bit(Feature::migrate));
	/* Features no symbol needs stay available. */
	DX_EXPECT_TRUE(f & bit(Feature::pageout));
	DX_EXPECT_TRUE(f & bit(Feature::mmu_notifier));
}

DX_TEST(dx_test_resolve_debug_missing)
{
	ulong addrs[array_size(test_table)];

	if (!kallsyms_works()) {
		dx_kunit_skip(test, "kallsyms lookup unavailable");
		return;
	}
	Features f = resolve_table(test_table, 1, "foo, __pte_offset_map_lock", false, addrs, false);
	DX_EXPECT_EQ(addrs[0], 0UL);
	DX_EXPECT_EQ(f, all_features & ~bit(Feature::vaddr));
	/* A prefix or another name does not count. */
	f = resolve_table(test_table, 1, "__pte_offset_map,pte_offset_map_lock", false, addrs, false);
	DX_EXPECT_NE(addrs[0], 0UL);
	DX_EXPECT_EQ(f, all_features);
}

/* A symbol this kernel's configuration does not use is not looked up. */
DX_TEST(dx_test_resolve_not_needed)
{
	const Symbol table[] = {
		{ DX_KSYM_MMU_NOTIFIER_TEST_YOUNG, "dx_no_such_symbol_for_test",
		  bit(Feature::mmu_notifier), Kind::function, "test" },
	};
	ulong addr = 1;

	Features f = resolve_table(table, 1, "", false, &addr, false);
	DX_EXPECT_EQ(addr, 0UL);
	DX_EXPECT_EQ(bool(f & bit(Feature::mmu_notifier)),
		     !dx_ksym_needed(DX_KSYM_MMU_NOTIFIER_TEST_YOUNG));
}

DX_TEST(dx_test_resolve_feature_names)
{
	DX_EXPECT_STREQ(feature_name(Feature::vaddr), "vaddr");
	DX_EXPECT_STREQ(feature_name(Feature::mmu_notifier), "mmu_notifier");
	DX_EXPECT_STREQ(feature_name(Feature::migrate), "migrate");
	DX_EXPECT_STREQ(feature_name(Feature::madvise), "madvise");
	DX_EXPECT_STREQ(feature_name(Feature::mm_sysfs), "mm_sysfs");
	DX_EXPECT_STREQ(feature_name(Feature::memcg_stat), "memcg_stat");
	DX_EXPECT_EQ(bit(Feature::memcg_stat), 1U << (nr_features - 1));
}

/* A symbol needed by two features takes both with it. */
DX_TEST(dx_test_resolve_shared_symbol)
{
	const Symbol table[] = {
		{ DX_NR_KSYMS, "dx_no_such_symbol_for_test",
		  bit(Feature::vaddr) | bit(Feature::paddr), Kind::function, "test" },
	};
	ulong addr = 1;

	Features f = resolve_table(table, 1, "", false, &addr, false);
	DX_EXPECT_EQ(addr, 0UL);
	DX_EXPECT_EQ(f, all_features & ~(bit(Feature::vaddr) | bit(Feature::paddr)));
}

/*
 * A callback (a kernel function damonx hands to the kernel as a pointer)
 * without ENDBR is refused where IBT is enforced, accepted elsewhere.  The
 * module's own functions are compiled with ENDBR when the kernel has IBT.
 */
DX_TEST(dx_test_resolve_callback_endbr)
{
	const Symbol table[] = {
		{ DX_NR_KSYMS, present, bit(Feature::paddr), Kind::callback, "test" },
	};
	ulong addr = 0;

	if (!kallsyms_works()) {
		dx_kunit_skip(test, "kallsyms lookup unavailable");
		return;
	}
	ulong real = dx_kallsyms_lookup(present);
	bool endbr = dx_addr_has_endbr(real);
	Features f = resolve_table(table, 1, "", true, &addr, false);
	DX_EXPECT_EQ(bool(f & bit(Feature::paddr)), endbr);
	DX_EXPECT_EQ(addr, endbr ? real : 0UL);
	f = resolve_table(table, 1, "", false, &addr, false);
	DX_EXPECT_TRUE(f & bit(Feature::paddr));
	DX_EXPECT_EQ(addr, real);
}
