/* guest/task.c: creating a task, switching to it, and taking the CPU back when it dies. */
#include "task.h"

#include <stddef.h>

#include "gdt.h"
#include "kalloc.h"
#include "kernel.h"
#include "string.h"
#include "trap.h"
#include "x86.h"

_Static_assert(sizeof(struct context) == 7 * 8, "swtch pushes six registers over the return address");
_Static_assert(offsetof(struct context, r15) == 0, "swtch pops r15 first");
_Static_assert(offsetof(struct context, rip) == 6 * 8, "the return address is above the registers");

struct task *current;
static struct context *scheduler_context; /* where task_run waits while a task runs */

extern char trapret[]; /* guest/vectors.S: return-from-trap */

int task_create(struct task *t, int pid, const char *name, uint64_t rip, uint64_t rsp)
{
	uint8_t *top;

	memset(t, 0, sizeof(*t));
	t->kstack = kalloc();
	if (t->kstack == NULL)
		return -1;
	top = t->kstack + KSTACK_SIZE;
	/*
	 * The first switch to the task "returns" into trapret with this frame on the stack,
	 * and trapret's IRETQ enters ring 3: the same path every later trap returns by.
	 */
	t->tf = (struct trapframe *)(top - sizeof(struct trapframe));
	t->tf->rip = rip;
	t->tf->cs = SEL_UCODE;
	t->tf->rflags = X86_RFLAGS_FIXED;
	t->tf->rsp = rsp;
	t->tf->ss = SEL_UDATA;
	t->context = (struct context *)((uint8_t *)t->tf - sizeof(struct context));
	t->context->rip = (uint64_t)(uintptr_t)trapret;
	t->pid = pid;
	t->name = name;
	t->state = TASK_RUNNABLE;
	return 0;
}

void task_run(struct task *t)
{
	current = t;
	t->state = TASK_RUNNING;
	gdt_set_kernel_stack((uint64_t)(uintptr_t)(t->kstack + KSTACK_SIZE));
	swtch(&scheduler_context, t->context);
	current = NULL;
	kfree(t->kstack);
	t->kstack = NULL;
}

void task_kill(struct trapframe *tf)
{
	struct task *t = current;

	KASSERT(t != NULL);
	t->killed = 1;
	t->kill_tf = *tf;
	t->kill_cr2 = tf->trapno == T_PF ? rcr2() : 0;
	t->state = TASK_DEAD;
	swtch(&t->context, scheduler_context);
	panic("a dead task was switched to");
}

void task_breakpoint(struct trapframe *tf)
{
	(void)tf;
	current->breakpoints++;
}
