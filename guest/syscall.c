/* guest/syscall.c: the system-call table, indexed by the numbers in abi/syscall.h, and the dispatcher. */
#include "syscall.h"

#include <stddef.h>

#include "kstats.h"

const syscall_fn syscall_table[SYS_MAX] = {
	[SYS_exit] = sys_exit,
	[SYS_write] = sys_write,
	[SYS_getpid] = sys_getpid,
	[SYS_yield] = sys_yield,
	[SYS_sleep] = sys_sleep,
	[SYS_clock] = sys_clock,
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
