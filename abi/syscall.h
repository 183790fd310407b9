/* abi/syscall.h: the system-call interface between ring-3 tasks and the kernel. */
#ifndef LDE_ABI_SYSCALL_H
#define LDE_ABI_SYSCALL_H

/*
 * Calling convention, as on Linux x86-64: the number in RAX, arguments in RDI, RSI, RDX,
 * R10, R8, R9; the result in RAX, a negative errno on failure; RCX and R11 are clobbered,
 * every other register is preserved. Two ways in, which end in the same dispatcher:
 *   syscall       (SYSCALL/SYSRET; RCX and R11 carry the return RIP and RFLAGS)
 *   int $0x80     (LDE_SYSCALL_VECTOR, a DPL-3 interrupt gate; returns with IRETQ)
 */
#define LDE_SYSCALL_VECTOR 0x80

#define SYS_exit 1   /* void exit(int status): status & 0xff is reported; does not return */
#define SYS_write 2  /* long write(int fd, const void *buf, size_t len): fd 1 or 2 */
#define SYS_getpid 3 /* long getpid(void) */
#define SYS_yield 4  /* long yield(void): let another task run; 0 */
#define SYS_sleep 5  /* long sleep(uint64_t ns): 0 after at least ns nanoseconds */
#define SYS_clock 6  /* long clock(void): nanoseconds since boot, from the TSC */
#define SYS_nop 7    /* long nop(void): does nothing, returns 0: the cost of the path itself */
#define SYS_stats 8  /* long stats(struct lde_kstats *out): the kernel's counters; 0 */
#define SYS_bench 9  /* long bench(unsigned op, ...): hooks for benchmark tasks (abi/bench.h) */
#define SYS_assert_fail 10 /* void assert_fail(const char *expr, const char *file, long line):
			    * a test task's failed assertion; the VMM prints it, the task ends
			    * with LDE_EXIT_TASK_ASSERT (abi/exit.h); does not return */
#define SYS_MAX 11   /* first unused number; 0 is never a system call */

/* Error numbers, as Linux names and numbers them; system calls return them negated. */
#define EPERM 1
#define ENOENT 2
#define EBADF 9
#define ENOMEM 12
#define EFAULT 14
#define ENODEV 19
#define EINVAL 22
#define ENOSYS 38

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What SYS_stats reports: counters since boot. */
struct lde_kstats {
	uint64_t ticks;              /* timer interrupts taken */
	uint64_t switches_voluntary; /* a task gave up the CPU: yield, sleep, exit */
	uint64_t switches_preempted; /* the timer took the CPU from a task */
	uint64_t idle_tsc;           /* TSC ticks spent with nothing to run */
	uint64_t syscalls;           /* system calls dispatched */
	uint64_t timer_hz;           /* the tick rate in force (0: no timer) */
	uint64_t tsc_khz;            /* to turn idle_tsc into time */
	uint64_t fpu_saved;          /* LDE_FPU_*: the register sets kept per task across switches */
};

#define LDE_FPU_X87_SSE 1 /* x87 and SSE (XMM) registers */
#define LDE_FPU_AVX 2     /* the upper halves of the YMM registers */
#endif

/* Largest write() the kernel takes in one call; longer ones are cut and return the count. */
#define LDE_WRITE_MAX (1 << 20)

#endif
