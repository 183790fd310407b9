/*
 * guest/debug.h: the kernel's side of the VMM's debugger (`vmm/vmm --gdb`, which adds the
 * kernel word debug=on): it names each task and its address space to the VMM, and hands it
 * the breakpoints and single steps of ring 3 (which under kvm_pvm only the kernel sees) and
 * of its own code (int3 in kernel text, where KVM does not intercept it).
 * The named points are one test of a flag when the word is not given.
 */
#ifndef GUEST_DEBUG_H
#define GUEST_DEBUG_H

#include <stdint.h>

#include "trapframe.h"

extern int debug_on;

/* debug_init: read the word; when on, the trap hook for ring 3's #BP and #DB. */
void debug_init(void);

void debug_task_record(int start, int pid, const char *name, uint64_t pml4_pa);

/* A task is loaded and about to run for the first time; a task ended. */
static inline void debug_task_start(int pid, const char *name, uint64_t pml4_pa)
{
	if (debug_on)
		debug_task_record(1, pid, name, pml4_pa);
}

static inline void debug_task_end(int pid)
{
	if (debug_on)
		debug_task_record(0, pid, "", 0);
}

/* debug_stop: hand a #BP or #DB to the VMM's debugger; 1 when it was the debugger's (resume
 * with the frame as it left it), 0 when the kernel must handle the trap itself. */
int debug_stop(struct trapframe *tf);

/* A #BP or #DB in the kernel itself: the debugger's breakpoint or step, or a kernel bug. */
static inline int debug_kernel_trap(struct trapframe *tf)
{
	return debug_on && debug_stop(tf);
}

#endif
