/* tests/unit/test_cmdline.c: the guest's kernel command-line parser (guest/cmdline.c). */
#include <check.h>
#include <string.h>

#include "../../guest/cmdline.h"
#include "suites.h"

#define SENTINEL "untouched"

static char val[64];

/* cmdline_get into val (cap bytes), which starts out holding SENTINEL. */
static int get(const char *cmdline, const char *key, size_t cap)
{
	strcpy(val, SENTINEL);
	return cmdline_get(cmdline, key, val, cap);
}

START_TEST(get_key_value)
{
	ck_assert_int_eq(get("a=1 selftest=all quiet", "selftest", sizeof(val)), 1);
	ck_assert_str_eq(val, "all");
	ck_assert_int_eq(get("a=1 selftest=all quiet", "a", sizeof(val)), 1);
	ck_assert_str_eq(val, "1");
	ck_assert_int_eq(get("k=a=b", "k", sizeof(val)), 1);
	ck_assert_str_eq(val, "a=b");
}
END_TEST

START_TEST(get_bare_key)
{
	ck_assert_int_eq(get("a=1 quiet b=2", "quiet", sizeof(val)), 1);
	ck_assert_str_eq(val, "");
	ck_assert_int_eq(get("quiet", "quiet", sizeof(val)), 1);
	ck_assert_str_eq(val, "");
	ck_assert_int_eq(get("k= x", "k", sizeof(val)), 1);
	ck_assert_str_eq(val, "");
}
END_TEST

START_TEST(get_missing)
{
	ck_assert_int_eq(get("a=1 b=2", "c", sizeof(val)), 0);
	ck_assert_str_eq(val, SENTINEL);
	ck_assert_int_eq(get("", "a", sizeof(val)), 0);
	ck_assert_int_eq(get("     ", "a", sizeof(val)), 0);
	ck_assert_int_eq(get("=x a=1", "", sizeof(val)), 0);
	ck_assert_int_eq(get("a=1", "1", sizeof(val)), 0); /* values are not keys */
	ck_assert_str_eq(val, SENTINEL);
}
END_TEST

START_TEST(get_prefix_words)
{
	ck_assert_int_eq(get("selftest=x", "self", sizeof(val)), 0);
	ck_assert_int_eq(get("selftest", "self", sizeof(val)), 0);
	ck_assert_int_eq(get("self=1", "selftest", sizeof(val)), 0);
	ck_assert_int_eq(get("xself=1", "self", sizeof(val)), 0);
	ck_assert_str_eq(val, SENTINEL);
	ck_assert_int_eq(get("selftest=x self=y", "self", sizeof(val)), 1);
	ck_assert_str_eq(val, "y");
}
END_TEST

START_TEST(get_last_wins)
{
	ck_assert_int_eq(get("x=1 y=0 x=2", "x", sizeof(val)), 1);
	ck_assert_str_eq(val, "2");
	ck_assert_int_eq(get("x=1 x", "x", sizeof(val)), 1);
	ck_assert_str_eq(val, "");
}
END_TEST

START_TEST(get_multiple_spaces)
{
	ck_assert_int_eq(get("   a=1     b=22   ", "b", sizeof(val)), 1);
	ck_assert_str_eq(val, "22");
	ck_assert_int_eq(get("   a=1     b=22   ", "a", sizeof(val)), 1);
	ck_assert_str_eq(val, "1");
}
END_TEST

START_TEST(get_cap)
{
	ck_assert_int_eq(get("k=abc", "k", 3), -1); /* "abc" and its NUL need 4 */
	ck_assert_int_eq(get("k=abc", "k", 4), 1);
	ck_assert_str_eq(val, "abc");
	ck_assert_int_eq(get("k", "k", 1), 1);
	ck_assert_str_eq(val, "");
	ck_assert_int_eq(get("k", "k", 0), -1);
	ck_assert_int_eq(get("a=1 k=abcdef", "k", 6), -1);
}
END_TEST

START_TEST(get_no_overrun)
{
	/* A fitting value writes exactly vlen + 1 bytes: the rest of val is untouched. */
	ck_assert_int_eq(get("k=ab", "k", 3), 1);
	ck_assert_mem_eq(val, "ab\0ouched", 10);
}
END_TEST

/* The on-switch of the optional modules (strace=, trace=, debug=). */
START_TEST(switch_on)
{
	ck_assert_int_eq(cmdline_switch("hz=0 trace=on", "trace"), 1);
	ck_assert_int_eq(cmdline_switch("hz=0", "trace"), 0);
	ck_assert_int_eq(cmdline_switch("tracer=on", "trace"), 0);
	ck_assert_int_eq(cmdline_switch("trace", "trace"), -1);
	ck_assert_int_eq(cmdline_switch("trace=", "trace"), -1);
	ck_assert_int_eq(cmdline_switch("trace=yes", "trace"), -1);
	ck_assert_int_eq(cmdline_switch("trace=onx", "trace"), -1);
	ck_assert_int_eq(cmdline_switch("trace=o", "trace"), -1);
	ck_assert_int_eq(cmdline_switch("trace=on trace=off", "trace"), -1); /* the last wins */
}
END_TEST

/* The 0|1 words of hardware features (pcid=, gbpages=), with their defaults. */
START_TEST(switch_01)
{
	ck_assert_int_eq(cmdline_01("hz=0 pcid=0", "pcid", 1), 0);
	ck_assert_int_eq(cmdline_01("pcid=1", "pcid", 0), 1);
	ck_assert_int_eq(cmdline_01("hz=0", "pcid", 1), 1);
	ck_assert_int_eq(cmdline_01("hz=0", "gbpages", 0), 0);
	ck_assert_int_eq(cmdline_01("xpcid=0", "pcid", 1), 1);
	ck_assert_int_eq(cmdline_01("pcid", "pcid", 1), -1);
	ck_assert_int_eq(cmdline_01("pcid=", "pcid", 1), -1);
	ck_assert_int_eq(cmdline_01("pcid=01", "pcid", 1), -1);
	ck_assert_int_eq(cmdline_01("pcid=2", "pcid", 1), -1);
	ck_assert_int_eq(cmdline_01("pcid=off", "pcid", 1), -1);
	ck_assert_int_eq(cmdline_01("pcid=0 pcid=1", "pcid", 0), 1); /* the last wins */
}
END_TEST

START_TEST(list_has)
{
	ck_assert_int_eq(cmdline_list_has("de,ud", "ud"), 1);
	ck_assert_int_eq(cmdline_list_has("de,ud", "de"), 1);
	ck_assert_int_eq(cmdline_list_has("de,ud", "u"), 0);
	ck_assert_int_eq(cmdline_list_has("de,ud", "d"), 0);
	ck_assert_int_eq(cmdline_list_has("de,ud", "de,ud"), 0);
	ck_assert_int_eq(cmdline_list_has("de,ud", "udx"), 0);
	ck_assert_int_eq(cmdline_list_has("ud", "ud"), 1);
}
END_TEST

START_TEST(list_edges)
{
	ck_assert_int_eq(cmdline_list_has("", "ud"), 0);
	ck_assert_int_eq(cmdline_list_has("de,ud,", "ud"), 1);
	ck_assert_int_eq(cmdline_list_has("de,ud,", "x"), 0);
	ck_assert_int_eq(cmdline_list_has(",ud", "ud"), 1);
	ck_assert_int_eq(cmdline_list_has("de,ud", ""), 0);
}
END_TEST

Suite *cmdline_suite(void)
{
	Suite *s = suite_create("cmdline");
	TCase *g = tcase_create("get");
	TCase *l = tcase_create("list_has");

	tcase_add_test(g, get_key_value);
	tcase_add_test(g, get_bare_key);
	tcase_add_test(g, get_missing);
	tcase_add_test(g, get_prefix_words);
	tcase_add_test(g, get_last_wins);
	tcase_add_test(g, get_multiple_spaces);
	tcase_add_test(g, get_cap);
	tcase_add_test(g, get_no_overrun);
	tcase_add_test(g, switch_on);
	tcase_add_test(g, switch_01);
	tcase_add_test(l, list_has);
	tcase_add_test(l, list_edges);
	suite_add_tcase(s, g);
	suite_add_tcase(s, l);
	return s;
}
