/* tests/tasks/stress.c: for RUN_MS of TSC time, a random mix of spinning, yield, short sleeps, getpid, nop, clock and write, through both entry paths.
 *
 * Run many copies at a high tick rate (tests/kvm-timer-tests.sh): ticks then land in every
 * part of the system-call paths and the scheduler. Each copy checks every result: getpid is
 * its pid on both paths, yield/nop/sleep return 0, a sleep lasts at least what was asked,
 * the clock never goes back (within the task, across both paths), write returns its length.
 * Prints "stress: pid P ok: ..." and exits 0, or "stress: pid P FAIL: ..." and exits 1.
 */
#include "lde.h"
#include "paths.h"

#define RUN_MS 2000
#define MAX_LINES 8 /* short lines each copy writes, spread over the run */
#define MAX_FAILS 5

static long pid;
static int fails;
static unsigned long ncalls[2], nops[7];

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fail(const char *what, long got, long want, const char *path)
{
	if (fails++ < MAX_FAILS)
		printf("stress: pid %ld FAIL: %s returned %ld, expected %ld [%s]\n", pid, what, got,
		       want, path);
}

int main(void)
{
	struct lde_kstats st;
	uint64_t end, last_clock = 0, khz;
	unsigned lines = 0;
	char line[64];

	pid = getpid();
	rng = 0x2545f4914f6cdd1dull * (uint64_t)(pid + 1);
	if (lde_syscall(SYS_stats, (long)&st, 0, 0, 0, 0, 0) != 0 || st.tsc_khz == 0) {
		printf("stress: pid %ld FAIL: SYS_stats\n", pid);
		return 1;
	}
	khz = st.tsc_khz;
	end = rdtsc() + khz * RUN_MS;
	for (uint64_t now = rdtsc(); now < end; now = rdtsc()) {
		uint64_t r = rnd();
		unsigned p = (unsigned)(r >> 60) & 1, op = (unsigned)(r >> 32) % 16;
		const struct syscall_path *sp = &syscall_paths[p];
		long got;

		if (op >= 7) /* half the time or so, spin: let the ticks find it in ring 3 */
			op = 0;
		nops[op]++;
		if (op != 0)
			ncalls[p]++;
		switch (op) {
		case 0: { /* spin up to ~100 us */
			uint64_t until = now + (r & 0xffff) * khz / 655360;
			while (rdtsc() < until)
				;
			break;
		}
		case 1:
			if ((got = sp->call(SYS_sched_yield, 0, 0, 0, 0, 0, 0)) != 0)
				fail("yield", got, 0, sp->name);
			break;
		case 2: { /* sleep up to ~300 us */
			uint64_t ns = (r & 0xffff) * 300000 / 65536, t0 = clock_ns(), t;
			struct lde_timespec ts = { 0, (int64_t)ns };
			if ((got = sp->call(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0)) != 0)
				fail("sleep", got, 0, sp->name);
			t = clock_ns() - t0;
			if (t < ns)
				fail("sleep's duration (ns)", (long)t, (long)ns, sp->name);
			break;
		}
		case 3:
			if ((got = sp->call(SYS_getpid, 0, 0, 0, 0, 0, 0)) != pid)
				fail("getpid", got, pid, sp->name);
			break;
		case 4:
			if ((got = sp->call(SYS_nop, 0, 0, 0, 0, 0, 0)) != 0)
				fail("nop", got, 0, sp->name);
			break;
		case 5: {
			struct lde_timespec ts;
			uint64_t c;
			if ((got = sp->call(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0)) != 0)
				fail("clock_gettime", got, 0, sp->name);
			c = (uint64_t)ts.tv_sec * LDE_NS_PER_SEC + (uint64_t)ts.tv_nsec;
			if (c < last_clock)
				fail("clock (went back)", (long)c, (long)last_clock, sp->name);
			last_clock = c;
			break;
		}
		case 6: { /* a short line, now and then */
			int n;
			if (lines >= MAX_LINES || (r & 0x3f) != 0)
				break;
			n = snprintf(line, sizeof(line), "stress: pid %ld line %u [%s]\n", pid,
				     lines++, sp->name);
			if ((got = sp->call(SYS_write, 1, (long)line, n, 0, 0, 0)) != n)
				fail("write", got, n, sp->name);
			break;
		}
		}
	}
	if (getpid() != pid)
		fail("getpid at the end", getpid(), pid, "syscall");
	if (fails) {
		printf("stress: pid %ld FAIL: %d failed check(s)\n", pid, fails);
		return 1;
	}
	printf("stress: pid %ld ok: %lu calls (%lu syscall, %lu int80): %lu yield, %lu sleep, "
	       "%lu getpid, %lu nop, %lu clock, %u lines; %lu spins\n", pid, ncalls[0] + ncalls[1],
	       ncalls[0], ncalls[1], nops[1], nops[2], nops[3], nops[4], nops[5], lines, nops[0]);
	return 0;
}
