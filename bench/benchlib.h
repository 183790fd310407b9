/* bench/benchlib.h: the bench helper for ring-3 benchmark tasks: bracketed timing, a sample buffer, exit counts, results in the bench format. */
#ifndef LDE_BENCHLIB_H
#define LDE_BENCHLIB_H

#include "lde.h"

#include "../abi/bench.h"
#include "../abi/boot.h"
#include "../common/tsc.h"

/*
 * A benchmark task includes this file and calls bench_init() once, then
 *
 *     BENCH_RUN("my.metric", 1, statement);
 *
 * which runs `statement` bench.warmup times untimed, then bench.samples times one at a
 * time, each between two TSC reads, then bench.batch times back to back for a batch mean,
 * and prints the result lines bench/README.md describes:
 *
 *     bench: my.metric unit=cycles n=... median=... p1=... p99=... min=... mean=... ...
 *     bench-q: my.metric Q0 Q1 ... Q100
 *
 * The method (bench/README.md says why):
 *  - the TSC: `lfence; rdtsc; lfence` before, `rdtscp; lfence` after; never CPUID, which
 *    would exit to the hypervisor. The empty bracket's median is subtracted from each sample.
 *  - the exits: the VMM's and KVM's exit counters, read through SYS_bench before and after
 *    the timed samples; what an empty window shows (the reads themselves) is subtracted.
 *    exits_kvm leaves out the exits for host interrupts (KVM's irq_exits): the host's timer
 *    stops the vCPU whatever the guest runs; exits_irq says how many there were.
 *    Where KVM counts emulated instructions (kvm_pvm), insns= is their number per operation.
 *  - the kernel's instructions: when the VMM was started with --step, after the batch
 *    BENCH_STEP_OPS operations run once more in a window the VMM single-steps (SYS_bench
 *    STEP), and steps= is the ring-0 instructions of one, net of an empty window's (the
 *    window's own ON and OFF). Counts, not times: the same on every run and machine.
 *  - divisor: 2 for a round trip reported one way.
 * BENCH_RUN_SETUP adds an untimed statement before each timed one (re-arming a fault, say);
 * its own exits and instructions are measured alone and subtracted, and there is no batch.
 */

#define BENCH_SAMPLES_MAX 2001
#define BENCH_QUANTILES 101 /* the bench-q line: the 0th to 100th percentile */
#define BENCH_LINE_MAX 1600 /* a result line: 101 quantiles of up to 12 digits fit */
#define BENCH_BATCH_HW 100000
#define BENCH_BATCH_PVM 2000  /* a trap costs ~100 us under kvm_pvm: 100 000 would take 10 s */
#define BENCH_QUICK_DIVISOR 10
#define BENCH_STEP_OPS 8 /* operations stepped per metric: the counts are exact, a few suffice */
/* The ways a step window steps: every way an operation enters the kernel, but not the ticks. */
#define BENCH_STEP_VIA (LDE_BENCH_VIA_ALL & ~LDE_BENCH_VIA_TIMER)

struct bench {
	struct lde_bench_info info;
	unsigned samples, warmup, batch;
	uint64_t bracket;                 /* the empty bracket's median, cycles */
	struct lde_bench_counters empty;  /* what an empty counter window shows */
	uint64_t t[BENCH_SAMPLES_MAX];    /* the samples, pre-touched by bench_init */
	struct lde_bench_counters c0, c1; /* around the current window */
	unsigned modes;                   /* the LDE_BENCH_M_* in force */
	int step;                         /* the VMM single-steps windows: steps= */
};

static struct bench bench;

/* SYS_bench; through int $0x80 while SYSCALL is the raw path, which returns at once. */
static inline long bench_call(long op, long a0, long a1, long a2)
{
	if (bench.modes & LDE_BENCH_M_RAW_SYSCALL)
		return lde_int80(SYS_bench, op, a0, a1, a2, 0, 0);
	return lde_syscall(SYS_bench, op, a0, a1, a2, 0, 0);
}

static __attribute__((unused)) void bench_mode(unsigned flags);

static inline void bench_counters(struct lde_bench_counters *c)
{
	bench_call(LDE_BENCH_COUNTERS, (long)c, 0, 0);
}

static __attribute__((unused)) void bench_sort(uint64_t *a, unsigned n)
{
	for (unsigned gap = n / 2; gap > 0; gap /= 2) /* Shell sort: no libc here */
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				uint64_t t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

/* A value in hundredths as "12.34": the user library's printf has no floating point. */
static __attribute__((unused)) void bench_fmt_centi(char *buf, unsigned cap, uint64_t centi)
{
	snprintf(buf, cap, "%lu.%02lu", centi / 100, centi % 100);
}

static const char *bench_platform_name(uint32_t p)
{
	switch (p) {
	case LDE_PLATFORM_VMX: case LDE_PLATFORM_SVM: return "hardware";
	case LDE_PLATFORM_PVM: return "kvm_pvm";
	default: return "unknown";
	}
}

/* The window's exits (and emulated instructions, in hundredths per op) beyond an empty one. */
struct bench_window {
	uint64_t vmm, kvm, irq, insn; /* totals over the window */
	unsigned div;                 /* each operation is this many of the window's (2: round trip) */
	int valid;                    /* the kvm, irq and insn counts are real */
	int have_steps;               /* steps_centi is set (bench_step_*) */
	uint64_t steps_centi;         /* ring-0 instructions stepped per operation, in hundredths */
};

static __attribute__((unused)) struct bench_window bench_window(const struct lde_bench_counters *a,
					const struct lde_bench_counters *b)
{
	struct bench_window w = { .div = 1, .valid = (int)b->kvm_valid };
	uint64_t v = b->vmm_exits - a->vmm_exits, k = b->kvm_exits - a->kvm_exits;
	uint64_t i = b->kvm_insn_emul - a->kvm_insn_emul, q = b->kvm_irq_exits - a->kvm_irq_exits;

	k = k > q ? k - q : 0;
	w.vmm = v > bench.empty.vmm_exits ? v - bench.empty.vmm_exits : 0;
	w.kvm = k > bench.empty.kvm_exits ? k - bench.empty.kvm_exits : 0;
	w.irq = q;
	w.insn = i > bench.empty.kvm_insn_emul ? i - bench.empty.kvm_insn_emul : 0;
	return w;
}

static __attribute__((unused)) void bench_window_sub(struct bench_window *w, const struct bench_window *setup)
{
	w->vmm = w->vmm > setup->vmm ? w->vmm - setup->vmm : 0;
	w->kvm = w->kvm > setup->kvm ? w->kvm - setup->kvm : 0;
	w->irq = w->irq > setup->irq ? w->irq - setup->irq : 0;
	w->insn = w->insn > setup->insn ? w->insn - setup->insn : 0;
}

/* bench_append: printf onto the end of line (BENCH_LINE_MAX bytes), cutting what does not fit. */
static __attribute__((unused, format(printf, 3, 4))) void bench_append(char *line, unsigned *len,
								      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= BENCH_LINE_MAX - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line + *len, BENCH_LINE_MAX - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (unsigned)n < BENCH_LINE_MAX - 1 - *len ? (unsigned)n : BENCH_LINE_MAX - 1 - *len;
}

/* One value of a result line: an integer, or hundredths as a decimal (centi). */
static __attribute__((unused)) void bench_fmt_value(char *buf, unsigned cap, uint64_t v, int centi)
{
	if (centi)
		bench_fmt_centi(buf, cap, v);
	else
		snprintf(buf, cap, "%lu", v);
}

/*
 * bench_report_unit: print a metric from n samples in bench.t (sorted here), already net of
 * the bracket; in hundredths of the unit when the unit is "percent". mean_centi: the batch
 * mean in hundredths (mean_n 0: none); w: exits, or NULL.
 */
static __attribute__((unused)) void bench_report_unit(const char *name, const char *unit, unsigned n, uint64_t mean_centi,
			      unsigned mean_n, const struct bench_window *w, const char *note)
{
	int centi = strncmp(unit, "percent", 8) == 0;
	char v[4][32];
	uint64_t *s = bench.t;
	char line[BENCH_LINE_MAX], num[32];
	unsigned len = 0, modes = bench.modes;

	if (n == 0 || n > BENCH_SAMPLES_MAX) {
		printf("bench: %s: %u samples, none to report\n", name, n);
		return;
	}
	if (modes != 0)
		bench_mode(0); /* write() would take the raw path: it must not */
	bench_sort(s, n);
	bench_fmt_value(v[0], sizeof(v[0]), s[n / 2], centi);
	bench_fmt_value(v[1], sizeof(v[1]), s[n / 100], centi);
	bench_fmt_value(v[2], sizeof(v[2]), s[n - 1 - n / 100], centi);
	bench_fmt_value(v[3], sizeof(v[3]), s[0], centi);
	bench_append(line, &len, "bench: %s unit=%s n=%u median=%s p1=%s p99=%s min=%s", name, unit,
		     n, v[0], v[1], v[2], v[3]);
	if (mean_n > 0) {
		bench_fmt_centi(num, sizeof(num), mean_centi);
		bench_append(line, &len, " mean=%s mean_n=%u", num, mean_n);
	}
	if (w != NULL)
		bench_append(line, &len, " exits_vmm=%lu", w->vmm);
	if (w != NULL && w->valid) {
		bench_fmt_centi(num, sizeof(num), w->insn * 100 / ((uint64_t)n * w->div));
		bench_append(line, &len, " exits_kvm=%lu exits_irq=%lu insns=%s", w->kvm, w->irq, num);
	}
	if (w != NULL && w->have_steps) {
		bench_fmt_centi(num, sizeof(num), w->steps_centi);
		bench_append(line, &len, " steps=%s", num);
	}
	if (note != NULL)
		bench_append(line, &len, " note=%s", note);
	printf("%s\n", line);
	len = 0;
	bench_append(line, &len, "bench-q: %s", name);
	for (unsigned q = 0; q < BENCH_QUANTILES; q++) {
		bench_fmt_value(num, sizeof(num), s[(uint64_t)(n - 1) * q / (BENCH_QUANTILES - 1)], centi);
		bench_append(line, &len, " %s", num);
	}
	printf("%s\n", line);
	if (modes != 0)
		bench_mode(modes);
}

/* The samples in bench.t are raw brackets: subtract the empty one, divide, and report. */
static __attribute__((unused)) void bench_report(const char *name, unsigned divisor,
						 uint64_t batch_cycles, unsigned batch_n,
						 const struct bench_window *w, const char *note)
{
	uint64_t mean_centi = 0;

	for (unsigned i = 0; i < bench.samples; i++)
		bench.t[i] = (bench.t[i] > bench.bracket ? bench.t[i] - bench.bracket : 0) / divisor;
	if (batch_n > 0)
		mean_centi = batch_cycles * 100 / batch_n / divisor;
	bench_report_unit(name, "cycles", bench.samples, mean_centi, batch_n, w, note);
}

/* bench_step_on / bench_step_off: open a step window; close it: its ring-0 count, or -1. */
static inline long bench_step_on(unsigned via)
{
	return bench_call(LDE_BENCH_STEP, LDE_BENCH_STEP_ON, via, 0);
}

static inline int64_t bench_step_off(void)
{
	struct lde_bench_step s;

	if (bench_call(LDE_BENCH_STEP, LDE_BENCH_STEP_OFF, (long)&s, 0) != 0)
		return -1;
	return (int64_t)s.ring0;
}

/* w's steps=: total ring-0 instructions beyond the empty windows', over ops operations. */
static __attribute__((unused)) void bench_step_result(struct bench_window *w, int64_t total,
							unsigned ops, unsigned divisor)
{
	w->have_steps = 1;
	w->steps_centi = total > 0 ? (uint64_t)total * 100 / ((uint64_t)ops * divisor) : 0;
}

/*
 * BENCH_STEP_BATCH(w, divisor, via, stmt, empty): steps= for w: one window of BENCH_STEP_OPS
 * stmts, less one of as many empty statements (the window's own ON and OFF, and whatever
 * empty costs in the kernel). Nothing when the VMM does not step.
 */
#define BENCH_STEP_BATCH(w, divisor, via, stmt, empty)                                     \
	do {                                                                                \
		int64_t bench_e = -1, bench_s = -1;                                         \
		if (bench.step && bench_step_on(via) == 0) {                                \
			for (unsigned bench_i = 0; bench_i < BENCH_STEP_OPS; bench_i++) {   \
				empty;                                                      \
			}                                                                   \
			bench_e = bench_step_off();                                         \
		}                                                                           \
		if (bench_e >= 0 && bench_step_on(via) == 0) {                              \
			for (unsigned bench_i = 0; bench_i < BENCH_STEP_OPS; bench_i++) {   \
				stmt;                                                       \
			}                                                                   \
			bench_s = bench_step_off();                                         \
		}                                                                           \
		if (bench_s >= 0)                                                           \
			bench_step_result((w), bench_s - bench_e, BENCH_STEP_OPS, (divisor)); \
	} while (0)

/*
 * BENCH_STEP_EACH(w, divisor, via, setup, stmt): the same with setup run untimed and unstepped
 * before each stmt, outside the window: one window per operation, each less an empty one.
 */
#define BENCH_STEP_EACH(w, divisor, via, setup, stmt)                                      \
	do {                                                                                \
		int64_t bench_e = -1, bench_t = 0, bench_s;                                 \
		if (bench.step && bench_step_on(via) == 0)                                  \
			bench_e = bench_step_off();                                         \
		for (unsigned bench_i = 0; bench_e >= 0 && bench_i < BENCH_STEP_OPS; bench_i++) { \
			setup;                                                              \
			bench_s = -1;                                                       \
			if (bench_step_on(via) == 0) {                                      \
				stmt;                                                       \
				bench_s = bench_step_off();                                 \
			}                                                                   \
			if (bench_s < 0)                                                    \
				bench_e = -1;                                               \
			else                                                                \
				bench_t += bench_s - bench_e;                               \
		}                                                                           \
		if (bench_e >= 0)                                                           \
			bench_step_result((w), bench_t, BENCH_STEP_OPS, (divisor));         \
	} while (0)

/*
 * BENCH_SAMPLE(setup, stmt, w): what every BENCH_RUN does first: the warm-up, then the timed
 * samples into bench.t inside one exit window, which lands in w. setup runs untimed before
 * each stmt, but inside the window.
 */
#define BENCH_SAMPLE(setup, stmt, w)                                                        \
	do {                                                                                \
		for (unsigned bench_i = 0; bench_i < bench.warmup; bench_i++) {             \
			setup;                                                              \
			stmt;                                                               \
		}                                                                           \
		bench_counters(&bench.c0);                                                  \
		for (unsigned bench_i = 0; bench_i < bench.samples; bench_i++) {            \
			setup;                                                              \
			uint64_t bench_t0 = tsc_begin();                                    \
			stmt;                                                               \
			bench.t[bench_i] = tsc_end() - bench_t0;                            \
		}                                                                           \
		bench_counters(&bench.c1);                                                  \
		(w) = bench_window(&bench.c0, &bench.c1);                                   \
	} while (0)

#define BENCH_RUN_SETUP(name, divisor, setup, stmt)                                         \
	do {                                                                                \
		struct bench_window bench_w, bench_ws;                                      \
		BENCH_SAMPLE(setup, stmt, bench_w);                                         \
		/* The setup's own exits and instructions, alone, come off the window. */   \
		bench_counters(&bench.c0);                                                  \
		for (unsigned bench_i = 0; bench_i < bench.samples; bench_i++) {            \
			setup;                                                              \
		}                                                                           \
		bench_counters(&bench.c1);                                                  \
		bench_ws = bench_window(&bench.c0, &bench.c1);                              \
		bench_window_sub(&bench_w, &bench_ws);                                      \
		bench_w.div = (divisor);                                                    \
		BENCH_STEP_EACH(&bench_w, (divisor), BENCH_STEP_VIA, setup, stmt);          \
		bench_report((name), (divisor), 0, 0, &bench_w, NULL);                      \
	} while (0)

#define BENCH_RUN_NOTE(name, divisor, note, stmt)                                           \
	do {                                                                                \
		struct bench_window bench_w;                                                \
		uint64_t bench_b0;                                                          \
		BENCH_SAMPLE((void)0, stmt, bench_w);                                       \
		bench_b0 = tsc_begin();                                                     \
		for (unsigned bench_i = 0; bench_i < bench.batch; bench_i++) {              \
			stmt;                                                               \
		}                                                                           \
		bench_b0 = tsc_end() - bench_b0;                                            \
		bench_w.div = (divisor);                                                    \
		BENCH_STEP_BATCH(&bench_w, (divisor), BENCH_STEP_VIA, stmt, (void)0);       \
		bench_report((name), (divisor), bench_b0, bench.batch, &bench_w, (note));   \
	} while (0)

#define BENCH_RUN(name, divisor, stmt) BENCH_RUN_NOTE(name, divisor, NULL, stmt)

/* bench_init: the platform, the sample counts, the empty bracket and the empty window. */
static __attribute__((unused)) void bench_init(void)
{
	struct lde_bench_counters a, b;
	unsigned m;

	memset(&bench, 0, sizeof(bench)); /* touches the sample buffer: no fault while timing */
	if (bench_call(LDE_BENCH_INFO, (long)&bench.info, 0, 0) != 0) {
		printf("bench: this kernel has no SYS_bench\n");
		exit(1);
	}
	bench.samples = BENCH_SAMPLES_MAX;
	bench.batch = bench.info.platform == LDE_PLATFORM_PVM ? BENCH_BATCH_PVM : BENCH_BATCH_HW;
	if (bench.info.quick) {
		bench.samples = BENCH_SAMPLES_MAX / BENCH_QUICK_DIVISOR;
		bench.batch /= BENCH_QUICK_DIVISOR;
	}
	bench.warmup = bench.samples / 10;
	for (unsigned i = 0; i < bench.samples; i++) {
		uint64_t t0 = tsc_begin();
		bench.t[i] = tsc_end() - t0;
	}
	bench_sort(bench.t, bench.samples);
	bench.bracket = bench.t[bench.samples / 2];
	bench_counters(&a);
	bench_counters(&b);
	bench.empty.vmm_exits = b.vmm_exits - a.vmm_exits;
	bench.empty.kvm_exits = b.kvm_exits - a.kvm_exits - (b.kvm_irq_exits - a.kvm_irq_exits);
	bench.empty.kvm_insn_emul = b.kvm_insn_emul - a.kvm_insn_emul;
	bench.step = bench_step_on(BENCH_STEP_VIA) == 0 && bench_step_off() >= 0;
	m = bench.info.modes;
	printf("bench-info: platform=%s tsc_khz=%lu pcid=%u hz=%u bracket=%lu quick=%u "
	       "mitigations=kpti%s%s kvm_stats=%lu\n",
	       bench_platform_name(bench.info.platform), bench.info.tsc_khz, bench.info.pcid,
	       bench.info.timer_hz, bench.bracket, bench.info.quick,
	       (m & LDE_BENCH_M_VERW) ? ",verw" : "", (m & LDE_BENCH_M_IBPB) ? ",ibpb" : "",
	       b.kvm_valid);
	printf("bench-info: steps=%s\n", bench.step ? "on" : "off_without_vmm_--step");
}

/* bench_mode: switch this task's LDE_BENCH_M_* modes; a failure ends the task, loudly. */
static __attribute__((unused)) void bench_mode(unsigned flags)
{
	long r = bench_call(LDE_BENCH_MODE, flags, 0, 0);

	if (r == 0)
		bench.modes = flags;
	if (r != 0) {
		printf("bench: SYS_bench mode 0x%x refused: %ld\n", flags, r);
		exit(1);
	}
}

/*
 * bench_kloop_fill: n samples of ring-0 loop `what` into bench.t; the kernel may time fewer
 * per call (it keeps interrupts off for at most ~10 ms), so ask until there are n. A refusal
 * ends the task. The exits and instructions of the extra calls land in the window: under
 * kvm_pvm a long loop (vmexit.hypercall, 2 001 operations) takes a few calls more than the
 * empty loop subtracted from it, a few hundred instructions in all.
 */
static __attribute__((unused)) void bench_kloop_fill(unsigned what, unsigned n)
{
	unsigned have = 0;

	while (have < n) {
		long r = bench_call(LDE_BENCH_KLOOP, what, (long)(bench.t + have), n - have);
		if (r <= 0) {
			printf("bench: the ring-0 loop %u was refused: %ld\n", what, r);
			exit(1);
		}
		have += (unsigned)r;
	}
}

/*
 * bench_kloop: a ring-0 loop (LDE_BENCH_KLOOP) of bench.samples operations of kind `what`.
 * The kernel times each with its own bracket; the median of an empty loop's is subtracted
 * here, and the exits of an empty loop's window (the system call itself) too. No steps=: the
 * loop stops at its time budget, which a stepped loop reaches within an iteration or two,
 * and a call of one kind differs from an empty one by more than its operation (the compiler
 * lays out each kind's loop on its own), so no window isolates one operation.
 */
static __attribute__((unused)) void bench_kloop(const char *name, unsigned what, unsigned divisor, const char *note)
{
	struct bench_window w, we;
	uint64_t kbracket;
	unsigned n = bench.samples;

	bench_counters(&bench.c0);
	bench_kloop_fill(LDE_BENCH_K_EMPTY, n);
	bench_counters(&bench.c1);
	we = bench_window(&bench.c0, &bench.c1);
	bench_sort(bench.t, n);
	kbracket = bench.t[n / 2];
	bench_kloop_fill(what, n / 10); /* warm-up */
	bench_counters(&bench.c0);
	bench_kloop_fill(what, n);
	bench_counters(&bench.c1);
	w = bench_window(&bench.c0, &bench.c1);
	bench_window_sub(&w, &we);
	for (unsigned i = 0; i < n; i++)
		bench.t[i] = (bench.t[i] > kbracket ? bench.t[i] - kbracket : 0) / divisor;
	w.div = divisor;
	bench_report_unit(name, "cycles", n, 0, 0, &w, note);
}

#endif
