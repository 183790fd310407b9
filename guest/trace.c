/*
 * guest/trace.c: `trace=on`: the events of guest/trace.h and every system call, stamped with
 * the TSC, into a buffer the VMM empties (LDE_HC_TRACE, abi/trace.h). The buffer is bounded:
 * when it fills, the kernel hands it over and starts again; an event that cannot be kept (the
 * VMM refused the batch) is counted, never written over another.
 */
#include "trace.h"

#include "../common/string.h"
#include "cmdline.h"
#include "hypercall.h"
#include "kernel.h"
#include "memlayout.h"
#include "syscall.h"
#include "task.h"
#include "x86.h"

int trace_on;

static struct lde_trace_event events[LDE_TRACE_BATCH_MAX];
static unsigned nevents;
static uint64_t dropped; /* since the last batch the VMM took */
static int flushing;     /* a flush in progress: its own console line must not recurse */

int trace_pid(void)
{
	return current ? current->pid : 0;
}

void trace_flush(void)
{
	struct lde_hc_trace a;
	int64_t r;

	if (!trace_on || flushing || (nevents == 0 && dropped == 0))
		return;
	flushing = 1;
	a = (struct lde_hc_trace){ .events = V2P(events), .count = nevents, .dropped = dropped };
	r = hc_trace(&a);
	if (r != 0) {
		/* The VMM was not started with --trace or --protocol (or there is no LDE VMM). */
		trace_on = 0;
		kprintf("lde: trace=on, but the VMM takes no trace (%lld): tracing stopped\n",
			(long long)r);
	}
	nevents = 0;
	dropped = 0;
	flushing = 0;
}

void trace_record(uint32_t type, int pid, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct lde_trace_event *e;

	if (nevents == LDE_TRACE_BATCH_MAX)
		trace_flush();
	if (nevents == LDE_TRACE_BATCH_MAX || !trace_on) {
		dropped++;
		return;
	}
	e = &events[nevents++];
	e->tsc = rdtsc();
	e->type = type;
	e->pid = pid;
	e->a[0] = a0, e->a[1] = a1, e->a[2] = a2, e->a[3] = a3;
}

void trace_task_start_record(int pid, uint64_t rip, uint64_t rsp, const char *name)
{
	uint64_t packed[LDE_TRACE_NAME_MAX / sizeof(uint64_t)] = { 0, 0 };

	memcpy(packed, name, strnlen(name, sizeof(packed)));
	trace_record(LDE_TRACE_TASK_START, pid, rip, rsp, packed[0], packed[1]);
}

void trace_trap_record(const struct trapframe *tf, uint32_t type)
{
	if (type == LDE_TRACE_TRAP)
		trace_record(type, trace_pid(), tf->trapno, tf->rip, tf->err, tf->cs);
	else
		trace_record(type, trace_pid(), tf->trapno, 0, 0, 0);
}

/* Every call, on the way in and on the way out; exit's way out is the task's end. */
static void trace_syscall(const struct trapframe *tf, enum syscall_stop stop, int64_t ret)
{
	if (stop == SYSCALL_ENTER)
		trace_record(LDE_TRACE_SYSCALL, trace_pid(), tf->rax, tf->rdi, tf->rsi, tf->rdx);
	else
		trace_record(LDE_TRACE_SYSRET, trace_pid(), tf->rax, (uint64_t)ret, 0, 0);
}

void trace_init(void)
{
	int on = cmdline_switch(boot_info.cmdline, "trace");

	if (on < 0)
		panic("trace=: on (record events for the VMM's --trace and --protocol)");
	if (on == 0)
		return;
	if (syscall_hook_add(trace_syscall) != 0)
		panic("trace: no system-call hook left");
	trace_on = 1;
}
