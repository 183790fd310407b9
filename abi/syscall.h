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

/*
 * The numbers are Linux's (arch/x86/entry/syscalls/syscall_64.tbl), so that a static Linux
 * program's calls reach the same function here; a number this kernel does not serve returns
 * -ENOSYS. The project's own calls sit above every Linux number.
 */
#define SYS_read 0             /* long read(int fd, void *buf, size_t len): fd 0, the VMM's stdin */
#define SYS_write 1            /* long write(int fd, const void *buf, size_t len): fd 1 or 2 */
#define SYS_ioctl 16           /* long ioctl(int fd, unsigned long req, ...): fds 0-2: -ENOTTY */
#define SYS_readv 19           /* long readv(int fd, const struct lde_iovec *iov, int n): fd 0 */
#define SYS_writev 20          /* long writev(int fd, const struct lde_iovec *iov, int n) */
#define SYS_sched_yield 24     /* long sched_yield(void): let another task run; 0 */
#define SYS_nanosleep 35       /* long nanosleep(const struct lde_timespec *req, rem): 0 */
#define SYS_getpid 39          /* long getpid(void) */
#define SYS_exit 60            /* void exit(int status): status & 0xff is reported */
#define SYS_arch_prctl 158     /* long arch_prctl(int code, unsigned long addr): FS/GS base */
#define SYS_set_tid_address 218 /* long set_tid_address(int *): the task's id (its pid) */
#define SYS_clock_gettime 228  /* long clock_gettime(clockid, struct lde_timespec *tp) */
#define SYS_exit_group 231     /* void exit_group(int status): as exit (one thread a task) */

#define SYS_LDE_BASE 1000 /* above every Linux number */
#define SYS_nop (SYS_LDE_BASE + 0)   /* long nop(void): does nothing, returns 0: the path's cost */
#define SYS_stats (SYS_LDE_BASE + 1) /* long stats(struct lde_kstats *out): the counters; 0 */
#define SYS_bench (SYS_LDE_BASE + 2) /* long bench(unsigned op, ...): abi/bench.h */
#define SYS_assert_fail (SYS_LDE_BASE + 3) /* void assert_fail(const char *expr, const char
					     * *file, long line): a test task's failed
					     * assertion; the VMM prints it, the task ends with
					     * LDE_EXIT_TASK_ASSERT (abi/exit.h) */
#define SYS_MAX (SYS_LDE_BASE + 4) /* first unused number */

/* arch_prctl codes (Linux's asm/prctl.h) */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* Clocks (Linux's numbers): every monotonic one counts from boot with the TSC. */
#define CLOCK_REALTIME 0  /* the host's clock at boot (boot information) plus the time since */
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_BOOTTIME 7

#define LDE_IOV_MAX 1024 /* writev's limit on iovec entries, as Linux's UIO_MAXIOV */
#define LDE_NS_PER_SEC 1000000000ull

/* Error numbers, as Linux names and numbers them; system calls return them negated. */
#define EPERM 1
#define ENOENT 2
#define EBADF 9
#define ENOMEM 12
#define EFAULT 14
#define ENODEV 19
#define EINVAL 22
#define ENOTTY 25
#define ENOSYS 38

#ifndef __ASSEMBLER__
#include <stdint.h>

/* struct timespec and struct iovec as the Linux x86-64 ABI lays them out. */
struct lde_timespec {
	int64_t tv_sec;
	int64_t tv_nsec; /* 0 to 999 999 999 */
};

struct lde_iovec {
	uint64_t base;
	uint64_t len;
};

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
