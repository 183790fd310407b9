/* tests/tasks/bench_check.h: what the SYS_bench test programs share: PASS/FAIL lines that reach the console whatever entry mode is on, and a register probe. */
#ifndef TESTS_TASKS_BENCH_CHECK_H
#define TESTS_TASKS_BENCH_CHECK_H

#include "lde.h"

#include "../../abi/bench.h"

/*
 * A task in LDE_BENCH_M_RAW_SYSCALL mode cannot print through SYSCALL (write() would take
 * the raw path and return without printing), and one in LDE_BENCH_M_RAW_INT80 mode cannot
 * use int $0x80. bc_modes follows the modes this task set, so that bc_say, bench_sys and
 * bench_set_modes always take the way in that still reaches the dispatcher.
 */
static unsigned bc_modes;
static int bc_passed, bc_failed;

#define BC_LINE_MAX 256

static long bc_call(long nr, long a0, long a1, long a2, long a3)
{
	if (bc_modes & LDE_BENCH_M_RAW_SYSCALL)
		return lde_int80(nr, a0, a1, a2, a3, 0, 0);
	return lde_syscall(nr, a0, a1, a2, a3, 0, 0);
}

static __attribute__((format(printf, 1, 2))) void bc_say(const char *fmt, ...)
{
	char line[BC_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = (int)sizeof(line) - 1;
	bc_call(SYS_write, 1, (long)line, n, 0);
}

/* check: got must equal want. */
static __attribute__((unused)) void check(const char *what, long got, long want)
{
	if (got == want) {
		bc_passed++;
		bc_say("PASS %s\n", what);
	} else {
		bc_failed++;
		bc_say("FAIL %s: got %ld, expected %ld\n", what, got, want);
	}
}

/* check_true: a condition the caller computed; detail says what was seen. */
static __attribute__((unused)) void check_true(const char *what, int ok, const char *detail)
{
	if (ok) {
		bc_passed++;
		bc_say("PASS %s: %s\n", what, detail);
	} else {
		bc_failed++;
		bc_say("FAIL %s: %s\n", what, detail);
	}
}

/* bench(op, a0, a1, a2) through the way in that works in the current modes. */
static __attribute__((unused)) long bench_sys(long op, long a0, long a1, long a2)
{
	return bc_call(SYS_bench, op, a0, a1, a2);
}

/* bench(MODE, flags); bc_modes follows what the kernel accepted. */
static __attribute__((unused)) long bench_set_modes(unsigned flags)
{
	long r = bench_sys(LDE_BENCH_MODE, flags, 0, 0);

	if (r == 0)
		bc_modes = flags;
	return r;
}

/* The summary line the integration tests match, and the exit status: 0 only if all passed. */
static __attribute__((unused)) int bc_summary(const char *name)
{
	bc_say("%s: %d passed, %d failed\n", name, bc_passed, bc_failed);
	return bc_failed == 0 ? 0 : 1;
}

/* ---- a register probe: which registers a raw entry path leaves alone ---------------------- */

/*
 * long probe_syscall(void), probe_int80(void): load probe_values into every general register
 * but RAX, RCX, R11 and RSP, put SYS_getpid in RAX, enter by SYSCALL or int $0x80, and store
 * the registers into probe_after (RCX last but one, RSP last). They return RAX. A raw path
 * returns RAX as it went (SYS_getpid); the full one returns the pid. probe_*_ret is the
 * address right after the instruction: where SYSCALL leaves RCX pointing.
 */
#define PROBE_NREGS 14
#define PROBE_RCX 12
#define PROBE_RSP 13
static __attribute__((unused)) const char *const probe_names[PROBE_NREGS] = {
	"rbx", "rbp", "r12", "r13", "r14", "r15", "rdi", "rsi", "rdx", "r8", "r9", "r10", "rcx", "rsp",
};
const uint64_t probe_values[PROBE_RCX] = {
	0x0c0c0c0c22220001, 0x0c0c0c0c22220002, 0x0c0c0c0c22220003, 0x0c0c0c0c22220004,
	0x0c0c0c0c22220005, 0x0c0c0c0c22220006, 0x0c0c0c0c22220007, 0x0c0c0c0c22220008,
	0x0c0c0c0c22220009, 0x0c0c0c0c2222000a, 0x0c0c0c0c2222000b, 0x0c0c0c0c2222000c,
};
uint64_t probe_after[PROBE_NREGS];
uint64_t probe_rsp_before;

long probe_syscall(void);
long probe_int80(void);
extern char probe_syscall_ret[], probe_int80_ret[];

#define BC_STR_(x) #x
#define BC_STR(x) BC_STR_(x)

__asm__(".macro BENCH_PROBE name, insn\n"
	"	.text\n"
	"	.globl \\name\n"
	"	.type \\name, @function\n"
	"\\name:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	mov %rsp, probe_rsp_before(%rip)\n"
	"	mov probe_values+0(%rip), %rbx\n"
	"	mov probe_values+8(%rip), %rbp\n"
	"	mov probe_values+16(%rip), %r12\n"
	"	mov probe_values+24(%rip), %r13\n"
	"	mov probe_values+32(%rip), %r14\n"
	"	mov probe_values+40(%rip), %r15\n"
	"	mov probe_values+48(%rip), %rdi\n"
	"	mov probe_values+56(%rip), %rsi\n"
	"	mov probe_values+64(%rip), %rdx\n"
	"	mov probe_values+72(%rip), %r8\n"
	"	mov probe_values+80(%rip), %r9\n"
	"	mov probe_values+88(%rip), %r10\n"
	"	mov $" BC_STR(SYS_getpid) ", %eax\n"
	"	\\insn\n"
	"	.globl \\name\\()_ret\n"
	"\\name\\()_ret:\n"
	"	mov %rbx, probe_after+0(%rip)\n"
	"	mov %rbp, probe_after+8(%rip)\n"
	"	mov %r12, probe_after+16(%rip)\n"
	"	mov %r13, probe_after+24(%rip)\n"
	"	mov %r14, probe_after+32(%rip)\n"
	"	mov %r15, probe_after+40(%rip)\n"
	"	mov %rdi, probe_after+48(%rip)\n"
	"	mov %rsi, probe_after+56(%rip)\n"
	"	mov %rdx, probe_after+64(%rip)\n"
	"	mov %r8, probe_after+72(%rip)\n"
	"	mov %r9, probe_after+80(%rip)\n"
	"	mov %r10, probe_after+88(%rip)\n"
	"	mov %rcx, probe_after+96(%rip)\n"
	"	mov %rsp, probe_after+104(%rip)\n"
	"	mov probe_rsp_before(%rip), %rsp\n" /* even if the path lost it */
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	"	.size \\name, . - \\name\n"
	".endm\n"
	"BENCH_PROBE probe_syscall, syscall\n"
	"BENCH_PROBE probe_int80, \"int $0x80\"\n");

/*
 * probe_raw: enter through `probe` on a raw path: RAX must come back as SYS_getpid (the
 * dispatcher never ran) and every register but RCX and R11 as it was. With check_rcx, RCX
 * must hold the return address, as SYSCALL leaves it. tag names the path in the results.
 */
static __attribute__((unused)) void probe_raw(const char *tag, long (*probe)(void),
					      const char *ret, int check_rcx)
{
	char what[96];
	long rax;

	memset(probe_after, 0, sizeof(probe_after));
	rax = probe();
	snprintf(what, sizeof(what), "%s: rax comes back as SYS_getpid, not the pid", tag);
	check(what, rax, SYS_getpid);
	for (unsigned i = 0; i < PROBE_NREGS; i++) {
		uint64_t want = i < PROBE_RCX ? probe_values[i] : probe_rsp_before;
		if (i == PROBE_RCX)
			continue;
		snprintf(what, sizeof(what), "%s: %s preserved", tag, probe_names[i]);
		check(what, (long)probe_after[i], (long)want);
	}
	if (check_rcx) {
		snprintf(what, sizeof(what), "%s: rcx holds the return address", tag);
		check(what, (long)probe_after[PROBE_RCX], (long)(uintptr_t)ret);
	}
}

#endif
