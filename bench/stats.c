/* bench/stats.c: parses the bench protocol's lines, aggregates runs, evaluates the goal ratios and writes JSON values (see stats.h). */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX_RESULT "bench:"
#define PREFIX_QUANTILES "bench-q:"
#define PREFIX_INFO "bench-info:"
#define KEY_NOTE "note"
#define KEY_UNIT "unit"
#define NUMBER_CHARS_MAX 63 /* longer than any number a benchmark prints */
/* Beyond any measurement, and small enough that sums over runs and unit conversions stay finite. */
#define NUMBER_ABS_MAX 1e15

const char *const stats_unit_name[STATS_UNIT_COUNT] = {
	[STATS_CYCLES] = "cycles",
	[STATS_US] = "us",
	[STATS_KIB] = "KiB",
	[STATS_PERCENT] = "percent",
};

const char *const stats_field_key[STATS_FIELD_COUNT] = {
	[STATS_N] = "n",
	[STATS_MEDIAN] = "median",
	[STATS_P1] = "p1",
	[STATS_P99] = "p99",
	[STATS_MIN] = "min",
	[STATS_MEAN] = "mean",
	[STATS_MEAN_N] = "mean_n",
	[STATS_EXITS_VMM] = "exits_vmm",
	[STATS_EXITS_KVM] = "exits_kvm",
	[STATS_INSNS] = "insns",
	[STATS_STEPS] = "steps",
};

/* Counts: a negative value is a producer's bug, not a measurement. */
#define COUNT_FIELDS                                                                        \
	(STATS_HAVE(STATS_N) | STATS_HAVE(STATS_MEAN_N) | STATS_HAVE(STATS_EXITS_VMM) |     \
	 STATS_HAVE(STATS_EXITS_KVM) | STATS_HAVE(STATS_STEPS))

const char *const stats_status_name[STATS_STATUS_COUNT] = {
	[STATS_MET] = "met",
	[STATS_MISSED] = "missed",
	[STATS_NOT_APPLICABLE] = "not applicable here",
	[STATS_MISSING] = "missing",
	[STATS_INFORMATIONAL] = "informational",
};

const char *const stats_applies_name[] = {
	[STATS_APPLIES_HARDWARE] = "hardware",
	[STATS_APPLIES_ALL] = "all",
};

/*
 * The goals. The kernel's own work on a system call (null minus raw entry/exit) and on int
 * $0x80 is measured against the bare path; a null system call should cost at most half of
 * Linux's getpid and a task switch a tenth of Linux's pipe round trip (one way). These hold on
 * bare hardware only: under kvm_pvm the paths are emulated. getpid must add little to a null
 * call everywhere. The goal-less ratios are there to be read.
 */
const struct stats_ratio_def stats_ratio_defs[] = {
	{"syscall.null", "syscall.raw", 1.3, STATS_APPLIES_HARDWARE},
	{"int80.null", "int80.raw", 1.15, STATS_APPLIES_HARDWARE},
	{"syscall.null", "host.getpid", 0.5, STATS_APPLIES_HARDWARE},
	{"switch.yield", "host.pipe", 0.1, STATS_APPLIES_HARDWARE},
	{"syscall.getpid", "syscall.null", 1.10, STATS_APPLIES_ALL},
	{"syscall.null", "call.null", 0, STATS_APPLIES_ALL},
	{"trap.bp", "syscall.null", 0, STATS_APPLIES_ALL},
	{"vmexit.pio", "vmexit.cpuid", 0, STATS_APPLIES_ALL},
	{"switch.yield.nopcid", "switch.yield", 0, STATS_APPLIES_ALL},
	{"linux.getppid", "host.linux.getppid", 0, STATS_APPLIES_ALL},
	{"vmm.boot.2g", "vmm.boot", 0, STATS_APPLIES_ALL},
};
const unsigned stats_ratio_count = sizeof(stats_ratio_defs) / sizeof(stats_ratio_defs[0]);

/* The report's order: the path from a plain call to a VM exit, then the host's baselines. */
static const char *const known_order[] = {
	"call.null",
	"syscall.raw",
	"syscall.null",
	"syscall.getpid",
	"linux.getppid",
	"syscall.null.kpti",
	"syscall.null.verw",
	"syscall.null.ibpb",
	"int80.raw",
	"int80.null",
	"trap.bp",
	"trap.ud",
	"trap.pf",
	"switch.yield",
	"switch.yield.nopcid",
	"timer.irq",
	"timer.overhead.hz1000",
	"timer.overhead.hz10000",
	"vmexit.cpuid",
	"vmexit.pio",
	"vmexit.hypercall",
	"vmexit.cpuid.ring0",
	"pvm.ring0_insn",
	"host.getpid",
	"host.linux.getppid",
	"host.sched_yield",
	"host.pipe",
	"host.pagefault",
	"host.kvm_run.pio",
	"vmm.boot",
	"vmm.boot.2g",
	"vmm.rate",
	"vmm.rss_overhead",
	"vmm.rss_private_overhead",
};
#define KNOWN_COUNT (sizeof(known_order) / sizeof(known_order[0]))

/* The metrics whose timed window must not leave the guest on hardware. */
static const char *const zero_exit_prefixes[] = {"syscall.", "int80.", "trap.", "switch."};
#define ZERO_EXIT_PREFIX_COUNT (sizeof(zero_exit_prefixes) / sizeof(zero_exit_prefixes[0]))

/* ---- parsing ---- */

static enum stats_line bad(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum stats_line bad(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return STATS_LINE_BAD;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/* The text after prefix when line is that kind of line ("bench:" then a blank or the end). */
static const char *after_prefix(const char *line, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(line, prefix, n) != 0 || (line[n] != '\0' && !is_blank(line[n])))
		return NULL;
	return skip_blanks(line + n);
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' || c == '-';
}

/* A metric name at *p into name; advances *p past it. */
static enum stats_line parse_name(const char **p, char name[STATS_NAME_MAX], char *why,
				  size_t whylen)
{
	const char *s = *p;
	size_t n = 0;

	while (is_name_char(s[n]))
		n++;
	if (n == 0 || (s[n] != '\0' && !is_blank(s[n])))
		return bad(why, whylen, "no metric name ([a-z0-9._-]+) after the prefix");
	if (n >= STATS_NAME_MAX)
		return bad(why, whylen, "metric name over %d characters", STATS_NAME_MAX - 1);
	memcpy(name, s, n);
	name[n] = '\0';
	*p = s + n;
	return STATS_LINE_USED;
}

int stats_parse_number(const char *s, size_t len, double *out)
{
	char buf[NUMBER_CHARS_MAX + 1];
	size_t i = 0, digits = 0;
	char *end;
	double v;

	if (len == 0 || len > NUMBER_CHARS_MAX)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* The syntax first: strtod alone would also take "nan", "inf" and hex. */
	if (buf[i] == '-' || buf[i] == '+')
		i++;
	for (; is_digit(buf[i]); i++)
		digits++;
	if (buf[i] == '.')
		for (i++; is_digit(buf[i]); i++)
			digits++;
	if (digits == 0)
		return -1;
	if (buf[i] == 'e' || buf[i] == 'E') {
		i++;
		if (buf[i] == '-' || buf[i] == '+')
			i++;
		if (!is_digit(buf[i]))
			return -1;
		while (is_digit(buf[i]))
			i++;
	}
	if (i != len)
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	if (errno == ERANGE || end != buf + len || !isfinite(v) || fabs(v) > NUMBER_ABS_MAX)
		return -1;
	*out = v;
	return 0;
}

/* The end of the word that starts at p. */
static const char *word_end(const char *p)
{
	while (*p != '\0' && !is_blank(*p))
		p++;
	return p;
}

static int word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(w, s, len) == 0;
}

static int is_utf8_continuation(unsigned char c)
{
	return c >= 0x80 && c <= 0xbf;
}

/*
 * The note: the rest of the line, trailing blanks dropped, cut to fit (not inside a UTF-8
 * character). Control characters become '?': the note is printed to a terminal.
 */
static void copy_note(char note[STATS_NOTE_MAX], const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && is_blank(s[n - 1]))
		n--;
	if (n >= STATS_NOTE_MAX) {
		n = STATS_NOTE_MAX - 1;
		while (n > 0 && is_utf8_continuation((unsigned char)s[n]))
			n--;
	}
	for (size_t i = 0; i < n; i++)
		note[i] = (unsigned char)s[i] < ' ' || s[i] == '\x7f' ? '?' : s[i];
	note[n] = '\0';
}

/* One key=value word of a "bench:" line into r. */
static enum stats_line parse_key_value(const char *w, const char *end, struct stats_result *r,
				       char *why, size_t whylen)
{
	const char *eq = memchr(w, '=', (size_t)(end - w));
	size_t klen, vlen;
	const char *val;

	if (eq == NULL)
		return bad(why, whylen, "'%.*s' is not key=value", (int)(end - w), w);
	klen = (size_t)(eq - w);
	val = eq + 1;
	vlen = (size_t)(end - val);
	if (word_is(w, klen, KEY_UNIT)) {
		for (unsigned u = 0; u < STATS_UNIT_COUNT; u++)
			if (word_is(val, vlen, stats_unit_name[u])) {
				r->unit = (enum stats_unit)u;
				return STATS_LINE_USED;
			}
		return bad(why, whylen, "unknown unit '%.*s'", (int)vlen, val);
	}
	for (unsigned f = 0; f < STATS_FIELD_COUNT; f++) {
		if (!word_is(w, klen, stats_field_key[f]))
			continue;
		if (stats_parse_number(val, vlen, &r->v[f]) != 0)
			return bad(why, whylen, "'%.*s' is not a plain finite number",
				   (int)(end - w), w);
		if ((STATS_HAVE(f) & COUNT_FIELDS) && r->v[f] < 0)
			return bad(why, whylen, "'%.*s': a count cannot be negative",
				   (int)(end - w), w);
		r->have |= STATS_HAVE(f);
		return STATS_LINE_USED;
	}
	return STATS_LINE_USED; /* a key this report does not know yet */
}

enum stats_line stats_parse_result(const char *line, struct stats_result *r, char *why,
				   size_t whylen)
{
	const char *p = after_prefix(line, PREFIX_RESULT);
	int have_unit = 0;
	enum stats_line st;

	if (p == NULL)
		return STATS_LINE_OTHER;
	memset(r, 0, sizeof(*r));
	st = parse_name(&p, r->name, why, whylen);
	if (st != STATS_LINE_USED)
		return st;
	for (p = skip_blanks(p); *p != '\0'; p = skip_blanks(p)) {
		const char *end = word_end(p);

		if (strncmp(p, KEY_NOTE "=", strlen(KEY_NOTE "=")) == 0) {
			copy_note(r->note, p + strlen(KEY_NOTE "="));
			break; /* the note is the rest of the line */
		}
		if (strncmp(p, KEY_UNIT "=", strlen(KEY_UNIT "=")) == 0)
			have_unit = 1;
		st = parse_key_value(p, end, r, why, whylen);
		if (st != STATS_LINE_USED)
			return st;
		p = end;
	}
	if (!have_unit)
		return bad(why, whylen, "%s: no unit=", r->name);
	if (!(r->have & STATS_HAVE(STATS_MEDIAN)))
		return bad(why, whylen, "%s: no median=", r->name);
	r->have_result = 1;
	return STATS_LINE_USED;
}

enum stats_line stats_parse_quantiles(const char *line, char name[STATS_NAME_MAX],
				      double q[STATS_QUANTILES], char *why, size_t whylen)
{
	const char *p = after_prefix(line, PREFIX_QUANTILES);
	unsigned count = 0;
	enum stats_line st;

	if (p == NULL)
		return STATS_LINE_OTHER;
	st = parse_name(&p, name, why, whylen);
	if (st != STATS_LINE_USED)
		return st;
	for (p = skip_blanks(p); *p != '\0'; p = skip_blanks(p)) {
		const char *end = word_end(p);
		double v;

		if (count == STATS_QUANTILES)
			return bad(why, whylen, "%s: over %d quantiles", name, STATS_QUANTILES);
		if (stats_parse_number(p, (size_t)(end - p), &v) != 0)
			return bad(why, whylen, "%s: '%.*s' is not a plain finite number", name,
				   (int)(end - p), p);
		/* Percentiles of one sorted sample set never decrease. */
		if (count > 0 && v < q[count - 1])
			return bad(why, whylen, "%s: quantile %u is below quantile %u", name, count,
				   count - 1);
		q[count++] = v;
		p = end;
	}
	if (count != STATS_QUANTILES)
		return bad(why, whylen, "%s: %u quantiles, want %d", name, count, STATS_QUANTILES);
	return STATS_LINE_USED;
}

/* One KEY=VALUE word of a "bench-info:" line: checked, and stored when info is not NULL. */
static enum stats_line info_word(const char *w, const char *end, struct stats_info *info,
				 char *why, size_t whylen)
{
	char key[STATS_INFO_KEY_MAX], value[STATS_INFO_VALUE_MAX];
	size_t klen = 0, vlen;

	while (w + klen < end && is_name_char(w[klen]))
		klen++;
	if (klen == 0 || w + klen == end || w[klen] != '=')
		return bad(why, whylen, "'%.*s' is not key=value (key: [a-z0-9._-]+)",
			   (int)(end - w), w);
	vlen = (size_t)(end - (w + klen + 1));
	if (klen >= sizeof(key) || vlen >= sizeof(value))
		return bad(why, whylen, "'%.*s' is too long", (int)(end - w), w);
	if (info == NULL)
		return STATS_LINE_USED;
	memcpy(key, w, klen);
	key[klen] = '\0';
	memcpy(value, w + klen + 1, vlen);
	value[vlen] = '\0';
	if (stats_info_set(info, key, value) != 0)
		return bad(why, whylen, "more than %d bench-info keys: %s dropped", STATS_INFO_MAX,
			   key);
	return STATS_LINE_USED;
}

enum stats_line stats_parse_info(const char *line, struct stats_info *info, char *why,
				 size_t whylen)
{
	const char *start = after_prefix(line, PREFIX_INFO);

	if (start == NULL)
		return STATS_LINE_OTHER;
	/* Two passes, checking then storing, so that a malformed line changes nothing. */
	for (int store = 0; store <= 1; store++)
		for (const char *p = start; *p != '\0'; p = skip_blanks(p)) {
			const char *end = word_end(p);
			enum stats_line st = info_word(p, end, store ? info : NULL, why, whylen);

			if (st != STATS_LINE_USED)
				return st;
			p = end;
		}
	return STATS_LINE_USED;
}

const char *stats_info_get(const struct stats_info *info, const char *key)
{
	for (unsigned i = 0; i < info->count; i++)
		if (strcmp(info->key[i], key) == 0)
			return info->value[i];
	return NULL;
}

int stats_info_set(struct stats_info *info, const char *key, const char *value)
{
	unsigned i;

	if (strlen(key) >= STATS_INFO_KEY_MAX || strlen(value) >= STATS_INFO_VALUE_MAX)
		return -1;
	for (i = 0; i < info->count; i++)
		if (strcmp(info->key[i], key) == 0)
			break;
	if (i == STATS_INFO_MAX)
		return -1;
	if (i == info->count) {
		strcpy(info->key[i], key);
		info->count++;
	}
	strcpy(info->value[i], value);
	return 0;
}

/* The run's slot for name: found, or a new one; NULL when the run is full. */
static struct stats_result *run_slot(struct stats_run *run, const char *name)
{
	struct stats_result *r;

	for (unsigned i = 0; i < run->count; i++)
		if (strcmp(run->result[i].name, name) == 0)
			return &run->result[i];
	if (run->count == STATS_METRICS_MAX)
		return NULL;
	r = &run->result[run->count++];
	memset(r, 0, sizeof(*r));
	strcpy(r->name, name);
	return r;
}

enum stats_line stats_run_line(struct stats_run *run, const char *line, char *why, size_t whylen)
{
	struct stats_result parsed, *slot;
	char name[STATS_NAME_MAX];
	double q[STATS_QUANTILES];
	enum stats_line st;

	st = stats_parse_result(line, &parsed, why, whylen);
	if (st == STATS_LINE_OTHER) {
		st = stats_parse_quantiles(line, name, q, why, whylen);
		if (st == STATS_LINE_OTHER)
			return stats_parse_info(line, &run->info, why, whylen);
		if (st != STATS_LINE_USED)
			return st;
		slot = run_slot(run, name);
		if (slot == NULL)
			goto full;
		memcpy(slot->q, q, sizeof(q));
		slot->have_q = 1;
		return STATS_LINE_USED;
	}
	if (st != STATS_LINE_USED)
		return st;
	strcpy(name, parsed.name);
	slot = run_slot(run, name);
	if (slot == NULL)
		goto full;
	/* A later line replaces the result; the quantiles stay until a later bench-q line. */
	slot->have_result = 1;
	slot->unit = parsed.unit;
	slot->have = parsed.have;
	memcpy(slot->v, parsed.v, sizeof(slot->v));
	memcpy(slot->note, parsed.note, sizeof(slot->note));
	return STATS_LINE_USED;
full:
	run->dropped++;
	return bad(why, whylen, "more than %d metrics in one run: %s dropped", STATS_METRICS_MAX,
		   name);
}

/*
 * The next line of f into buf (without its \n or \r\n), at most cap - 1 characters; *overlong
 * when it had more (they are read and dropped). A NUL byte reads as '?': it cannot belong to
 * a valid protocol word. Returns 0 at the end of the file.
 */
static int read_line(FILE *f, char *buf, size_t cap, int *overlong)
{
	size_t len = 0;
	int c;

	*overlong = 0;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (len + 1 < cap)
			buf[len++] = c == '\0' ? '?' : (char)c;
		else
			*overlong = 1;
	}
	if (c == EOF && len == 0 && !*overlong)
		return 0;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return 1;
}

static int is_protocol_line(const char *line)
{
	return after_prefix(line, PREFIX_RESULT) != NULL ||
	       after_prefix(line, PREFIX_QUANTILES) != NULL ||
	       after_prefix(line, PREFIX_INFO) != NULL;
}

int stats_run_read(FILE *f, const char *fname, struct stats_run *run)
{
	char line[STATS_LINE_MAX + 2]; /* the longest line, a \r before its \n, the NUL */
	char why[STATS_WHY_MAX];
	unsigned lineno = 0;
	int overlong, warnings = 0;

	memset(run, 0, sizeof(*run));
	while (read_line(f, line, sizeof(line), &overlong)) {
		lineno++;
		if (overlong) {
			if (is_protocol_line(line)) {
				fprintf(stderr, "report: %s:%u: line over %d characters, skipped\n",
					fname, lineno, STATS_LINE_MAX);
				warnings++;
			}
			continue;
		}
		if (stats_run_line(run, line, why, sizeof(why)) == STATS_LINE_BAD) {
			fprintf(stderr, "report: %s:%u: %s\n", fname, lineno, why);
			warnings++;
		}
	}
	return ferror(f) ? -1 : warnings;
}

/* ---- aggregation ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double stats_median(double *v, unsigned n)
{
	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static struct stats_metric *agg_slot(struct stats_agg *agg, const struct stats_result *r)
{
	struct stats_metric *m;

	for (unsigned i = 0; i < agg->count; i++)
		if (strcmp(agg->metric[i].name, r->name) == 0)
			return &agg->metric[i];
	if (agg->count == STATS_METRICS_MAX)
		return NULL;
	m = &agg->metric[agg->count++];
	memset(m, 0, sizeof(*m));
	strcpy(m->name, r->name);
	m->unit = r->unit;
	return m;
}

int stats_agg_add(struct stats_agg *agg, const struct stats_run *run)
{
	if (agg->runs == STATS_RUNS_MAX)
		return -1;
	for (unsigned i = 0; i < run->count; i++) {
		const struct stats_result *r = &run->result[i];
		struct stats_metric *m;

		if (!r->have_result)
			continue; /* quantiles without their bench: line */
		m = agg_slot(agg, r);
		if (m == NULL) {
			agg->dropped++;
			continue;
		}
		if (m->unit != r->unit) {
			agg->unit_clashes++;
			continue;
		}
		if (m->note[0] == '\0')
			strcpy(m->note, r->note);
		m->run[m->runs++] = *r; /* at most one result per run: runs <= agg->runs */
	}
	for (unsigned i = 0; i < run->info.count; i++)
		stats_info_set(&agg->info, run->info.key[i], run->info.value[i]);
	agg->runs++;
	return 0;
}

const struct stats_metric *stats_agg_find(const struct stats_agg *agg, const char *name)
{
	for (unsigned i = 0; i < agg->count; i++)
		if (strcmp(agg->metric[i].name, name) == 0)
			return &agg->metric[i];
	return NULL;
}

/* The largest value of field f over m's runs: its run's index, or -1 if no run gave f. */
static int max_run(const struct stats_metric *m, enum stats_field f)
{
	int best = -1;

	for (unsigned i = 0; i < m->runs; i++)
		if ((m->run[i].have & STATS_HAVE(f)) &&
		    (best < 0 || m->run[i].v[f] > m->run[best].v[f]))
			best = (int)i;
	return best;
}

/* The n of run i, or NAN if it gave none. */
static double run_n(const struct stats_metric *m, int i)
{
	return (m->run[i].have & STATS_HAVE(STATS_N)) ? m->run[i].v[STATS_N] : NAN;
}

static void summarize_exits(const struct stats_metric *m, struct stats_summary *s)
{
	int vmm = max_run(m, STATS_EXITS_VMM), kvm = max_run(m, STATS_EXITS_KVM);

	s->exits_ops = NAN;
	if (vmm >= 0) {
		s->have |= STATS_HAVE(STATS_EXITS_VMM);
		s->v[STATS_EXITS_VMM] = m->run[vmm].v[STATS_EXITS_VMM];
		s->exits_ops = run_n(m, vmm);
	}
	if (kvm >= 0) {
		s->have |= STATS_HAVE(STATS_EXITS_KVM);
		s->v[STATS_EXITS_KVM] = m->run[kvm].v[STATS_EXITS_KVM];
		if (vmm < 0 || isnan(s->exits_ops) || run_n(m, kvm) < s->exits_ops)
			s->exits_ops = run_n(m, kvm);
	}
}

void stats_summarize(const struct stats_metric *m, struct stats_summary *s)
{
	double v[STATS_RUNS_MAX];

	memset(s, 0, sizeof(*s));
	s->runs = m->runs;
	for (unsigned f = 0; f < STATS_FIELD_COUNT; f++) {
		unsigned n;

		if (f == STATS_EXITS_VMM || f == STATS_EXITS_KVM)
			continue; /* summarize_exits */
		n = stats_run_values(m, (enum stats_field)f, v);
		if (n == 0)
			continue;
		s->have |= STATS_HAVE(f);
		if (f == STATS_MIN) {
			s->v[f] = v[0];
			for (unsigned i = 1; i < n; i++)
				s->v[f] = fmin(s->v[f], v[i]);
		} else if (f == STATS_N) {
			for (unsigned i = 0; i < n; i++)
				s->v[f] += v[i];
		} else {
			s->v[f] = stats_median(v, n);
		}
	}
	summarize_exits(m, s);
	for (unsigned k = 0; k < STATS_QUANTILES; k++) {
		unsigned n = 0;

		for (unsigned i = 0; i < m->runs; i++)
			if (m->run[i].have_q)
				v[n++] = m->run[i].q[k];
		if (n > 0) {
			s->have_q = 1;
			s->q[k] = stats_median(v, n);
		}
	}
}

unsigned stats_run_values(const struct stats_metric *m, enum stats_field f,
			  double v[STATS_RUNS_MAX])
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->runs; i++)
		if (m->run[i].have & STATS_HAVE(f))
			v[n++] = m->run[i].v[f];
	return n;
}

unsigned stats_order_rank(const char *name)
{
	for (unsigned i = 0; i < KNOWN_COUNT; i++)
		if (strcmp(known_order[i], name) == 0)
			return i;
	return KNOWN_COUNT;
}

static int order_before(const struct stats_agg *agg, unsigned a, unsigned b)
{
	unsigned ra = stats_order_rank(agg->metric[a].name);
	unsigned rb = stats_order_rank(agg->metric[b].name);

	if (ra != rb)
		return ra < rb;
	return strcmp(agg->metric[a].name, agg->metric[b].name) < 0;
}

void stats_sort_order(const struct stats_agg *agg, unsigned order[STATS_METRICS_MAX])
{
	/* Insertion sort: at most STATS_METRICS_MAX names, and qsort has no context argument. */
	for (unsigned i = 0; i < agg->count; i++) {
		unsigned j = i;

		for (; j > 0 && order_before(agg, i, order[j - 1]); j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

/* ---- ratios and goals ---- */

void stats_ratio_eval(const struct stats_agg *agg, const struct stats_ratio_def *def,
		      int hardware, struct stats_ratio *out)
{
	const struct stats_metric *num = stats_agg_find(agg, def->num);
	const struct stats_metric *den = stats_agg_find(agg, def->den);
	struct stats_summary sn, sd;

	memset(out, 0, sizeof(*out));
	out->def = def;
	out->status = STATS_MISSING;
	if (num == NULL || den == NULL || num->unit != den->unit)
		return;
	stats_summarize(num, &sn);
	stats_summarize(den, &sd);
	if (sd.v[STATS_MEDIAN] > 0) {
		out->value = sn.v[STATS_MEDIAN] / sd.v[STATS_MEDIAN];
	} else if ((sd.have & STATS_HAVE(STATS_MEAN)) && sd.v[STATS_MEAN] > 0) {
		/* A median of 0 cycles is below the bracket's resolution; the batch mean is not. */
		out->value = sn.v[STATS_MEDIAN] / sd.v[STATS_MEAN];
		out->den_mean = 1;
	} else {
		return;
	}
	out->have_value = 1;
	if (def->goal == 0)
		out->status = STATS_INFORMATIONAL;
	else if (def->applies == STATS_APPLIES_HARDWARE && !hardware)
		out->status = STATS_NOT_APPLICABLE;
	else
		out->status = out->value <= def->goal ? STATS_MET : STATS_MISSED;
}

static int must_not_exit(const char *name)
{
	for (unsigned i = 0; i < ZERO_EXIT_PREFIX_COUNT; i++)
		if (strncmp(name, zero_exit_prefixes[i], strlen(zero_exit_prefixes[i])) == 0)
			return 1;
	return 0;
}

enum stats_status stats_zero_exits(const struct stats_agg *agg, int hardware,
				   const char *violations[], unsigned max, unsigned *nviol)
{
	const unsigned exit_fields = STATS_HAVE(STATS_EXITS_VMM) | STATS_HAVE(STATS_EXITS_KVM);
	unsigned order[STATS_METRICS_MAX], counted = 0, violated = 0;
	struct stats_summary s;

	*nviol = 0;
	stats_sort_order(agg, order);
	for (unsigned i = 0; i < agg->count; i++) {
		const struct stats_metric *m = &agg->metric[order[i]];

		if (!must_not_exit(m->name))
			continue;
		stats_summarize(m, &s);
		if (!(s.have & exit_fields))
			continue;
		counted++;
		if (s.v[STATS_EXITS_VMM] > 0 || s.v[STATS_EXITS_KVM] > 0) {
			violated++;
			if (*nviol < max)
				violations[(*nviol)++] = m->name;
		}
	}
	if (counted == 0)
		return STATS_MISSING;
	if (!hardware)
		return STATS_NOT_APPLICABLE;
	return violated > 0 ? STATS_MISSED : STATS_MET;
}

/* ---- JSON ---- */

/* The length of the well-formed UTF-8 sequence at s (RFC 3629's table), or 0. s is NUL-ended. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return is_utf8_continuation(s[1]) ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if (s[0] == 0xe0)
			lo = 0xa0; /* no overlong forms */
		if (s[0] == 0xed)
			hi = 0x9f; /* no UTF-16 surrogates */
		return s[1] >= lo && s[1] <= hi && is_utf8_continuation(s[2]) ? 3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if (s[0] == 0xf0)
			lo = 0x90;
		if (s[0] == 0xf4)
			hi = 0x8f; /* nothing above U+10FFFF */
		return s[1] >= lo && s[1] <= hi && is_utf8_continuation(s[2]) &&
				       is_utf8_continuation(s[3])
			       ? 4
			       : 0;
	}
	return 0;
}

void stats_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc('"', f);
	while (*p != '\0') {
		size_t n = utf8_len(p);

		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < ' ') /* JSON allows no raw control characters */
				fprintf(f, "\\u%04x", *p);
			else
				putc(*p, f);
		}
		p++;
	}
	putc('"', f);
}

void stats_json_number(FILE *f, double v)
{
	/* %.15g reads back exactly for most measurements; %.17g always does. */
	static const int precisions[] = {15, 16, 17};
	char buf[40];

	if (!isfinite(v)) {
		fputs("null", f);
		return;
	}
	for (unsigned i = 0; i < sizeof(precisions) / sizeof(precisions[0]); i++) {
		snprintf(buf, sizeof(buf), "%.*g", precisions[i], v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, f);
}
