/*
 * tests/tasks/bench_hooks.c: SYS_bench's contract (abi/bench.h), op by op: INFO, the error
 * cases, each per-task mode (raw entry paths, ud2 resume, demand-zero region, mitigations),
 * the ring-0 loops, the exit counters and the tick rate. Prints "PASS <check>" or
 * "FAIL <check>: ..." per check and "bench_hooks: N passed, M failed"; exits 0 only if every
 * check passed. Calls go through SYSCALL unless a check names int $0x80. The integration test
 * (tests/kvm-bench-tests.sh) runs it alone, as pid 1, with hz=0: TIMER is only for a task alone.
 */
#include "bench_check.h"

#include "../../abi/boot.h"
#include "../../guest/memlayout.h"

#define KERNEL_ADDR 0xffff800000000000ull /* the kernel half: no task may hand it over */
#define STRADDLE_ADDR (USER_STACK_TOP - 8)  /* the stack's last 8 bytes, then unmapped */
#define UD2_LOOPS 100
#define KLOOP_N 8
#define TIMER_HZ 1000
#define SPIN_MS 20
#define PAGE 4096ull
#define PF_PAGES (LDE_BENCH_PF_SIZE / PAGE)
#define PF_PATTERN 0x5a5a0000a5a50000ull

/* The modes every platform must offer (guest/bench.c); VERW and IBPB depend on the CPU. */
#define REQUIRED_MODES                                                                      \
	(LDE_BENCH_M_RAW_SYSCALL | LDE_BENCH_M_RAW_INT80 | LDE_BENCH_M_UD_RESUME |          \
	 LDE_BENCH_M_PF_REGION | LDE_BENCH_M_KPTI)

static struct lde_bench_info info;
static long pid;

static long sys_bench(long op, long a0, long a1, long a2)
{
	return lde_syscall(SYS_bench, op, a0, a1, a2, 0, 0);
}

static long int80_bench(long op, long a0, long a1, long a2)
{
	return lde_int80(SYS_bench, op, a0, a1, a2, 0, 0);
}

static struct lde_kstats kstats_now(void)
{
	struct lde_kstats ks;

	memset(&ks, 0, sizeof(ks));
	lde_syscall(SYS_stats, (long)&ks, 0, 0, 0, 0, 0);
	return ks;
}

static uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* Busy in ring 3 for ms milliseconds of TSC time: only the timer can take the CPU away. */
static void spin_ms(unsigned ms)
{
	uint64_t t0 = tsc(), len = info.tsc_khz * ms;

	while (tsc() - t0 < len)
		;
}

/* ---- INFO, unknown ops, refused modes -------------------------------------------------------- */

static void check_info(void)
{
	struct lde_kstats ks = kstats_now();
	char detail[128];

	check("info: returns 0", sys_bench(LDE_BENCH_INFO, (long)&info, 0, 0), 0);
	bc_say("bench_hooks: platform %s, tsc_khz %lu, modes 0x%x, timer_hz %u, pcid %u\n",
	       lde_platform_name(info.platform), info.tsc_khz, info.modes, info.timer_hz, info.pcid);
	snprintf(detail, sizeof(detail), "tsc_khz %lu", info.tsc_khz);
	check_true("info: tsc_khz > 0", info.tsc_khz > 0, detail);
	snprintf(detail, sizeof(detail), "platform %u", info.platform);
	check_true("info: platform is known", info.platform != LDE_PLATFORM_UNKNOWN, detail);
	snprintf(detail, sizeof(detail), "modes 0x%x", info.modes);
	check_true("info: modes has RAW_SYSCALL, RAW_INT80, UD_RESUME, PF_REGION, KPTI",
		   (info.modes & REQUIRED_MODES) == REQUIRED_MODES, detail);
	check_true("info: modes within LDE_BENCH_M_ALL", (info.modes & ~LDE_BENCH_M_ALL) == 0, detail);
	check("info: timer_hz is SYS_stats' timer_hz", info.timer_hz, (long)ks.timer_hz);
	check("info: tsc_khz is SYS_stats' tsc_khz", (long)info.tsc_khz, (long)ks.tsc_khz);
	check("info: NULL -> EFAULT", sys_bench(LDE_BENCH_INFO, 0, 0, 0), -EFAULT);
	check("info: kernel pointer -> EFAULT", sys_bench(LDE_BENCH_INFO, KERNEL_ADDR, 0, 0), -EFAULT);
	check("info: a buffer running off the stack's top -> EFAULT",
	      sys_bench(LDE_BENCH_INFO, STRADDLE_ADDR, 0, 0), -EFAULT);
}

static void check_unknown_ops(void)
{
	check("op 0 -> EINVAL", sys_bench(0, 0, 0, 0), -EINVAL);
	check("op LDE_BENCH_OPS (the first unused) -> EINVAL", sys_bench(LDE_BENCH_OPS, 0, 0, 0), -EINVAL);
	check("op 1000 -> EINVAL", sys_bench(1000, 0, 0, 0), -EINVAL);
	check("op INFO + 2^32 (not cut to 32 bits) -> EINVAL",
	      sys_bench((1l << 32) | LDE_BENCH_INFO, (long)&info, 0, 0), -EINVAL);
}

static void check_mode_errors(void)
{
	static const struct {
		const char *what;
		uint64_t flags;
	} bad[] = {
		{ "mode: a flag above LDE_BENCH_M_ALL -> EINVAL", LDE_BENCH_M_ALL + 1ull },
		{ "mode: bit 32 -> EINVAL", 1ull << 32 },
		{ "mode: RAW_SYSCALL|RAW_INT80 -> EINVAL", LDE_BENCH_M_RAW_SYSCALL | LDE_BENCH_M_RAW_INT80 },
		{ "mode: KPTI|VERW -> EINVAL", LDE_BENCH_M_KPTI | LDE_BENCH_M_VERW },
		{ "mode: KPTI|IBPB -> EINVAL", LDE_BENCH_M_KPTI | LDE_BENCH_M_IBPB },
		{ "mode: VERW|IBPB -> EINVAL", LDE_BENCH_M_VERW | LDE_BENCH_M_IBPB },
		{ "mode: RAW_SYSCALL|KPTI -> EINVAL", LDE_BENCH_M_RAW_SYSCALL | LDE_BENCH_M_KPTI },
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(bad[i].what, sys_bench(LDE_BENCH_MODE, (long)bad[i].flags, 0, 0), -EINVAL);
	check("mode: the refused modes left the normal paths [syscall getpid]",
	      lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
	check("mode: the refused modes left the normal paths [int80 getpid]",
	      lde_int80(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
}

/* ---- the raw entry paths --------------------------------------------------------------------- */

static void check_raw_syscall(void)
{
	long r;

	check("raw syscall: mode on", sys_bench(LDE_BENCH_MODE, LDE_BENCH_M_RAW_SYSCALL, 0, 0), 0);
	bc_modes = LDE_BENCH_M_RAW_SYSCALL; /* print through int $0x80 from here */
	probe_raw("raw syscall", regprobe_syscall, regprobe_syscall_ret, 1);
	r = lde_syscall(SYS_exit, 99, 0, 0, 0, 0, 0);
	check("raw syscall: SYS_exit comes back unserved (the task goes on)", r, SYS_exit);
	check("raw syscall: int80 getpid still returns the pid",
	      lde_int80(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
	check("raw syscall: int80 nop still returns 0", lde_int80(SYS_nop, 0, 0, 0, 0, 0, 0), 0);
	r = int80_bench(LDE_BENCH_MODE, 0, 0, 0);
	if (r == 0)
		bc_modes = 0;
	check("raw syscall: mode 0 through int80", r, 0);
	check("raw syscall: off again: syscall getpid returns the pid",
	      lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
}

static void check_raw_int80(void)
{
	long r;

	check("raw int80: mode on", sys_bench(LDE_BENCH_MODE, LDE_BENCH_M_RAW_INT80, 0, 0), 0);
	bc_modes = LDE_BENCH_M_RAW_INT80;
	probe_raw("raw int80", regprobe_int80, regprobe_int80_ret, 0);
	r = lde_int80(SYS_exit, 99, 0, 0, 0, 0, 0);
	check("raw int80: SYS_exit comes back unserved (the task goes on)", r, SYS_exit);
	check("raw int80: syscall getpid still returns the pid",
	      lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
	r = sys_bench(LDE_BENCH_MODE, 0, 0, 0);
	if (r == 0)
		bc_modes = 0;
	check("raw int80: mode 0 through syscall", r, 0);
	check("raw int80: off again: int80 getpid returns the pid",
	      lde_int80(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
}

/* ---- the trap hooks -------------------------------------------------------------------------- */

static void check_ud_resume(void)
{
	volatile unsigned passed_ud2 = 0;

	check("ud resume: mode on", sys_bench(LDE_BENCH_MODE, LDE_BENCH_M_UD_RESUME, 0, 0), 0);
	for (unsigned i = 0; i < UD2_LOOPS; i++) {
		__asm__ volatile("ud2" : : : "memory");
		passed_ud2++;
	}
	check("ud resume: execution goes on after each of 100 ud2", passed_ud2, UD2_LOOPS);
	/* Under kvm_pvm int $0x80 arrives as #UD too: it must still be a system call. */
	check("ud resume: int80 getpid still returns the pid",
	      lde_int80(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
	check("ud resume: syscall getpid still returns the pid",
	      lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
	check("ud resume: mode 0", sys_bench(LDE_BENCH_MODE, 0, 0, 0), 0);
}

static volatile uint64_t *pf_page(unsigned k)
{
	return (volatile uint64_t *)(uintptr_t)(LDE_BENCH_PF_BASE + k * PAGE);
}

static void check_pf_region(void)
{
	static const unsigned pages[] = { 0, 1, 2, 17, PF_PAGES - 1 };
	const unsigned n = sizeof(pages) / sizeof(pages[0]);
	char what[96];

	check("pf region: mode on", sys_bench(LDE_BENCH_MODE, LDE_BENCH_M_PF_REGION, 0, 0), 0);
	check("pf region: a fresh page reads as zero", (long)*pf_page(5), 0);
	for (unsigned i = 0; i < n; i++)
		*pf_page(pages[i]) = PF_PATTERN + pages[i];
	for (unsigned i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "pf region: page %u reads back what was written", pages[i]);
		check(what, (long)*pf_page(pages[i]), (long)(PF_PATTERN + pages[i]));
	}
	check("pf region: arm page 0", sys_bench(LDE_BENCH_PF_ARM, LDE_BENCH_PF_BASE, 0, 0), 0);
	check("pf region: page 0 after arming reads as zero (a new page)", (long)*pf_page(0), 0);
	check("pf region: page 1 kept its value", (long)*pf_page(1), (long)(PF_PATTERN + 1));
	check("pf region: arm a page never touched",
	      sys_bench(LDE_BENCH_PF_ARM, LDE_BENCH_PF_BASE + 100 * PAGE, 0, 0), 0);
	check("pf region: arm unaligned -> EINVAL",
	      sys_bench(LDE_BENCH_PF_ARM, LDE_BENCH_PF_BASE + 8, 0, 0), -EINVAL);
	check("pf region: arm just below the region -> EINVAL",
	      sys_bench(LDE_BENCH_PF_ARM, LDE_BENCH_PF_BASE - PAGE, 0, 0), -EINVAL);
	check("pf region: arm just past the region -> EINVAL",
	      sys_bench(LDE_BENCH_PF_ARM, LDE_BENCH_PF_BASE + LDE_BENCH_PF_SIZE, 0, 0), -EINVAL);
	check("pf region: arm a kernel address -> EINVAL",
	      sys_bench(LDE_BENCH_PF_ARM, KERNEL_ADDR, 0, 0), -EINVAL);
	check("pf region: mode 0", sys_bench(LDE_BENCH_MODE, 0, 0, 0), 0);
}

/* ---- ring-0 loops and counters --------------------------------------------------------------- */

static uint64_t kbuf[LDE_BENCH_KLOOP_MAX];

/* kloop_run: KLOOP of kind k, n times at most; checks the count (1..n) and the samples. */
static void kloop_run(const char *kind, unsigned k, unsigned n)
{
	char what[96], detail[96];
	unsigned zero = 0;
	long r;

	memset(kbuf, 0, n * sizeof(kbuf[0]));
	r = sys_bench(LDE_BENCH_KLOOP, k, (long)kbuf, n);
	snprintf(what, sizeof(what), "kloop: %s, n = %u, returns a count from 1 to %u", kind, n, n);
	snprintf(detail, sizeof(detail), "%ld", r);
	check_true(what, r >= 1 && r <= (long)n, detail);
	for (long i = 0; i < r && i <= (long)n; i++)
		zero += kbuf[i] == 0;
	snprintf(what, sizeof(what), "kloop: %s, n = %u: every sample timed is > 0", kind, n);
	snprintf(detail, sizeof(detail), "%u of %ld zero; first %lu cycles", zero, r, kbuf[0]);
	check_true(what, r >= 1 && zero == 0, detail);
}

/*
 * A loop of LDE_BENCH_KLOOP_MAX hypercalls would keep ring 0 for longer than the kernel's
 * budget (about 10 ms: kvm_pvm ~30 us each, QEMU's nested KVM ~55 us): it returns early,
 * and only because the budget ran out. Measured in ring 3 around the call, with a generous
 * margin for the way in and out (a system call under kvm_pvm is ~0.3 ms).
 */
#define KLOOP_BUDGET_MS 10
#define KLOOP_SLACK_MS 40

static void check_kloop_budget(void)
{
	uint64_t t0, ms;
	char detail[96];
	long r;

	t0 = tsc();
	r = sys_bench(LDE_BENCH_KLOOP, LDE_BENCH_K_HYPERCALL, (long)kbuf, LDE_BENCH_KLOOP_MAX);
	ms = (tsc() - t0) / info.tsc_khz;
	snprintf(detail, sizeof(detail), "%ld of %u hypercalls in %lu ms", r, LDE_BENCH_KLOOP_MAX, ms);
	check_true("kloop: hypercalls, n = LDE_BENCH_KLOOP_MAX: within the budget",
		   r >= 1 && r <= LDE_BENCH_KLOOP_MAX && ms < KLOOP_BUDGET_MS + KLOOP_SLACK_MS, detail);
	check_true("kloop: ... and a short count only once the budget is spent",
		   r == LDE_BENCH_KLOOP_MAX || ms >= KLOOP_BUDGET_MS, detail);
}

static void check_kloop(void)
{
	static const char *const kinds[LDE_BENCH_K_KINDS] = { "empty", "pio", "hypercall", "cpuid",
							      "insn" };

	check("kloop: kind LDE_BENCH_K_KINDS -> EINVAL",
	      sys_bench(LDE_BENCH_KLOOP, LDE_BENCH_K_KINDS, (long)kbuf, KLOOP_N), -EINVAL);
	check("kloop: kind 2^32 -> EINVAL",
	      sys_bench(LDE_BENCH_KLOOP, 1l << 32, (long)kbuf, KLOOP_N), -EINVAL);
	check("kloop: n = 0 -> EINVAL", sys_bench(LDE_BENCH_KLOOP, LDE_BENCH_K_EMPTY, (long)kbuf, 0),
	      -EINVAL);
	check("kloop: n = LDE_BENCH_KLOOP_MAX + 1 -> EINVAL",
	      sys_bench(LDE_BENCH_KLOOP, LDE_BENCH_K_EMPTY, (long)kbuf, LDE_BENCH_KLOOP_MAX + 1),
	      -EINVAL);
	check("kloop: NULL buffer -> EFAULT",
	      sys_bench(LDE_BENCH_KLOOP, LDE_BENCH_K_EMPTY, 0, KLOOP_N), -EFAULT);
	check("kloop: kernel buffer -> EFAULT",
	      sys_bench(LDE_BENCH_KLOOP, LDE_BENCH_K_EMPTY, KERNEL_ADDR, KLOOP_N), -EFAULT);
	check("kloop: a buffer running off the stack's top -> EFAULT",
	      sys_bench(LDE_BENCH_KLOOP, LDE_BENCH_K_EMPTY, STRADDLE_ADDR, KLOOP_N), -EFAULT);
	for (unsigned k = 0; k < LDE_BENCH_K_KINDS; k++)
		kloop_run(kinds[k], k, KLOOP_N);
	kloop_run("empty", LDE_BENCH_K_EMPTY, LDE_BENCH_KLOOP_MAX);
	check_kloop_budget();
}

static void check_counters(void)
{
	struct lde_bench_counters a, b;
	char detail[96];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	check("counters: first read returns 0", sys_bench(LDE_BENCH_COUNTERS, (long)&a, 0, 0), 0);
	check("counters: second read returns 0", sys_bench(LDE_BENCH_COUNTERS, (long)&b, 0, 0), 0);
	check("counters: kvm_valid (KVM_GET_STATS_FD works)", (long)b.kvm_valid, 1);
	snprintf(detail, sizeof(detail), "%lu then %lu", a.vmm_exits, b.vmm_exits);
	check_true("counters: vmm_exits increases (each read is an exit)",
		   b.vmm_exits > a.vmm_exits, detail);
	snprintf(detail, sizeof(detail), "%lu then %lu", a.kvm_exits, b.kvm_exits);
	check_true("counters: kvm_exits increases", b.kvm_exits > a.kvm_exits, detail);
	check("counters: NULL -> EFAULT", sys_bench(LDE_BENCH_COUNTERS, 0, 0, 0), -EFAULT);
	check("counters: kernel pointer -> EFAULT",
	      sys_bench(LDE_BENCH_COUNTERS, KERNEL_ADDR, 0, 0), -EFAULT);
}

/* ---- mitigations: the full paths still work with each one on, and after ---------------------- */

static void check_paths(const char *tag)
{
	char what[96];

	snprintf(what, sizeof(what), "%s: syscall nop returns 0", tag);
	check(what, lde_syscall(SYS_nop, 0, 0, 0, 0, 0, 0), 0);
	snprintf(what, sizeof(what), "%s: int80 nop returns 0", tag);
	check(what, lde_int80(SYS_nop, 0, 0, 0, 0, 0, 0), 0);
	snprintf(what, sizeof(what), "%s: syscall getpid returns the pid", tag);
	check(what, lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
	snprintf(what, sizeof(what), "%s: int80 getpid returns the pid", tag);
	check(what, lde_int80(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
}

static void check_mitigations(void)
{
	static const struct {
		const char *name;
		unsigned mode;
	} mit[] = {
		{ "kpti", LDE_BENCH_M_KPTI },
		{ "verw", LDE_BENCH_M_VERW },
		{ "ibpb", LDE_BENCH_M_IBPB },
	};
	char what[96];

	for (unsigned i = 0; i < sizeof(mit) / sizeof(mit[0]); i++) {
		if (!(info.modes & mit[i].mode)) {
			snprintf(what, sizeof(what), "%s: not in INFO's modes -> ENODEV", mit[i].name);
			check(what, sys_bench(LDE_BENCH_MODE, mit[i].mode, 0, 0), -ENODEV);
			continue;
		}
		snprintf(what, sizeof(what), "%s: mode on", mit[i].name);
		check(what, sys_bench(LDE_BENCH_MODE, mit[i].mode, 0, 0), 0);
		snprintf(what, sizeof(what), "%s on", mit[i].name);
		check_paths(what);
		snprintf(what, sizeof(what), "%s: mode 0 through int80", mit[i].name);
		check(what, int80_bench(LDE_BENCH_MODE, 0, 0, 0), 0);
		snprintf(what, sizeof(what), "%s off", mit[i].name);
		check_paths(what);
	}
}

/* ---- the tick rate --------------------------------------------------------------------------- */

static void check_timer(void)
{
	struct lde_bench_info now;
	uint64_t t0, t1;
	char detail[96];

	check("timer: 10001 Hz -> EINVAL", sys_bench(LDE_BENCH_TIMER, 10001, 0, 0), -EINVAL);
	check("timer: 2^32 + 1000 Hz (not cut to 32 bits) -> EINVAL",
	      sys_bench(LDE_BENCH_TIMER, (1l << 32) + TIMER_HZ, 0, 0), -EINVAL);
	check("timer: 1000 Hz, alone", sys_bench(LDE_BENCH_TIMER, TIMER_HZ, 0, 0), 0);
	memset(&now, 0, sizeof(now));
	sys_bench(LDE_BENCH_INFO, (long)&now, 0, 0);
	check("timer: INFO says 1000 Hz", now.timer_hz, TIMER_HZ);
	t0 = kstats_now().ticks;
	spin_ms(SPIN_MS);
	t1 = kstats_now().ticks;
	snprintf(detail, sizeof(detail), "%lu ticks in %u ms", t1 - t0, SPIN_MS);
	check_true("timer: ticks arrive at 1000 Hz", t1 > t0, detail);
	check("timer: 0 Hz (off)", sys_bench(LDE_BENCH_TIMER, 0, 0, 0), 0);
	check("timer: SYS_stats says 0 Hz", (long)kstats_now().timer_hz, 0);
	t0 = kstats_now().ticks;
	spin_ms(SPIN_MS);
	t1 = kstats_now().ticks;
	snprintf(detail, sizeof(detail), "%lu ticks in %u ms", t1 - t0, SPIN_MS);
	check_true("timer: off: at most 1 more tick", t1 - t0 <= 1, detail);
}

int main(void)
{
	pid = getpid();
	check_info();
	if (info.tsc_khz == 0) /* every check below relies on INFO */
		return bc_summary("bench_hooks");
	check_unknown_ops();
	check_mode_errors();
	check_raw_syscall();
	check_raw_int80();
	check_ud_resume();
	check_pf_region();
	check_kloop();
	check_counters();
	check_mitigations();
	check_timer();
	return bc_summary("bench_hooks");
}
