// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs value parsing and the table-driven file handlers: kstrto* base-0
 * semantics, upstream error codes, and "a refused write changes nothing".
 */
#include <damonx/test.hpp>
#include <damonx/new.hpp>
#include "../sysfs/dirs.hpp"

using namespace dx;
using namespace dx::sysfs;

DX_TEST(dx_test_parse_ulong)
{
	ulong v = 0;

	DX_EXPECT_EQ(parse_ulong("42", &v), 0);
	DX_EXPECT_EQ(v, 42UL);
	DX_EXPECT_EQ(parse_ulong("0x10\n", &v), 0);
	DX_EXPECT_EQ(v, 16UL);
	DX_EXPECT_EQ(parse_ulong("010", &v), 0);
	DX_EXPECT_EQ(v, 8UL);
	DX_EXPECT_EQ(parse_ulong("18446744073709551615", &v), 0);
	DX_EXPECT_EQ(v, ulong_max);
	v = 7;
	DX_EXPECT_EQ(parse_ulong("18446744073709551616", &v), -err::range);
	DX_EXPECT_EQ(parse_ulong("", &v), -err::inval);
	DX_EXPECT_EQ(parse_ulong("abc", &v), -err::inval);
	DX_EXPECT_EQ(parse_ulong("-1", &v), -err::inval);
	DX_EXPECT_EQ(parse_ulong("12 ", &v), -err::inval);
	DX_EXPECT_EQ(parse_ulong("12\n\n", &v), -err::inval);
	DX_EXPECT_EQ(v, 7UL);
}

DX_TEST(dx_test_parse_int)
{
	int v = 0;

	DX_EXPECT_EQ(parse_int("-5", &v), 0);
	DX_EXPECT_EQ(v, -5);
	DX_EXPECT_EQ(parse_int("0x7fffffff", &v), 0);
	DX_EXPECT_EQ(v, int_max);
	DX_EXPECT_EQ(parse_int("2147483648", &v), -err::range);
	DX_EXPECT_EQ(parse_int("1.5", &v), -err::inval);
	u32 u = 0;
	DX_EXPECT_EQ(parse_uint("4294967295", &u), 0);
	DX_EXPECT_EQ(u, uint_max);
	DX_EXPECT_EQ(parse_uint("4294967296", &u), -err::range);
	DX_EXPECT_EQ(parse_uint("-1", &u), -err::inval);
}

DX_TEST(dx_test_parse_bool)
{
	bool b = false;
	const char *yes[] = {"Y", "y", "1", "on", "yes\n"};
	const char *no[] = {"N", "n", "0", "off", "no\n"};

	for (const char *s : yes) {
		b = false;
		DX_EXPECT_EQ(parse_bool(s, &b), 0);
		DX_EXPECT_TRUE(b);
	}
	for (const char *s : no) {
		b = true;
		DX_EXPECT_EQ(parse_bool(s, &b), 0);
		DX_EXPECT_FALSE(b);
	}
	DX_EXPECT_EQ(parse_bool("maybe", &b), -err::inval);
	DX_EXPECT_EQ(parse_bool("", &b), -err::inval);
}

DX_TEST(dx_test_parse_keyword)
{
	static const char *const kw[] = {"vaddr", "fvaddr", "paddr"};

	DX_EXPECT_EQ(parse_keyword("vaddr", kw, 3), 0);
	DX_EXPECT_EQ(parse_keyword("paddr\n", kw, 3), 2);
	DX_EXPECT_EQ(parse_keyword("fvaddr", kw, 3), 1);
	DX_EXPECT_EQ(parse_keyword("padd", kw, 3), -err::inval);
	DX_EXPECT_EQ(parse_keyword("paddrx", kw, 3), -err::inval);
	DX_EXPECT_EQ(parse_keyword(" paddr", kw, 3), -err::inval);
	DX_EXPECT_EQ(parse_keyword("", kw, 3), -err::inval);
}

DX_TEST(dx_test_parse_nr)
{
	u32 n = 9;

	DX_EXPECT_EQ(parse_nr("3\n", &n), 0);
	DX_EXPECT_EQ(n, 3U);
	DX_EXPECT_EQ(parse_nr("0", &n), 0);
	DX_EXPECT_EQ(n, 0U);
	n = 9;
	DX_EXPECT_EQ(parse_nr("-1", &n), -err::inval);
	DX_EXPECT_EQ(parse_nr("x", &n), -err::inval);
	DX_EXPECT_EQ(parse_nr("4294967296", &n), -err::range);
	DX_EXPECT_EQ(n, 9U);
}

namespace {

struct ProbeDir : Dir {
	ProbeDir();
	ulong u = 5;
	u32 w = 6;
	int i = -7;
	bool b = false;
	u32 kw = 0;
	int strict = 1;
	ulong nonzero = 1;
	static DirSpec spec;
};

const char *const probe_kw[] = {"alpha", "beta"};

int refuse_zero(Dir &, ulong v)
{
	return v ? 0 : -err::inval;
}

const File probe_files[] = {
	rw<&ProbeDir::u>("u"),
	rw<&ProbeDir::w>("w"),
	rw<&ProbeDir::i>("i"),
	rw<&ProbeDir::b>("b"),
	keyword<&ProbeDir::kw>("kw", probe_kw),
	rw<&ProbeDir::strict>("strict", nullptr, true),
	rw<&ProbeDir::nonzero>("nonzero", refuse_zero),
};

DirSpec ProbeDir::spec{"probe", probe_files, array_size(probe_files)};
ProbeDir::ProbeDir() : Dir(spec) {}

enum { F_U, F_W, F_I, F_B, F_KW, F_STRICT, F_NONZERO };

/* Writes @s to file @idx; returns the store's result. */
ssize_t put(Dir &d, unsigned idx, const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return dx_sysfs_store(&d, idx, s, n);
}

/* Reads file @idx into @buf (a PAGE_SIZE buffer). */
const char *get(Dir &d, unsigned idx, char *buf)
{
	ssize_t n = dx_sysfs_show(&d, idx, buf);

	if (n < 0)
		return "<error>";
	buf[n] = '\0';
	return buf;
}

} // namespace

DX_TEST(dx_test_file_store_show)
{
	char *buf = new (gfp_kernel) char[page_size];
	ProbeDir *d = new (gfp_kernel) ProbeDir();

	if (!buf || !d) {
		delete[] buf;
		delete d;
		DX_ASSERT_TRUE(false);
	}
	DX_EXPECT_STREQ(get(*d, F_U, buf), "5\n");
	DX_EXPECT_EQ(put(*d, F_U, "0x20\n"), 5L);
	DX_EXPECT_STREQ(get(*d, F_U, buf), "32\n");
	DX_EXPECT_EQ(put(*d, F_U, "nope"), -long(err::inval));
	DX_EXPECT_EQ(put(*d, F_U, "99999999999999999999"), -long(err::range));
	DX_EXPECT_STREQ(get(*d, F_U, buf), "32\n");

	DX_EXPECT_EQ(put(*d, F_W, "4294967296"), -long(err::range));
	DX_EXPECT_STREQ(get(*d, F_W, buf), "6\n");
	DX_EXPECT_EQ(put(*d, F_I, "-12"), 3L);
	DX_EXPECT_STREQ(get(*d, F_I, buf), "-12\n");

	DX_EXPECT_STREQ(get(*d, F_B, buf), "N\n");
	DX_EXPECT_EQ(put(*d, F_B, "on"), 2L);
	DX_EXPECT_STREQ(get(*d, F_B, buf), "Y\n");
	DX_EXPECT_EQ(put(*d, F_B, "perhaps"), -long(err::inval));
	DX_EXPECT_STREQ(get(*d, F_B, buf), "Y\n");

	DX_EXPECT_STREQ(get(*d, F_KW, buf), "alpha\n");
	DX_EXPECT_EQ(put(*d, F_KW, "beta\n"), 5L);
	DX_EXPECT_STREQ(get(*d, F_KW, buf), "beta\n");
	DX_EXPECT_EQ(put(*d, F_KW, "gamma"), -long(err::inval));
	DX_EXPECT_STREQ(get(*d, F_KW, buf), "beta\n");

	/* Files whose parse errors are always -EINVAL (e.g. pid_target). */
	DX_EXPECT_EQ(put(*d, F_STRICT, "99999999999"), -long(err::inval));
	DX_EXPECT_STREQ(get(*d, F_STRICT, buf), "1\n");

	/* A value refused by its check is not stored (e.g. addr_unit 0). */
	DX_EXPECT_EQ(put(*d, F_NONZERO, "0"), -long(err::inval));
	DX_EXPECT_STREQ(get(*d, F_NONZERO, buf), "1\n");
	DX_EXPECT_EQ(put(*d, F_NONZERO, "4096"), 4L);
	DX_EXPECT_STREQ(get(*d, F_NONZERO, buf), "4096\n");

	delete d;
	delete[] buf;
}

/* The ABI's defaults and keyword files, on the real directory kinds. */
DX_TEST(dx_test_abi_defaults)
{
	char *buf = new (gfp_kernel) char[page_size];
	ContextDir *c = new (gfp_kernel) ContextDir();

	if (!buf || !c) {
		delete[] buf;
		delete c;
		DX_ASSERT_TRUE(false);
	}
	/* files: avail_operations, operations, addr_unit */
	DX_EXPECT_STREQ(get(*c, 1, buf), "vaddr\n");
	DX_EXPECT_STREQ(get(*c, 2, buf), "1\n");
	DX_EXPECT_EQ(put(*c, 1, "paddr\n"), 6L);
	DX_EXPECT_STREQ(get(*c, 1, buf), "paddr\n");
	DX_EXPECT_EQ(put(*c, 1, "kaddr"), -long(err::inval));
	DX_EXPECT_STREQ(get(*c, 1, buf), "paddr\n");
	DX_EXPECT_EQ(put(*c, 2, "0"), -long(err::inval));
	DX_EXPECT_STREQ(get(*c, 2, buf), "1\n");
	/* avail_operations lists vaddr and fvaddr, one per line. */
	get(*c, 0, buf);
	DX_EXPECT_TRUE(buf[0] == 'v' && buf[5] == '\n');

	IntervalsDir &iv = c->monitoring_attrs.intervals;
	DX_EXPECT_STREQ(get(iv, 0, buf), "5000\n");
	DX_EXPECT_STREQ(get(iv, 1, buf), "100000\n");
	DX_EXPECT_STREQ(get(iv, 2, buf), "60000000\n");
	for (unsigned i = 0; i < 4; i++)
		DX_EXPECT_STREQ(get(iv.goal, i, buf), "0\n");
	DX_EXPECT_STREQ(get(c->monitoring_attrs.nr_regions, 0, buf), "10\n");
	DX_EXPECT_STREQ(get(c->monitoring_attrs.nr_regions, 1, buf), "1000\n");

	delete c;
	delete[] buf;
}

DX_TEST(dx_test_build_context)
{
	ContextDir *c = new (gfp_kernel) ContextDir();

	DX_ASSERT_TRUE(c != nullptr);
	auto &nr = c->monitoring_attrs.nr_regions;
	auto &iv = c->monitoring_attrs.intervals;

	{
		auto r = c->build_context();	/* defaults: vaddr, no targets */
		DX_EXPECT_TRUE(r.ok());
		if (r.ok()) {
			DX_EXPECT_EQ(r.value()->attrs.sample_interval, 5000UL);
			DX_EXPECT_EQ(r.value()->nr_targets(), 0U);
		}
	}
	nr.min = 2;
	DX_EXPECT_EQ(c->build_context().err(), -err::inval);
	nr.min = 20;
	nr.max = 19;
	DX_EXPECT_EQ(c->build_context().err(), -err::inval);
	nr.max = 1000;
	iv.sample_us = iv.aggr_us + 1;
	DX_EXPECT_EQ(c->build_context().err(), -err::inval);
	iv.sample_us = 5000;
	iv.goal.aggrs = 3;
	iv.goal.min_sample_us = 6000;
	iv.goal.max_sample_us = 10000;
	DX_EXPECT_EQ(c->build_context().err(), -err::inval);	/* sample < min */
	iv.goal.min_sample_us = 1000;
	DX_EXPECT_TRUE(c->build_context().ok());
	iv.goal.aggrs = 0;
	c->operations = u32(damon::OpsId::paddr);
	/* paddr is not available yet: refused like an unregistered ops set. */
	if (!damon::ops_available(damon::OpsId::paddr))
		DX_EXPECT_EQ(c->build_context().err(), -err::inval);
	delete c;
}
