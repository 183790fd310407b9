/* guest/task.h: tasks: a ring-3 program with its own address space and kernel stack, and the scheduler. */
#ifndef GUEST_TASK_H
#define GUEST_TASK_H

#include <stdint.h>

#include "../abi/syscall.h"
#include "trapframe.h"
#include "useg.h"

#define NTASK 64          /* at most this many tasks exist at once */
#define KSTACK_SIZE 4096u /* one page from kalloc: traps from ring 3 land at its top */
#define TASK_NAME_MAX 48
#define TASK_SLICE_TICKS 2 /* a task runs this many timer ticks before it may be preempted */

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

enum task_state { TASK_UNUSED, TASK_EMBRYO, TASK_RUNNABLE, TASK_RUNNING, TASK_SLEEPING, TASK_DEAD };

struct task {
	int pid;
	char name[TASK_NAME_MAX];
	enum task_state state;
	uint64_t *pml4;          /* its page tables; the top half is the kernel's */
	unsigned pcid;           /* its TLB tag, where PCIDs are on: its slot + 1 (0 is the kernel's) */
	int tlb_stale;           /* its PCID may tag another address space's entries: flush first */
	uint8_t *kstack;
	struct trapframe *tf;    /* the user registers, at the top of kstack */
	struct context *context; /* where swtch left this task's kernel side */
	uint64_t wake_tsc;       /* TASK_SLEEPING: the TSC value to wake at */
	unsigned slice_ticks;    /* timer ticks taken in its current time slice */
	void *fpu;               /* its FPU/SSE/AVX registers while it is not running (guest/fpu.c) */
	struct user_segs segs;   /* its segment selectors and FS/GS bases, likewise (guest/useg.c) */
	/* How it ended (TASK_DEAD): an exit status, or killed by a trap. */
	int status;              /* exit status & 0xff, or 128 + vector when killed */
	int killed;
	int asserted;            /* it failed an assertion (SYS_assert_fail) */
	struct trapframe kill_tf;
	uint64_t kill_cr2;
	unsigned breakpoints; /* int3s taken and returned from */
	unsigned bench_modes; /* the bench's per-task modes (guest/bench.c); 0 unless bench=on */
	uint64_t brk_start, brk;  /* the heap: [brk_start, brk), above the image (guest/mman.c) */
	uint64_t mmap_next;       /* where the next anonymous mapping goes */
	unsigned fds_closed;      /* bit n: it closed fd n (0-2) (guest/sysfile.c) */
	/* The unserved system calls it has been told about (guest/sysnames.c): a bit a number. */
	uint8_t unknown_named[(SYS_MAX + 7) / 8];
	int unknown_big_named;    /* ... and whether a number past SYS_MAX has been named */
};

extern struct task *current;

/* task_alloc: a new task with an empty address space and a kernel stack, or NULL. */
struct task *task_alloc(const char *name);

/* task_start: give t the next pid and make it runnable; it enters ring 3 at rip, stack rsp. */
void task_start(struct task *t, uint64_t rip, uint64_t rsp);

/* task_free: release everything a task holds (its address space included); it must not run. */
void task_free(struct task *t);

/* task_exit: end the current task with status. */
_Noreturn void task_exit(int status);

/* task_kill: end the current task because of the trap in tf. */
_Noreturn void task_kill(struct trapframe *tf);

/* task_yield: give the CPU to the next runnable task (if any), then come back. */
void task_yield(void);

/* task_preempt: the same, forced by the timer. */
void task_preempt(void);

/* task_slice_over: the running task took a tick; 1 when its slice is over and another task
 * waits for the CPU (then trap() preempts it). */
int task_slice_over(void);

/* task_others_waiting: another task is runnable, or a sleeper is due: preempting helps. */
int task_others_waiting(void);

/* task_count: the tasks that exist now. */
unsigned task_count(void);

/* task_others_exist: a task other than the current one is runnable or sleeping. */
int task_others_exist(void);

/* task_sleep_until: the current task runs again once the TSC reaches tsc. */
void task_sleep_until(uint64_t tsc);

/* task_describe_end: print the line that says how t ended. */
void task_describe_end(const struct task *t);

/* task_switch_hook_set: an optional feature's function, called as each task is switched to
 * (the bench installs the task's entry points). One at most. */
void task_switch_hook_set(void (*fn)(const struct task *t));

/* sched_run: run tasks round-robin until none is runnable or sleeping; reap(t) sees each end. */
void sched_run(void (*reap)(struct task *t));

#endif
