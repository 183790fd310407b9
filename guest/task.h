/* guest/task.h: tasks: a ring-3 context with its own kernel stack, and how one ends. */
#ifndef GUEST_TASK_H
#define GUEST_TASK_H

#include <stdint.h>

#include "trapframe.h"

#define KSTACK_SIZE 4096u /* one page from kalloc */

/*
 * The registers swtch() saves: the callee-saved ones (the C ABI lets the caller assume
 * the rest are clobbered) and the return address. Lowest address first, as swtch pushes.
 */
struct context {
	uint64_t r15, r14, r13, r12, rbp, rbx;
	uint64_t rip; /* pushed by the call to swtch */
};

/* void swtch(struct context **old, struct context *new): the context switch (guest/swtch.S). */
void swtch(struct context **old, struct context *new);

enum task_state { TASK_UNUSED, TASK_RUNNABLE, TASK_RUNNING, TASK_DEAD };

struct task {
	int pid;
	const char *name;
	enum task_state state;
	uint8_t *kstack;         /* KSTACK_SIZE bytes; traps from ring 3 land at its top */
	struct trapframe *tf;    /* the user registers, at the top of kstack */
	struct context *context; /* where swtch left this task's kernel side */
	/* How it ended: killed by a trap (the frame at that moment), or exited. */
	int killed;
	struct trapframe kill_tf;
	uint64_t kill_cr2;
	unsigned breakpoints; /* int3s taken and returned from */
};

extern struct task *current;

/* task_create: a task that will start in ring 3 at rip with stack rsp, interrupts off. */
int task_create(struct task *t, int pid, const char *name, uint64_t rip, uint64_t rsp);

/* task_run: switch to t; returns when t has died. */
void task_run(struct task *t);

/* task_kill: end the current task because of the trap in tf. Does not return. */
_Noreturn void task_kill(struct trapframe *tf);

/* task_breakpoint: an int3 from ring 3: note it and let the task go on. */
void task_breakpoint(struct trapframe *tf);

#endif
