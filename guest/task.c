/* guest/task.c: creating tasks, the scheduler, and the context switch between a task and the scheduler. */
#include "task.h"

#include <stddef.h>

#include "../abi/exit.h"
#include "../common/fmt.h"
#include "../common/string.h"
#include "debug.h"
#include "fpu.h"
#include "gdt.h"
#include "kalloc.h"
#include "kernel.h"
#include "kstats.h"
#include "memlayout.h"
#include "percpu.h"
#include "timer.h"
#include "trace.h"
#include "trap.h"
#include "vm.h"
#include "x86.h"

_Static_assert(sizeof(struct context) == 7 * 8, "swtch pushes six registers over the return address");
_Static_assert(offsetof(struct context, r15) == 0, "swtch pops r15 first");
_Static_assert(offsetof(struct context, rip) == 6 * 8, "the return address is above the registers");

struct task *current;
static struct task tasks[NTASK];
static struct context *scheduler_context; /* where sched_run waits while a task runs */
static int next_pid = 1;
static unsigned last_run = NTASK - 1; /* round-robin position: tasks[0] goes first */
/*
 * Bookkeeping that keeps the scheduler's work small: under kvm_pvm every kernel instruction
 * is emulated, so scanning all NTASK slots on each switch would cost a millisecond.
 */
static unsigned nslots;    /* slots in use are all below this */
static unsigned nrunnable; /* tasks in TASK_RUNNABLE */
static unsigned nsleeping; /* tasks in TASK_SLEEPING */
static uint64_t next_wake; /* the earliest wake-up among the sleepers (valid when nsleeping) */
static struct task *regs_owner; /* whose FPU and segment registers the CPU holds now */
static void (*switch_hook)(const struct task *t); /* task_switch_hook_set */
static enum lde_trace_why switch_why; /* why the last task gave up the CPU (the trace's) */
static int last_pid;                  /* the last task that ran, for the trace; 0: none */

extern char trapret[]; /* guest/vectors.S: return-from-trap */

struct task *task_alloc(const char *name)
{
	struct task *t = NULL;

	for (unsigned i = 0; i < NTASK && t == NULL; i++)
		if (tasks[i].state == TASK_UNUSED)
			t = &tasks[i];
	if (t == NULL)
		return NULL;
	if ((unsigned)(t - tasks) >= nslots)
		nslots = (unsigned)(t - tasks) + 1;
	memset(t, 0, sizeof(*t));
	t->kstack = kalloc();
	t->fpu = kalloc();
	t->pml4 = vm_create_user();
	if (t->kstack == NULL || t->fpu == NULL || t->pml4 == NULL) {
		task_free(t);
		return NULL;
	}
	fpu_state_init(t->fpu);
	t->pcid = (unsigned)(t - tasks) + 1;
	t->tlb_stale = 1;
	fmt_snprintf(t->name, sizeof(t->name), "%s", name);
	t->state = TASK_EMBRYO; /* no pid and not runnable until task_start */
	return t;
}

void task_start(struct task *t, uint64_t rip, uint64_t rsp)
{
	uint8_t *top = t->kstack + KSTACK_SIZE;

	/*
	 * The first switch to the task "returns" into trapret with this frame on the stack,
	 * and trapret's IRETQ enters ring 3: the same path every later trap returns by.
	 */
	t->tf = (struct trapframe *)(top - sizeof(struct trapframe));
	memset(t->tf, 0, sizeof(*t->tf));
	t->tf->rip = rip;
	t->tf->cs = SEL_UCODE;
	t->tf->rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	t->tf->rsp = rsp;
	t->tf->ss = SEL_UDATA;
	t->context = (struct context *)((uint8_t *)t->tf - sizeof(struct context));
	memset(t->context, 0, sizeof(*t->context));
	t->context->rip = (uint64_t)(uintptr_t)trapret;
	t->pid = next_pid++; /* pids count tasks that started: a refused image takes none */
	t->state = TASK_RUNNABLE;
	nrunnable++;
	trace_task_start(t->pid, rip, rsp, t->name);
	debug_task_start(t->pid, t->name, V2P(t->pml4));
}

void task_free(struct task *t)
{
	if (t->pid != 0 && t->state != TASK_EMBRYO)
		debug_task_end(t->pid);
	if (t->pml4)
		vm_free_user(t->pml4);
	if (t->kstack)
		kfree(t->kstack);
	if (t->fpu)
		kfree(t->fpu);
	if (regs_owner == t)
		regs_owner = NULL;
	t->pml4 = NULL;
	t->kstack = NULL;
	t->fpu = NULL;
	t->state = TASK_UNUSED;
}

/* Back to the scheduler, for the reason why; returns when it picks this task again. */
static void sched(enum lde_trace_why why)
{
	switch_why = why;
	swtch(&current->context, scheduler_context);
}

void task_exit(int status)
{
	kstats.switches_voluntary++;
	current->status = status & 0xff;
	current->state = TASK_DEAD;
	if (!current->killed)
		trace_task_exit(current->pid, current->status);
	sched(LDE_TRACE_WHY_EXIT);
	panic("a dead task was switched to");
}

void task_kill(struct trapframe *tf)
{
	struct task *t = current;

	KASSERT(t != NULL);
	t->killed = 1;
	t->kill_tf = *tf;
	t->kill_cr2 = tf->trapno == T_PF ? rcr2() : 0;
	trace_task_kill(t->pid, tf, (LDE_EXIT_SIGNAL_BASE + (int)tf->trapno) & 0xff);
	task_exit(LDE_EXIT_SIGNAL_BASE + (int)tf->trapno);
}

void task_yield(void)
{
	kstats.switches_voluntary++;
	current->state = TASK_RUNNABLE;
	nrunnable++;
	sched(LDE_TRACE_WHY_YIELD);
}

void task_preempt(void)
{
	kstats.switches_preempted++;
	current->state = TASK_RUNNABLE;
	nrunnable++;
	sched(LDE_TRACE_WHY_TIMER);
}

int task_slice_over(void)
{
	if (++current->slice_ticks < TASK_SLICE_TICKS)
		return 0;
	current->slice_ticks = 0;
	return task_others_waiting();
}

int task_others_waiting(void)
{
	return nrunnable > 0 || (nsleeping > 0 && rdtsc() >= next_wake);
}

unsigned task_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nslots; i++)
		n += tasks[i].state != TASK_UNUSED;
	return n;
}

int task_others_exist(void)
{
	return nrunnable > 0 || nsleeping > 0;
}

void task_sleep_until(uint64_t tsc)
{
	kstats.switches_voluntary++;
	current->wake_tsc = tsc;
	current->state = TASK_SLEEPING;
	if (nsleeping++ == 0 || tsc < next_wake)
		next_wake = tsc;
	sched(LDE_TRACE_WHY_SLEEP);
}

void task_describe_end(const struct task *t)
{
	const struct trapframe *tf = &t->kill_tf;

	if (t->asserted) {
		kprintf("lde: pid %d (%s) failed an assertion (status %d)\n", t->pid, t->name,
			t->status);
		return;
	}
	if (!t->killed) {
		kprintf("lde: pid %d (%s) exited with status %d\n", t->pid, t->name, t->status);
		return;
	}
	kprintf("lde: pid %d (%s) killed: %s at rip %lx, error 0x%lx", t->pid, t->name,
		trap_name(tf->trapno), tf->rip, tf->err);
	if (tf->trapno == T_PF)
		kprintf(", cr2 %lx", t->kill_cr2);
	kprintf(" (status %d)\n", t->status);
}

/* Wake sleepers whose time has come; the earliest wake-up still pending, or 0 if none. */
static uint64_t wake_sleepers(void)
{
	uint64_t now;

	if (nsleeping == 0)
		return 0;
	now = rdtsc();
	if (now < next_wake)
		return next_wake;
	next_wake = 0;
	for (unsigned i = 0; i < nslots; i++) {
		struct task *t = &tasks[i];
		if (t->state != TASK_SLEEPING)
			continue;
		if (t->wake_tsc <= now) {
			t->state = TASK_RUNNABLE;
			nsleeping--;
			nrunnable++;
		} else if (next_wake == 0 || t->wake_tsc < next_wake) {
			next_wake = t->wake_tsc;
		}
	}
	return next_wake;
}

static struct task *pick_next(void)
{
	/* Before the first pick last_run is NTASK - 1: start the circle at the last used slot. */
	unsigned from = last_run < nslots ? last_run : nslots - 1;

	if (nrunnable == 0)
		return NULL;
	for (unsigned n = 1; n <= nslots; n++) {
		struct task *t = &tasks[(from + n) % nslots];
		if (t->state == TASK_RUNNABLE) {
			last_run = (unsigned)(t - tasks);
			nrunnable--;
			return t;
		}
	}
	panic("sched: %u runnable tasks, none found", nrunnable);
}

/*
 * Run t until it gives the CPU back: its kernel stack for traps (TSS.RSP0, and the per-CPU
 * copy SYSCALL uses), its address space, the registers its trap frame does not hold (FPU,
 * segment selectors, FS/GS bases), then the context switch. The kernel never uses those
 * registers itself (-mgeneral-regs-only; its GS base is swapped in apart), so they stay
 * loaded until another task runs: running the same task again saves and restores nothing.
 * A task that ended leaves no owner, and the next one loads all of its own over what it left.
 */
static void run(struct task *t)
{
	uint64_t top = (uint64_t)(uintptr_t)(t->kstack + KSTACK_SIZE);

	current = t;
	t->state = TASK_RUNNING;
	t->slice_ticks = 0;
	gdt_set_kernel_stack(top);
	percpu.kstack_top = top;
	vm_activate(t->pml4, t->pcid, &t->tlb_stale);
	trace_switch(last_pid, t->pid, last_pid ? switch_why : LDE_TRACE_WHY_FIRST);
	last_pid = t->pid;
	if (switch_hook)
		switch_hook(t);
	if (regs_owner != t) {
		if (regs_owner != NULL) {
			fpu_save(regs_owner->fpu);
			useg_switch(&regs_owner->segs, &t->segs);
		} else {
			useg_load(&t->segs);
		}
		fpu_restore(t->fpu);
		regs_owner = t;
	}
	swtch(&scheduler_context, t->context);
	current = NULL;
}

void task_switch_hook_set(void (*fn)(const struct task *t))
{
	KASSERT(switch_hook == NULL);
	switch_hook = fn;
}

void sched_run(void (*reap)(struct task *t))
{
	for (;;) {
		uint64_t wake = wake_sleepers();
		struct task *t = pick_next();

		if (t != NULL) {
			run(t);
			if (t->state == TASK_DEAD) {
				lcr3(kernel_pml4_pa); /* off its page tables before they are freed */
				reap(t);
				task_free(t);
			}
			continue;
		}
		if (wake == 0)
			break;
		timer_idle_until(wake);
	}
	lcr3(kernel_pml4_pa);
}
