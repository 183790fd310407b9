/* guest/sysproc.c: the system calls about the task itself and the kernel: exit, getpid, sched_yield, nanosleep, clock_gettime, arch_prctl, set_tid_address, nop, stats, assert_fail. */
#include "../abi/exit.h"
#include "../abi/hypercall.h"
#include "clock.h"
#include "hypercall.h"
#include "kernel.h"
#include "kstats.h"
#include "syscall.h"
#include "task.h"
#include "uaccess.h"
#include "x86.h"

int64_t sys_exit(uint64_t status, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	task_exit((int)(status & 0xff));
}

int64_t sys_getpid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return current->pid;
}

int64_t sys_sched_yield(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	task_yield();
	return 0;
}

/* A timespec from the task, checked as Linux checks it: -EFAULT, or -EINVAL out of range. */
static int64_t timespec_in(uint64_t uptr, uint64_t *ns)
{
	struct lde_timespec ts;

	if (copyin(&ts, uptr, sizeof(ts)) != 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= LDE_NS_PER_SEC)
		return -EINVAL;
	/* Saturating: a sleep longer than 2^64 ns is a sleep that does not end. */
	*ns = (uint64_t)ts.tv_sec > UINT64_MAX / LDE_NS_PER_SEC
		      ? UINT64_MAX
		      : clock_add_sat((uint64_t)ts.tv_sec * LDE_NS_PER_SEC, (uint64_t)ts.tv_nsec);
	return 0;
}

/* A clock's time now in ns, or -EINVAL for a clock this kernel does not keep. */
static int64_t clock_now(uint64_t clk, uint64_t *ns)
{
	*ns = clock_ns();
	switch (clk) {
	case CLOCK_REALTIME: *ns = clock_add_sat(*ns, boot_info.realtime_ns); return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME: return 0;
	default: return -EINVAL;
	}
}

int64_t sys_clock_gettime(uint64_t clk, uint64_t tp, uint64_t a2, uint64_t a3, uint64_t a4,
			  uint64_t a5)
{
	struct lde_timespec ts;
	uint64_t ns;
	int64_t r = clock_now(clk, &ns);

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (r != 0)
		return r;
	ts.tv_sec = (int64_t)(ns / LDE_NS_PER_SEC);
	ts.tv_nsec = (int64_t)(ns % LDE_NS_PER_SEC);
	return copyout(tp, &ts, sizeof(ts));
}

int64_t sys_gettimeofday(uint64_t tv, uint64_t tz, uint64_t a2, uint64_t a3, uint64_t a4,
			 uint64_t a5)
{
	struct lde_timeval t;
	uint64_t ns;

	(void)tz, (void)a2, (void)a3, (void)a4, (void)a5; /* no time zone: the kernel keeps UTC */
	clock_now(CLOCK_REALTIME, &ns);
	t.tv_sec = (int64_t)(ns / LDE_NS_PER_SEC);
	t.tv_usec = (int64_t)(ns % LDE_NS_PER_SEC / 1000);
	return tv != 0 ? copyout(tv, &t, sizeof(t)) : 0;
}

int64_t sys_time(uint64_t tloc, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t ns;
	int64_t t;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	clock_now(CLOCK_REALTIME, &ns);
	t = (int64_t)(ns / LDE_NS_PER_SEC);
	if (tloc != 0 && copyout(tloc, &t, sizeof(t)) != 0)
		return -EFAULT;
	return t;
}

/*
 * nanosleep on a clock: for a span, or (TIMER_ABSTIME) until the clock reads req. Nothing
 * interrupts a sleep here (there are no signals), so rem is never written.
 */
int64_t sys_clock_nanosleep(uint64_t clk, uint64_t flags, uint64_t req, uint64_t rem, uint64_t a4,
			    uint64_t a5)
{
	uint64_t ns, now;
	int64_t r = clock_now(clk, &now);

	(void)rem, (void)a4, (void)a5;
	if (r == 0)
		r = timespec_in(req, &ns);
	if (r != 0)
		return r;
	if (flags & LDE_TIMER_ABSTIME)
		ns = ns > now ? ns - now : 0;
	task_sleep_until(clock_tsc_after(ns));
	return 0;
}

/*
 * Signals: nothing in this kernel ever sends one (a fault kills the task outright), so a
 * handler a task installs can never run. The calls succeed, as C libraries and shells expect
 * at start-up, and keep nothing: the old action read back is SIG_DFL, the old mask empty.
 * The checks are Linux's, so a wrong call fails here as it would there.
 */
#define SIGSET_SIZE 8  /* sizeof(sigset_t) to the kernel: 64 signals */
#define NSIG_LINUX 64
#define SIGKILL_NR 9
#define SIGSTOP_NR 19
#define SIG_HOW_MAX 2  /* SIG_BLOCK 0, SIG_UNBLOCK 1, SIG_SETMASK 2 */
struct lde_kernel_sigaction {
	uint64_t handler, flags, restorer, mask; /* the x86-64 kernel's layout: 32 bytes */
};

int64_t sys_rt_sigaction(uint64_t sig, uint64_t act, uint64_t oldact, uint64_t setsize,
			 uint64_t a4, uint64_t a5)
{
	static const struct lde_kernel_sigaction dfl = { 0, 0, 0, 0 }; /* SIG_DFL */
	struct lde_kernel_sigaction sa;

	(void)a4, (void)a5;
	if (setsize != SIGSET_SIZE || sig < 1 || sig > NSIG_LINUX)
		return -EINVAL;
	if (act && (sig == SIGKILL_NR || sig == SIGSTOP_NR))
		return -EINVAL;
	if (act && copyin(&sa, act, sizeof(sa)) != 0)
		return -EFAULT;
	if (oldact && copyout(oldact, &dfl, sizeof(dfl)) != 0)
		return -EFAULT;
	return 0;
}

int64_t sys_rt_sigprocmask(uint64_t how, uint64_t set, uint64_t oldset, uint64_t setsize,
			   uint64_t a4, uint64_t a5)
{
	static const uint64_t none = 0;
	uint64_t mask;

	(void)a4, (void)a5;
	if (setsize != SIGSET_SIZE || (set && how > SIG_HOW_MAX))
		return -EINVAL;
	if (set && copyin(&mask, set, sizeof(mask)) != 0)
		return -EFAULT;
	if (oldset && copyout(oldset, &none, sizeof(none)) != 0)
		return -EFAULT;
	return 0;
}

/* Calls refused on purpose (set_robust_list, rseq, prctl): C libraries carry on without
 * them, so the kernel does not report them as unknown. */
int64_t sys_enosys(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return -ENOSYS;
}

/*
 * The FS and GS bases, as a C library sets its thread pointer: in the CPU now (the task is
 * running, its segment state loaded) and kept from there by the context switch (useg.c).
 * While in the kernel, the user's GS base is KERNEL_GS_BASE (swapgs exchanged them).
 */
int64_t sys_arch_prctl(uint64_t code, uint64_t addr, uint64_t a2, uint64_t a3, uint64_t a4,
		       uint64_t a5)
{
	uint64_t v;

	(void)a2, (void)a3, (void)a4, (void)a5;
	switch (code) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (!user_addr_ok(addr))
			return -EPERM; /* as Linux: a base must be a user address */
		wrmsr(code == ARCH_SET_FS ? X86_MSR_FS_BASE : X86_MSR_KERNEL_GS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		v = rdmsr(code == ARCH_GET_FS ? X86_MSR_FS_BASE : X86_MSR_KERNEL_GS_BASE);
		return copyout(addr, &v, sizeof(v));
	default:
		return -EINVAL;
	}
}

/* One thread a task: its thread id is its pid, and there is no futex to wake at its exit. */
int64_t sys_set_tid_address(uint64_t tidptr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			    uint64_t a5)
{
	(void)tidptr, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return current->pid;
}

int64_t sys_nop(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}

int64_t sys_stats(uint64_t out, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return copyout(out, &kstats, sizeof(kstats));
}

/*
 * A test task's assertion failed: the VMM prints expression, file and line (LDE_HC_ASSERT),
 * and the task ends with its own status. A string the task cannot show us is reported as
 * far as it could be read: the report must not depend on the task's memory being sane.
 */
int64_t sys_assert_fail(uint64_t expr, uint64_t file, uint64_t line, uint64_t a3, uint64_t a4,
			uint64_t a5)
{
	char e[LDE_ASSERT_TEXT_MAX], f[LDE_ASSERT_TEXT_MAX];

	(void)a3, (void)a4, (void)a5;
	copyinstr(e, expr, sizeof(e));
	copyinstr(f, file, sizeof(f));
	console_flush(); /* the kernel's own lines first */
	if (hc_assert(e, f, line, current->pid) != 0) /* no LDE VMM to print it: say it here */
		kprintf("lde: pid %d: assertion failed: %s (%s:%lu)\n", current->pid, e, f,
			(unsigned long)line);
	current->asserted = 1;
	task_exit(LDE_EXIT_TASK_ASSERT);
}

/* nanosleep: clock_nanosleep for a span of CLOCK_MONOTONIC. */
int64_t sys_nanosleep(uint64_t req, uint64_t rem, uint64_t a2, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem, 0, 0);
}
