/* bench/report.c: the bench suite's report: reads the output of fresh runs, prints a table and the goals, writes JSON and a latency plot. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../abi/x86.h"
#include "stats.h"

/*
 * Usage: report [--quick] [--out DIR] [--no-plot] FILE...
 * Each FILE is the captured output (stdout and stderr) of one fresh run of the whole suite;
 * stats.h describes the lines it looks for. Exit status: 0, 1 when no FILE held a metric
 * (or the results could not be written), 2 for a usage error or an unreadable FILE.
 */
#define EXIT_NO_METRICS 1
#define EXIT_USAGE 2
#define OUT_DIR_DEFAULT "bench/results"
#define LATEST_JSON "latest.json"
#define PLOT_DATA "latest-dist.dat"
#define PLOT_SCRIPT "latest.gp"
#define PLOT_PNG "latest.png"
#define PLOT_SVG "latest.svg"
#define PLOT_WIDTH 1200
#define PLOT_HEIGHT 700
#define GNUPLOT "gnuplot"
#define TEXT_MAX 256  /* a line read from /proc or /sys, the CPU's name */
#define STAMP_MAX 32  /* "20261124T231500Z" and "2026-11-24T23:15:00Z" */
#define VIOLATIONS_MAX STATS_METRICS_MAX
#define NS_PER_MS 1e6 /* tsc_khz is cycles per ms: cycles * NS_PER_MS / tsc_khz = ns */

#define HYPERVISOR_SIG_LEN 12 /* EBX, ECX, EDX of leaf 0x40000000 */
#define SIG_QEMU_TCG "TCGTCGTCGTCG"

#define VULN_DIR "/sys/devices/system/cpu/vulnerabilities"
static const char *const kvm_modules[] = {"kvm", "kvm_intel", "kvm_amd", "kvm_pvm"};

/* The metrics whose latency distributions the plot shows, in its legend's order. */
static const char *const plot_metrics[] = {
	"syscall.raw", "syscall.null", "syscall.getpid",
	"int80.raw", "int80.null",
	"trap.bp", "trap.ud", "trap.pf",
	"switch.yield", "timer.irq",
	"vmexit.cpuid", "vmexit.pio", "vmexit.hypercall",
	"host.getpid", "host.pipe", "host.sched_yield", "host.pagefault",
};
#define PLOT_METRICS_COUNT (sizeof(plot_metrics) / sizeof(plot_metrics[0]))
/* A log axis cannot show 0: a sample at or below the bracket's cost is drawn at one cycle. */
#define PLOT_X_MIN 1.0

struct report_opts {
	int quick;
	int no_plot;
	const char *out_dir;
	char **files;
	int nfiles;
};

struct machine {
	char cpu[TEXT_MAX];
	char kernel[sizeof(struct utsname)]; /* "sysname release version": 3 of its 6 fields */
	const char *platform; /* hardware, kvm_pvm, emulated or unknown */
	int nested;
	char hypervisor[HYPERVISOR_SIG_LEN + 1]; /* "" when there is none */
	int have_tsc;
	double tsc_khz;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: report [--quick] [--out DIR] [--no-plot] FILE...\n"
		   "  FILE      the output of one fresh run of the bench suite (bench: lines)\n"
		   "  --quick   mark the results as a quick run (fewer samples)\n"
		   "  --out DIR where to write latest.json, STAMP-PLATFORM.json and the plot\n"
		   "            (default " OUT_DIR_DEFAULT ")\n"
		   "  --no-plot do not run gnuplot\n");
}

static void parse_args(int argc, char **argv, struct report_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->out_dir = OUT_DIR_DEFAULT;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(argv[i], "--quick") == 0) {
			o->quick = 1;
		} else if (strcmp(argv[i], "--no-plot") == 0) {
			o->no_plot = 1;
		} else if (strcmp(argv[i], "--out") == 0) {
			if (i + 1 == argc || argv[i + 1][0] == '\0') {
				fprintf(stderr, "report: --out needs a DIR\n");
				exit(EXIT_USAGE);
			}
			o->out_dir = argv[++i];
		} else {
			fprintf(stderr, "report: bad option '%s'\n", argv[i]);
			usage(stderr);
			exit(EXIT_USAGE);
		}
	}
	if (i == argc) {
		fprintf(stderr, "report: no FILE given\n");
		usage(stderr);
		exit(EXIT_USAGE);
	}
	o->files = argv + i;
	o->nfiles = argc - i;
}

/* Every FILE into agg; exits with EXIT_USAGE on one that cannot be read. */
static void read_runs(const struct report_opts *o, struct stats_agg *agg, struct stats_run *run)
{
	for (int i = 0; i < o->nfiles; i++) {
		const char *was, *now;
		FILE *f;
		int rc;

		if (agg->runs == STATS_RUNS_MAX) {
			fprintf(stderr, "report: more than %d runs: %s and the rest ignored\n",
				STATS_RUNS_MAX, o->files[i]);
			return;
		}
		f = fopen(o->files[i], "r");
		if (f == NULL) {
			fprintf(stderr, "report: %s: %s\n", o->files[i], strerror(errno));
			exit(EXIT_USAGE);
		}
		rc = stats_run_read(f, o->files[i], run);
		fclose(f);
		if (rc < 0) {
			fprintf(stderr, "report: %s: read error\n", o->files[i]);
			exit(EXIT_USAGE);
		}
		if (run->count == 0)
			fprintf(stderr, "report: %s: no bench: lines\n", o->files[i]);
		was = stats_info_get(&agg->info, "platform");
		now = stats_info_get(&run->info, "platform");
		if (was != NULL && now != NULL && strcmp(was, now) != 0)
			fprintf(stderr, "report: %s: platform %s, but earlier runs said %s\n",
				o->files[i], now, was);
		stats_agg_add(agg, run);
	}
}

/* The first line of path, without its newline; -1 if it cannot be read. */
static int read_first_line(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (f == NULL)
		return -1;
	ok = fgets(buf, (int)cap, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void cpu_model(char *buf, size_t cap)
{
	char line[TEXT_MAX];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, cap, "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", strlen("model name")) == 0 && colon != NULL) {
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, cap, "%s", colon + 1 + strspn(colon + 1, " \t"));
			break;
		}
	}
	fclose(f);
}

/* CPUID: are we a guest, and of which hypervisor. */
static void hypervisor_info(struct machine *m)
{
	unsigned a, b, c, d;

	__cpuid(X86_CPUID_LEAF_FEATURES, a, b, c, d);
	m->nested = (c & X86_CPUID_1_ECX_HYPERVISOR) != 0;
	m->hypervisor[0] = '\0';
	if (!m->nested)
		return;
	__cpuid(X86_CPUID_LEAF_HYPERVISOR, a, b, c, d);
	memcpy(m->hypervisor, &b, sizeof(b));
	memcpy(m->hypervisor + 4, &c, sizeof(c));
	memcpy(m->hypervisor + 8, &d, sizeof(d));
	m->hypervisor[HYPERVISOR_SIG_LEN] = '\0'; /* "KVMKVMKVM\0\0\0" ends early by itself */
	for (char *p = m->hypervisor; *p != '\0'; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';
}

static void gather_machine(const struct stats_agg *agg, struct machine *m)
{
	const char *guest = stats_info_get(&agg->info, "platform");
	const char *tsc = stats_info_get(&agg->info, "tsc_khz");
	struct utsname u;

	memset(m, 0, sizeof(*m));
	cpu_model(m->cpu, sizeof(m->cpu));
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%s %s %s", u.sysname, u.release, u.version);
	hypervisor_info(m);
	/* The guest says how it runs; but under QEMU's TCG "hardware" is an emulated CPU. */
	if (strcmp(m->hypervisor, SIG_QEMU_TCG) == 0)
		m->platform = "emulated";
	else if (guest != NULL && (strcmp(guest, "hardware") == 0 || strcmp(guest, "kvm_pvm") == 0))
		m->platform = guest;
	else
		m->platform = "unknown";
	m->have_tsc = tsc != NULL && stats_parse_number(tsc, strlen(tsc), &m->tsc_khz) == 0 &&
		      m->tsc_khz > 0;
}

/* ---- the table ---- */

/* A value for the table: whole numbers as such, others with two decimals. */
static const char *fmt_value(char *buf, size_t cap, double v)
{
	if (v == floor(v))
		snprintf(buf, cap, "%.0f", v);
	else
		snprintf(buf, cap, "%.2f", v);
	return buf;
}

static const char *fmt_field(char *buf, size_t cap, const struct stats_summary *s,
			     enum stats_field f)
{
	if (!(s->have & STATS_HAVE(f)))
		return "-";
	return fmt_value(buf, cap, s->v[f]);
}

/* cycles * 1e6 / tsc_khz: a median in nanoseconds, if the unit and the clock allow it. */
static int to_ns(const struct machine *mc, const struct stats_metric *m,
		 const struct stats_summary *s, double *ns)
{
	if (m->unit != STATS_CYCLES || !mc->have_tsc)
		return 0;
	*ns = s->v[STATS_MEDIAN] * NS_PER_MS / mc->tsc_khz;
	return 1;
}

static void print_metric_row(const struct machine *mc, const struct stats_metric *m)
{
	char med[32], p1[32], p99[32], min[32], n[32], ns[32], vmm[32], kvm[32], ops[32], ins[32];
	char steps[32];
	char exits[3 * 32 + 8];
	struct stats_summary s;
	double v;

	stats_summarize(m, &s);
	snprintf(ns, sizeof(ns), "-");
	if (to_ns(mc, m, &s, &v))
		snprintf(ns, sizeof(ns), "%.1f", v);
	snprintf(exits, sizeof(exits), "-");
	if (s.have & (STATS_HAVE(STATS_EXITS_VMM) | STATS_HAVE(STATS_EXITS_KVM)))
		snprintf(exits, sizeof(exits), "%s/%s per %s",
			 fmt_field(vmm, sizeof(vmm), &s, STATS_EXITS_VMM),
			 fmt_field(kvm, sizeof(kvm), &s, STATS_EXITS_KVM),
			 isfinite(s.exits_ops) ? fmt_value(ops, sizeof(ops), s.exits_ops) : "-");
	printf("%-24s %-7s %10s %10s %10s %10s %9s %9s %4u  %-16s %7s %7s  %s\n", m->name,
	       stats_unit_name[m->unit], fmt_field(med, sizeof(med), &s, STATS_MEDIAN),
	       fmt_field(p1, sizeof(p1), &s, STATS_P1), fmt_field(p99, sizeof(p99), &s, STATS_P99),
	       fmt_field(min, sizeof(min), &s, STATS_MIN), ns, fmt_field(n, sizeof(n), &s, STATS_N),
	       s.runs, exits, fmt_field(ins, sizeof(ins), &s, STATS_INSNS),
	       fmt_field(steps, sizeof(steps), &s, STATS_STEPS), m->note);
}

static void print_table(const struct report_opts *o, const struct stats_agg *agg,
			const struct machine *mc)
{
	unsigned order[STATS_METRICS_MAX];

	printf("bench report: %u run%s%s, platform %s, %s", agg->runs, agg->runs == 1 ? "" : "s",
	       o->quick ? " (quick)" : "", mc->platform, mc->cpu);
	if (mc->have_tsc)
		printf(", TSC %.0f kHz", mc->tsc_khz);
	printf("\n\n%-24s %-7s %10s %10s %10s %10s %9s %9s %4s  %-16s %7s %7s  %s\n", "metric",
	       "unit", "median", "p1", "p99", "min", "ns", "n", "runs", "exits vmm/kvm", "insns",
	       "steps", "note");
	stats_sort_order(agg, order);
	for (unsigned i = 0; i < agg->count; i++)
		print_metric_row(mc, &agg->metric[order[i]]);
}

static int is_hardware(const struct machine *mc)
{
	return strcmp(mc->platform, "hardware") == 0;
}

static void print_goals(const struct stats_agg *agg, const struct machine *mc)
{
	const char *viol[VIOLATIONS_MAX];
	enum stats_status st;
	unsigned nviol;

	printf("\nratios of medians:\n");
	for (unsigned i = 0; i < stats_ratio_count; i++) {
		const struct stats_ratio_def *d = &stats_ratio_defs[i];
		struct stats_ratio r;
		char name[2 * STATS_NAME_MAX + 4], value[32], goal[48];

		stats_ratio_eval(agg, d, is_hardware(mc), &r);
		snprintf(name, sizeof(name), "%s / %s", d->num, d->den);
		snprintf(value, sizeof(value), "-");
		if (r.have_value)
			snprintf(value, sizeof(value), "%.3f%s", r.value, r.den_mean ? "*" : "");
		goal[0] = '\0';
		if (d->goal > 0)
			snprintf(goal, sizeof(goal), "goal <= %.2f (%s)", d->goal,
				 stats_applies_name[d->applies]);
		printf("  %-42s %8s  %-24s %s\n", name, value, goal, stats_status_name[r.status]);
	}
	st = stats_zero_exits(agg, is_hardware(mc), viol, VIOLATIONS_MAX, &nviol);
	printf("zero exits in syscall.*, int80.*, trap.*, switch.* windows (hardware): %s",
	       stats_status_name[st]);
	for (unsigned i = 0; i < nviol; i++)
		printf("%s%s", i == 0 ? ": " : ", ", viol[i]);
	printf("\n");
	printf("  (* the denominator's median is 0 cycles, under the timing bracket's resolution:\n"
	       "     its batch mean is used instead)\n");
}

/* ---- JSON ---- */

#define JSON_INDENT 2

/* One member of a JSON object (key) or array (key NULL): the comma, the newline, the indent. */
static void json_member(FILE *f, int *first, int depth, const char *key)
{
	fputs(*first ? "\n" : ",\n", f);
	*first = 0;
	fprintf(f, "%*s", depth * JSON_INDENT, "");
	if (key != NULL) {
		stats_json_string(f, key);
		fputs(": ", f);
	}
}

/* The end of an object or array whose members were at depth + 1. */
static void json_close(FILE *f, int first, int depth, char bracket)
{
	if (!first)
		fprintf(f, "\n%*s", depth * JSON_INDENT, "");
	putc(bracket, f);
}

/* A text that reads as a plain number goes out as one; others as a string. */
static void json_value(FILE *f, const char *text)
{
	double v;

	if (stats_parse_number(text, strlen(text), &v) == 0)
		stats_json_number(f, v);
	else
		stats_json_string(f, text);
}

/* "PREFIXNAME": first line, for each readable file in dir (in name order). */
static void json_dir_members(FILE *f, int *first, int depth, const char *dir, const char *prefix)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char path[PATH_MAX], key[PATH_MAX], value[TEXT_MAX];
		const char *name = ents[i]->d_name;

		if (name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path) &&
		    read_first_line(path, value, sizeof(value)) == 0) {
			snprintf(key, sizeof(key), "%s%s", prefix, name);
			json_member(f, first, depth, key);
			stats_json_string(f, value);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

static void json_machine(FILE *f, const struct stats_agg *agg, const struct machine *mc)
{
	const int depth = 2;
	int first = 1, sub;

	json_member(f, &first, depth, "cpu");
	stats_json_string(f, mc->cpu);
	json_member(f, &first, depth, "host_kernel");
	stats_json_string(f, mc->kernel);
	json_member(f, &first, depth, "platform");
	stats_json_string(f, mc->platform);
	json_member(f, &first, depth, "nested");
	fputs(mc->nested ? "true" : "false", f);
	json_member(f, &first, depth, "hypervisor");
	if (mc->hypervisor[0] != '\0')
		stats_json_string(f, mc->hypervisor);
	else
		fputs("null", f);
	json_member(f, &first, depth, "vulnerabilities");
	putc('{', f);
	sub = 1;
	json_dir_members(f, &sub, depth + 1, VULN_DIR, "");
	json_close(f, sub, depth, '}');
	json_member(f, &first, depth, "tsc_khz");
	stats_json_number(f, mc->have_tsc ? mc->tsc_khz : NAN);
	json_member(f, &first, depth, "kvm_params");
	putc('{', f);
	sub = 1;
	for (unsigned i = 0; i < sizeof(kvm_modules) / sizeof(kvm_modules[0]); i++) {
		char dir[PATH_MAX], prefix[TEXT_MAX];

		snprintf(dir, sizeof(dir), "/sys/module/%s/parameters", kvm_modules[i]);
		snprintf(prefix, sizeof(prefix), "%s.", kvm_modules[i]);
		json_dir_members(f, &sub, depth + 1, dir, prefix);
	}
	json_close(f, sub, depth, '}');
	json_member(f, &first, depth, "guest");
	putc('{', f);
	sub = 1;
	for (unsigned i = 0; i < agg->info.count; i++) {
		json_member(f, &sub, depth + 1, agg->info.key[i]);
		json_value(f, agg->info.value[i]);
	}
	json_close(f, sub, depth, '}');
	json_close(f, first, depth - 1, '}');
}

/* A field of s, or null when no run gave it. */
static void json_field(FILE *f, const struct stats_summary *s, enum stats_field fld)
{
	stats_json_number(f, (s->have & STATS_HAVE(fld)) ? s->v[fld] : NAN);
}

static void json_metric(FILE *f, const struct machine *mc, const struct stats_metric *m)
{
	static const enum stats_field always[] = {STATS_MEDIAN, STATS_P1, STATS_P99, STATS_MIN,
						  STATS_N};
	static const enum stats_field optional[] = {STATS_MEAN, STATS_MEAN_N};
	const int depth = 3;
	double ns, runs[STATS_RUNS_MAX];
	struct stats_summary s;
	int first = 1;
	unsigned n;

	stats_summarize(m, &s);
	json_member(f, &first, depth, "unit");
	stats_json_string(f, stats_unit_name[m->unit]);
	for (unsigned i = 0; i < sizeof(always) / sizeof(always[0]); i++) {
		json_member(f, &first, depth, stats_field_key[always[i]]);
		json_field(f, &s, always[i]);
	}
	json_member(f, &first, depth, "runs");
	fprintf(f, "%u", s.runs);
	/* Each run's median, in run order: what bench/compare tests (median is their median). */
	json_member(f, &first, depth, "run_medians");
	n = stats_run_values(m, STATS_MEDIAN, runs);
	putc('[', f);
	for (unsigned i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", f);
		stats_json_number(f, runs[i]);
	}
	putc(']', f);
	if (to_ns(mc, m, &s, &ns)) {
		json_member(f, &first, depth, "ns");
		stats_json_number(f, ns);
	}
	for (unsigned i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
		if (s.have & STATS_HAVE(optional[i])) {
			json_member(f, &first, depth, stats_field_key[optional[i]]);
			json_field(f, &s, optional[i]);
		}
	if (s.have & (STATS_HAVE(STATS_EXITS_VMM) | STATS_HAVE(STATS_EXITS_KVM))) {
		json_member(f, &first, depth, "exits");
		fputs("{\"vmm\": ", f);
		json_field(f, &s, STATS_EXITS_VMM);
		fputs(", \"kvm\": ", f);
		json_field(f, &s, STATS_EXITS_KVM);
		fputs(", \"ops\": ", f);
		stats_json_number(f, s.exits_ops);
		putc('}', f);
	}
	if (s.have & STATS_HAVE(STATS_INSNS)) {
		json_member(f, &first, depth, "insns");
		json_field(f, &s, STATS_INSNS);
	}
	if (s.have & STATS_HAVE(STATS_STEPS)) {
		json_member(f, &first, depth, "steps");
		json_field(f, &s, STATS_STEPS);
	}
	if (m->note[0] != '\0') {
		json_member(f, &first, depth, "note");
		stats_json_string(f, m->note);
	}
	if (s.have_q) {
		json_member(f, &first, depth, "quantiles");
		putc('[', f);
		for (unsigned k = 0; k < STATS_QUANTILES; k++) {
			if (k > 0)
				fputs(", ", f);
			stats_json_number(f, s.q[k]);
		}
		putc(']', f);
	}
	json_close(f, first, depth - 1, '}');
}

static void json_ratios(FILE *f, const struct stats_agg *agg, const struct machine *mc)
{
	int first = 1;

	for (unsigned i = 0; i < stats_ratio_count; i++) {
		const struct stats_ratio_def *d = &stats_ratio_defs[i];
		struct stats_ratio r;

		stats_ratio_eval(agg, d, is_hardware(mc), &r);
		json_member(f, &first, 2, NULL);
		fputs("{\"num\": ", f);
		stats_json_string(f, d->num);
		fputs(", \"den\": ", f);
		stats_json_string(f, d->den);
		fputs(", \"value\": ", f);
		stats_json_number(f, r.have_value ? r.value : NAN);
		if (r.den_mean)
			fputs(", \"den_value\": \"batch mean\"", f);
		fputs(", \"goal\": ", f);
		stats_json_number(f, d->goal > 0 ? d->goal : NAN);
		fputs(", \"applies\": ", f);
		stats_json_string(f, stats_applies_name[d->applies]);
		fputs(", \"status\": ", f);
		stats_json_string(f, stats_status_name[r.status]);
		putc('}', f);
	}
	json_close(f, first, 1, ']');
}

static void json_goals(FILE *f, const struct stats_agg *agg, const struct machine *mc)
{
	const char *viol[VIOLATIONS_MAX];
	unsigned nviol;
	enum stats_status st = stats_zero_exits(agg, is_hardware(mc), viol, VIOLATIONS_MAX, &nviol);
	int first = 1;

	json_member(f, &first, 2, "zero_exits");
	fputs("{\"status\": ", f);
	stats_json_string(f, stats_status_name[st]);
	fputs(", \"violations\": [", f);
	for (unsigned i = 0; i < nviol; i++) {
		if (i > 0)
			fputs(", ", f);
		stats_json_string(f, viol[i]);
	}
	fputs("]}", f);
	json_close(f, first, 1, '}');
}

static void write_json(FILE *f, const struct report_opts *o, const struct stats_agg *agg,
		       const struct machine *mc, const char *generated)
{
	unsigned order[STATS_METRICS_MAX];
	int first = 1, sub = 1;

	putc('{', f);
	json_member(f, &first, 1, "schema");
	fputs("1", f);
	json_member(f, &first, 1, "generated");
	stats_json_string(f, generated);
	json_member(f, &first, 1, "quick");
	fputs(o->quick ? "true" : "false", f);
	json_member(f, &first, 1, "runs");
	fprintf(f, "%u", agg->runs);
	json_member(f, &first, 1, "machine");
	putc('{', f);
	json_machine(f, agg, mc);
	json_member(f, &first, 1, "metrics");
	putc('{', f);
	stats_sort_order(agg, order);
	for (unsigned i = 0; i < agg->count; i++) {
		json_member(f, &sub, 2, agg->metric[order[i]].name);
		putc('{', f);
		json_metric(f, mc, &agg->metric[order[i]]);
	}
	json_close(f, sub, 1, '}');
	json_member(f, &first, 1, "ratios");
	putc('[', f);
	json_ratios(f, agg, mc);
	json_member(f, &first, 1, "goals");
	putc('{', f);
	json_goals(f, agg, mc);
	json_close(f, first, 0, '}');
	putc('\n', f);
}

/* ---- files ---- */

/* mkdir -p: dir and its missing parents. */
static int make_dirs(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return -1;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* dir/name into buf; -1 (with a message) when it does not fit. */
static int join_path(char *buf, size_t cap, const char *dir, const char *name)
{
	if (snprintf(buf, cap, "%s/%s", dir, name) < (int)cap)
		return 0;
	fprintf(stderr, "report: path too long: %s/%s\n", dir, name);
	return -1;
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");
	int failed;

	if (f == NULL) {
		fprintf(stderr, "report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	failed = fwrite(data, 1, len, f) != len;
	if (fclose(f) != 0)
		failed = 1;
	if (failed)
		fprintf(stderr, "report: %s: write failed\n", path);
	return failed ? -1 : 0;
}

/* DIR/latest.json and DIR/STAMP-PLATFORM.json: the same document. */
static int write_results(const struct report_opts *o, const struct stats_agg *agg,
			 const struct machine *mc)
{
	char stamp[STAMP_MAX], generated[STAMP_MAX], name[STAMP_MAX + TEXT_MAX], path[PATH_MAX];
	time_t now = time(NULL);
	char *doc = NULL;
	size_t len = 0;
	struct tm tm;
	FILE *f;
	int rc;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	strftime(generated, sizeof(generated), "%Y-%m-%dT%H:%M:%SZ", &tm);
	f = open_memstream(&doc, &len);
	if (f == NULL) {
		perror("report: open_memstream");
		return -1;
	}
	write_json(f, o, agg, mc, generated);
	if (fclose(f) != 0) {
		perror("report: writing the JSON");
		free(doc);
		return -1;
	}
	if (make_dirs(o->out_dir) != 0) {
		fprintf(stderr, "report: %s: %s\n", o->out_dir, strerror(errno));
		free(doc);
		return -1;
	}
	/* The platform is one of four fixed words: safe in a file name. */
	snprintf(name, sizeof(name), "%s-%s.json", stamp, mc->platform);
	rc = join_path(path, sizeof(path), o->out_dir, LATEST_JSON);
	if (rc == 0)
		rc = write_file(path, doc, len);
	if (rc == 0)
		rc = join_path(path, sizeof(path), o->out_dir, name);
	if (rc == 0)
		rc = write_file(path, doc, len);
	if (rc == 0)
		printf("\nwrote %s/%s and %s\n", o->out_dir, LATEST_JSON, path);
	free(doc);
	return rc;
}

/* ---- the plot ---- */

static int on_path(const char *prog)
{
	const char *p = getenv("PATH");

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ":");
		char path[PATH_MAX];

		/* An empty PATH entry means the current directory. */
		if (snprintf(path, sizeof(path), "%.*s/%s", (int)n, n == 0 ? "." : p,
			     prog) < (int)sizeof(path) &&
		    access(path, X_OK) == 0)
			return 1;
		p += n;
		if (*p == ':')
			p++;
	}
	return 0;
}

/* The plotted metrics: those of plot_metrics[] that are in cycles and have quantiles. */
static unsigned plot_select(const struct stats_agg *agg, const struct stats_metric *sel[])
{
	unsigned n = 0;

	for (unsigned i = 0; i < PLOT_METRICS_COUNT; i++) {
		const struct stats_metric *m = stats_agg_find(agg, plot_metrics[i]);
		int have_q = 0;

		for (unsigned r = 0; m != NULL && r < m->runs; r++)
			have_q |= m->run[r].have_q;
		if (m != NULL && m->unit == STATS_CYCLES && have_q)
			sel[n++] = m;
	}
	return n;
}

/* One gnuplot data block per metric (blocks apart by two blank lines: "index N"). */
static int write_plot_data(const char *path, const struct stats_metric *sel[], unsigned n)
{
	FILE *f = fopen(path, "w");
	struct stats_summary s;

	if (f == NULL) {
		fprintf(stderr, "report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# written by bench/report: per metric, cycles and the fraction of operations "
		   "that took at most that many\n");
	for (unsigned i = 0; i < n; i++) {
		stats_summarize(sel[i], &s);
		fprintf(f, "# %s\n", sel[i]->name);
		for (unsigned k = 0; k < STATS_QUANTILES; k++)
			fprintf(f, "%.17g %.2f\n", fmax(s.q[k], PLOT_X_MIN),
				(double)k / (STATS_QUANTILES - 1));
		fprintf(f, "\n\n");
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "report: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

/* s as a gnuplot single-quoted string: '' is a quote, control characters are dropped. */
static void gp_string(FILE *f, const char *s)
{
	putc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputs("''", f);
		else if ((unsigned char)*s >= ' ')
			putc(*s, f);
	}
	putc('\'', f);
}

/* Past the default palette's colours, the lines are told apart by their dashes. */
#define GP_COLOURS 8

static void gp_plot_command(FILE *f, const struct stats_metric *sel[], unsigned n)
{
	fprintf(f, "plot ");
	for (unsigned i = 0; i < n; i++)
		fprintf(f,
			"%s'%s' index %u using 1:2 with lines linewidth 2 linecolor %u dashtype %u "
			"title '%s'",
			i == 0 ? "" : ", \\\n     ", i == 0 ? PLOT_DATA : "", i, i % GP_COLOURS + 1,
			i / GP_COLOURS + 1, sel[i]->name);
	fprintf(f, "\n");
}

static int write_plot_script(const char *path, const struct stats_metric *sel[], unsigned n,
			     const struct stats_agg *agg, const struct machine *mc)
{
	char title[2 * TEXT_MAX];
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(title, sizeof(title), "LDE bench: per-operation latency, %s, %s, %u run%s",
		 mc->platform, mc->cpu, agg->runs, agg->runs == 1 ? "" : "s");
	fprintf(f, "# %s: written by bench/report; run in its directory: gnuplot %s\n",
		PLOT_SCRIPT, PLOT_SCRIPT);
	fprintf(f, "set title ");
	gp_string(f, title);
	fprintf(f, "\nset xlabel 'cycles (log scale)'\n"
		   "set ylabel 'fraction of operations taking at most x'\n"
		   "set logscale x\nset yrange [0:1]\nset grid\nset key outside right top\n");
	/* Debian's gnuplot-nox has pngcairo; builds without cairo have only the GD png. */
	fprintf(f, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		   "\tset terminal pngcairo noenhanced size %d,%d\n} else {\n"
		   "\tset terminal png noenhanced size %d,%d\n}\nset output '%s'\n",
		PLOT_WIDTH, PLOT_HEIGHT, PLOT_WIDTH, PLOT_HEIGHT, PLOT_PNG);
	gp_plot_command(f, sel, n);
	fprintf(f, "set terminal svg noenhanced size %d,%d\nset output '%s'\n", PLOT_WIDTH,
		PLOT_HEIGHT, PLOT_SVG);
	gp_plot_command(f, sel, n);
	if (fclose(f) != 0) {
		fprintf(stderr, "report: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

/* gnuplot PLOT_SCRIPT, run in dir (so the script names its files without the directory). */
static int run_gnuplot(const char *dir)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("report: fork");
		return -1;
	}
	if (pid == 0) {
		if (chdir(dir) != 0) {
			perror("report: chdir");
			_exit(1);
		}
		execlp(GNUPLOT, GNUPLOT, PLOT_SCRIPT, (char *)NULL);
		perror("report: exec " GNUPLOT);
		_exit(1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "report: gnuplot failed; the script is %s/%s\n", dir, PLOT_SCRIPT);
		return -1;
	}
	return 0;
}

/* The plot is a convenience: a failure here is reported but does not fail the report. */
static void plot(const struct report_opts *o, const struct stats_agg *agg,
		 const struct machine *mc)
{
	const struct stats_metric *sel[PLOT_METRICS_COUNT];
	char data[PATH_MAX], script[PATH_MAX];
	unsigned n = plot_select(agg, sel);

	if (n == 0) {
		printf("plot skipped: no latency distributions (bench-q: lines) to draw\n");
		return;
	}
	if (!on_path(GNUPLOT)) {
		printf("plot skipped: no gnuplot on PATH (Debian: apt-get install gnuplot-nox)\n");
		return;
	}
	if (join_path(data, sizeof(data), o->out_dir, PLOT_DATA) != 0 ||
	    join_path(script, sizeof(script), o->out_dir, PLOT_SCRIPT) != 0 ||
	    write_plot_data(data, sel, n) != 0 || write_plot_script(script, sel, n, agg, mc) != 0)
		return;
	fflush(stdout); /* before gnuplot's own messages */
	if (run_gnuplot(o->out_dir) == 0)
		printf("wrote %s/%s and %s/%s\n", o->out_dir, PLOT_PNG, o->out_dir, PLOT_SVG);
}

int main(int argc, char **argv)
{
	struct report_opts o;
	struct stats_agg *agg;
	struct stats_run *run;
	struct machine mc;
	int rc;

	parse_args(argc, argv, &o);
	agg = calloc(1, sizeof(*agg));
	run = malloc(sizeof(*run));
	if (agg == NULL || run == NULL) {
		fprintf(stderr, "report: out of memory\n");
		return 1;
	}
	read_runs(&o, agg, run);
	free(run);
	if (agg->count == 0) {
		fprintf(stderr, "report: no metric (no valid bench: line) in any FILE\n");
		free(agg);
		return EXIT_NO_METRICS;
	}
	if (agg->dropped > 0)
		fprintf(stderr, "report: more than %d metrics: %u results dropped\n",
			STATS_METRICS_MAX, agg->dropped);
	if (agg->unit_clashes > 0)
		fprintf(stderr, "report: %u results dropped: a unit other than the first run's\n",
			agg->unit_clashes);
	gather_machine(agg, &mc);
	print_table(&o, agg, &mc);
	print_goals(agg, &mc);
	rc = write_results(&o, agg, &mc);
	if (rc == 0 && !o.no_plot)
		plot(&o, agg, &mc);
	free(agg);
	return rc == 0 ? 0 : 1;
}
