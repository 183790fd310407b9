/* abi/debug.h: what the kernel tells the VMM's debugger (`--gdb`, kernel word debug=on): its tasks, and the stops only the kernel sees. */
#ifndef LDE_ABI_DEBUG_H
#define LDE_ABI_DEBUG_H

#include <stdint.h>

/*
 * LDE_HC_DEBUG (abi/hypercall.h), one struct lde_hc_debug, op:
 *   TASK_START  a task exists, with pid, name and address space (pml4: the guest-physical
 *               address of its top page table); its image is loaded, it has not run yet.
 *   TASK_END    it ended; its address space is about to be freed.
 *   STOP        a #BP or #DB (vector) with the registers it interrupted: in ring 3 of task
 *               pid, or in the kernel (cs says which; pid 0 when no task was current). Under
 *               kvm_pvm ring 3's debug exceptions never reach KVM, and KVM does not intercept
 *               a guest's int3 unless asked: the kernel hands them over, and the debugger sees
 *               the same stops on every KVM. ret 1: the debugger's (a breakpoint it planted, a
 *               step it asked for); resume with regs as it left them. ret 0: not the
 *               debugger's: the kernel handles the trap as it would without one.
 */
#define LDE_DEBUG_TASK_START 1
#define LDE_DEBUG_TASK_END 2
#define LDE_DEBUG_STOP 3

#define LDE_DEBUG_NAME_MAX 16

/* A task's user registers, in the order GDB numbers them for x86-64. */
struct lde_debug_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags, cs, ss, fs_base, gs_base;
};

struct lde_hc_debug {
	uint64_t op;     /* IN: LDE_DEBUG_* */
	uint64_t pid;    /* IN */
	uint64_t pml4;   /* IN, TASK_START */
	uint64_t vector; /* IN, STOP: 1 (#DB) or 3 (#BP) */
	char name[LDE_DEBUG_NAME_MAX]; /* IN, TASK_START: NUL-padded, not always terminated */
	struct lde_debug_regs regs;    /* STOP: IN the task's; OUT what it resumes with */
	int64_t ret;     /* OUT */
};

#endif
