/*
 * tests/tasks/fuzz.c: a system-call fuzzer. FUZZ_COUNT calls (tasks.mk builds fuzz.elf with a
 * million for manual runs and fuzz_ci.elf with fewer for the tests) with random numbers and
 * arguments from an xorshift64 generator with a fixed seed, alternating SYSCALL and int $0x80.
 * Each result is checked against the ABI (abi/syscall.h); the task must survive every call.
 *
 * Kept from harm: SYS_exit is never called; SYS_sleep's argument is cut below FUZZ_SLEEP_MAX_NS;
 * write() to fd 1 or 2 only ever gets a buffer that cannot be read (any other fd is refused
 * before the buffer is looked at), so the run prints nothing but its own lines. The stack
 * buffer handed out as a valid pointer holds FUZZ_LEAK_PATTERN: it must never be printed.
 * stats() writes to memory: it gets either room inside a buffer or memory it cannot write.
 * A number below SYS_MAX that this file does not know is not called (it could do anything).
 */
#include "lde.h"
#include "paths.h"

#include "../../guest/memlayout.h"

#ifndef FUZZ_COUNT
#define FUZZ_COUNT 1000000
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED 0x2545f4914f6cdd1dull
#endif
#define FUZZ_SLEEP_MAX_NS 100000 /* 0.1 ms: well under the 1 ms limit, to keep runs short */
#define FUZZ_LEAK_PATTERN "FUZZLEAK"
#define FUZZ_BUF_SIZE 256
#define MAX_REPORTS 20 /* unexpected results printed in full; the rest only counted */

#define KERNEL_BASE 0xffffffff80000000ull

static uint64_t rng_state = FUZZ_SEED;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static char fuzz_buf[FUZZ_BUF_SIZE]; /* .bss; the stack buffer is main's */

enum arg_class {
	ARG_ZERO,
	ARG_SMALL,
	ARG_KERNEL,
	ARG_DIRECT_MAP,
	ARG_NONCANONICAL,
	ARG_NEAR_WRAP,
	ARG_RANDOM,
	ARG_USER_EDGE,  /* user addresses near the ends of what is mapped */
	ARG_VALID_BUF,  /* a pointer into a readable and writable buffer */
	ARG_CLASSES,
	ARG_UNREADABLE = ARG_RANDOM, /* classes below this one are never readable user memory */
};

static uint64_t pick_arg(enum arg_class c, const char *buf)
{
	uint64_t r = rnd();

	switch (c) {
	case ARG_ZERO: return 0;
	case ARG_SMALL: return r % 16;
	case ARG_KERNEL: return KERNEL_BASE + r % (16ull << 20);
	case ARG_DIRECT_MAP: return DIRECT_MAP_BASE + r % (64ull << 20);
	case ARG_NONCANONICAL:
		/* Bits 63..47 not all equal: bit 47 set and 63 clear, or the other way round. */
		return r & 1 ? (r | 1ull << 47) & ~(1ull << 63) : (r | 1ull << 63) & ~(1ull << 47);
	case ARG_NEAR_WRAP: return UINT64_MAX - r % 4096;
	case ARG_RANDOM: return rnd();
	case ARG_USER_EDGE:
		switch (r % 4) {
		case 0: return USER_STACK_TOP - rnd() % 8192;
		case 1: return USER_STACK_TOP - USER_STACK_SIZE - 4096 + rnd() % 8192;
		case 2: return USER_TOP - rnd() % 8192;
		default: return USER_MIN - 4096 + rnd() % 8192;
		}
	case ARG_VALID_BUF:
	default: return (uint64_t)(uintptr_t)buf + r % FUZZ_BUF_SIZE;
	}
}

static uint64_t pick_nr(void)
{
	uint64_t r = rnd();

	if (r % 16 == 0)
		return rnd(); /* fully random: almost always far out of range */
	return (r >> 4) % (SYS_MAX + 4);
}

/*
 * The arguments. A valid pointer is often followed by a length that fits its buffer; a
 * write to fd 1 or 2 gets an unreadable buffer. Sleep is cut short.
 */
static void pick_args(uint64_t nr, uint64_t a[6], const char *buf)
{
	for (int i = 0; i < 6; i++) {
		enum arg_class c = (enum arg_class)(rnd() % ARG_CLASSES);

		a[i] = pick_arg(c, buf);
		if (c == ARG_VALID_BUF && i < 5 && rnd() % 2) {
			uint64_t room = (uint64_t)(uintptr_t)buf + FUZZ_BUF_SIZE - a[i];
			a[++i] = rnd() % (room + 1);
		}
	}
	if (nr == SYS_sleep)
		a[0] %= FUZZ_SLEEP_MAX_NS;
#ifdef SYS_stats
	/* Writable memory only inside a buffer, with room for the whole structure. */
	if (nr == SYS_stats) {
		uint64_t b = (uint64_t)(uintptr_t)buf;
		if (a[0] >= b && a[0] < b + FUZZ_BUF_SIZE)
			a[0] = b + rnd() % (FUZZ_BUF_SIZE - sizeof(struct lde_kstats) + 1);
		else
			a[0] = pick_arg((enum arg_class)(rnd() % ARG_UNREADABLE), buf);
	}
#endif
	/* (uint32_t): also safe from a kernel that wrongly looked at the low half of fd only. */
	if (nr == SYS_write && ((uint32_t)a[0] == 1 || (uint32_t)a[0] == 2))
		a[1] = pick_arg((enum arg_class)(rnd() % ARG_UNREADABLE), buf);
}

static long pid;
static uint64_t last_clock;

/* The numbers this file knows how to call safely (and judge). */
static int known(uint64_t nr)
{
	switch (nr) {
	case SYS_write:
	case SYS_getpid:
	case SYS_yield:
	case SYS_sleep:
	case SYS_clock:
	case SYS_nop:
#ifdef SYS_stats
	case SYS_stats:
#endif
		return 1;
	default:
		return nr == 0 || nr >= SYS_MAX; /* unknown to the kernel too: -ENOSYS */
	}
}

/* The result the ABI allows, or a reason why `ret` is not it. */
static const char *judge(uint64_t nr, const uint64_t a[6], const char *buf, long ret)
{
	switch (nr) {
	case SYS_write:
		if (a[0] != 1 && a[0] != 2)
			return ret == -EBADF ? NULL : "write to a bad fd did not return -EBADF";
		if (ret == -EFAULT || (ret == 0 && a[2] == 0))
			return NULL;
		return "write of an unreadable buffer did not return -EFAULT (or 0 for length 0)";
	case SYS_getpid: return ret == pid ? NULL : "getpid changed";
	case SYS_yield:
	case SYS_sleep:
	case SYS_nop: return ret == 0 ? NULL : "did not return 0";
	case SYS_clock:
		if (ret <= 0 || (uint64_t)ret < last_clock)
			return "clock went backwards or is not positive";
		last_clock = (uint64_t)ret;
		return NULL;
#ifdef SYS_stats
	case SYS_stats: {
		uint64_t b = (uint64_t)(uintptr_t)buf;
		if (a[0] >= b && a[0] < b + FUZZ_BUF_SIZE)
			return ret == 0 ? NULL : "stats into a valid buffer did not return 0";
		return ret == -EFAULT ? NULL : "stats into unwritable memory did not return -EFAULT";
	}
#endif
	default: return ret == -ENOSYS ? NULL : "an unknown number did not return -ENOSYS";
	}
}

int main(void)
{
	char stack_buf[FUZZ_BUF_SIZE];
	uint64_t calls = 0, errors = 0, skipped = 0, unexpected = 0, t0, ms;

	for (unsigned i = 0; i < FUZZ_BUF_SIZE; i++)
		stack_buf[i] = fuzz_buf[i] = FUZZ_LEAK_PATTERN[i % (sizeof(FUZZ_LEAK_PATTERN) - 1)];
	pid = getpid();
	printf("fuzz: pid %ld, seed 0x%lx, %lu iterations\n", pid, (uint64_t)FUZZ_SEED,
	       (uint64_t)FUZZ_COUNT);
	t0 = clock_ns();
	for (uint64_t i = 0; i < FUZZ_COUNT; i++) {
		const struct syscall_path *p = &syscall_paths[i & 1];
		const char *buf = rnd() % 2 ? stack_buf : fuzz_buf;
		uint64_t nr = pick_nr(), a[6];
		const char *why;
		long ret;

		pick_args(nr, a, buf);
		if (nr == SYS_exit || !known(nr)) {
			skipped++;
			continue;
		}
		ret = p->call((long)nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
			      (long)a[5]);
		calls++;
		if (ret < 0 && ret >= -4095)
			errors++;
		why = judge(nr, a, buf, ret);
		if (why != NULL && ++unexpected <= MAX_REPORTS)
			printf("fuzz: UNEXPECTED at iteration %lu [%s]: nr 0x%lx (0x%lx, 0x%lx, 0x%lx, "
			       "0x%lx, 0x%lx, 0x%lx) = %ld: %s\n",
			       i, p->name, nr, a[0], a[1], a[2], a[3], a[4], a[5], ret, why);
	}
	ms = (clock_ns() - t0) / 1000000;
	printf("fuzz: %lu calls in %lu ms (%lu calls/s), %lu exits or unknown numbers skipped\n", calls, ms,
	       ms ? calls * 1000 / ms : 0, skipped);
	if (unexpected) {
		printf("fuzz: %lu unexpected results\n", unexpected);
		return 1;
	}
	printf("fuzz: %lu calls, %lu errors, done\n", calls, errors);
	return 0;
}
