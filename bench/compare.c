/* bench/compare.c: compares two bench result files metric by metric: the medians, their ratio, and whether the change is beyond the runs' noise. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "judge.h"
#include "stats.h"

/*
 * Usage: compare OLD.json NEW.json (bench/README.md, "Comparing two runs").
 * Exit status: 0 when no metric got slower beyond the runs' noise, 1 when one did, 2 for a
 * usage error, a file that cannot be read or is not a well-formed result file, or no memory.
 */
#define EXIT_SLOWER 1
#define EXIT_USAGE 2

/* The schema this reads; bench/report.c writes it. Schema 1 files from before run_medians
 * existed are read too: their rows are shown and marked "not judged". */
#define SCHEMA 1
/* A result file is about 35 KB; 128 metrics of 64 runs with quantiles stay under 1 MiB. */
#define FILE_MAX (4u << 20)
#define FILE_MAX_TEXT "4 MiB"
/* As bench/stats.c accepts from a bench: line: beyond any measurement, and sums stay finite. */
#define VALUE_ABS_MAX 1e15
/* median must be the median of run_medians; a file written by hand may round a little. */
#define MEDIAN_TOLERANCE 1e-9
#define UNIT_MAX 16   /* "cycles", "percent": room for a unit this tool does not know yet */
#define TEXT_MAX 64   /* the platform and time stamp shown in the header */
#define VALUE_MAX 32  /* a formatted number */
#define DETAIL_MAX 96 /* the last column */
#define PERCENT 100.0

struct metric {
	char name[STATS_NAME_MAX];
	char unit[UNIT_MAX];
	double median;
	unsigned runs;
	int have_runs; /* the file has run_medians for it (schema 1 files from before may not) */
	double run[STATS_RUNS_MAX];
};

struct result {
	const char *path;
	unsigned runs;
	int quick;
	char generated[TEXT_MAX];
	char platform[TEXT_MAX];
	unsigned count;
	struct metric metric[STATS_METRICS_MAX];
};

#define USAGE_LINE "usage: compare OLD.json NEW.json (--help: what it prints, exit statuses)\n"

static void usage(void)
{
	printf("usage: compare OLD.json NEW.json\n"
	       "  Compares two result files of `make bench` (bench/results/*.json) metric by\n"
	       "  metric: old and new median, new/old, and a verdict: slower, faster, same\n"
	       "  (within noise), only in OLD, only in NEW, or not judged (and why).\n"
	       "  The verdict: a two-sided Mann-Whitney U test on the per-run medians (exact,\n"
	       "  alpha %.2f); with too few runs for it, whether the runs' ranges overlap.\n"
	       "  A change under %.0f%% of the old median is `same`. Higher is worse in every\n"
	       "  unit (cycles, us, KiB, percent).\n"
	       "exit status:\n"
	       "  0  no metric got slower beyond the runs' noise\n"
	       "  1  at least one metric got slower beyond the runs' noise\n"
	       "  2  usage error, or a file unreadable or not a well-formed result file\n",
	       JUDGE_ALPHA, JUDGE_MIN_EFFECT * PERCENT);
}

/* ---- reading a result file ---- */

struct loader {
	const char *path;
	const char *where; /* the member being checked, for messages, or NULL */
	char where_buf[STATS_NAME_MAX + sizeof("metrics.")];
};

/* A one-line error naming the file, the byte and the member; always returns -1. */
static int bad(const struct loader *ld, const struct json_value *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(const struct loader *ld, const struct json_value *at, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "compare: %s: ", ld->path);
	if (at != NULL)
		fprintf(stderr, "byte %zu: ", at->offset);
	if (ld->where != NULL)
		fprintf(stderr, "%s: ", ld->where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* The whole of path into *buf (NUL-terminated), at most FILE_MAX bytes. */
static int read_file(const char *path, char **buf, size_t *len)
{
	struct loader ld = {.path = path};
	FILE *f = fopen(path, "rb");
	size_t n;

	*buf = NULL;
	if (f == NULL)
		return bad(&ld, NULL, "%s", strerror(errno));
	*buf = malloc(FILE_MAX + 1);
	if (*buf == NULL) {
		fclose(f);
		return bad(&ld, NULL, "out of memory");
	}
	n = fread(*buf, 1, FILE_MAX + 1, f);
	if (ferror(f)) {
		int e = errno; /* a directory opens, and fails here with EISDIR */

		fclose(f);
		return bad(&ld, NULL, "%s", strerror(e));
	}
	fclose(f);
	if (n > FILE_MAX)
		return bad(&ld, NULL, "over " FILE_MAX_TEXT ": not a bench result file");
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

/* The member key of obj, of type t; NULL (with the error printed) when absent or otherwise. */
static const struct json_value *member(const struct loader *ld, const struct json_value *obj,
				       const char *key, enum json_type t)
{
	const struct json_value *v = json_get(obj, key);

	if (v == NULL) {
		bad(ld, obj, "no \"%s\"", key);
		return NULL;
	}
	if (v->type != t) {
		bad(ld, v, "\"%s\" is %s, not %s", key, json_type_name(v->type), json_type_name(t));
		return NULL;
	}
	return v;
}

/* A true-or-false member into *out. */
static int flag_member(const struct loader *ld, const struct json_value *obj, const char *key,
		       int *out)
{
	const struct json_value *v = json_get(obj, key);

	if (v == NULL)
		return bad(ld, obj, "no \"%s\"", key);
	if (v->type != JSON_TRUE && v->type != JSON_FALSE)
		return bad(ld, v, "\"%s\" is %s, not true or false", key, json_type_name(v->type));
	*out = v->type == JSON_TRUE;
	return 0;
}

/* A count member: a whole number in [lo, hi]. */
static int count_member(const struct loader *ld, const struct json_value *obj, const char *key,
			unsigned lo, unsigned hi, unsigned *out)
{
	const struct json_value *v = member(ld, obj, key, JSON_NUMBER);

	if (v == NULL)
		return -1;
	if (v->number != floor(v->number) || v->number < lo || v->number > hi)
		return bad(ld, v, "\"%s\" is %.17g, not a whole number from %u to %u", key,
			   v->number, lo, hi);
	*out = (unsigned)v->number;
	return 0;
}

static int value_ok(const struct loader *ld, const struct json_value *v, const char *what)
{
	if (v->type != JSON_NUMBER)
		return bad(ld, v, "%s is %s, not a number", what, json_type_name(v->type));
	if (fabs(v->number) > VALUE_ABS_MAX)
		return bad(ld, v, "%s %.17g is beyond any measurement (%g)", what, v->number,
			   VALUE_ABS_MAX);
	return 0;
}

/* A text for the header: printable ASCII only (the file is not trusted with the terminal). */
static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t i = 0;

	for (; src[i] != '\0' && i + 1 < cap; i++)
		dst[i] = src[i] >= ' ' && src[i] <= '~' ? src[i] : '?';
	dst[i] = '\0';
}

/* A metric's name as bench/stats.h defines it: [a-z0-9._-]+, under STATS_NAME_MAX. */
static int name_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-");

	return n > 0 && n < STATS_NAME_MAX && s[n] == '\0';
}

static int unit_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_%");

	return n > 0 && n < UNIT_MAX && s[n] == '\0';
}

/* run_medians: `runs` numbers whose median is `median`. */
static int load_run_medians(const struct loader *ld, const struct json_value *a,
			    struct metric *m)
{
	double sorted[STATS_RUNS_MAX], mid;
	unsigned i = 0;

	if (a->type != JSON_ARRAY)
		return bad(ld, a, "run_medians is %s, not an array", json_type_name(a->type));
	if (a->count != m->runs)
		return bad(ld, a, "run_medians has %zu values, but runs is %u", a->count, m->runs);
	for (const struct json_value *v = a->child; v != NULL; v = v->next, i++) {
		if (value_ok(ld, v, "a run median") != 0)
			return -1;
		m->run[i] = sorted[i] = v->number;
	}
	mid = stats_median(sorted, m->runs);
	if (fabs(mid - m->median) > MEDIAN_TOLERANCE * fmax(fabs(mid), fabs(m->median)))
		return bad(ld, a, "median is %.17g, but the median of run_medians is %.17g",
			   m->median, mid);
	m->have_runs = 1;
	return 0;
}

static int load_metric(struct loader *ld, const struct json_value *v, unsigned file_runs,
		       struct metric *m)
{
	const struct json_value *unit, *median, *runs;

	/* The name was checked by the caller: it is safe to print. */
	snprintf(ld->where_buf, sizeof(ld->where_buf), "metrics.%s", v->key);
	ld->where = ld->where_buf;
	if (v->type != JSON_OBJECT)
		return bad(ld, v, "%s, not an object", json_type_name(v->type));
	snprintf(m->name, sizeof(m->name), "%s", v->key);
	unit = member(ld, v, "unit", JSON_STRING);
	if (unit == NULL)
		return -1;
	if (!unit_ok(unit->string))
		return bad(ld, unit, "unit is not a word of up to %d letters", UNIT_MAX - 1);
	snprintf(m->unit, sizeof(m->unit), "%s", unit->string);
	median = json_get(v, "median");
	if (median == NULL)
		return bad(ld, v, "no \"median\"");
	if (value_ok(ld, median, "median") != 0)
		return -1;
	m->median = median->number;
	if (count_member(ld, v, "runs", 1, file_runs, &m->runs) != 0)
		return -1;
	runs = json_get(v, "run_medians");
	if (runs == NULL)
		return 0; /* written before run_medians existed: shown, not judged */
	return load_run_medians(ld, runs, m);
}

static int load_metrics(struct loader *ld, const struct json_value *metrics, struct result *r)
{
	if (metrics->count > STATS_METRICS_MAX)
		return bad(ld, metrics, "%zu metrics: more than the report writes (%d)",
			   metrics->count, STATS_METRICS_MAX);
	for (const struct json_value *v = metrics->child; v != NULL; v = v->next) {
		char shown[STATS_NAME_MAX];

		ld->where = "metrics";
		if (!name_ok(v->key)) {
			copy_text(shown, sizeof(shown), v->key);
			return bad(ld, v, "\"%s\" is not a metric name ([a-z0-9._-]+, under %d "
					  "characters)",
				   shown, STATS_NAME_MAX);
		}
		if (load_metric(ld, v, r->runs, &r->metric[r->count++]) != 0)
			return -1;
	}
	ld->where = NULL;
	return 0;
}

/* The file's header and metrics into r; -1 (with the error printed) if it is not a result file. */
static int load_result(const char *path, const struct json_value *root, struct result *r)
{
	struct loader ld = {.path = path};
	const struct json_value *v, *machine, *metrics;

	r->path = path;
	if (root->type != JSON_OBJECT)
		return bad(&ld, root, "%s, not an object: not a bench result file",
			   json_type_name(root->type));
	v = json_get(root, "schema");
	if (v == NULL)
		return bad(&ld, root, "no \"schema\": not a bench result file");
	if (v->type != JSON_NUMBER || v->number != SCHEMA)
		return bad(&ld, v, "schema is not %d: this compare reads schema %d files", SCHEMA,
			   SCHEMA);
	if (count_member(&ld, root, "runs", 1, STATS_RUNS_MAX, &r->runs) != 0)
		return -1;
	if (flag_member(&ld, root, "quick", &r->quick) != 0)
		return -1;
	if ((v = member(&ld, root, "generated", JSON_STRING)) == NULL)
		return -1;
	copy_text(r->generated, sizeof(r->generated), v->string);
	if ((machine = member(&ld, root, "machine", JSON_OBJECT)) == NULL)
		return -1;
	ld.where = "machine";
	if ((v = member(&ld, machine, "platform", JSON_STRING)) == NULL)
		return -1;
	copy_text(r->platform, sizeof(r->platform), v->string);
	ld.where = NULL;
	if ((metrics = member(&ld, root, "metrics", JSON_OBJECT)) == NULL)
		return -1;
	return load_metrics(&ld, metrics, r);
}

/* path, read, parsed and checked, into a new result; NULL when it is not one (error printed). */
static struct result *read_result(const char *path)
{
	struct loader ld = {.path = path};
	struct json_error err;
	struct json_doc doc;
	struct result *r;
	size_t len = 0;
	char *text;

	if (read_file(path, &text, &len) != 0) {
		free(text);
		return NULL;
	}
	if (json_parse(text, len, &doc, &err) != 0) {
		free(text);
		fprintf(stderr, "compare: %s: byte %zu: %s\n", path, err.offset, err.msg);
		return NULL;
	}
	free(text);
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		bad(&ld, NULL, "out of memory");
	else if (load_result(path, doc.root, r) != 0) {
		free(r);
		r = NULL;
	}
	json_free(&doc);
	return r;
}

/* ---- comparing ---- */

enum row_kind {
	ROW_SLOWER,
	ROW_FASTER,
	ROW_SAME,
	ROW_NOT_JUDGED,
	ROW_ONLY_OLD,
	ROW_ONLY_NEW,
	ROW_KINDS
};

static const char *const row_name[ROW_KINDS] = {
	[ROW_SLOWER] = "slower",
	[ROW_FASTER] = "faster",
	[ROW_SAME] = "same",
	[ROW_NOT_JUDGED] = "not judged",
	[ROW_ONLY_OLD] = "only in OLD",
	[ROW_ONLY_NEW] = "only in NEW",
};

static const struct metric *find(const struct result *r, const char *name)
{
	for (unsigned i = 0; i < r->count; i++)
		if (strcmp(r->metric[i].name, name) == 0)
			return &r->metric[i];
	return NULL;
}

/* Whole numbers as such, others with two decimals (as bench/report prints them). */
static const char *fmt_value(char *buf, size_t cap, double v)
{
	snprintf(buf, cap, v == floor(v) ? "%.0f" : "%.2f", v);
	return buf;
}

static int unit_known(const char *unit)
{
	for (unsigned u = 0; u < STATS_UNIT_COUNT; u++)
		if (strcmp(unit, stats_unit_name[u]) == 0)
			return 1;
	return 0;
}

/* Why a pair of metrics cannot be judged, or NULL when it can. */
static const char *not_judgeable(const struct metric *o, const struct metric *n, char *buf,
				 size_t cap)
{
	if (strcmp(o->unit, n->unit) != 0) {
		snprintf(buf, cap, "unit %s in OLD, %s in NEW", o->unit, n->unit);
		return buf;
	}
	/* Every unit the report knows is a cost: higher is worse. A new one must say. */
	if (!unit_known(o->unit)) {
		snprintf(buf, cap, "unit %s: whether higher is worse is not known", o->unit);
		return buf;
	}
	if (!o->have_runs || !n->have_runs) {
		snprintf(buf, cap, "no per-run figures (run_medians) in %s",
			 !o->have_runs && !n->have_runs ? "OLD and NEW"
			 : !o->have_runs               ? "OLD"
						       : "NEW");
		return buf;
	}
	return NULL;
}

/* The test and detail columns of a judged row. */
static void describe(const struct judge *j, const struct metric *o, const struct metric *n,
		     char *detail, size_t cap)
{
	size_t len = 0;

	if (j->test == JUDGE_TEST_MANN_WHITNEY)
		len = (size_t)snprintf(detail, cap, "p=%.2g, %u vs %u runs", j->p, o->runs,
				       n->runs);
	else if (j->test == JUDGE_TEST_RANGES)
		len = (size_t)snprintf(detail, cap,
				       "%u vs %u runs, too few for the U test: ranges %s", o->runs,
				       n->runs, j->significant ? "apart" : "overlap");
	else
		len = (size_t)snprintf(detail, cap, "%u vs %u runs: too few for any test", o->runs,
				       n->runs);
	if (j->below_effect && len < cap)
		snprintf(detail + len, cap - len, "; change %+.1f%% is under %.0f%%",
			 j->change * PERCENT, JUDGE_MIN_EFFECT * PERCENT);
}

static void print_row(const char *name, const char *unit, const struct metric *o,
		      const struct metric *n, enum row_kind kind, const char *test,
		      const char *detail)
{
	char ov[VALUE_MAX], nv[VALUE_MAX], ratio[VALUE_MAX];

	snprintf(ratio, sizeof(ratio), "-");
	/* A ratio of medians means something for a positive old median only (a KiB overhead may
	 * be negative, call.null's median may be 0 cycles). */
	if (o != NULL && n != NULL && o->median > 0)
		snprintf(ratio, sizeof(ratio), "%.3f", n->median / o->median);
	printf("%-24s %-7s %12s %12s %8s  %-11s  %-12s  %s\n", name, unit,
	       o != NULL ? fmt_value(ov, sizeof(ov), o->median) : "-",
	       n != NULL ? fmt_value(nv, sizeof(nv), n->median) : "-", ratio, row_name[kind], test,
	       detail);
}

/* One metric present in both files: judged and printed; its kind, or -1 when out of memory. */
static int compare_metric(const struct metric *o, const struct metric *n)
{
	static const char *const test_name[] = {
		[JUDGE_TEST_NONE] = "-",
		[JUDGE_TEST_MANN_WHITNEY] = "mann-whitney",
		[JUDGE_TEST_RANGES] = "ranges",
	};
	static const enum row_kind kind_of[] = {
		[JUDGE_SAME] = ROW_SAME,
		[JUDGE_SLOWER] = ROW_SLOWER,
		[JUDGE_FASTER] = ROW_FASTER,
		[JUDGE_NOT_JUDGED] = ROW_NOT_JUDGED,
	};
	char detail[DETAIL_MAX];
	struct judge j;

	if (not_judgeable(o, n, detail, sizeof(detail)) != NULL) {
		print_row(o->name, o->unit, o, n, ROW_NOT_JUDGED, "-", detail);
		return ROW_NOT_JUDGED;
	}
	if (judge_decide(o->run, o->runs, o->median, n->run, n->runs, n->median, &j) != 0) {
		fprintf(stderr, "compare: out of memory for the test on %s\n", o->name);
		return -1;
	}
	describe(&j, o, n, detail, sizeof(detail));
	print_row(o->name, o->unit, o, n, kind_of[j.verdict], test_name[j.test], detail);
	return kind_of[j.verdict];
}

static void print_header(const struct result *old, const struct result *new)
{
	const struct result *both[] = {old, new};
	const char *label[] = {"OLD", "NEW"};

	for (unsigned i = 0; i < 2; i++)
		printf("%s %s: %u run%s%s, %s, %s\n", label[i], both[i]->path, both[i]->runs,
		       both[i]->runs == 1 ? "" : "s", both[i]->quick ? " (quick)" : "",
		       both[i]->platform, both[i]->generated);
	if (strcmp(old->platform, new->platform) != 0)
		printf("note: OLD ran on %s, NEW on %s: their figures measure different things\n",
		       old->platform, new->platform);
	if (old->quick != new->quick)
		printf("note: %s is a quick run (a tenth of the samples), %s is not\n",
		       old->quick ? "OLD" : "NEW", old->quick ? "NEW" : "OLD");
	printf("verdict: two-sided Mann-Whitney U test on the run medians, alpha %.2f (ranges "
	       "when too few runs);\n         a change under %.0f%% of the old median is same; "
	       "higher is worse in every unit\n\n",
	       JUDGE_ALPHA, JUDGE_MIN_EFFECT * PERCENT);
	printf("%-24s %-7s %12s %12s %8s  %-11s  %-12s  %s\n", "metric", "unit", "old median",
	       "new median", "new/old", "verdict", "test", "detail");
}

/* Every row; the counts of each kind into count[]; -1 when out of memory. */
static int compare(const struct result *old, const struct result *new, unsigned count[ROW_KINDS])
{
	for (unsigned i = 0; i < old->count; i++) {
		const struct metric *o = &old->metric[i], *n = find(new, o->name);
		int kind;

		if (n == NULL) {
			print_row(o->name, o->unit, o, NULL, ROW_ONLY_OLD, "-", "");
			count[ROW_ONLY_OLD]++;
			continue;
		}
		kind = compare_metric(o, n);
		if (kind < 0)
			return -1;
		count[kind]++;
	}
	for (unsigned i = 0; i < new->count; i++) {
		const struct metric *n = &new->metric[i];

		if (find(old, n->name) == NULL) {
			print_row(n->name, n->unit, NULL, n, ROW_ONLY_NEW, "-", "");
			count[ROW_ONLY_NEW]++;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned count[ROW_KINDS] = {0}, judged;
	struct result *old, *new;
	int first = 1, rc;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	else if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
		fprintf(stderr, "compare: unknown option '%s'\n" USAGE_LINE, argv[1]);
		return EXIT_USAGE;
	}
	if (argc - first != 2) {
		fprintf(stderr,
			"compare: need two files, OLD.json and NEW.json; %d given\n" USAGE_LINE,
			argc - first);
		return EXIT_USAGE;
	}
	old = read_result(argv[first]);
	new = old != NULL ? read_result(argv[first + 1]) : NULL;
	if (new == NULL) {
		free(old);
		return EXIT_USAGE;
	}
	print_header(old, new);
	rc = compare(old, new, count);
	free(old);
	free(new);
	if (rc != 0)
		return EXIT_USAGE;
	printf("\ncompare: %u slower, %u faster, %u same, %u not judged, %u only in OLD, %u only "
	       "in NEW\n",
	       count[ROW_SLOWER], count[ROW_FASTER], count[ROW_SAME], count[ROW_NOT_JUDGED],
	       count[ROW_ONLY_OLD], count[ROW_ONLY_NEW]);
	fflush(stdout); /* the warning comes after the table, also where both go to one file */
	judged = count[ROW_SLOWER] + count[ROW_FASTER] + count[ROW_SAME];
	if (count[ROW_NOT_JUDGED] > 0 && judged == 0)
		fprintf(stderr, "compare: warning: no metric could be judged (see the detail "
				"column): exit status 0 means nothing here\n");
	return count[ROW_SLOWER] > 0 ? EXIT_SLOWER : 0;
}
