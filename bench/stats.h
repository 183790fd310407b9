/* bench/stats.h: the bench protocol's lines, their aggregation over runs, the goal ratios and JSON helpers: the report tool's testable core. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>
#include <stdio.h>

/*
 * The protocol: benchmark programs print these lines, anywhere in their output, each at the
 * start of a line (a trailing \r is ignored); every other line is ignored.
 *
 *     bench: NAME unit=U n=N median=M p1=A p99=B min=C [mean=X mean_n=K] [exits_vmm=E]
 *            [exits_kvm=F] [insns=I] [steps=S] [note=free text to the end of the line]
 *     bench-q: NAME Q0 Q1 ... Q100           the 0th..100th percentiles of one run's samples
 *     bench-info: KEY=VALUE ...              facts the guest kernel reports (last one wins)
 *
 * NAME and KEY are [a-z0-9._-]+, a VALUE has no blanks; U is cycles, us, KiB or percent;
 * numbers are plain decimals (5.23, 20001, 1e3), never nan, inf or hex. unit= and median= are
 * required; unknown keys are skipped, so that producers can add keys before the report knows
 * them.
 */
#define STATS_LINE_MAX 4096 /* a bench-q line is 101 numbers: about 2 KiB at most */
#define STATS_NAME_MAX 64
#define STATS_NOTE_MAX 256
#define STATS_QUANTILES 101 /* the 0th to the 100th percentile */
#define STATS_METRICS_MAX 128
#define STATS_RUNS_MAX 64
#define STATS_INFO_MAX 32
#define STATS_INFO_KEY_MAX 80 /* room for a metric's name in a key: skipped.NAME */
#define STATS_INFO_VALUE_MAX 128
#define STATS_WHY_MAX 160 /* room for the reason a line was refused */

enum stats_unit { STATS_CYCLES, STATS_US, STATS_KIB, STATS_PERCENT, STATS_UNIT_COUNT };

/* The numeric keys of a "bench:" line; stats_field_key[] holds their spelling. */
enum stats_field {
	STATS_N,
	STATS_MEDIAN,
	STATS_P1,
	STATS_P99,
	STATS_MIN,
	STATS_MEAN,
	STATS_MEAN_N,
	STATS_EXITS_VMM,
	STATS_EXITS_KVM,
	STATS_INSNS,
	STATS_STEPS, /* ring-0 instructions of one operation, single-stepped (--step) */
	STATS_FIELD_COUNT
};
#define STATS_HAVE(f) (1u << (f))

extern const char *const stats_unit_name[STATS_UNIT_COUNT];
extern const char *const stats_field_key[STATS_FIELD_COUNT];

/* One metric as one run reported it: its "bench:" line and, if one came, its "bench-q:" line. */
struct stats_result {
	char name[STATS_NAME_MAX];
	int have_result; /* a "bench:" line was seen (a "bench-q:" line alone is not a result) */
	enum stats_unit unit;
	unsigned have; /* STATS_HAVE(field) for each key the line gave */
	double v[STATS_FIELD_COUNT];
	char note[STATS_NOTE_MAX]; /* "" when the line had no note */
	int have_q;
	double q[STATS_QUANTILES];
};

/* The "bench-info:" facts: strings, in the order first seen; a later value replaces. */
struct stats_info {
	unsigned count;
	char key[STATS_INFO_MAX][STATS_INFO_KEY_MAX];
	char value[STATS_INFO_MAX][STATS_INFO_VALUE_MAX];
};

/* Everything one file (one fresh run of the suite) reported. Large: allocate it. */
struct stats_run {
	unsigned count;
	struct stats_result result[STATS_METRICS_MAX];
	struct stats_info info;
	unsigned dropped; /* results refused because result[] was full */
};

/* One metric over all runs: each run's values, kept for the medians. */
struct stats_metric {
	char name[STATS_NAME_MAX];
	enum stats_unit unit;
	char note[STATS_NOTE_MAX]; /* the first note seen */
	unsigned runs;
	struct stats_result run[STATS_RUNS_MAX];
};

/* All runs. Large (some megabytes): allocate it, zeroed. */
struct stats_agg {
	unsigned runs;
	unsigned count;
	struct stats_metric metric[STATS_METRICS_MAX];
	struct stats_info info; /* the last run's value of each key */
	unsigned dropped;       /* metrics refused because metric[] was full */
	unsigned unit_clashes;  /* results refused because their unit differed from run 1's */
};

/* One metric's summary: medians of the runs' values, the minimum of their minimums, ... */
struct stats_summary {
	unsigned runs;
	unsigned have; /* STATS_HAVE(field) for each value below that some run gave */
	double v[STATS_FIELD_COUNT];
	double exits_ops; /* the n of the window the exit counts come from (see stats_summarize) */
	int have_q;
	double q[STATS_QUANTILES];
};

/* What stats_run_line made of one line. */
enum stats_line { STATS_LINE_OTHER, STATS_LINE_USED, STATS_LINE_BAD };

/* ---- parsing ---- */

/* stats_parse_number: s[0..len) as a plain decimal, finite; 0 on success, -1 otherwise. */
int stats_parse_number(const char *s, size_t len, double *out);
/*
 * stats_parse_result: one "bench:" line (without its newline) into r (all of r is written).
 * Returns STATS_LINE_OTHER when the line is not a "bench:" line, STATS_LINE_BAD with the
 * reason in why when it is one but malformed.
 */
enum stats_line stats_parse_result(const char *line, struct stats_result *r, char *why,
				   size_t whylen);
/* stats_parse_quantiles: one "bench-q:" line: the name and exactly STATS_QUANTILES numbers. */
enum stats_line stats_parse_quantiles(const char *line, char name[STATS_NAME_MAX],
				      double q[STATS_QUANTILES], char *why, size_t whylen);
/* stats_parse_info: one "bench-info:" line's KEY=VALUE words, added to info. */
enum stats_line stats_parse_info(const char *line, struct stats_info *info, char *why,
				 size_t whylen);

/* stats_run_line: one line of a run's output, of any kind, into run. */
enum stats_line stats_run_line(struct stats_run *run, const char *line, char *why, size_t whylen);
/*
 * stats_run_read: every line of f into run (which it clears first). Malformed protocol lines
 * and lines longer than STATS_LINE_MAX are warned about on stderr as "report: NAME:LINE: why"
 * and skipped. Returns the number of warnings, or -1 on a read error.
 */
int stats_run_read(FILE *f, const char *fname, struct stats_run *run);

/* stats_info_get: the value of key, or NULL. */
const char *stats_info_get(const struct stats_info *info, const char *key);
/* stats_info_set: add or replace key; 0, or -1 when info is full or key/value too long. */
int stats_info_set(struct stats_info *info, const char *key, const char *value);

/* ---- aggregation ---- */

/* stats_median: the median of v[0..n) (which it sorts); the mean of the middle two for even n. */
double stats_median(double *v, unsigned n);
/* stats_agg_add: one run into agg; -1 when agg already holds STATS_RUNS_MAX runs. */
int stats_agg_add(struct stats_agg *agg, const struct stats_run *run);
/* stats_agg_find: the metric called name, or NULL. */
const struct stats_metric *stats_agg_find(const struct stats_agg *agg, const char *name);
/*
 * stats_summarize: median = the median of the runs' medians (likewise p1, p99, mean, mean_n,
 * insns, steps), min = the least min, n = the sum of the runs' n; exits_vmm and exits_kvm are the
 * largest any run counted, and exits_ops is that run's n (when the two maxima come from runs
 * with different n, the smaller n, so that exits per operation are never understated).
 * Each quantile is the median of the runs' values of that quantile.
 */
void stats_summarize(const struct stats_metric *m, struct stats_summary *s);
/*
 * stats_run_values: field f of each of m's runs that gave it, in the order the runs were added
 * (the report's FILE order), into v; returns how many. For STATS_MEDIAN (which every result
 * has) that is one per run: what the JSON's run_medians holds and bench/compare tests.
 */
unsigned stats_run_values(const struct stats_metric *m, enum stats_field f,
			  double v[STATS_RUNS_MAX]);

/* stats_order_rank: where a metric goes in the report: its place in the known list, or after. */
unsigned stats_order_rank(const char *name);
/* stats_sort_order: indexes of agg's metrics in report order (known list, then by name). */
void stats_sort_order(const struct stats_agg *agg, unsigned order[STATS_METRICS_MAX]);

/* ---- ratios and goals ---- */

/* Where a goal holds: on bare hardware only (the kvm_pvm paths are emulated), or everywhere. */
enum stats_applies { STATS_APPLIES_HARDWARE, STATS_APPLIES_ALL };
enum stats_status {
	STATS_MET,
	STATS_MISSED,
	STATS_NOT_APPLICABLE, /* a hardware goal, measured elsewhere: the value is shown anyway */
	STATS_MISSING,        /* a metric is absent (or the denominator is zero) */
	STATS_INFORMATIONAL,  /* no goal: the ratio is there to be read */
	STATS_STATUS_COUNT
};
extern const char *const stats_status_name[STATS_STATUS_COUNT];
extern const char *const stats_applies_name[];

struct stats_ratio_def {
	const char *num, *den;
	double goal; /* the largest value allowed; 0: informational */
	enum stats_applies applies;
};
extern const struct stats_ratio_def stats_ratio_defs[];
extern const unsigned stats_ratio_count;

struct stats_ratio {
	const struct stats_ratio_def *def;
	int have_value;
	double value; /* num median / den median */
	int den_mean; /* the denominator's median was 0 (call.null): its batch mean was used */
	enum stats_status status;
};

/* stats_ratio_eval: one ratio over agg's medians; hardware: the results come from bare metal. */
void stats_ratio_eval(const struct stats_agg *agg, const struct stats_ratio_def *def,
		      int hardware, struct stats_ratio *out);

/*
 * stats_zero_exits: on hardware, no syscall.*, int80.*, trap.* or switch.* metric may exit to
 * the VMM or to KVM in its timed window. Writes the names of the violators (up to max) to
 * violations and their count to *nviol; status MISSING when no such metric counted exits.
 */
enum stats_status stats_zero_exits(const struct stats_agg *agg, int hardware,
				   const char *violations[], unsigned max, unsigned *nviol);

/* ---- JSON ---- */

/* stats_json_string: s as a JSON string, quoted; bytes that are not UTF-8 become U+FFFD. */
void stats_json_string(FILE *f, const char *s);
/* stats_json_number: v in the fewest digits that read back as v; null if not finite. */
void stats_json_number(FILE *f, double v);

#endif
