/* abi/trace.h: the kernel's trace events (`trace=on`), as it hands them to the VMM with LDE_HC_TRACE. */
#ifndef LDE_ABI_TRACE_H
#define LDE_ABI_TRACE_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* The kernel's timer interrupt vector (its local APIC timer): named here so that the VMM can
 * name it in a trace. */
#define LDE_TIMER_VECTOR 32

#define LDE_TRACE_BATCH_MAX 1024 /* events a hypercall hands over at most (48 KiB) */
#define LDE_TRACE_NAME_MAX 16    /* bytes of a task's name in LDE_TRACE_TASK_START (a2, a3) */

#ifndef __ASSEMBLER__
/*
 * One event: what happened, to which task, and when (the guest's TSC). The kernel records
 * events into a buffer of LDE_TRACE_BATCH_MAX and hands the buffer to the VMM whenever it is
 * full and once at the end (LDE_HC_TRACE); the VMM turns them into Chrome trace-event JSON
 * (`--trace FILE`) and the chapter's protocol tables (`--protocol`). pid 0 is the kernel
 * itself (no task: boot, the idle loop).
 */
enum lde_trace_type {
	LDE_TRACE_NONE = 0,        /* never recorded: a zeroed event is not an event */
	LDE_TRACE_TRAP_TABLE = 1,  /* a0: vectors installed, a1: the IDT's address, a2: the
				    * system-call entry (LSTAR) */
	LDE_TRACE_TIMER_START = 2, /* a0: ticks per second, a1: 1 TSC-deadline, 0 periodic */
	LDE_TRACE_TASK_START = 3,  /* pid: the new task; a0: its entry RIP, a1: its stack
				    * pointer, a2 and a3: the first 16 bytes of its name */
	LDE_TRACE_SYSCALL = 4,     /* entry: a0: the number, a1-a3: the first three arguments */
	LDE_TRACE_SYSRET = 5,      /* return: a0: the number, a1: the result */
	LDE_TRACE_TRAP = 6,        /* a trap or interrupt taken: a0: vector, a1: RIP, a2: error
				    * code, a3: CS (its low 2 bits: the ring it came from) */
	LDE_TRACE_TRAP_RETURN = 7, /* its return-from-trap: a0: vector */
	LDE_TRACE_SWITCH = 8,      /* pid: the task switched to; a0: the one before (0: none),
				    * a1: why (enum lde_trace_why) */
	LDE_TRACE_TASK_EXIT = 9,   /* a0: its status */
	LDE_TRACE_TASK_KILL = 10,  /* killed by a trap: a0: vector, a1: RIP, a2: error, a3: status */
	LDE_TRACE_TYPE_MAX = 11,   /* first unused */
};

/* Why the CPU went to another task. */
enum lde_trace_why {
	LDE_TRACE_WHY_FIRST = 0, /* nothing ran before it */
	LDE_TRACE_WHY_YIELD = 1, /* the last one gave it up (sched_yield) */
	LDE_TRACE_WHY_TIMER = 2, /* the timer interrupt took it back (preempted) */
	LDE_TRACE_WHY_SLEEP = 3, /* the last one sleeps */
	LDE_TRACE_WHY_EXIT = 4,  /* the last one ended */
	LDE_TRACE_WHY_MAX = 5,
};

struct lde_trace_event {
	uint64_t tsc;  /* the guest's TSC when it happened */
	uint32_t type; /* enum lde_trace_type */
	int32_t pid;   /* the task it happened to; 0: the kernel */
	uint64_t a[4]; /* as the type says */
};
_Static_assert(sizeof(struct lde_trace_event) == 48, "lde_trace_event: 48 bytes, no padding");
_Static_assert(LDE_TRACE_NAME_MAX == 2 * sizeof(uint64_t), "a task's name fills a2 and a3");

/*
 * LDE_HC_TRACE (abi/hypercall.h): count events at guest-physical `events`; `dropped`: events
 * the kernel could not record since the last call. The VMM answers 0, or -ENODEV when it was
 * not asked to trace (the kernel then stops recording and says so).
 */
struct lde_hc_trace {
	uint64_t events;  /* IN: lde_gpa_t of struct lde_trace_event[count] */
	uint64_t count;   /* IN: at most LDE_TRACE_BATCH_MAX */
	uint64_t dropped; /* IN */
	int64_t ret;      /* OUT */
};
#endif /* !__ASSEMBLER__ */

#endif
