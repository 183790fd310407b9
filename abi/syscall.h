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
#define SYS_open 2             /* -ENOENT: there are no files */
#define SYS_close 3            /* fds 0-2; a closed one gives -EBADF from then on */
#define SYS_fstat 5            /* long fstat(int fd, struct lde_stat *st): fds 0-2 */
#define SYS_lseek 8            /* fds 0-2 are streams: -ESPIPE */
#define SYS_mmap 9             /* anonymous, private, not MAP_FIXED (guest/mman.c) */
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_brk 12
#define SYS_ioctl 16           /* long ioctl(int fd, unsigned long req, ...): fds 0-2: -ENOTTY */
#define SYS_readv 19           /* long readv(int fd, const struct lde_iovec *iov, int n): fd 0 */
#define SYS_writev 20          /* long writev(int fd, const struct lde_iovec *iov, int n) */
#define SYS_rt_sigaction 13    /* no signal is ever sent to a task: accepted, and kept nowhere */
#define SYS_rt_sigprocmask 14  /* likewise; the old mask read back is empty */
#define SYS_sched_yield 24     /* long sched_yield(void): let another task run; 0 */
#define SYS_mremap 25          /* -ENOMEM: the C library copies instead */
#define SYS_madvise 28         /* 0: advice taken, and not needed */
#define SYS_nanosleep 35       /* long nanosleep(const struct lde_timespec *req, rem): 0 */
#define SYS_getpid 39          /* long getpid(void) */
#define SYS_exit 60            /* void exit(int status): status & 0xff is reported */
#define SYS_uname 63           /* long uname(struct lde_utsname *) */
#define SYS_fcntl 72           /* fds 0-2: F_GETFD, F_SETFD, F_GETFL, F_SETFL */
#define SYS_getcwd 79          /* long getcwd(char *buf, size_t size): "/" */
#define SYS_readlink 89        /* -ENOENT */
#define SYS_gettimeofday 96   /* long gettimeofday(struct lde_timeval *tv, tz): REALTIME */
#define SYS_getrlimit 97
#define SYS_sysinfo 99
#define SYS_getuid 102         /* 0, and the same for euid, gid, egid */
#define SYS_getgid 104
#define SYS_geteuid 107
#define SYS_getegid 108
#define SYS_getppid 110        /* 0: a task's parent is outside the guest */
#define SYS_getgroups 115      /* 0: no supplementary groups */
#define SYS_prctl 157          /* -ENOSYS, deliberately: C libraries go on without it */
#define SYS_arch_prctl 158     /* long arch_prctl(int code, unsigned long addr): FS/GS base */
#define SYS_gettid 186         /* its pid: one thread a task */
#define SYS_time 201           /* long time(long *t): REALTIME in seconds */
#define SYS_set_tid_address 218 /* long set_tid_address(int *): the task's id (its pid) */
#define SYS_clock_gettime 228  /* long clock_gettime(clockid, struct lde_timespec *tp) */
#define SYS_exit_group 231     /* void exit_group(int status): as exit (one thread a task) */
#define SYS_clock_nanosleep 230 /* (clk, flags, req, rem): relative, or TIMER_ABSTIME */
#define SYS_set_robust_list 273 /* -ENOSYS, deliberately (one thread a task) */
#define SYS_openat 257         /* -ENOENT */
#define SYS_newfstatat 262     /* fds 0-2 with AT_EMPTY_PATH; a path: -ENOENT */
#define SYS_prlimit64 302      /* the task's own limits, read only */
#define SYS_getrandom 318      /* bytes from the kernel's generator (not for keys) */
#define SYS_rseq 334           /* -ENOSYS, deliberately: glibc then does without */

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
#define LDE_TIMER_ABSTIME 1 /* clock_nanosleep: req is a time on the clock, not a span */

/* mmap, mprotect (Linux's asm-generic/mman-common.h); LDE_-prefixed, as host code sees libc's too */
#define LDE_PROT_NONE 0
#define LDE_PROT_READ 1
#define LDE_PROT_WRITE 2
#define LDE_PROT_EXEC 4
#define LDE_MAP_PRIVATE 0x02
#define LDE_MAP_TYPE 0x0f
#define LDE_MAP_FIXED 0x10
#define LDE_MAP_ANONYMOUS 0x20

/* fcntl, fstatat, rlimits */
#define LDE_F_GETFD 1
#define LDE_F_SETFD 2
#define LDE_F_GETFL 3
#define LDE_F_SETFL 4
#define LDE_O_RDONLY 0
#define LDE_O_WRONLY 1
#define LDE_AT_EMPTY_PATH 0x1000
#define LDE_RLIMIT_STACK 3
#define LDE_RLIMIT_NLIMITS 16
#define LDE_RLIM_INFINITY (~0ull)
#define LDE_S_IFCHR 0020000

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
#define EACCES 13
#define ENOTTY 25
#define ESPIPE 29
#define ERANGE 34
#define ENOSYS 38

#ifndef __ASSEMBLER__
#include <stdint.h>

/* struct timespec and struct iovec as the Linux x86-64 ABI lays them out. */
struct lde_timespec {
	int64_t tv_sec;
	int64_t tv_nsec; /* 0 to 999 999 999 */
};

struct lde_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct lde_iovec {
	uint64_t base;
	uint64_t len;
};

/* struct utsname, struct sysinfo, struct rlimit and struct stat, as Linux x86-64 has them. */
#define LDE_UTS_LEN 65
struct lde_utsname {
	char sysname[LDE_UTS_LEN], nodename[LDE_UTS_LEN], release[LDE_UTS_LEN];
	char version[LDE_UTS_LEN], machine[LDE_UTS_LEN], domainname[LDE_UTS_LEN];
};

struct lde_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	uint32_t pad3;
};
_Static_assert(sizeof(struct lde_sysinfo) == 112, "Linux's struct sysinfo");

struct lde_rlimit {
	uint64_t cur, max;
};

struct lde_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	struct lde_timespec atime, mtime, ctime;
	int64_t unused[3];
};
_Static_assert(sizeof(struct lde_stat) == 144, "Linux's x86-64 struct stat");

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
