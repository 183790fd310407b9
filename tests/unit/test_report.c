/* tests/unit/test_report.c: the bench report's core in bench/stats.c: protocol lines, aggregation over runs, goal ratios, JSON values. */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bench/stats.h"
#include "suites.h"

#define RUNS 3
#define BIG_LINE (STATS_LINE_MAX + 100)

static char why[STATS_WHY_MAX];

static enum stats_line parse(const char *line, struct stats_result *r)
{
	why[0] = '\0';
	return stats_parse_result(line, r, why, sizeof(why));
}

static void assert_bad(const char *line)
{
	struct stats_result r;

	ck_assert_msg(parse(line, &r) == STATS_LINE_BAD, "'%s' should be refused", line);
	ck_assert_msg(why[0] != '\0', "'%s': refused without a reason", line);
}

/* "bench-q: NAME" and the percentiles first + k * step. */
static void quantile_line(char *buf, size_t cap, const char *name, double first, double step,
			  unsigned count)
{
	size_t len = (size_t)snprintf(buf, cap, "bench-q: %s", name);

	for (unsigned k = 0; k < count; k++)
		len += (size_t)snprintf(buf + len, cap - len, " %g", first + k * step);
	ck_assert_uint_lt(len, cap);
}

/* Runs stats_run_read over text with stderr silenced (its warnings are the point). */
static int read_text(const char *text, struct stats_run *run)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY), rc;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(null, 0);
	fflush(stderr);
	dup2(null, STDERR_FILENO);
	rc = stats_run_read(f, "test", run);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(null);
	fclose(f);
	return rc;
}

/* ---- parsing ---- */

START_TEST(result_all_keys)
{
	struct stats_result r;

	ck_assert_int_eq(parse("bench: syscall.null unit=cycles n=2001 median=5.23 p1=4 p99=12.5 "
			       "min=3 mean=5.5 mean_n=100000 exits_vmm=0 exits_kvm=2 insns=3.25 "
			       "steps=99.00 note=one way,  half a round trip  ",
			       &r),
			 STATS_LINE_USED);
	ck_assert_str_eq(r.name, "syscall.null");
	ck_assert_int_eq(r.unit, STATS_CYCLES);
	ck_assert(r.have_result);
	ck_assert_uint_eq(r.have, (1u << STATS_FIELD_COUNT) - 1);
	ck_assert_double_eq(r.v[STATS_N], 2001);
	ck_assert_double_eq(r.v[STATS_MEDIAN], 5.23);
	ck_assert_double_eq(r.v[STATS_P1], 4);
	ck_assert_double_eq(r.v[STATS_P99], 12.5);
	ck_assert_double_eq(r.v[STATS_MIN], 3);
	ck_assert_double_eq(r.v[STATS_MEAN], 5.5);
	ck_assert_double_eq(r.v[STATS_MEAN_N], 100000);
	ck_assert_double_eq(r.v[STATS_EXITS_VMM], 0);
	ck_assert_double_eq(r.v[STATS_EXITS_KVM], 2);
	ck_assert_double_eq(r.v[STATS_INSNS], 3.25);
	ck_assert_double_eq(r.v[STATS_STEPS], 99);
	ck_assert_str_eq(r.note, "one way,  half a round trip");
}
END_TEST

START_TEST(result_minimal_and_unknown_keys)
{
	struct stats_result r;

	ck_assert_int_eq(parse("bench: vmm.boot  median=1e3 future_key=whatever\tunit=us", &r),
			 STATS_LINE_USED);
	ck_assert_str_eq(r.name, "vmm.boot");
	ck_assert_int_eq(r.unit, STATS_US);
	ck_assert_uint_eq(r.have, STATS_HAVE(STATS_MEDIAN));
	ck_assert_double_eq(r.v[STATS_MEDIAN], 1000);
	ck_assert_str_eq(r.note, "");
	ck_assert_int_eq(parse("bench: vmm.rss_overhead unit=KiB median=-12 note=", &r),
			 STATS_LINE_USED);
	ck_assert_int_eq(r.unit, STATS_KIB);
	ck_assert_double_eq(r.v[STATS_MEDIAN], -12);
	ck_assert_int_eq(parse("bench: timer.overhead.hz1000 unit=percent median=0.5", &r),
			 STATS_LINE_USED);
	ck_assert_int_eq(r.unit, STATS_PERCENT);
}
END_TEST

START_TEST(result_malformed)
{
	assert_bad("bench: syscall.null median=5");              /* no unit */
	assert_bad("bench: syscall.null unit=cycles n=5");       /* no median */
	assert_bad("bench: syscall.null unit=furlongs median=5"); /* unknown unit */
	assert_bad("bench: syscall.null unit=cycles median=abc");
	assert_bad("bench: syscall.null unit=cycles median=");
	assert_bad("bench: syscall.null unit=cycles median=nan");
	assert_bad("bench: syscall.null unit=cycles median=inf");
	assert_bad("bench: syscall.null unit=cycles median=0x10");
	assert_bad("bench: syscall.null unit=cycles median=1e400");
	assert_bad("bench: syscall.null unit=cycles median=1e16"); /* beyond any measurement */
	assert_bad("bench: syscall.null unit=cycles median=5 n=-1");
	assert_bad("bench: syscall.null unit=cycles median=5 steps=-1"); /* a count */
	assert_bad("bench: syscall.null unit=cycles median=5 p1=1.2.3");
	assert_bad("bench: syscall.null unit=cycles median=5 stray");
	assert_bad("bench: Syscall.null unit=cycles median=5");
	assert_bad("bench: sys/call unit=cycles median=5");
	assert_bad("bench:");
	assert_bad("bench: ");
	assert_bad("bench: "
		   "a234567890123456789012345678901234567890123456789012345678901234"
		   " unit=cycles median=5");
}
END_TEST

START_TEST(result_other_lines)
{
	struct stats_result r;

	ck_assert_int_eq(parse("", &r), STATS_LINE_OTHER);
	ck_assert_int_eq(parse("hello world", &r), STATS_LINE_OTHER);
	ck_assert_int_eq(parse(" bench: syscall.null unit=cycles median=5", &r), STATS_LINE_OTHER);
	ck_assert_int_eq(parse("benchmark: x unit=cycles median=5", &r), STATS_LINE_OTHER);
	ck_assert_int_eq(parse("bench:x unit=cycles median=5", &r), STATS_LINE_OTHER);
	ck_assert_int_eq(parse("bench-q: x 1 2 3", &r), STATS_LINE_OTHER);
	ck_assert_int_eq(parse("bench-info: platform=hardware", &r), STATS_LINE_OTHER);
}
END_TEST

START_TEST(quantiles_count)
{
	char line[BIG_LINE], name[STATS_NAME_MAX];
	double q[STATS_QUANTILES];

	quantile_line(line, sizeof(line), "trap.bp", 10, 0.5, STATS_QUANTILES);
	ck_assert_int_eq(stats_parse_quantiles(line, name, q, why, sizeof(why)), STATS_LINE_USED);
	ck_assert_str_eq(name, "trap.bp");
	ck_assert_double_eq(q[0], 10);
	ck_assert_double_eq(q[50], 35);
	ck_assert_double_eq(q[100], 60);
	quantile_line(line, sizeof(line), "trap.bp", 10, 1, STATS_QUANTILES - 1);
	ck_assert_int_eq(stats_parse_quantiles(line, name, q, why, sizeof(why)), STATS_LINE_BAD);
	quantile_line(line, sizeof(line), "trap.bp", 10, 1, STATS_QUANTILES + 1);
	ck_assert_int_eq(stats_parse_quantiles(line, name, q, why, sizeof(why)), STATS_LINE_BAD);
	quantile_line(line, sizeof(line), "trap.bp", 10, -1, STATS_QUANTILES); /* decreasing */
	ck_assert_int_eq(stats_parse_quantiles(line, name, q, why, sizeof(why)), STATS_LINE_BAD);
	ck_assert_int_eq(stats_parse_quantiles("bench-q: trap.bp 1 2 x", name, q, why, sizeof(why)),
			 STATS_LINE_BAD);
	ck_assert_int_eq(stats_parse_quantiles("bench: trap.bp 1", name, q, why, sizeof(why)),
			 STATS_LINE_OTHER);
}
END_TEST

START_TEST(info_last_wins)
{
	struct stats_info info = {0};

	ck_assert_int_eq(stats_parse_info("bench-info: platform=kvm_pvm tsc_khz=2994000 "
					  "mitigations=kpti,verw",
					  &info, why, sizeof(why)),
			 STATS_LINE_USED);
	ck_assert_int_eq(stats_parse_info("bench-info: platform=hardware "
					  "skipped.syscall.null.ibpb=no_IBPB",
					  &info, why, sizeof(why)),
			 STATS_LINE_USED);
	ck_assert_uint_eq(info.count, 4);
	ck_assert_str_eq(stats_info_get(&info, "skipped.syscall.null.ibpb"), "no_IBPB");
	ck_assert_str_eq(stats_info_get(&info, "platform"), "hardware");
	ck_assert_str_eq(stats_info_get(&info, "mitigations"), "kpti,verw");
	ck_assert_ptr_null(stats_info_get(&info, "pcid"));
	/* A malformed word refuses the whole line: nothing from it is stored. */
	ck_assert_int_eq(stats_parse_info("bench-info: pcid=1 Bad=2", &info, why, sizeof(why)),
			 STATS_LINE_BAD);
	ck_assert_ptr_null(stats_info_get(&info, "pcid"));
	ck_assert_int_eq(stats_parse_info("bench-info: novalue", &info, why, sizeof(why)),
			 STATS_LINE_BAD);
}
END_TEST

START_TEST(read_mixed_output)
{
	char q[BIG_LINE], text[2 * BIG_LINE];
	struct stats_run *run = malloc(sizeof(*run));

	ck_assert_ptr_nonnull(run);
	quantile_line(q, sizeof(q), "syscall.raw", 1, 0.5, STATS_QUANTILES);
	snprintf(text, sizeof(text),
		 "LDE kernel booting\r\n"
		 "%s\r\n"
		 "bench: syscall.raw unit=cycles n=10 median=100 p1=90 p99=200 min=80\r\n"
		 "bench: syscall.null unit=cycles median=oops\n"
		 "bench-info: platform=kvm_pvm tsc_khz=1000000\r\n"
		 "bench: syscall.raw unit=cycles n=20 median=110 p1=95 p99=210 min=85 "
		 "note=again\r\n"
		 "bench: trap.bp unit=cycles median=300", /* no final newline */
		 q);
	ck_assert_int_eq(read_text(text, run), 1); /* the one malformed line */
	ck_assert_uint_eq(run->count, 2);
	ck_assert_str_eq(run->result[0].name, "syscall.raw");
	ck_assert_double_eq(run->result[0].v[STATS_MEDIAN], 110); /* the last line wins */
	ck_assert_double_eq(run->result[0].v[STATS_N], 20);
	ck_assert_str_eq(run->result[0].note, "again");
	ck_assert(run->result[0].have_q); /* it came before the bench: lines */
	ck_assert_double_eq(run->result[0].q[100], 51);
	ck_assert_str_eq(run->result[1].name, "trap.bp");
	ck_assert_double_eq(run->result[1].v[STATS_MEDIAN], 300);
	ck_assert_str_eq(stats_info_get(&run->info, "platform"), "kvm_pvm");
	free(run);
}
END_TEST

START_TEST(read_long_line)
{
	char *text = malloc(2 * BIG_LINE);
	struct stats_run *run = malloc(sizeof(*run));
	size_t len;

	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(run);
	len = (size_t)sprintf(text, "bench: trap.ud unit=cycles median=7 note=");
	memset(text + len, 'x', BIG_LINE);
	len += BIG_LINE;
	len += (size_t)sprintf(text + len, "\nbench: trap.pf unit=cycles median=8\n");
	ck_assert_int_eq(read_text(text, run), 1);
	ck_assert_uint_eq(run->count, 1);
	ck_assert_str_eq(run->result[0].name, "trap.pf");
	free(text);
	free(run);
}
END_TEST

/* ---- aggregation ---- */

START_TEST(median_odd_even)
{
	double one[] = {7};
	double odd[] = {9, 1, 5};
	double even[] = {4, 1, 3, 2};

	ck_assert_double_eq(stats_median(one, 1), 7);
	ck_assert_double_eq(stats_median(odd, 3), 5);
	ck_assert_double_eq(stats_median(even, 4), 2.5);
	ck_assert_double_eq(even[0], 1); /* sorted in place */
}
END_TEST

/* Three runs of syscall.null (and, in the second only, an extra metric). */
static struct stats_agg *three_runs(const char *platform)
{
	static const char *const lines[RUNS] = {
		"bench: syscall.null unit=cycles n=2001 median=100 p1=90 p99=300 min=80 "
		"exits_vmm=0 exits_kvm=1 insns=4 steps=99 note=first",
		"bench: syscall.null unit=cycles n=1001 median=120 p1=92 p99=200 min=70 "
		"exits_vmm=3 exits_kvm=0 mean=121 steps=98.5 note=second",
		"bench: syscall.null unit=cycles n=2001 median=110 p1=91 p99=250 min=75 "
		"exits_vmm=1 exits_kvm=2 insns=6 steps=99",
	};
	static const char extra[] = "bench: zzz.extra unit=us median=1";
	struct stats_agg *agg = calloc(1, sizeof(*agg));
	struct stats_run *run = malloc(sizeof(*run));
	char line[BIG_LINE];

	ck_assert_ptr_nonnull(agg);
	ck_assert_ptr_nonnull(run);
	for (unsigned i = 0; i < RUNS; i++) {
		memset(run, 0, sizeof(*run));
		ck_assert_int_eq(stats_run_line(run, lines[i], why, sizeof(why)), STATS_LINE_USED);
		quantile_line(line, sizeof(line), "syscall.null", 10 * (i + 1), 1, STATS_QUANTILES);
		ck_assert_int_eq(stats_run_line(run, line, why, sizeof(why)), STATS_LINE_USED);
		if (i == 1)
			ck_assert_int_eq(stats_run_line(run, extra, why, sizeof(why)),
					 STATS_LINE_USED);
		snprintf(line, sizeof(line), "bench-info: platform=%s tsc_khz=2000000", platform);
		ck_assert_int_eq(stats_run_line(run, line, why, sizeof(why)), STATS_LINE_USED);
		ck_assert_int_eq(stats_agg_add(agg, run), 0);
	}
	free(run);
	return agg;
}

START_TEST(aggregate_three_runs)
{
	struct stats_agg *agg = three_runs("hardware");
	const struct stats_metric *m = stats_agg_find(agg, "syscall.null");
	double runs[STATS_RUNS_MAX];
	struct stats_summary s;

	ck_assert_uint_eq(agg->runs, RUNS);
	ck_assert_uint_eq(agg->count, 2);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->note, "first");
	stats_summarize(m, &s);
	ck_assert_uint_eq(s.runs, RUNS);
	ck_assert_double_eq(s.v[STATS_MEDIAN], 110); /* median of 100, 120, 110 */
	ck_assert_double_eq(s.v[STATS_P1], 91);
	ck_assert_double_eq(s.v[STATS_P99], 250);
	ck_assert_double_eq(s.v[STATS_MIN], 70);     /* min of mins */
	ck_assert_double_eq(s.v[STATS_N], 5003);     /* sum of n */
	ck_assert_double_eq(s.v[STATS_INSNS], 5);    /* median of the two that gave it */
	ck_assert_double_eq(s.v[STATS_STEPS], 99);   /* median of 99, 98.5, 99 */
	ck_assert_double_eq(s.v[STATS_MEAN], 121);
	ck_assert(!(s.have & STATS_HAVE(STATS_MEAN_N)));
	ck_assert_double_eq(s.v[STATS_EXITS_VMM], 3); /* max over runs, from the n=1001 run */
	ck_assert_double_eq(s.v[STATS_EXITS_KVM], 2); /* from an n=2001 run */
	ck_assert_double_eq(s.exits_ops, 1001);       /* the smaller window: never understated */
	ck_assert_uint_eq(stats_run_values(m, STATS_MEDIAN, runs), RUNS);
	ck_assert_double_eq(runs[0], 100); /* in run order: what the JSON's run_medians holds */
	ck_assert_double_eq(runs[1], 120);
	ck_assert_double_eq(runs[2], 110);
	ck_assert_uint_eq(stats_run_values(m, STATS_INSNS, runs), 2); /* the runs that gave it */
	ck_assert_double_eq(runs[1], 6);
	ck_assert(s.have_q);
	ck_assert_double_eq(s.q[0], 20); /* per-quantile median of 10, 20, 30 */
	ck_assert_double_eq(s.q[100], 120);
	m = stats_agg_find(agg, "zzz.extra");
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->runs, 1);
	ck_assert_str_eq(stats_info_get(&agg->info, "tsc_khz"), "2000000");
	free(agg);
}
END_TEST

START_TEST(aggregate_limits)
{
	struct stats_agg *agg = calloc(1, sizeof(*agg));
	struct stats_run *run = malloc(sizeof(*run));
	char line[BIG_LINE];

	ck_assert_ptr_nonnull(agg);
	ck_assert_ptr_nonnull(run);
	memset(run, 0, sizeof(*run));
	for (unsigned i = 0; i <= STATS_METRICS_MAX; i++) {
		snprintf(line, sizeof(line), "bench: m%u unit=cycles median=%u", i, i);
		ck_assert_int_eq(stats_run_line(run, line, why, sizeof(why)),
				 i < STATS_METRICS_MAX ? STATS_LINE_USED : STATS_LINE_BAD);
	}
	ck_assert_uint_eq(run->count, STATS_METRICS_MAX);
	ck_assert_uint_eq(run->dropped, 1);
	for (unsigned i = 0; i < STATS_RUNS_MAX; i++)
		ck_assert_int_eq(stats_agg_add(agg, run), 0);
	ck_assert_int_eq(stats_agg_add(agg, run), -1);
	ck_assert_uint_eq(agg->metric[0].runs, STATS_RUNS_MAX);
	/* A unit that differs from the first run's is refused, not mixed in. */
	agg->runs = 0;
	agg->metric[0].runs = 0;
	agg->metric[0].unit = STATS_US;
	memset(run, 0, sizeof(*run));
	ck_assert_int_eq(stats_run_line(run, "bench: m0 unit=cycles median=1", why, sizeof(why)),
			 STATS_LINE_USED);
	ck_assert_int_eq(stats_agg_add(agg, run), 0);
	ck_assert_uint_eq(agg->unit_clashes, 1);
	ck_assert_uint_eq(agg->metric[0].runs, 0);
	free(run);
	free(agg);
}
END_TEST

START_TEST(report_order)
{
	static const char *const names[] = {"zeta", "host.pipe", "alpha", "call.null", "vmm.boot"};
	static const char *const want[] = {"call.null", "host.pipe", "vmm.boot", "alpha", "zeta"};
	struct stats_agg *agg = calloc(1, sizeof(*agg));
	struct stats_run *run = malloc(sizeof(*run));
	unsigned order[STATS_METRICS_MAX];
	char line[BIG_LINE];

	ck_assert_ptr_nonnull(agg);
	ck_assert_ptr_nonnull(run);
	memset(run, 0, sizeof(*run));
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(line, sizeof(line), "bench: %s unit=cycles median=1", names[i]);
		ck_assert_int_eq(stats_run_line(run, line, why, sizeof(why)), STATS_LINE_USED);
	}
	ck_assert_int_eq(stats_agg_add(agg, run), 0);
	stats_sort_order(agg, order);
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_str_eq(agg->metric[order[i]].name, want[i]);
	free(run);
	free(agg);
}
END_TEST

/* ---- ratios and goals ---- */

/* One run with the given lines, each "NAME MEDIAN [EXITS_VMM EXITS_KVM]" in cycles. */
static struct stats_agg *one_run(const char *const *lines, unsigned n)
{
	struct stats_agg *agg = calloc(1, sizeof(*agg));
	struct stats_run *run = malloc(sizeof(*run));

	ck_assert_ptr_nonnull(agg);
	ck_assert_ptr_nonnull(run);
	memset(run, 0, sizeof(*run));
	for (unsigned i = 0; i < n; i++)
		ck_assert_msg(stats_run_line(run, lines[i], why, sizeof(why)) == STATS_LINE_USED,
			      "%s: %s", lines[i], why);
	ck_assert_int_eq(stats_agg_add(agg, run), 0);
	free(run);
	return agg;
}

static const struct stats_ratio_def *ratio_def(const char *num, const char *den)
{
	for (unsigned i = 0; i < stats_ratio_count; i++)
		if (strcmp(stats_ratio_defs[i].num, num) == 0 &&
		    strcmp(stats_ratio_defs[i].den, den) == 0)
			return &stats_ratio_defs[i];
	ck_abort_msg("no ratio %s / %s", num, den);
	return NULL;
}

START_TEST(ratio_status)
{
	static const char *const lines[] = {
		"bench: syscall.raw unit=cycles median=100",
		"bench: syscall.null unit=cycles median=120",
		"bench: syscall.getpid unit=cycles median=150",
		"bench: int80.raw unit=cycles median=100",
		"bench: int80.null unit=cycles median=200",
		"bench: call.null unit=cycles median=0",
		"bench: host.pipe unit=us median=3",
	};
	struct stats_agg *agg = one_run(lines, sizeof(lines) / sizeof(lines[0]));
	struct stats_ratio r;

	/* 1.2 <= 1.3: met on hardware; elsewhere the value is shown but does not count. */
	stats_ratio_eval(agg, ratio_def("syscall.null", "syscall.raw"), 1, &r);
	ck_assert_int_eq(r.status, STATS_MET);
	ck_assert(r.have_value);
	ck_assert_double_eq_tol(r.value, 1.2, 1e-12);
	stats_ratio_eval(agg, ratio_def("syscall.null", "syscall.raw"), 0, &r);
	ck_assert_int_eq(r.status, STATS_NOT_APPLICABLE);
	ck_assert_double_eq_tol(r.value, 1.2, 1e-12);
	stats_ratio_eval(agg, ratio_def("int80.null", "int80.raw"), 1, &r);
	ck_assert_int_eq(r.status, STATS_MISSED);
	/* 1.25 > 1.10, and this goal holds everywhere. */
	stats_ratio_eval(agg, ratio_def("syscall.getpid", "syscall.null"), 0, &r);
	ck_assert_int_eq(r.status, STATS_MISSED);
	stats_ratio_eval(agg, ratio_def("syscall.null", "host.getpid"), 1, &r);
	ck_assert_int_eq(r.status, STATS_MISSING);
	ck_assert(!r.have_value);
	/* A zero denominator has no ratio; nor do two units. */
	stats_ratio_eval(agg, ratio_def("syscall.null", "call.null"), 1, &r);
	ck_assert_int_eq(r.status, STATS_MISSING);
	stats_ratio_eval(agg, ratio_def("switch.yield", "host.pipe"), 1, &r);
	ck_assert_int_eq(r.status, STATS_MISSING);
	free(agg);
}
END_TEST

START_TEST(ratio_informational)
{
	static const char *const lines[] = {
		"bench: vmexit.cpuid unit=cycles median=1000",
		"bench: vmexit.pio unit=cycles median=1500",
	};
	struct stats_agg *agg = one_run(lines, sizeof(lines) / sizeof(lines[0]));
	struct stats_ratio r;

	stats_ratio_eval(agg, ratio_def("vmexit.pio", "vmexit.cpuid"), 1, &r);
	ck_assert_int_eq(r.status, STATS_INFORMATIONAL);
	ck_assert_double_eq_tol(r.value, 1.5, 1e-12);
	free(agg);
}
END_TEST

START_TEST(zero_exit_violations)
{
	static const char *const lines[] = {
		"bench: syscall.null unit=cycles median=1 exits_vmm=0 exits_kvm=0",
		"bench: trap.pf unit=cycles median=1 exits_vmm=0 exits_kvm=4",
		"bench: switch.yield unit=cycles median=1 exits_vmm=2",
		"bench: int80.null unit=cycles median=1",                         /* not counted */
		"bench: vmexit.cpuid unit=cycles median=1 exits_vmm=9 exits_kvm=9", /* may exit */
	};
	static const char *const clean[] = {
		"bench: syscall.null unit=cycles median=1 exits_vmm=0 exits_kvm=0",
	};
	static const char *const uncounted[] = {"bench: syscall.null unit=cycles median=1"};
	struct stats_agg *agg = one_run(lines, sizeof(lines) / sizeof(lines[0]));
	const char *viol[STATS_METRICS_MAX];
	unsigned n;

	ck_assert_int_eq(stats_zero_exits(agg, 1, viol, STATS_METRICS_MAX, &n), STATS_MISSED);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(viol[0], "trap.pf"); /* in report order */
	ck_assert_str_eq(viol[1], "switch.yield");
	ck_assert_int_eq(stats_zero_exits(agg, 0, viol, STATS_METRICS_MAX, &n),
			 STATS_NOT_APPLICABLE);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(stats_zero_exits(agg, 1, viol, 1, &n), STATS_MISSED);
	ck_assert_uint_eq(n, 1);
	free(agg);
	agg = one_run(clean, 1);
	ck_assert_int_eq(stats_zero_exits(agg, 1, viol, STATS_METRICS_MAX, &n), STATS_MET);
	ck_assert_uint_eq(n, 0);
	free(agg);
	agg = one_run(uncounted, 1);
	ck_assert_int_eq(stats_zero_exits(agg, 1, viol, STATS_METRICS_MAX, &n), STATS_MISSING);
	free(agg);
}
END_TEST

/* ---- JSON ---- */

static char *json_of_string(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	stats_json_string(f, s);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static void assert_json_string(const char *in, const char *want)
{
	char *got = json_of_string(in);

	ck_assert_str_eq(got, want);
	free(got);
}

static void assert_json_number(double v, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	stats_json_number(f, v);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(buf, want);
	free(buf);
}

START_TEST(json_escapes)
{
	assert_json_string("plain", "\"plain\"");
	assert_json_string("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_json_string("C:\\path", "\"C:\\\\path\"");
	assert_json_string("a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\"");
	assert_json_string("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
	assert_json_string("caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\""); /* UTF-8 */
	assert_json_string("bad \xff\xc3(", "\"bad \\ufffd\\ufffd(\"");
	assert_json_string("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a surrogate */
	assert_json_string("", "\"\"");
}
END_TEST

START_TEST(json_numbers)
{
	assert_json_number(20001, "20001");
	assert_json_number(5.23, "5.23");
	assert_json_number(0.1, "0.1");
	assert_json_number(-2.5, "-2.5");
	assert_json_number(1e15, "1e+15");
	assert_json_number(1.0 / 3, "0.3333333333333333");
	assert_json_number(NAN, "null");
	assert_json_number(INFINITY, "null");
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *p = tcase_create("parse");
	TCase *a = tcase_create("aggregate");
	TCase *g = tcase_create("goals");
	TCase *j = tcase_create("json");

	tcase_add_test(p, result_all_keys);
	tcase_add_test(p, result_minimal_and_unknown_keys);
	tcase_add_test(p, result_malformed);
	tcase_add_test(p, result_other_lines);
	tcase_add_test(p, quantiles_count);
	tcase_add_test(p, info_last_wins);
	tcase_add_test(p, read_mixed_output);
	tcase_add_test(p, read_long_line);
	tcase_add_test(a, median_odd_even);
	tcase_add_test(a, aggregate_three_runs);
	tcase_add_test(a, aggregate_limits);
	tcase_add_test(a, report_order);
	tcase_add_test(g, ratio_status);
	tcase_add_test(g, ratio_informational);
	tcase_add_test(g, zero_exit_violations);
	tcase_add_test(j, json_escapes);
	tcase_add_test(j, json_numbers);
	suite_add_tcase(s, p);
	suite_add_tcase(s, a);
	suite_add_tcase(s, g);
	suite_add_tcase(s, j);
	return s;
}
