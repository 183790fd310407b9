/* tests/unit/test_opts.c: the VMM's command-line parsing in vmm/opts.c (sizes, seconds, options, KEY=VALUE words and task modules). */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../abi/boot.h"
#include "../../vmm/opts.h"
#include "suites.h"

#define MAX_ARGS 16
#define ARG_CAP (LDE_CMDLINE_MAX + 16)

/* opts_parse takes char **: copy each word into writable storage that outlives the call. */
static char arg_store[MAX_ARGS][ARG_CAP];
static char *arg_vec[MAX_ARGS + 1];
static char err[256];

/* parse(o, "--mem", "4M", "guest.elf", NULL): runs opts_parse on "vmm" plus the words. */
static enum opts_result parse(struct vmm_opts *o, ...)
{
	va_list ap;
	const char *w;
	int argc = 0;

	va_start(ap, o);
	for (w = "vmm"; w != NULL; w = va_arg(ap, const char *)) {
		ck_assert_int_lt(argc, MAX_ARGS);
		ck_assert_uint_lt(strlen(w), ARG_CAP);
		strcpy(arg_store[argc], w);
		arg_vec[argc] = arg_store[argc];
		argc++;
	}
	va_end(ap);
	arg_vec[argc] = NULL;
	err[0] = '\0';
	return opts_parse(argc, arg_vec, o, err, sizeof(err));
}

static void assert_size(const char *s, uint64_t want)
{
	uint64_t got = 0xdeadbeef;

	ck_assert_msg(opts_parse_size(s, &got) == 0, "'%s' should parse as a size", s);
	ck_assert_msg(got == want, "'%s' -> %llu, want %llu", s, (unsigned long long)got,
		      (unsigned long long)want);
}

static void assert_bad_size(const char *s)
{
	uint64_t got = 12345;

	ck_assert_msg(opts_parse_size(s, &got) == -1, "'%s' should be refused", s);
	ck_assert_msg(got == 12345, "'%s': refused but wrote %llu", s, (unsigned long long)got);
}

START_TEST(size_valid)
{
	assert_size("64M", 64ull << 20);
	assert_size("1G", 1ull << 30);
	assert_size("4096K", 4ull << 20);
	assert_size("8388608", 8388608);
	assert_size("64m", 64ull << 20);
	assert_size("2g", 2ull << 30);
	assert_size("1k", 1024);
	assert_size("0", 0);
	assert_size("17179869183G", 17179869183ull << 30);
}
END_TEST

START_TEST(size_invalid)
{
	assert_bad_size("");
	assert_bad_size("M");
	assert_bad_size("12X");
	assert_bad_size("-1");
	assert_bad_size("+1");
	assert_bad_size(" 64M");
	assert_bad_size("64MB");
	assert_bad_size("64M ");
	assert_bad_size("1.5G");
	assert_bad_size("99999999999999999999G");
	assert_bad_size("99999999999999999999");
	assert_bad_size("17179869184G"); /* 2^34 GiB = 2^64: overflows in the shift */
	assert_bad_size("18014398509481984M"); /* 2^54 MiB = 2^74 */
	ck_assert_int_eq(opts_parse_size(NULL, &(uint64_t){ 0 }), -1);
}
END_TEST

static void assert_seconds(const char *s, double want)
{
	double got = -42;

	ck_assert_msg(opts_parse_seconds(s, &got) == 0, "'%s' should parse as seconds", s);
	ck_assert_msg(got == want, "'%s' -> %g, want %g", s, got, want);
}

static void assert_bad_seconds(const char *s)
{
	double got = -42;

	ck_assert_msg(opts_parse_seconds(s, &got) == -1, "'%s' should be refused", s);
	ck_assert_msg(got == -42, "'%s': refused but wrote %g", s, got);
}

START_TEST(seconds_valid)
{
	assert_seconds("0", 0);
	assert_seconds("0.5", 0.5);
	assert_seconds("10", 10);
	assert_seconds("86400", 86400);
}
END_TEST

START_TEST(seconds_invalid)
{
	assert_bad_seconds("-1");
	assert_bad_seconds("-0.5");
	assert_bad_seconds("nan");
	assert_bad_seconds("inf");
	assert_bad_seconds("infinity");
	assert_bad_seconds("1e9");
	assert_bad_seconds("86400.5");
	assert_bad_seconds("abc");
	assert_bad_seconds("");
	assert_bad_seconds("5s");
	assert_bad_seconds("1e999");
	ck_assert_int_eq(opts_parse_seconds(NULL, &(double){ 0 }), -1);
}
END_TEST

START_TEST(parse_defaults)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "guest.elf", NULL), OPTS_RUN);
	ck_assert_uint_eq(o.mem_size, 64ull << 20);
	ck_assert_msg(o.timeout == 0, "default timeout is 0 (none), got %g", o.timeout);
	ck_assert_int_eq(o.stats, 0);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_str_eq(o.image, "guest.elf");
	ck_assert_str_eq(o.cmdline, "");
}
END_TEST

static void assert_mem_ok(const char *opt, const char *val, uint64_t want)
{
	struct vmm_opts o;

	ck_assert_msg(parse(&o, opt, val, "g.elf", NULL) == OPTS_RUN, "%s %s: %s", opt, val, err);
	ck_assert_msg(o.mem_size == want, "%s %s -> %llu", opt, val,
		      (unsigned long long)o.mem_size);
}

static void assert_mem_bad(const char *opt, const char *val, const char *why)
{
	struct vmm_opts o;

	ck_assert_msg(parse(&o, opt, val, "g.elf", NULL) == OPTS_ERROR, "%s %s accepted", opt, val);
	ck_assert_msg(strstr(err, why) != NULL, "%s %s: err '%s' lacks '%s'", opt, val, err, why);
}

START_TEST(parse_mem_range)
{
	assert_mem_ok("--mem", "4M", 4ull << 20);
	assert_mem_ok("-m", "4M", 4ull << 20);
	assert_mem_ok("--mem", "3G", 3ull << 30);
	assert_mem_ok("-m", "3072M", 3ull << 30);
	assert_mem_bad("--mem", "2M", "out of range");
	assert_mem_bad("-m", "0", "out of range");
	assert_mem_bad("--mem", "3074M", "out of range"); /* 3G + 2M */
	assert_mem_bad("--mem", "4G", "out of range");
	assert_mem_bad("--mem", "5M", "out of range"); /* not a multiple of 2M */
	assert_mem_bad("--mem", "4194305", "out of range"); /* 4M + 1 */
	assert_mem_bad("--mem", "lots", "not a size");
	assert_mem_bad("-m", "12X", "not a size");
}
END_TEST

START_TEST(parse_timeout)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "--timeout", "2.5", "g.elf", NULL), OPTS_RUN);
	ck_assert_msg(o.timeout == 2.5, "timeout %g, want 2.5", o.timeout);
	ck_assert_int_eq(parse(&o, "--timeout=0.25", "--mem=128M", "g.elf", NULL), OPTS_RUN);
	ck_assert_msg(o.timeout == 0.25, "timeout %g, want 0.25", o.timeout);
	ck_assert_uint_eq(o.mem_size, 128ull << 20);
	ck_assert_int_eq(parse(&o, "-t", "7", "g.elf", NULL), OPTS_RUN);
	ck_assert_msg(o.timeout == 7, "timeout %g, want 7", o.timeout);
	ck_assert_int_eq(parse(&o, "--timeout", "nan", "g.elf", NULL), OPTS_ERROR);
	ck_assert_msg(strstr(err, "--timeout") != NULL, "err '%s' names --timeout", err);
	ck_assert_int_eq(parse(&o, "-t", "-1", "g.elf", NULL), OPTS_ERROR);
}
END_TEST

START_TEST(parse_flags)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "--stats", "g.elf", NULL), OPTS_RUN);
	ck_assert_int_eq(o.stats, 1);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(parse(&o, "-s", "-v", "g.elf", NULL), OPTS_RUN);
	ck_assert_int_eq(o.stats, 1);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_int_eq(parse(&o, "--verbose", "g.elf", NULL), OPTS_RUN);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_int_eq(o.stats, 0);
	ck_assert_int_eq(o.step, 0);
	ck_assert_int_eq(parse(&o, "--step", "--bench", "g.elf", NULL), OPTS_RUN);
	ck_assert_int_eq(o.step, 1);
	ck_assert_int_eq(o.bench, 1);
}
END_TEST

START_TEST(parse_help)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "--help", NULL), OPTS_HELP);
	ck_assert_int_eq(parse(&o, "-h", "g.elf", NULL), OPTS_HELP);
	ck_assert_ptr_nonnull(strstr(opts_usage, "--mem"));
	ck_assert_int_eq(parse(&o, "--version", NULL), OPTS_VERSION);
	ck_assert_int_eq(parse(&o, "--version", "g.elf", NULL), OPTS_VERSION);
	ck_assert_ptr_nonnull(strstr(opts_usage, "--version"));
}
END_TEST

START_TEST(parse_unknown_option)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "--bogus", "g.elf", NULL), OPTS_ERROR);
	ck_assert_msg(strstr(err, "--bogus") != NULL, "err '%s' names the option", err);
	ck_assert_int_eq(parse(&o, "-x", "g.elf", NULL), OPTS_ERROR);
	ck_assert_msg(strstr(err, "-x") != NULL, "err '%s' names the option", err);
	ck_assert_int_eq(parse(&o, "g.elf", "-m", NULL), OPTS_RUN); /* after the image: a word */
}
END_TEST

/* --trace and --protocol add trace=on, --gdb debug=on, after the user's words. */
START_TEST(parse_trace_and_gdb)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "--trace", "t.json", "--protocol", "g.elf", "hz=0", NULL), OPTS_RUN);
	ck_assert_str_eq(o.trace_path, "t.json");
	ck_assert_int_eq(o.protocol, 1);
	ck_assert_str_eq(o.cmdline, "hz=0 trace=on");
	ck_assert_int_eq(parse(&o, "--protocol", "g.elf", NULL), OPTS_RUN);
	ck_assert_str_eq(o.cmdline, "trace=on");
	ck_assert_int_eq(parse(&o, "--trace", "", "g.elf", NULL), OPTS_ERROR);
	ck_assert_int_eq(parse(&o, "--gdb", "1234", "g.elf", NULL), OPTS_RUN);
	ck_assert_str_eq(o.gdb, "1234");
	ck_assert_str_eq(o.cmdline, "debug=on");
	ck_assert_int_eq(parse(&o, "--gdb", "/tmp/lde.sock", "g.elf", NULL), OPTS_RUN);
	ck_assert_str_eq(o.gdb, "/tmp/lde.sock");
	static const char *const bad[] = { "0", "65536", "12ab", "", "-1", "localhost:1234" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(parse(&o, "--gdb", bad[i], "g.elf", NULL), OPTS_ERROR);
		ck_assert_msg(strstr(err, "--gdb") != NULL, "err '%s'", err);
	}
	char longpath[200];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	ck_assert_int_eq(parse(&o, "--gdb", longpath, "g.elf", NULL), OPTS_ERROR);
	ck_assert_int_eq(parse(&o, "--gdb", "1234", "--step", "g.elf", NULL), OPTS_ERROR);
	ck_assert_msg(strstr(err, "cannot be used together") != NULL, "err '%s'", err);
}
END_TEST

START_TEST(parse_missing_value)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "-m", NULL), OPTS_ERROR);
	ck_assert_msg(err[0] != '\0', "an error message is given");
	ck_assert_int_eq(parse(&o, "--timeout", NULL), OPTS_ERROR);
	ck_assert_msg(err[0] != '\0', "an error message is given");
}
END_TEST

START_TEST(parse_missing_image)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, NULL), OPTS_ERROR);
	ck_assert_msg(strstr(err, "image") != NULL, "err '%s' mentions the image", err);
	ck_assert_int_eq(parse(&o, "--stats", "-m", "8M", NULL), OPTS_ERROR);
	ck_assert_msg(strstr(err, "image") != NULL, "err '%s' mentions the image", err);
}
END_TEST

START_TEST(parse_guest_words)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "-m", "8M", "k.elf", "selftest=all", "quiet=1", NULL), OPTS_RUN);
	ck_assert_str_eq(o.image, "k.elf");
	ck_assert_str_eq(o.cmdline, "selftest=all quiet=1");
	ck_assert_uint_eq(o.module_count, 0);
	ck_assert_uint_eq(o.mem_size, 8ull << 20);
}
END_TEST

START_TEST(parse_dash_words_after_image)
{
	struct vmm_opts o;

	/* After the image nothing is an option, even a word that looks like one. */
	ck_assert_int_eq(parse(&o, "k.elf", "--mem=2M", "-v=1", "--help=x", NULL), OPTS_RUN);
	ck_assert_str_eq(o.cmdline, "--mem=2M -v=1 --help=x");
	ck_assert_uint_eq(o.mem_size, 64ull << 20);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(parse(&o, "k.elf", "-v", "--stats", NULL), OPTS_RUN);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(o.stats, 0);
	ck_assert_uint_eq(o.module_count, 2);
	ck_assert_str_eq(o.modules[0], "-v");
	ck_assert_str_eq(o.cmdline, "");
}
END_TEST

START_TEST(parse_modules)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "k.elf", "a.elf", "x=1", "dir/b.elf", "y=", NULL), OPTS_RUN);
	ck_assert_uint_eq(o.module_count, 2);
	ck_assert_str_eq(o.modules[0], "a.elf");
	ck_assert_str_eq(o.modules[1], "dir/b.elf");
	ck_assert_str_eq(o.cmdline, "x=1 y=");
}
END_TEST

/* Each -- starts a task: its words, = or not, are its argv; before the first --, the old rules. */
START_TEST(parse_dashdash_tasks)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "k.elf", "hz=0", "a.elf", "--", "/bin/prog", "x=y", "-v", "--",
			       "b.elf", NULL), OPTS_RUN);
	ck_assert_str_eq(o.cmdline, "hz=0");
	ck_assert_uint_eq(o.module_count, 3);
	ck_assert_str_eq(o.modules[0], "a.elf");
	ck_assert_uint_eq(o.module_argc[0], 1);
	ck_assert_str_eq(o.module_argv[0][0], "a.elf");
	ck_assert_str_eq(o.modules[1], "/bin/prog");
	ck_assert_uint_eq(o.module_argc[1], 3);
	ck_assert_str_eq(o.module_argv[1][0], "/bin/prog");
	ck_assert_str_eq(o.module_argv[1][1], "x=y");
	ck_assert_str_eq(o.module_argv[1][2], "-v");
	ck_assert_str_eq(o.modules[2], "b.elf");
	ck_assert_uint_eq(o.module_argc[2], 1);
}
END_TEST

START_TEST(parse_dashdash_errors)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "k.elf", "--", NULL), OPTS_ERROR);
	ck_assert_str_eq(err, "-- must be followed by a program to run as a task");
	ck_assert_int_eq(parse(&o, "k.elf", "--", "a.elf", "--", NULL), OPTS_ERROR);
	ck_assert_int_eq(parse(&o, "k.elf", "--", "--", "a.elf", NULL), OPTS_ERROR);
}
END_TEST

/* argv is bounded: LDE_ARGS_MAX bytes with the NULs, and one more is refused. */
START_TEST(parse_args_limit)
{
	static char big[LDE_ARGS_MAX];
	char *argv[] = { "vmm", "k.elf", "--", "p.elf", big, NULL };
	struct vmm_opts o;

	/* "p.elf\0" and big with its NUL: exactly the limit. */
	memset(big, 'a', sizeof(big) - 1 - sizeof("p.elf"));
	big[sizeof(big) - 1 - sizeof("p.elf")] = '\0';
	ck_assert_int_eq(opts_parse(5, argv, &o, err, sizeof(err)), OPTS_RUN);
	ck_assert_uint_eq(o.module_argc[0], 2);
	big[sizeof(big) - 1 - sizeof("p.elf")] = 'a';
	big[sizeof(big) - sizeof("p.elf")] = '\0';
	ck_assert_int_eq(opts_parse(5, argv, &o, err, sizeof(err)), OPTS_ERROR);
	ck_assert_str_eq(err, "p.elf: its arguments take 131073 bytes, more than 131072");
}
END_TEST

START_TEST(parse_module_limit)
{
	static char words[LDE_MODULES_MAX + 3][24];
	char *argv[LDE_MODULES_MAX + 4];
	struct vmm_opts o;
	char want[64];
	int argc = 0;

	strcpy(words[argc++], "vmm");
	strcpy(words[argc++], "k.elf");
	for (int i = 0; i <= LDE_MODULES_MAX; i++)
		snprintf(words[argc++], sizeof(words[0]), "t%d.elf", i);
	for (int i = 0; i < argc; i++)
		argv[i] = words[i];
	argv[argc] = NULL;
	/* The kernel and LDE_MODULES_MAX tasks: accepted; one task more: refused. */
	ck_assert_int_eq(opts_parse(argc - 1, argv, &o, err, sizeof(err)), OPTS_RUN);
	ck_assert_uint_eq(o.module_count, LDE_MODULES_MAX);
	ck_assert_str_eq(o.modules[LDE_MODULES_MAX - 1], argv[argc - 2]);
	ck_assert_int_eq(opts_parse(argc, argv, &o, err, sizeof(err)), OPTS_ERROR);
	/* The whole message, with the limit in it. */
	snprintf(want, sizeof(want), "more than %d task images", LDE_MODULES_MAX);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(parse_repeated_calls)
{
	struct vmm_opts o;

	ck_assert_int_eq(parse(&o, "--bogus", "g.elf", NULL), OPTS_ERROR);
	ck_assert_int_eq(parse(&o, "-v", "a.elf", "w=1", "t.elf", NULL), OPTS_RUN);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_str_eq(o.image, "a.elf");
	ck_assert_int_eq(parse(&o, "b.elf", NULL), OPTS_RUN);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_str_eq(o.image, "b.elf");
	ck_assert_str_eq(o.cmdline, "");
	ck_assert_uint_eq(o.module_count, 0);
}
END_TEST

static char long_word[ARG_CAP];
static char half_a[ARG_CAP], half_b[ARG_CAP];

/* A KEY=VALUE word of exactly n bytes: "k=" then n - 2 copies of c. */
static const char *word_of(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[0] = 'k';
	buf[1] = '=';
	buf[n] = '\0';
	return buf;
}

START_TEST(parse_cmdline_limit)
{
	struct vmm_opts o;
	const size_t max = LDE_CMDLINE_MAX - 1;

	ck_assert_int_eq(parse(&o, "k.elf", word_of(long_word, 'x', max), NULL), OPTS_RUN);
	ck_assert_uint_eq(strlen(o.cmdline), max);
	ck_assert_int_eq(parse(&o, "k.elf", word_of(long_word, 'x', max + 1), NULL), OPTS_ERROR);
	ck_assert_msg(strstr(err, "longer than 1023") != NULL, "err '%s' says too long", err);
}
END_TEST

START_TEST(parse_cmdline_limit_words)
{
	struct vmm_opts o;
	const size_t max = LDE_CMDLINE_MAX - 1, half = (max - 1) / 2;

	/* Two words and the space between them: half * 2 + 1 == max bytes. */
	word_of(half_a, 'a', half);
	word_of(half_b, 'b', half);
	ck_assert_int_eq(parse(&o, "k.elf", half_a, "t.elf", half_b, NULL), OPTS_RUN);
	ck_assert_uint_eq(strlen(o.cmdline), max);
	ck_assert_int_eq(o.cmdline[half], ' ');
	ck_assert_int_eq(o.cmdline[half + 1], 'k');
	word_of(half_b, 'b', half + 1);
	ck_assert_int_eq(parse(&o, "k.elf", half_a, half_b, NULL), OPTS_ERROR);
}
END_TEST

Suite *opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *vals = tcase_create("values");
	TCase *args = tcase_create("argv");

	tcase_add_test(vals, size_valid);
	tcase_add_test(vals, size_invalid);
	tcase_add_test(vals, seconds_valid);
	tcase_add_test(vals, seconds_invalid);
	tcase_add_test(args, parse_defaults);
	tcase_add_test(args, parse_mem_range);
	tcase_add_test(args, parse_timeout);
	tcase_add_test(args, parse_flags);
	tcase_add_test(args, parse_help);
	tcase_add_test(args, parse_unknown_option);
	tcase_add_test(args, parse_trace_and_gdb);
	tcase_add_test(args, parse_missing_value);
	tcase_add_test(args, parse_missing_image);
	tcase_add_test(args, parse_guest_words);
	tcase_add_test(args, parse_dash_words_after_image);
	tcase_add_test(args, parse_modules);
	tcase_add_test(args, parse_dashdash_tasks);
	tcase_add_test(args, parse_dashdash_errors);
	tcase_add_test(args, parse_args_limit);
	tcase_add_test(args, parse_module_limit);
	tcase_add_test(args, parse_repeated_calls);
	tcase_add_test(args, parse_cmdline_limit);
	tcase_add_test(args, parse_cmdline_limit_words);
	suite_add_tcase(s, vals);
	suite_add_tcase(s, args);
	return s;
}
