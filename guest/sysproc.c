/* guest/sysproc.c: the system calls about the task itself and the kernel: exit, getpid, yield, sleep, clock, nop, stats, assert_fail. */
#include "../abi/exit.h"
#include "../abi/hypercall.h"
#include "clock.h"
#include "hypercall.h"
#include "kernel.h"
#include "kstats.h"
#include "syscall.h"
#include "task.h"
#include "uaccess.h"

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

int64_t sys_yield(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	task_yield();
	return 0;
}

int64_t sys_sleep(uint64_t ns, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	task_sleep_until(clock_tsc_after(ns));
	return 0;
}

int64_t sys_clock(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return (int64_t)clock_ns();
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
	hc_assert(e, f, line, current->pid);
	current->asserted = 1;
	task_exit(LDE_EXIT_TASK_ASSERT);
}
