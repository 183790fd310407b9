/* guest/bench.h: SYS_bench's kernel side: per-task benchmark modes and the ring-0 timing loops (abi/bench.h). */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#include <stdint.h>

#include "../abi/bench.h"
#include "trapframe.h"

/* The modes that change an entry point (LSTAR or an IDT gate) rather than a trap handler. */
#define BENCH_ENTRY_MODES \
	(LDE_BENCH_M_RAW_SYSCALL | LDE_BENCH_M_RAW_INT80 | LDE_BENCH_M_MITIGATIONS)

/* bench_init: find out which modes this CPU and platform allow; after trap_init. */
void bench_init(void);

/* The entry modes the CPU's LSTAR and IDT hold now; bench_install changes them. */
extern unsigned bench_installed;
void bench_install(unsigned modes);

/* bench_switch_to: called on every switch to a task: a compare unless its modes differ. */
static inline void bench_switch_to(unsigned task_modes)
{
	if ((task_modes & BENCH_ENTRY_MODES) != bench_installed)
		bench_install(task_modes & BENCH_ENTRY_MODES);
}

/* bench_trap: the trap hook: a trap from a task with modes on that the bench handles; 1 if it did. */
int bench_trap(struct trapframe *tf);

/* bench_step: LDE_BENCH_STEP, ON with via or OFF with a user pointer (guest/bench_step.c). */
int64_t bench_step(uint64_t op, uint64_t arg);

/*
 * bench_step_suspend / resume: around a change of LSTAR or the IDT, take an open step window's
 * entries out (returning which ways had them) and put them back in front of the new ones.
 */
unsigned bench_step_suspend(void);
void bench_step_resume(unsigned via);

#endif
