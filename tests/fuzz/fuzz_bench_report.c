/* tests/fuzz/fuzz_bench_report.c: libFuzzer harness for bench/stats.c: a run's output, read, aggregated twice, summarised, judged. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bench/stats.h"

/*
 * The input is one file of benchmark output (bench/README.md, "bench lines"): any bytes.
 * It is read as one run, aggregated as two runs (so every median has two values to take),
 * summarised metric by metric, and put through the ratios and the zero-exit check, with the
 * JSON string writer on every name and note. The checks: nothing crashes or reads out of
 * bounds (ASan, UBSan), and what the aggregate holds is what the run had.
 */
#define CHECK(c)                                                                                  \
	do {                                                                                      \
		if (!(c)) {                                                                       \
			fprintf(stderr, "fuzz_bench_report: invariant failed: %s (%s:%d)\n", #c, \
				__FILE__, __LINE__);                                              \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct stats_run *run;
	static struct stats_agg *agg;
	static FILE *null_out;
	const char *viol[STATS_METRICS_MAX];
	unsigned nviol;
	FILE *f;

	if (run == NULL) {
		run = malloc(sizeof(*run));
		agg = malloc(sizeof(*agg));
		null_out = fopen("/dev/null", "w");
		if (run == NULL || agg == NULL || null_out == NULL)
			abort();
	}
	f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return 0; /* size 0: nothing to read */
	CHECK(stats_run_read(f, "fuzz", run) >= 0);
	fclose(f);
	CHECK(run->count <= STATS_METRICS_MAX);

	memset(agg, 0, sizeof(*agg));
	CHECK(stats_agg_add(agg, run) == 0);
	CHECK(stats_agg_add(agg, run) == 0);
	CHECK(agg->runs == 2 && agg->count <= STATS_METRICS_MAX);
	for (unsigned i = 0; i < agg->count; i++) {
		const struct stats_metric *m = &agg->metric[i];
		struct stats_summary s;

		CHECK(stats_agg_find(agg, m->name) == m);
		CHECK(m->runs <= 2);
		stats_summarize(m, &s);
		CHECK(s.runs == m->runs);
		stats_json_string(null_out, m->name);
		stats_json_string(null_out, m->note);
		for (unsigned k = 0; k < STATS_FIELD_COUNT; k++)
			stats_json_number(null_out, s.v[k]);
	}
	for (unsigned i = 0; i < stats_ratio_count; i++) {
		struct stats_ratio r;
		stats_ratio_eval(agg, &stats_ratio_defs[i], (int)(size & 1), &r);
		CHECK(!r.have_value || r.value == r.value); /* never NaN */
	}
	stats_zero_exits(agg, 1, viol, STATS_METRICS_MAX, &nviol);
	CHECK(nviol <= agg->count);
	return 0;
}
