/*
 * guest/trace.h: the kernel's named trace points. Each is one test of a flag unless the kernel
 * word `trace=on` (which the VMM adds for --trace and --protocol) turned tracing on; then the
 * event goes into guest/trace.c's buffer. The core calls them unconditionally, as Linux's
 * tracepoints are called: no #ifdef, and nothing to pay when off.
 */
#ifndef GUEST_TRACE_H
#define GUEST_TRACE_H

#include <stdint.h>

#include "../abi/trace.h"
#include "trapframe.h"

extern int trace_on;

/* trace_init: read the word and, when on, install the system-call hook. Before trap_init. */
void trace_init(void);

/* trace_record: one event for the current task (pid 0 when none); used by the points below. */
void trace_record(uint32_t type, int pid, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int trace_pid(void); /* the current task's pid, or 0 */

/* trace_flush: hand what is recorded to the VMM; at the end, and whenever the buffer fills. */
void trace_flush(void);

static inline void trace_trap_table(uint64_t vectors, uint64_t idt, uint64_t lstar)
{
	if (trace_on)
		trace_record(LDE_TRACE_TRAP_TABLE, 0, vectors, idt, lstar, 0);
}

static inline void trace_timer_start(unsigned hz, int deadline)
{
	if (trace_on)
		trace_record(LDE_TRACE_TIMER_START, 0, hz, (uint64_t)deadline, 0, 0);
}

/* name: up to 16 bytes of it travel in the event. */
void trace_task_start_record(int pid, uint64_t rip, uint64_t rsp, const char *name);
static inline void trace_task_start(int pid, uint64_t rip, uint64_t rsp, const char *name)
{
	if (trace_on)
		trace_task_start_record(pid, rip, rsp, name);
}

/* Out of line: the trap path pays one test of the flag, and no registers for the call. */
void trace_trap_record(const struct trapframe *tf, uint32_t type);
static inline void trace_trap(const struct trapframe *tf)
{
	if (__builtin_expect(trace_on, 0))
		trace_trap_record(tf, LDE_TRACE_TRAP);
}

static inline void trace_trap_return(const struct trapframe *tf)
{
	if (__builtin_expect(trace_on, 0))
		trace_trap_record(tf, LDE_TRACE_TRAP_RETURN);
}

static inline void trace_switch(int from, int to, enum lde_trace_why why)
{
	if (trace_on)
		trace_record(LDE_TRACE_SWITCH, to, (uint64_t)from, why, 0, 0);
}

static inline void trace_task_exit(int pid, int status)
{
	if (trace_on)
		trace_record(LDE_TRACE_TASK_EXIT, pid, (uint64_t)status, 0, 0, 0);
}

static inline void trace_task_kill(int pid, const struct trapframe *tf, int status)
{
	if (trace_on)
		trace_record(LDE_TRACE_TASK_KILL, pid, tf->trapno, tf->rip, tf->err, (uint64_t)status);
}

#endif
