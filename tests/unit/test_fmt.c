/* tests/unit/test_fmt.c: the printf format engine fmt_vsnprintf (common/fmt.c): conversions, width, padding, truncation. */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../common/fmt.h"
#include "suites.h"

#define GUARD 'X'

static char buf[256];

static int fmt(char *b, size_t cap, const char *f, ...) __attribute__((format(printf, 3, 4)));

static int fmt(char *b, size_t cap, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_vsnprintf(b, cap, f, ap);
	va_end(ap);
	return n;
}

/* fmt without the compiler's format checking, for formats outside what fmt.h documents. */
static int fmt_unchecked(char *b, size_t cap, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_vsnprintf(b, cap, f, ap);
	va_end(ap);
	return n;
}

/* Format into buf (full size, pre-filled with GUARD); check the text and the returned length. */
#define EXPECT(want, ...)                                                                        \
	do {                                                                                     \
		memset(buf, GUARD, sizeof(buf));                                                 \
		int n_ = fmt(buf, sizeof(buf), __VA_ARGS__);                                     \
		ck_assert_str_eq(buf, want);                                                     \
		ck_assert_int_eq(n_, (int)strlen(want));                                         \
	} while (0)

/* The same, and the host's snprintf agrees (only for what both define the same way). */
#define SAME_AS_LIBC(...)                                                                        \
	do {                                                                                     \
		char libc_[sizeof(buf)];                                                         \
		int m_ = snprintf(libc_, sizeof(libc_), __VA_ARGS__);                            \
		ck_assert_int_lt(m_, (int)sizeof(libc_));                                        \
		EXPECT(libc_, __VA_ARGS__);                                                      \
	} while (0)

/* Bytes buf[from, sizeof(buf)) still hold GUARD. */
static void assert_guard_from(size_t from)
{
	for (size_t i = from; i < sizeof(buf); i++)
		ck_assert_msg(buf[i] == GUARD, "byte %zu past the cap was written", i);
}

START_TEST(plain_text)
{
	EXPECT("", "%s", "");
	EXPECT("hello, world", "hello, world");
	EXPECT("a\tb\n", "a\tb\n");
}
END_TEST

START_TEST(signed_int)
{
	EXPECT("0", "%d", 0);
	EXPECT("42", "%d", 42);
	EXPECT("-42", "%d", -42);
	EXPECT("-1", "%d", -1);
	EXPECT("2147483647", "%d", INT_MAX);
	EXPECT("-2147483648", "%d", INT_MIN);
	EXPECT("-2147483647", "%i", INT_MIN + 1);
	EXPECT("7 -7", "%i %i", 7, -7);
}
END_TEST

START_TEST(signed_long)
{
	EXPECT("-9223372036854775808", "%ld", (long)INT64_MIN);
	EXPECT("9223372036854775807", "%ld", (long)INT64_MAX);
	EXPECT("-9223372036854775807", "%ld", (long)(INT64_MIN + 1));
	EXPECT("-4294967296", "%ld", -4294967296l); /* needs more than 32 bits */
	EXPECT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT("-5", "%lli", -5ll);
	EXPECT("-2147483648", "%ld", (long)INT_MIN);
}
END_TEST

START_TEST(unsigned_dec)
{
	EXPECT("0", "%u", 0u);
	EXPECT("4294967295", "%u", UINT_MAX);
	EXPECT("4294967295", "%u", (unsigned)-1); /* a 32-bit argument: no sign extension */
	EXPECT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	EXPECT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	EXPECT("4294967296", "%lu", 4294967296ul);
	EXPECT("18446744073709551615", "%zu", (size_t)SIZE_MAX);
	EXPECT("123", "%zu", sizeof(char[123]));
}
END_TEST

START_TEST(hex)
{
	EXPECT("0", "%x", 0u);
	EXPECT("deadbeef", "%x", 0xdeadbeefu);
	EXPECT("ffffffff", "%x", (unsigned)-1); /* 32 bits, not 64 */
	EXPECT("a", "%x", 10u);
	EXPECT("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
	EXPECT("123456789abcdef0", "%lx", 0x123456789abcdef0ul);
	EXPECT("100000000", "%llx", 0x100000000ull);
	EXPECT("ff", "%zx", (size_t)255);
}
END_TEST

/* Dirty the stack below us, where the next call's stack-passed arguments will go. */
static void __attribute__((noinline)) dirty_stack(void)
{
	volatile uint8_t junk[512];

	for (unsigned i = 0; i < sizeof(junk); i++)
		junk[i] = 0xee;
}

START_TEST(int_args_on_stack)
{
	/* Past the sixth integer argument, varargs go on the stack, 8 bytes a slot; a 32-bit
	 * argument fills 4 of them. %d %u %x without l must read an int, not 8 bytes. */
	dirty_stack();
	EXPECT("ffffffff 4294967295 -1 ffffffff 4294967295 -1 ffffffff 4294967295 -1",
	       "%x %u %d %x %u %d %x %u %d", UINT_MAX, UINT_MAX, -1, UINT_MAX, UINT_MAX, -1,
	       UINT_MAX, UINT_MAX, -1);
	dirty_stack();
	EXPECT("1 2 3 4 5 6 7 8 9", "%u %u %u %x %x %x %d %d %d", 1u, 2u, 3u, 4u, 5u, 6u, 7, 8, 9);
}
END_TEST

START_TEST(pointer)
{
	EXPECT("0x1234", "%p", (void *)0x1234);
	EXPECT("0xffffffff80100000", "%p", (void *)0xffffffff80100000ull);
	EXPECT("0xdeadbeef", "%p", (void *)0xdeadbeefull);
}
END_TEST

START_TEST(string)
{
	const char *volatile null = NULL; /* hidden from -Wformat-overflow */

	EXPECT("abc", "%s", "abc");
	EXPECT("[]", "[%s]", "");
	EXPECT("(null)", "%s", null);
	EXPECT("a(null)b", "a%sb", null);
	EXPECT("x=1 y=two", "x=%d y=%s", 1, "two");
	EXPECT("100%", "%s", "100%"); /* the argument is not a format */
}
END_TEST

START_TEST(chars_and_percent)
{
	EXPECT("A", "%c", 'A');
	EXPECT("ab", "%c%c", 'a', 'b');
	EXPECT("%", "%%");
	EXPECT("100%", "%d%%", 100);
	EXPECT("%d", "%%d");
	EXPECT("%%", "%%%%");
	EXPECT("%5 x", "%%5 %c", 'x'); /* %% consumes no argument */
}
END_TEST

START_TEST(width_space)
{
	EXPECT("   42", "%5d", 42);
	EXPECT("  -42", "%5d", -42);
	EXPECT("12345", "%3d", 12345); /* narrower than the number: no cut */
	EXPECT("  abc", "%5s", "abc");
	EXPECT("abcdef", "%2s", "abcdef");
	EXPECT("      ff", "%8x", 255u);
	EXPECT("         7", "%10u", 7u);
	EXPECT("9223372036854775807", "%5ld", (long)INT64_MAX);
}
END_TEST

START_TEST(width_zero)
{
	EXPECT("00042", "%05d", 42);
	EXPECT("-0042", "%05d", -42);
	EXPECT("0000beef", "%08x", 0xbeefu);
	EXPECT("00000000deadbeef", "%016lx", 0xdeadbeeful);
	EXPECT("ffffffff80100000", "%016lx", 0xffffffff80100000ul);
	EXPECT("007", "%03u", 7u);
	EXPECT("-000000000000000001", "%019ld", -1l);
	EXPECT("0", "%0d", 0);
}
END_TEST

START_TEST(matches_libc)
{
	static const int ints[] = { 0, 1, -1, 9, -10, 4096, INT_MAX, INT_MIN, 12345678 };
	static const long longs[] = { 0, -1, (long)INT64_MIN, (long)INT64_MAX, 1l << 40 };

	for (unsigned i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		int v = ints[i];

		SAME_AS_LIBC("%d|%i|%u|%x", v, v, (unsigned)v, (unsigned)v);
		SAME_AS_LIBC("%1d|%7d|%07d|%012d|%3u|%09x", v, v, v, v, (unsigned)v, (unsigned)v);
		SAME_AS_LIBC("<%c>", 'a' + (v & 15));
	}
	for (unsigned i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
		long v = longs[i];

		SAME_AS_LIBC("%ld|%lu|%lx", v, (unsigned long)v, (unsigned long)v);
		SAME_AS_LIBC("%25ld|%025ld|%018lx|%lld", v, v, (unsigned long)v, (long long)v);
		SAME_AS_LIBC("%zu|%zx", (size_t)v, (size_t)v);
	}
	SAME_AS_LIBC("[%8s][%s][%1s]", "abc", "", "xyz");
}
END_TEST

START_TEST(truncate)
{
	int n;

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 4, "hello");
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(buf, "hel");
	assert_guard_from(4);

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 4, "%d", 123456);
	ck_assert_int_eq(n, 6);
	ck_assert_str_eq(buf, "123");
	assert_guard_from(4);

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 8, "%s=%lx", "key", 0xfedcba9876543210ul);
	ck_assert_int_eq(n, 20);
	ck_assert_str_eq(buf, "key=fed");
	assert_guard_from(8);

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 6, "%20d", 1); /* cut inside the padding */
	ck_assert_int_eq(n, 20);
	ck_assert_str_eq(buf, "     ");
	assert_guard_from(6);
}
END_TEST

START_TEST(truncate_edges)
{
	int n;

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 6, "hello"); /* exactly fits, NUL included */
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(buf, "hello");
	assert_guard_from(6);

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 5, "hello"); /* one short: the last character gives way to the NUL */
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(buf, "hell");
	assert_guard_from(5);

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 1, "hello %d", 42);
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(buf, "");
	assert_guard_from(1);

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 1, "%s", "");
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(buf, "");
	assert_guard_from(1);
}
END_TEST

START_TEST(cap_zero)
{
	int n;

	memset(buf, GUARD, sizeof(buf));
	n = fmt(buf, 0, "hello %s", "world");
	ck_assert_int_eq(n, 11);
	assert_guard_from(0);
	n = fmt(NULL, 0, "%d-%d", 12, 345); /* a NULL buffer is never touched */
	ck_assert_int_eq(n, 6);
	n = fmt(NULL, 0, "%s", "");
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(long_output)
{
	char big[1200];
	int n;

	n = fmt(big, sizeof(big), "%1000d|%s", 5, "end");
	ck_assert_int_eq(n, 1004);
	ck_assert_int_eq((int)strlen(big), 1004);
	ck_assert_str_eq(big + 995, "    5|end");
	n = fmt(buf, 16, "%1000d", 5);
	ck_assert_int_eq(n, 1000);
	ck_assert_int_eq((int)strlen(buf), 15);
}
END_TEST

START_TEST(length_equals_strlen)
{
	/* Formats fmt.h leaves undefined (a '-' flag, unknown conversions, a '%' at the end):
	 * whatever they print, it is NUL-terminated and the return is its length. */
	static const char *const fmts[] = { "abc%", "%05", "%l", "%zq", "%-5d|", "%X", "%hd" };

	for (unsigned i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		int n;

		memset(buf, GUARD, sizeof(buf));
		n = fmt_unchecked(buf, sizeof(buf), fmts[i], 42, 43);
		ck_assert_msg(memchr(buf, '\0', sizeof(buf)) != NULL, "'%s': no NUL", fmts[i]);
		ck_assert_msg(n == (int)strlen(buf), "'%s': returned %d for \"%s\"", fmts[i], n, buf);
	}
}
END_TEST

Suite *fmt_suite(void)
{
	Suite *s = suite_create("fmt");
	TCase *c = tcase_create("conversions");
	TCase *w = tcase_create("width");
	TCase *t = tcase_create("truncation");

	tcase_add_test(c, plain_text);
	tcase_add_test(c, signed_int);
	tcase_add_test(c, signed_long);
	tcase_add_test(c, unsigned_dec);
	tcase_add_test(c, hex);
	tcase_add_test(c, int_args_on_stack);
	tcase_add_test(c, pointer);
	tcase_add_test(c, string);
	tcase_add_test(c, chars_and_percent);
	tcase_add_test(c, matches_libc);
	tcase_add_test(w, width_space);
	tcase_add_test(w, width_zero);
	tcase_add_test(t, truncate);
	tcase_add_test(t, truncate_edges);
	tcase_add_test(t, cap_zero);
	tcase_add_test(t, long_output);
	tcase_add_test(t, length_equals_strlen);
	suite_add_tcase(s, c);
	suite_add_tcase(s, w);
	suite_add_tcase(s, t);
	return s;
}
