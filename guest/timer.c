/* guest/timer.c: the timer interrupt: ticks, preemption, and waiting for the next event when idle. */
#include "timer.h"

#include "../common/string.h"
#include "cmdline.h"
#include "kernel.h"
#include "kstats.h"
#include "lapic.h"
#include "platform.h"
#include "trace.h"
#include "x86.h"

/* The rate is hz=N, or the platform's default (guest/platform.c says why it differs). */
static unsigned hz;
static int lapic_ready;
static int periodic_wanted; /* timer=periodic, read once at boot */
static int deadline_mode;
static uint64_t period_tsc;
static uint64_t next_tick; /* deadline mode: the TSC value of the next tick */

static unsigned parse_hz(void)
{
	char v[16] = "";
	unsigned n = 0;

	switch (cmdline_get(boot_info.cmdline, "hz", v, sizeof(v))) {
	case 0:
		return platform.default_hz;
	case 1:
		if (v[0] == '\0')
			break;
		for (const char *p = v; *p; p++) {
			if (*p < '0' || *p > '9' || n > TIMER_HZ_MAX)
				goto bad;
			n = n * 10 + (unsigned)(*p - '0');
		}
		if (n <= TIMER_HZ_MAX)
			return n;
		break;
	default: /* too long for v: certainly not a valid rate */
		panic("hz=: the tick rate is a whole number from 0 (no timer) to %u", TIMER_HZ_MAX);
	}
bad:
	panic("hz=%s: the tick rate is a whole number from 0 (no timer) to %u", v, TIMER_HZ_MAX);
}

static int periodic_forced(void)
{
	char v[16] = "";

	switch (cmdline_get(boot_info.cmdline, "timer", v, sizeof(v))) {
	case 0:
		return 0;
	case -1:
		panic("timer=: the timer mode is deadline or periodic");
	default:
		break;
	}
	if (strncmp(v, "periodic", sizeof(v)) == 0)
		return 1;
	if (strncmp(v, "deadline", sizeof(v)) == 0)
		return 0;
	panic("timer=%s: the timer mode is deadline or periodic", v);
}

/* Program the APIC timer for `rate` ticks a second (0: stop it); -1 without an x2APIC. */
static int timer_start(unsigned rate)
{
	if (!lapic_ready) {
		if (rate == 0)
			goto done;
		if (lapic_init() != 0)
			return -1;
		lapic_ready = 1;
		/* timer=periodic forces the fallback, so that both modes can be tested on one CPU. */
		deadline_mode = lapic_timer_has_deadline() && !periodic_wanted;
	}
	if (rate == 0) {
		lapic_timer_stop();
		goto done;
	}
	period_tsc = boot_info.tsc_khz * 1000 / rate;
	if (deadline_mode) {
		next_tick = rdtsc() + period_tsc;
		lapic_timer_deadline(next_tick);
	} else {
		lapic_timer_periodic(period_tsc);
	}
done:
	hz = rate;
	kstats.timer_hz = rate;
	return 0;
}

void timer_init(void)
{
	kstats.tsc_khz = boot_info.tsc_khz;
	periodic_wanted = periodic_forced(); /* a bad timer= is a boot error, not a later one */
	if (timer_start(parse_hz()) != 0)
		panic("timer: the CPU has no local APIC");
	if (hz == 0) {
		kprintf("lde: timer off (hz=0): a task that never gives up the CPU keeps it\n");
		return;
	}
	kprintf("lde: timer: %u Hz, %s mode\n", hz, deadline_mode ? "TSC-deadline" : "periodic");
	trace_timer_start(hz, deadline_mode);
}

int64_t timer_set_hz(uint64_t rate)
{
	if (rate > TIMER_HZ_MAX)
		return -EINVAL;
	return timer_start((unsigned)rate) == 0 ? 0 : -ENODEV;
}

int timer_interrupt(void)
{
	if (hz == 0) { /* one that was pending when SYS_bench stopped the timer */
		lapic_eoi();
		return 0;
	}
	if (deadline_mode) {
		uint64_t now = rdtsc();
		if (now < next_tick) {
			/* An early wake-up armed by timer_idle_until, not a tick. */
			lapic_timer_arm(next_tick);
			lapic_eoi();
			return 0;
		}
		next_tick += period_tsc;
		if (next_tick <= now) /* we fell behind (a long emulated stretch): re-phase */
			next_tick = now + period_tsc;
		lapic_timer_arm(next_tick);
	}
	kstats.ticks++;
	/* Acknowledge before a possible switch: the APIC holds back further ticks until then. */
	lapic_eoi();
	return 1;
}

void timer_idle_until(uint64_t wake)
{
	uint64_t t0 = rdtsc();

	if (hz == 0) {
		/* No timer to wake us: the only way to wait is to watch the clock. */
		while (rdtsc() < wake)
			;
	} else {
		/*
		 * Idle and tickless: with nothing to run there is nothing to preempt, so in
		 * deadline mode the next interrupt is the next wake-up, however far. The tick
		 * count then tells how often the timer took the CPU, not how long the guest ran.
		 */
		if (deadline_mode && wake != 0)
			lapic_timer_arm(wake);
		/* STI's one-instruction shadow covers HLT: no interrupt slips in between. */
		__asm__ volatile("sti; hlt; cli" : : : "memory");
	}
	kstats.idle_tsc += rdtsc() - t0;
}
