/*
 * tests/tasks/syscalls.c: every system call and error case of abi/syscall.h, each through both
 * entry paths (SYSCALL and int $0x80). Prints "PASS <check> [path]" or
 * "FAIL <check> [path]: got X, expected Y" per check; exits 0 only if every check passed.
 * The integration test runs it alone, as pid 1.
 */
#include "lde.h"
#include "paths.h"
#include "regprobe.h"

#include "../../guest/memlayout.h"

#define EXPECTED_PID 1
#define SLEEP_NS (50ull * 1000 * 1000)
#define SLEEP_MAX_NS (5ull * 1000 * 1000 * 1000)

/* Addresses no task may hand to the kernel. */
#define KERNEL_TEXT 0xffffffff80100000ull /* inside the kernel image */
#define DIRECT_MAP_ADDR (DIRECT_MAP_BASE + 0x1000)
#define NONCANONICAL_LOW 0x0000800000000000ull /* USER_TOP: the first non-canonical address */
#define NONCANONICAL_MID 0x1234567812345678ull
#define UNMAPPED_USER 0x10000000ull /* canonical user address, nothing mapped there */

/*
 * The stack's top edge: USER_STACK_TOP is the first unmapped byte above the stack. The
 * write test fills the EDGE bytes below it with EDGE_PATTERN and asks for EDGE_LEN bytes:
 * the range runs off the stack, so the kernel must refuse it before printing anything. EDGE
 * is more than two of the kernel's 512-byte copy chunks, so a kernel that copied and printed
 * chunk by chunk would print the pattern; the integration test asserts it never appears.
 */
#define EDGE 1024
#define EDGE_LEN 4096
#define EDGE_PATTERN "STRAYBYTES"
#define ASM_STACK_TOP 0x7fffffff0000 /* USER_STACK_TOP without the C suffix, for the assembler */
_Static_assert(ASM_STACK_TOP == USER_STACK_TOP, "ASM_STACK_TOP");

static int passed, failed;

static void check(const char *what, const struct syscall_path *p, long got, long want)
{
	if (got == want) {
		passed++;
		printf("PASS %s [%s]\n", what, p->name);
	} else {
		failed++;
		printf("FAIL %s [%s]: got %ld, expected %ld\n", what, p->name, got, want);
	}
}

/* A check whose condition is computed by the caller; detail says what was seen. */
static void check_true(const char *what, const struct syscall_path *p, int ok, const char *detail)
{
	if (ok) {
		passed++;
		printf("PASS %s [%s]%s%s\n", what, p->name, *detail ? ": " : "", detail);
	} else {
		failed++;
		printf("FAIL %s [%s]: %s\n", what, p->name, detail);
	}
}

/* ---- register preservation, in assembly so that the values are exactly the ones loaded ---- */

#define STR_(x) #x
#define STR(x) STR_(x)

static void check_registers(const struct syscall_path *p, long (*probe)(void))
{
	char what[64];

	memset(regprobe_after, 0, sizeof(regprobe_after));
	regprobe_nr = SYS_nop;
	check("registers: nop returns 0", p, probe(), 0);
	for (unsigned i = 0; i < REGPROBE_NREGS; i++) {
		if (i == REGPROBE_RCX)
			continue; /* the ABI lets the kernel clobber RCX and R11 */
		snprintf(what, sizeof(what), "registers: %s preserved", regprobe_names[i]);
		check(what, p, (long)regprobe_after[i], (long)regprobe_want(i));
	}
}

/* ---- a write that runs off the top of the stack ---------------------------------------------- */

char edge_pattern[EDGE];
char edge_save[EDGE];

/*
 * long write_edge_*(void): saves the EDGE bytes below USER_STACK_TOP, fills them with
 * edge_pattern, does write(1, USER_STACK_TOP - EDGE, EDGE_LEN), puts the bytes back and
 * returns the result. In assembly, so that nothing uses those bytes (the top of the stack
 * holds _start's and main's frames) while they hold the pattern.
 */
long write_edge_syscall(void);
long write_edge_int80(void);

__asm__(".macro WRITE_EDGE name, insn\n"
	"	.text\n"
	"	.globl \\name\n"
	"	.type \\name, @function\n"
	"\\name:\n"
	"	movabs $" STR(ASM_STACK_TOP) " - " STR(EDGE) ", %rsi\n"
	"	lea edge_save(%rip), %rdi\n"
	"	mov $" STR(EDGE) ", %ecx\n"
	"	rep movsb\n"
	"	lea edge_pattern(%rip), %rsi\n"
	"	movabs $" STR(ASM_STACK_TOP) " - " STR(EDGE) ", %rdi\n"
	"	mov $" STR(EDGE) ", %ecx\n"
	"	rep movsb\n"
	"	mov $" STR(SYS_write) ", %eax\n"
	"	mov $1, %edi\n"
	"	movabs $" STR(ASM_STACK_TOP) " - " STR(EDGE) ", %rsi\n"
	"	mov $" STR(EDGE_LEN) ", %edx\n"
	"	\\insn\n"
	"	lea edge_save(%rip), %rsi\n"
	"	movabs $" STR(ASM_STACK_TOP) " - " STR(EDGE) ", %rdi\n"
	"	mov $" STR(EDGE) ", %ecx\n"
	"	rep movsb\n"
	"	ret\n"
	"	.size \\name, . - \\name\n"
	".endm\n"
	"WRITE_EDGE write_edge_syscall, syscall\n"
	"WRITE_EDGE write_edge_int80, \"int $0x80\"\n");

/* ---- the checks ------------------------------------------------------------------------------- */

static uint64_t stack_bottom; /* the lowest stack address; the guard page is below it */

static void check_write(const struct syscall_path *p, long (*write_edge)(void))
{
	static const long bad_fds[] = { 0, 3, -1, 1l << 40 };
	static const struct {
		const char *what;
		uint64_t buf;
		uint64_t len;
	} bad_bufs[] = {
		{ "write: NULL buffer -> EFAULT", 0, 1 },
		{ "write: kernel-image buffer -> EFAULT", KERNEL_TEXT, 16 },
		{ "write: direct-map buffer -> EFAULT", DIRECT_MAP_ADDR, 16 },
		{ "write: non-canonical buffer 0x800000000000 -> EFAULT", NONCANONICAL_LOW, 16 },
		{ "write: non-canonical buffer 0x1234567812345678 -> EFAULT", NONCANONICAL_MID, 16 },
		{ "write: first byte above the stack (unmapped) -> EFAULT", USER_STACK_TOP, 1 },
		{ "write: unmapped user buffer -> EFAULT", UNMAPPED_USER, 16 },
	};
	char local[16] = "local buffer\n";
	char what[96];

	check("write: \"x\\n\" to fd 1 -> 2", p, p->call(SYS_write, 1, (long)"x\n", 2, 0, 0, 0), 2);
	check("write: \"x\\n\" to fd 2 -> 2", p, p->call(SYS_write, 2, (long)"x\n", 2, 0, 0, 0), 2);
	check("write: len 0 -> 0", p, p->call(SYS_write, 1, (long)local, 0, 0, 0, 0), 0);
	for (unsigned i = 0; i < sizeof(bad_fds) / sizeof(bad_fds[0]); i++) {
		snprintf(what, sizeof(what), "write: fd %ld -> EBADF", bad_fds[i]);
		check(what, p, p->call(SYS_write, bad_fds[i], (long)local, 2, 0, 0, 0), -EBADF);
	}
	for (unsigned i = 0; i < sizeof(bad_bufs) / sizeof(bad_bufs[0]); i++)
		check(bad_bufs[i].what, p,
		      p->call(SYS_write, 1, (long)bad_bufs[i].buf, (long)bad_bufs[i].len, 0, 0, 0),
		      -EFAULT);
	check("write: bad buffer to fd 2 -> EFAULT", p,
	      p->call(SYS_write, 2, (long)KERNEL_TEXT, 16, 0, 0, 0), -EFAULT);
	check("write: len -1 (wraps) -> EFAULT", p, p->call(SYS_write, 1, (long)local, -1l, 0, 0, 0),
	      -EFAULT);
	check("write: len UINT64_MAX - 0x10 (wraps) -> EFAULT", p,
	      p->call(SYS_write, 1, (long)local, (long)(UINT64_MAX - 0x10), 0, 0, 0), -EFAULT);
	check("write: from below the stack's guard into the stack -> EFAULT", p,
	      p->call(SYS_write, 1, (long)(stack_bottom - 100), 200, 0, 0, 0), -EFAULT);
	check("read: fd 1 -> EBADF", p, p->call(SYS_read, 1, (long)local, 1, 0, 0, 0), -EBADF);
	check("read: a kernel buffer -> EFAULT", p, p->call(SYS_read, 0, (long)KERNEL_TEXT, 1, 0, 0, 0),
	      -EFAULT);
	check("read: stdin at its end (the tests give /dev/null) -> 0", p,
	      p->call(SYS_read, 0, (long)local, sizeof(local), 0, 0, 0), 0);
	check("write: bad fd is reported before a bad buffer -> EBADF", p,
	      p->call(SYS_write, 3, (long)KERNEL_TEXT, 16, 0, 0, 0), -EBADF);
	check("write: running off the top of the stack -> EFAULT, nothing printed", p, write_edge(),
	      -EFAULT);
}

/* clock_gettime(clk) through path p, in ns; or the negative error. */
static int64_t clock_via(const struct syscall_path *p, long clk)
{
	struct lde_timespec ts;
	long r = p->call(SYS_clock_gettime, clk, (long)&ts, 0, 0, 0, 0);

	return r != 0 ? r : ts.tv_sec * (int64_t)LDE_NS_PER_SEC + ts.tv_nsec;
}

static void check_clock(const struct syscall_path *p)
{
	char detail[96];
	int64_t first = clock_via(p, CLOCK_MONOTONIC), prev = first, last, real;
	struct lde_timespec ts;
	int monotonic = 1;

	for (int i = 0; i < 1000; i++) {
		int64_t now = clock_via(p, CLOCK_MONOTONIC);
		if (now < prev)
			monotonic = 0;
		prev = now;
	}
	last = prev;
	snprintf(detail, sizeof(detail), "first %ld ns, after 1000 calls %ld ns", first, last);
	check_true("clock_gettime: MONOTONIC > 0", p, first > 0, detail);
	check_true("clock_gettime: MONOTONIC non-decreasing across 1000 calls", p, monotonic, detail);
	/* REALTIME is the host's clock at boot plus the time since: after 2020, before 2100. */
	real = clock_via(p, CLOCK_REALTIME);
	snprintf(detail, sizeof(detail), "%ld s since 1970", real / (int64_t)LDE_NS_PER_SEC);
	check_true("clock_gettime: REALTIME is a date this century", p,
		   real > 1577836800ll * (int64_t)LDE_NS_PER_SEC &&
			   real < 4102444800ll * (int64_t)LDE_NS_PER_SEC, detail);
	check("clock_gettime: an unknown clock -> EINVAL", p,
	      p->call(SYS_clock_gettime, 12345, (long)&ts, 0, 0, 0, 0), -EINVAL);
	check("clock_gettime: a kernel buffer -> EFAULT", p,
	      p->call(SYS_clock_gettime, CLOCK_MONOTONIC, (long)KERNEL_TEXT, 0, 0, 0, 0), -EFAULT);
}

static void check_sleep(const struct syscall_path *p)
{
	char detail[96];
	struct lde_timespec req = { 0, (int64_t)SLEEP_NS }, bad = { 0, (int64_t)LDE_NS_PER_SEC };
	struct lde_timespec negative = { -1, 0 };
	int64_t t0 = clock_via(p, CLOCK_MONOTONIC);
	long r = p->call(SYS_nanosleep, (long)&req, 0, 0, 0, 0, 0);
	uint64_t dt = (uint64_t)(clock_via(p, CLOCK_MONOTONIC) - t0);

	check("nanosleep: 50 ms returns 0", p, r, 0);
	snprintf(detail, sizeof(detail), "slept %lu.%03lu ms", dt / 1000000, dt / 1000 % 1000);
	check_true("nanosleep: 50 ms takes >= 50 ms and < 5 s", p,
		   dt >= SLEEP_NS && dt < SLEEP_MAX_NS, detail);
	check("nanosleep: tv_nsec of a whole second -> EINVAL", p,
	      p->call(SYS_nanosleep, (long)&bad, 0, 0, 0, 0, 0), -EINVAL);
	check("nanosleep: a negative time -> EINVAL", p,
	      p->call(SYS_nanosleep, (long)&negative, 0, 0, 0, 0, 0), -EINVAL);
	check("nanosleep: NULL -> EFAULT", p, p->call(SYS_nanosleep, 0, 0, 0, 0, 0, 0), -EFAULT);
	/* clock_nanosleep to an absolute time 20 ms ahead: it returns no earlier. */
	{
		int64_t target = clock_via(p, CLOCK_MONOTONIC) + 20000000;
		struct lde_timespec abs = { target / (int64_t)LDE_NS_PER_SEC,
					    target % (int64_t)LDE_NS_PER_SEC };
		check("clock_nanosleep: TIMER_ABSTIME -> 0", p,
		      p->call(SYS_clock_nanosleep, CLOCK_MONOTONIC, LDE_TIMER_ABSTIME, (long)&abs, 0,
			      0, 0), 0);
		check_true("clock_nanosleep: TIMER_ABSTIME returns no earlier than the time asked", p,
			   clock_via(p, CLOCK_MONOTONIC) >= target, "");
		check("clock_nanosleep: an unknown clock -> EINVAL", p,
		      p->call(SYS_clock_nanosleep, 99, 0, (long)&req, 0, 0, 0), -EINVAL);
	}
	check_true("time: after 2020", p, p->call(SYS_time, 0, 0, 0, 0, 0, 0) > 1577836800, "");
}

#ifdef SYS_stats
static const uint64_t read_only_word = 0x5ca1ab1e; /* .rodata: readable, not writable */

/* stats(out): copies the kernel's counters out; the buffer must be writable user memory. */
static void check_stats(const struct syscall_path *p)
{
	struct lde_kstats a, b;
	volatile uint64_t *top_word = (volatile uint64_t *)(uintptr_t)(USER_STACK_TOP - 8);
	uint64_t saved = *top_word;
	char detail[128];
	long ra, rnop, rb;

	/* Three calls in a row, nothing printed between them: the counter goes up by exactly 2. */
	memset(&a, 0xff, sizeof(a));
	ra = p->call(SYS_stats, (long)&a, 0, 0, 0, 0, 0);
	rnop = p->call(SYS_nop, 0, 0, 0, 0, 0, 0);
	rb = p->call(SYS_stats, (long)&b, 0, 0, 0, 0, 0);
	check("stats: valid buffer -> 0", p, ra, 0);
	check("stats: nop in between -> 0", p, rnop, 0);
	check("stats: valid buffer again -> 0", p, rb, 0);
	snprintf(detail, sizeof(detail), "%lu then %lu system calls, tsc_khz %lu, timer %lu Hz",
		 a.syscalls, b.syscalls, b.tsc_khz, b.timer_hz);
	check_true("stats: counts this nop and stats call (+2)", p, b.syscalls - a.syscalls == 2,
		   detail);
	check_true("stats: tsc_khz is set, counters are sane", p,
		   b.tsc_khz > 0 && b.ticks >= a.ticks && b.idle_tsc >= a.idle_tsc &&
			   b.switches_voluntary >= a.switches_voluntary,
		   detail);
	check("stats: NULL -> EFAULT", p, p->call(SYS_stats, 0, 0, 0, 0, 0, 0), -EFAULT);
	check("stats: kernel-image buffer -> EFAULT", p,
	      p->call(SYS_stats, (long)KERNEL_TEXT, 0, 0, 0, 0, 0), -EFAULT);
	check("stats: direct-map buffer -> EFAULT", p,
	      p->call(SYS_stats, (long)DIRECT_MAP_ADDR, 0, 0, 0, 0, 0), -EFAULT);
	check("stats: non-canonical buffer -> EFAULT", p,
	      p->call(SYS_stats, (long)NONCANONICAL_MID, 0, 0, 0, 0, 0), -EFAULT);
	check("stats: read-only buffer (.rodata) -> EFAULT", p,
	      p->call(SYS_stats, (long)&read_only_word, 0, 0, 0, 0, 0), -EFAULT);
	check("stats: read-only buffer (its own code) -> EFAULT", p,
	      p->call(SYS_stats, (long)(uintptr_t)check_stats, 0, 0, 0, 0, 0), -EFAULT);
	check("stats: unmapped user buffer -> EFAULT", p,
	      p->call(SYS_stats, (long)UNMAPPED_USER, 0, 0, 0, 0, 0), -EFAULT);
	/* The top 8 bytes of the stack are unused (crt0 starts below them): a sentinel there. */
	*top_word = 0x5e5e5e5e5e5e5e5e;
	check("stats: running off the top of the stack -> EFAULT", p,
	      p->call(SYS_stats, (long)(USER_STACK_TOP - 8), 0, 0, 0, 0, 0), -EFAULT);
	check("stats: ... and the part that was mapped is untouched", p, (long)*top_word,
	      (long)0x5e5e5e5e5e5e5e5e);
	*top_word = saved;
	check("stats: read-only value still intact", p, (long)read_only_word, 0x5ca1ab1e);
}
#endif

static void check_unknown(const struct syscall_path *p)
{
	static const struct {
		const char *what;
		long nr;
	} unknown[] = {
		{ "unknown: SYS_MAX -> ENOSYS", SYS_MAX },
		{ "unknown: SYS_MAX + 1 -> ENOSYS", SYS_MAX + 1 },
		{ "unknown: 57 (Linux's fork, not served) -> ENOSYS", 57 },
		{ "unknown: SYS_LDE_BASE - 1 -> ENOSYS", SYS_LDE_BASE - 1 },
		{ "unknown: -1 -> ENOSYS", -1 },
		{ "unknown: 1 << 63 -> ENOSYS", (long)(1ull << 63) },
		{ "unknown: (1 << 32) | SYS_nop -> ENOSYS", (1l << 32) | SYS_nop },
		{ "unknown: (1 << 32) | SYS_exit -> ENOSYS", (1l << 32) | SYS_exit },
	};

	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		check(unknown[i].what, p, p->call(unknown[i].nr, 1, 2, 3, 4, 5, 6), -ENOSYS);
}

int main(int argc, char **argv)
{
	long (*const probes[2])(void) = { regprobe_syscall, regprobe_int80 };
	long (*const write_edges[2])(void) = { write_edge_syscall, write_edge_int80 };

	(void)argc;
	/* abi/auxv.h: USER_STACK_SIZE of stack below the page where the process start begins. */
	stack_bottom = ((uint64_t)argv - 8) / 4096 * 4096 - USER_STACK_SIZE;
	for (unsigned i = 0; i < EDGE; i++)
		edge_pattern[i] = EDGE_PATTERN[i % (sizeof(EDGE_PATTERN) - 1)];
	printf("syscalls: pid %ld\n", getpid());
	for (unsigned i = 0; i < 2; i++) {
		const struct syscall_path *p = &syscall_paths[i];

		check_write(p, write_edges[i]);
		check("getpid", p, p->call(SYS_getpid, 0, 0, 0, 0, 0, 0), EXPECTED_PID);
		check("getpid: arguments are ignored", p, p->call(SYS_getpid, -1, -1, -1, -1, -1, -1),
		      EXPECTED_PID);
		check("yield -> 0", p, p->call(SYS_sched_yield, 0, 0, 0, 0, 0, 0), 0);
		check("nop -> 0", p, p->call(SYS_nop, 0, 0, 0, 0, 0, 0), 0);
		check("nop: arguments are ignored", p,
		      p->call(SYS_nop, (long)KERNEL_TEXT, -1, 0, (long)NONCANONICAL_MID, 1, 2), 0);
		check_clock(p);
		check_sleep(p);
#ifdef SYS_stats
		check_stats(p);
#endif
		check_unknown(p);
		/* Booted without bench=on: SYS_bench is the bench's, and refuses everyone else. */
		check("bench: without the bench= word -> EPERM", p,
		      p->call(SYS_bench, 1 /* LDE_BENCH_INFO */, 0, 0, 0, 0, 0), -EPERM);
		check_registers(p, probes[i]);
	}
	printf("syscalls: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
