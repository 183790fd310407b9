/* guest/percpu.h: the per-CPU block that GS points at in the kernel; its offsets are used by guest/syscall_entry.S. */
#ifndef GUEST_PERCPU_H
#define GUEST_PERCPU_H

/*
 * SYSCALL does not switch stacks: the entry code must find the kernel stack with no free
 * register. After SWAPGS, GS.base is this block, and %gs:PERCPU_KSTACK_TOP is the stack.
 */
#define PERCPU_KSTACK_TOP 0 /* top of the running task's kernel stack (= TSS.RSP0) */
#define PERCPU_USER_RSP 8   /* the user RSP, saved by the SYSCALL entry */
#define PERCPU_CR3 16       /* the running task's CR3 value, for MIT_KPTI (guest/mitigate.h) */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct percpu {
	uint64_t kstack_top;
	uint64_t user_rsp;
	uint64_t cr3;
};

extern struct percpu percpu;
#endif

#endif
