/* bench/tasks/timerbench.c: what the timer costs: one tick taken in ring 3 (timer.irq), and a compute loop's loss at 1 and 10 kHz. */
#include "../benchlib.h"

/*
 * Run alone (SYS_bench refuses to change the tick rate while other tasks exist), with the
 * timer off: `vmm/vmm guest.elf timerbench.elf hz=0`. The task switches the timer itself.
 *
 * timer.irq: a loop reads the TSC as fast as it can; with nothing else running, a step much
 * longer than the loop's own (GAP_MIN_CYCLES) is the CPU being away: a timer interrupt taken
 * in ring 3, from entry to return, plus whatever the hypervisor did meanwhile. The host
 * interrupts the vCPU too: of the gaps seen, the `ticks` longest are taken, where ticks is
 * what the kernel counted in the same window (under kvm_pvm a tick is ~100x longer than any
 * other gap; on hardware the two may overlap, and the note says how many gaps there were).
 *
 * Its steps= (with a VMM started with --step): a window in which the timer, at STEP_HZ, is the
 * only way into the kernel that is stepped, spinning in ring 3 for a few ticks' time; the
 * kernel says how many it took inside the window, and an empty window with the timer off
 * gives what the window itself costs.
 *
 * timer.overhead.hzN: a fixed compute loop (WORK_TARGET_MS long without a timer) timed with
 * the timer off, at 1000 Hz and at 10000 Hz, in turn, OVERHEAD_REPS times; each repetition's
 * loss is (t_hz - t_off) / t_hz, the fraction of throughput the ticks took.
 */
#define IRQ_HZ 1000
#define GAP_MIN_CYCLES 400      /* the loop's own step is tens of cycles */
#define WORK_TARGET_MS 40
#define WORK_CALIBRATE_ITERS (1u << 20)
#define OVERHEAD_REPS 5
/*
 * timer.irq's steps=: a window of STEP_SPIN_MS at STEP_HZ, about STEP_TICKS ticks. The time
 * bounds the ticks however slow stepping is (if a stepped tick outlasts the period, fewer
 * come), so the window stays inside the VMM's step budget.
 */
#define STEP_TICKS 4
#define STEP_HZ 50
#define STEP_SPIN_MS (STEP_TICKS * 1000 / STEP_HZ + 1000 / STEP_HZ / 2)
#define NRATES 3

static const unsigned rates[NRATES] = { 0, 1000, 10000 };

/* A dependent chain of multiply-adds: nothing to overlap, no memory traffic. */
static uint64_t work(uint64_t iters)
{
	uint64_t x = 1;

	for (uint64_t i = 0; i < iters; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x;
}

static volatile uint64_t sink;

static uint64_t time_work(uint64_t iters)
{
	uint64_t t0 = tsc_begin();
	sink = work(iters);
	return tsc_end() - t0;
}

static void set_hz(unsigned hz)
{
	long r = bench_call(LDE_BENCH_TIMER, hz, 0, 0);

	if (r != 0) {
		printf("timerbench: SYS_bench timer %u Hz refused (%ld): run this task alone\n", hz, r);
		exit(1);
	}
}

static uint64_t ticks_now(void)
{
	struct lde_kstats ks;

	lde_syscall(SYS_stats, (long)&ks, 0, 0, 0, 0, 0);
	return ks.ticks;
}

/* timer.irq's steps=, into w: the ring-0 instructions of one tick. */
static void timer_irq_steps(struct bench_window *w)
{
	uint64_t limit = bench.info.tsc_khz * STEP_SPIN_MS, t0;
	struct lde_bench_step s;
	int64_t empty;
	long r;

	if (!bench.step || bench_step_on(LDE_BENCH_VIA_TIMER) != 0)
		return;
	empty = bench_step_off(); /* the timer is off: the window alone */
	set_hz(STEP_HZ);
	if (empty < 0 || bench_step_on(LDE_BENCH_VIA_TIMER) != 0) {
		set_hz(0);
		return;
	}
	t0 = tsc_begin();
	while (tsc_begin() - t0 < limit)
		;
	r = bench_call(LDE_BENCH_STEP, LDE_BENCH_STEP_OFF, (long)&s, 0);
	set_hz(0);
	if (r == 0 && s.ticks > 0)
		bench_step_result(w, (int64_t)s.ring0 - empty, (unsigned)s.ticks, 1);
}

/* timer_irq: report timer.irq; returns its median, in cycles. */
static uint64_t timer_irq(void)
{
	/* As long as `samples / 2` ticks take: 1 s, or 0.1 s with bench=quick. */
	uint64_t limit = bench.info.tsc_khz * 1000 / IRQ_HZ * (bench.samples / 2), t0, prev, now, ticks;
	unsigned n = 0, cap = BENCH_SAMPLES_MAX, keep;
	struct bench_window w;
	char note[160];

	set_hz(IRQ_HZ);
	ticks = ticks_now();
	bench_counters(&bench.c0);
	t0 = prev = tsc_begin();
	while (prev - t0 < limit) {
		now = tsc_begin();
		if (now - prev > GAP_MIN_CYCLES) {
			bench.t[n++] = now - prev;
			if (n == cap) { /* full: keep the longer half (rare) and restart the step */
				bench_sort(bench.t, n);
				n /= 2;
				memcpy(bench.t, bench.t + (cap - n), n * sizeof(bench.t[0]));
				now = tsc_begin();
			}
		}
		prev = now;
	}
	bench_counters(&bench.c1);
	ticks = ticks_now() - ticks;
	set_hz(0);
	if (n == 0) {
		printf("timerbench: no timer interrupt seen\n");
		exit(1);
	}
	if (ticks == 0) {
		printf("timerbench: %u gaps but no tick counted at %u Hz: the timer did not fire\n", n,
		       IRQ_HZ);
		exit(1);
	}
	w = bench_window(&bench.c0, &bench.c1);
	keep = ticks < n ? (unsigned)ticks : n;
	bench_sort(bench.t, n);
	memcpy(bench.t, bench.t + (n - keep), keep * sizeof(bench.t[0])); /* the longest */
	snprintf(note, sizeof(note), "the %u longest of %u gaps over %u cycles (ticks counted: %lu), at %u Hz",
		 keep, n, GAP_MIN_CYCLES, ticks, IRQ_HZ);
	timer_irq_steps(&w);
	bench_report_unit("timer.irq", "cycles", keep, 0, 0, &w, note);
	return bench.t[keep / 2]; /* sorted by the report */
}

/*
 * timer_overhead: what a compute loop loses at each rate. The note says how much of that the
 * ticks' own cost explains: rate x timer.irq / TSC rate (the rest would be the cache and TLB
 * footprint of each tick, or noise).
 */
static void timer_overhead(uint64_t tick_cycles)
{
	uint64_t t[NRATES][OVERHEAD_REPS], iters, cal;
	unsigned reps = bench.info.quick ? OVERHEAD_REPS / 2 + 1 : OVERHEAD_REPS;
	uint64_t target = bench.info.tsc_khz * (bench.info.quick ? WORK_TARGET_MS / 4 : WORK_TARGET_MS);

	set_hz(0);
	cal = time_work(WORK_CALIBRATE_ITERS);
	iters = target * WORK_CALIBRATE_ITERS / (cal ? cal : 1);
	for (unsigned r = 0; r < reps; r++)
		for (unsigned k = 0; k < NRATES; k++) {
			set_hz(rates[k]);
			t[k][r] = time_work(iters);
		}
	set_hz(0);
	for (unsigned k = 1; k < NRATES; k++) {
		char name[48], note[160], pred[32];
		for (unsigned r = 0; r < reps; r++) /* hundredths of a percent; noise below 0 is 0 */
			bench.t[r] = t[k][r] > t[0][r] ? (t[k][r] - t[0][r]) * 10000 / t[k][r] : 0;
		snprintf(name, sizeof(name), "timer.overhead.hz%u", rates[k]);
		/* hundredths of a percent: rate * cycles / (tsc_khz * 1000) * 100 * 100 */
		bench_fmt_centi(pred, sizeof(pred),
				(uint64_t)rates[k] * tick_cycles * 10 / bench.info.tsc_khz);
		snprintf(note, sizeof(note),
			 "a %u ms compute loop, timer off vs %u Hz, %u repetitions; the ticks alone "
			 "(%u/s x timer.irq) predict %s%%",
			 (unsigned)(target / bench.info.tsc_khz), rates[k], reps, rates[k], pred);
		bench_report_unit(name, "percent", reps, 0, 0, NULL, note);
	}
}

int main(void)
{
	bench_init();
	timer_overhead(timer_irq());
	return 0;
}
