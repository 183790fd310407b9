/* tests/tasks/bench_check.h: what the SYS_bench test programs share: PASS/FAIL lines that reach the console whatever entry mode is on, and a register probe. */
#ifndef TESTS_TASKS_BENCH_CHECK_H
#define TESTS_TASKS_BENCH_CHECK_H

#include "lde.h"

#include "../../abi/bench.h"
#include "regprobe.h"

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
 * probe_raw: enter through `probe` on a raw path: RAX must come back as SYS_getpid (the
 * dispatcher never ran) and every register but RCX and R11 as it was. With check_rcx, RCX
 * must hold the return address, as SYSCALL leaves it. tag names the path in the results.
 */
static __attribute__((unused)) void probe_raw(const char *tag, long (*probe)(void),
					      const char *ret, int check_rcx)
{
	char what[96];
	long rax;

	memset(regprobe_after, 0, sizeof(regprobe_after));
	regprobe_nr = SYS_getpid;
	rax = probe();
	snprintf(what, sizeof(what), "%s: rax comes back as SYS_getpid, not the pid", tag);
	check(what, rax, SYS_getpid);
	for (unsigned i = 0; i < REGPROBE_NREGS; i++) {
		if (i == REGPROBE_RCX)
			continue;
		snprintf(what, sizeof(what), "%s: %s preserved", tag, regprobe_names[i]);
		check(what, (long)regprobe_after[i], (long)regprobe_want(i));
	}
	if (check_rcx) {
		snprintf(what, sizeof(what), "%s: rcx holds the return address", tag);
		check(what, (long)regprobe_after[REGPROBE_RCX], (long)(uintptr_t)ret);
	}
}

#endif
