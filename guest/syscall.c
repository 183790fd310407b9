/* guest/syscall.c: the system-call table, indexed by the numbers in abi/syscall.h, and the dispatcher. */
#include "syscall.h"

#include <stddef.h>

#include "kstats.h"

/* Linux's numbers: most slots are empty, and an empty slot is -ENOSYS (8 KiB of table). */
const syscall_fn syscall_table[SYS_MAX] = {
	[SYS_read] = sys_read,
	[SYS_write] = sys_write,
	[SYS_readv] = sys_readv,
	[SYS_ioctl] = sys_ioctl,
	[SYS_writev] = sys_writev,
	[SYS_sched_yield] = sys_sched_yield,
	[SYS_nanosleep] = sys_nanosleep,
	[SYS_getpid] = sys_getpid,
	[SYS_exit] = sys_exit,
	[SYS_arch_prctl] = sys_arch_prctl,
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

void syscall_dispatch(struct trapframe *tf)
{
	uint64_t nr = tf->rax;

	if (nr >= SYS_MAX || syscall_table[nr] == NULL) {
		tf->rax = (uint64_t)-ENOSYS;
		return;
	}
	kstats.syscalls++;
	tf->rax = (uint64_t)syscall_table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
}
