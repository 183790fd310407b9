/*
 * tests/tasks/bench_step.c: SYS_bench STEP (abi/bench.h), the kernel's instructions counted by
 * single-stepping: its refusals, and counts that are stable, net of an empty window, and
 * ordered as the paths are (the raw SYSCALL floor under the full path). Prints "PASS <check>"
 * or "FAIL <check>: ..." per check, one "bench_step: PATH per op N ..." line per path, and
 * "bench_step: N passed, M failed"; exits 0 only if every check passed.
 *
 * Run as `vmm/vmm --step guest.elf hz=0 bench=on -- bench_step.elf`. With the argument
 * `refused` it checks instead that ON is refused with -ENODEV (a VMM without --step), with
 * `nobench` that SYS_bench refuses it with -EPERM (a kernel booted without bench=on).
 */
#include "bench_check.h"

#include "../../abi/boot.h"

#define WINDOW_OPS 8 /* operations in one window */
#define VIA_ALL_BUT_TICKS (LDE_BENCH_VIA_ALL & ~LDE_BENCH_VIA_TIMER)

static struct lde_bench_info info;

static inline void raw_syscall(void)
{
	__asm__ volatile("syscall" : : "a"(SYS_nop) : "rcx", "r11", "memory");
}

static inline void raw_int80(void)
{
	__asm__ volatile("int $0x80" : : "a"(SYS_nop) : "memory");
}

static int arg_is(int argc, char **argv, const char *word, unsigned len)
{
	return argc > 1 && strncmp(argv[1], word, len) == 0;
}

/* WINDOW(stmt, s, r): WINDOW_OPS runs of stmt in one window: its counts in s, OFF's result in r. */
#define WINDOW(stmt, s, r)                                                                   \
	do {                                                                                 \
		memset(&(s), 0, sizeof(s));                                                  \
		(r) = bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_ON, VIA_ALL_BUT_TICKS, 0);    \
		if ((r) == 0) {                                                              \
			for (unsigned i_ = 0; i_ < WINDOW_OPS; i_++) {                       \
				stmt;                                                        \
			}                                                                    \
			(r) = bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_OFF, (long)&(s), 0);  \
		}                                                                            \
	} while (0)

/*
 * PATH(name, stmt): one path's ring-0 instructions per operation, net of an empty window in
 * the same modes; -1 if a window failed. Every window's operations must count alike (the total
 * a multiple of WINDOW_OPS), and nothing may be stepped in ring 3.
 */
static long path_result(const char *name, const struct lde_bench_step *e, long re,
			const struct lde_bench_step *w, long rw)
{
	long per_op = -1;
	char detail[160];

	if (re == 0 && rw == 0 && w->ring0 >= e->ring0 && (w->ring0 - e->ring0) % WINDOW_OPS == 0)
		per_op = (long)(w->ring0 - e->ring0) / WINDOW_OPS;
	bc_say("bench_step: %s per op %ld (window %lu, empty %lu, ring 3 %lu, entries %lu)\n", name,
	       per_op, w->ring0, e->ring0, w->ring3, w->entries);
	snprintf(detail, sizeof(detail), "%s: %ld per op, %lu in ring 3 (%ld, %ld)", name, per_op,
		 w->ring3, re, rw);
	check_true("every operation counted alike, none in ring 3", per_op >= 0 && w->ring3 == 0,
		   detail);
	return per_op;
}

#define PATH(name, stmt, out)                                                                \
	do {                                                                                 \
		struct lde_bench_step e_, w_;                                                \
		long re_, rw_;                                                               \
		WINDOW((void)0, e_, re_);                                                    \
		WINDOW(stmt, w_, rw_);                                                       \
		(out) = path_result((name), &e_, re_, &w_, rw_);                             \
	} while (0)

static void check_refusals(void)
{
	struct lde_bench_step s;

	check("off with no window open -> EINVAL",
	      bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_OFF, (long)&s, 0), -EINVAL);
	check("an unknown op -> EINVAL", bench_sys(LDE_BENCH_STEP, 3, 0, 0), -EINVAL);
	check("a way that does not exist -> EINVAL",
	      bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_ON, LDE_BENCH_VIA_ALL + 1, 0), -EINVAL);
	check("on", bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_ON, VIA_ALL_BUT_TICKS, 0), 0);
	check("a second on -> EINVAL",
	      bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_ON, VIA_ALL_BUT_TICKS, 0), -EINVAL);
	check("off to a kernel address -> EFAULT (and the window is closed)",
	      bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_OFF, (long)LDE_KERNEL_HALF_BASE, 0), -EFAULT);
	check("off again -> EINVAL", bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_OFF, (long)&s, 0),
	      -EINVAL);
}

/* The raw floors: on hardware semantics their exact instructions (guest/bench_entry.S). */
static void check_raw(long null)
{
	int hw = info.platform != LDE_PLATFORM_PVM;
	char detail[96];
	long raw;

	check("raw syscall mode", bench_set_modes(LDE_BENCH_M_RAW_SYSCALL), 0);
	PATH("syscall.raw", raw_syscall(), raw);
	bench_set_modes(0);
	snprintf(detail, sizeof(detail), "raw %ld, null %ld", raw, null);
	check_true("the raw SYSCALL floor runs fewer instructions than the full path",
		   raw > 0 && raw < null, detail);
	if (hw)
		check("syscall.raw on hardware: btq, jc, sysretq", raw, 3);
	check("raw int80 mode", bench_set_modes(LDE_BENCH_M_RAW_INT80), 0);
	PATH("int80.raw", raw_int80(), raw);
	bench_set_modes(0);
	if (hw)
		check("int80.raw on hardware: iretq", raw, 1);
}

int main(int argc, char **argv)
{
	struct lde_bench_step e1, e2;
	long r1, r2, null1, null2, n;
	char detail[160];

	if (arg_is(argc, argv, "nobench", sizeof("nobench"))) {
		check("on, in a kernel booted without bench=on -> EPERM",
		      bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_ON, VIA_ALL_BUT_TICKS, 0), -EPERM);
		return bc_summary("bench_step");
	}
	check("info: returns 0", bench_sys(LDE_BENCH_INFO, (long)&info, 0, 0), 0);
	if (arg_is(argc, argv, "refused", sizeof("refused"))) {
		check("on, with a VMM not started with --step -> ENODEV",
		      bench_sys(LDE_BENCH_STEP, LDE_BENCH_STEP_ON, VIA_ALL_BUT_TICKS, 0), -ENODEV);
		return bc_summary("bench_step");
	}
	check_refusals();

	WINDOW((void)0, e1, r1);
	WINDOW((void)0, e2, r2);
	snprintf(detail, sizeof(detail), "%lu and %lu instructions (%ld, %ld)", e1.ring0, e2.ring0,
		 r1, r2);
	check_true("two empty windows count the same: an empty window nets 0",
		   r1 == 0 && r2 == 0 && e1.ring0 == e2.ring0 && e1.ring0 > 0, detail);

	PATH("syscall.null", lde_syscall(SYS_nop, 0, 0, 0, 0, 0, 0), null1);
	PATH("syscall.null", lde_syscall(SYS_nop, 0, 0, 0, 0, 0, 0), null2);
	snprintf(detail, sizeof(detail), "%ld and %ld", null1, null2);
	check_true("syscall.null: counted, and the same twice", null1 > 0 && null1 == null2, detail);
	PATH("syscall.getpid", lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), n);
	PATH("int80.null", lde_int80(SYS_nop, 0, 0, 0, 0, 0, 0), n);
	PATH("trap.bp", __asm__ volatile("int3" : : : "memory"), n);
	check_raw(null1);
	(void)n; /* the bench_step: lines carry them, for the run-to-run comparison */
	return bc_summary("bench_step");
}
