/* guest/syscall.c: the system-call table, indexed by the numbers in abi/syscall.h, and the dispatcher. */
#include "syscall.h"

#include <stddef.h>

#include "kstats.h"

/* Linux's numbers: most slots are empty, and an empty slot is -ENOSYS (8 KiB of table). */
const syscall_fn syscall_table[SYS_MAX] = {
	[SYS_read] = sys_read,
	[SYS_write] = sys_write,
	[SYS_open] = sys_enoent,
	[SYS_close] = sys_close,
	[SYS_fstat] = sys_fstat,
	[SYS_lseek] = sys_lseek,
	[SYS_mmap] = sys_mmap,
	[SYS_mprotect] = sys_mprotect,
	[SYS_munmap] = sys_munmap,
	[SYS_brk] = sys_brk,
	[SYS_rt_sigaction] = sys_rt_sigaction,
	[SYS_rt_sigprocmask] = sys_rt_sigprocmask,
	[SYS_readv] = sys_readv,
	[SYS_mremap] = sys_mremap,
	[SYS_madvise] = sys_madvise,
	[SYS_uname] = sys_uname,
	[SYS_fcntl] = sys_fcntl,
	[SYS_getcwd] = sys_getcwd,
	[SYS_readlink] = sys_enoent,
	[SYS_gettimeofday] = sys_gettimeofday,
	[SYS_getrlimit] = sys_getrlimit,
	[SYS_sysinfo] = sys_sysinfo,
	[SYS_getuid] = sys_getuid,
	[SYS_getgid] = sys_getuid,
	[SYS_geteuid] = sys_getuid,
	[SYS_getegid] = sys_getuid,
	[SYS_getppid] = sys_getuid,
	[SYS_getgroups] = sys_getgroups,
	[SYS_gettid] = sys_gettid,
	[SYS_time] = sys_time,
	[SYS_clock_nanosleep] = sys_clock_nanosleep,
	[SYS_openat] = sys_enoent,
	[SYS_newfstatat] = sys_newfstatat,
	[SYS_prlimit64] = sys_prlimit64,
	[SYS_getrandom] = sys_getrandom,
	[SYS_ioctl] = sys_ioctl,
	[SYS_writev] = sys_writev,
	[SYS_sched_yield] = sys_sched_yield,
	[SYS_nanosleep] = sys_nanosleep,
	[SYS_getpid] = sys_getpid,
	[SYS_exit] = sys_exit,
	[SYS_prctl] = sys_enosys,
	[SYS_arch_prctl] = sys_arch_prctl,
	[SYS_set_robust_list] = sys_enosys,
	[SYS_rseq] = sys_enosys,
	[SYS_set_tid_address] = sys_set_tid_address,
	[SYS_clock_gettime] = sys_clock_gettime,
	[SYS_exit_group] = sys_exit,
	[SYS_nop] = sys_nop,
	[SYS_stats] = sys_stats,
	[SYS_bench] = sys_bench,
	[SYS_assert_fail] = sys_assert_fail,
};

_Static_assert(sizeof(syscall_table) / sizeof(syscall_table[0]) == SYS_MAX,
	       "one slot per system-call number");

/* The optional modules watching every call (strace, the trace): few, and none by default. */
#define SYSCALL_HOOKS_MAX 2
static syscall_hook_fn hooks[SYSCALL_HOOKS_MAX];
static unsigned nhooks;

int syscall_hook_add(syscall_hook_fn fn)
{
	if (nhooks == SYSCALL_HOOKS_MAX)
		return -1;
	hooks[nhooks++] = fn;
	return 0;
}

static void run_hooks(const struct trapframe *tf, enum syscall_stop stop, int64_t ret)
{
	for (unsigned i = 0; i < nhooks; i++)
		hooks[i](tf, stop, ret);
}

/* The call itself: its slot in the table, or -ENOSYS for a number nobody serves. */
static inline int64_t syscall_call(const struct trapframe *tf)
{
	uint64_t nr = tf->rax;

	if (nr >= SYS_MAX || syscall_table[nr] == NULL) {
		syscall_unknown(nr);
		return -ENOSYS;
	}
	kstats.syscalls++;
	return syscall_table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
}

/* With a module watching: the same call, between its two stops. Out of line, off the path. */
static __attribute__((noinline)) void dispatch_watched(struct trapframe *tf)
{
	int64_t ret;

	run_hooks(tf, SYSCALL_ENTER, 0);
	ret = syscall_call(tf);
	run_hooks(tf, SYSCALL_LEAVE, ret);
	tf->rax = (uint64_t)ret;
}

/*
 * Every system call, by SYSCALL or int $0x80, ends here. The path is the table lookup and
 * the call: the hooks' test is one load, and what they need is out of line.
 */
void syscall_dispatch(struct trapframe *tf)
{
	if (__builtin_expect(nhooks != 0, 0)) {
		dispatch_watched(tf);
		return;
	}
	tf->rax = (uint64_t)syscall_call(tf);
}
