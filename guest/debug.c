/* guest/debug.c: debug=on: tasks named to the VMM's debugger, and ring 3's #BP and #DB handed to it (abi/debug.h). */
#include "debug.h"

#include "../abi/debug.h"
#include "../common/string.h"
#include "cmdline.h"
#include "hypercall.h"
#include "kernel.h"
#include "memlayout.h"
#include "task.h"
#include "trap.h"
#include "x86.h"

int debug_on;

void debug_task_record(int start, int pid, const char *name, uint64_t pml4_pa)
{
	struct lde_hc_debug a;

	memset(&a, 0, sizeof(a));
	a.op = start ? LDE_DEBUG_TASK_START : LDE_DEBUG_TASK_END;
	a.pid = (uint64_t)pid;
	a.pml4 = pml4_pa;
	memcpy(a.name, name, strnlen(name, sizeof(a.name)));
	hc_debug(&a);
}

/*
 * A #BP or #DB, from ring 3 or from the kernel's own code: the VMM's debugger decides whether
 * it is its own. What it may change is the general registers, RIP and the trap flag; the rest
 * of RFLAGS, and CS and SS, stay as the kernel wants them.
 */
int debug_stop(struct trapframe *tf)
{
	struct lde_hc_debug a;
	struct lde_debug_regs *r = &a.regs;

	if (tf->trapno != T_BP && tf->trapno != T_DB)
		return 0;
	memset(&a, 0, sizeof(a));
	a.op = LDE_DEBUG_STOP;
	a.pid = current ? (uint64_t)current->pid : 0; /* 0: the kernel, no task */
	a.vector = tf->trapno;
	r->rax = tf->rax, r->rbx = tf->rbx, r->rcx = tf->rcx, r->rdx = tf->rdx;
	r->rsi = tf->rsi, r->rdi = tf->rdi, r->rbp = tf->rbp, r->rsp = tf->rsp;
	r->r8 = tf->r8, r->r9 = tf->r9, r->r10 = tf->r10, r->r11 = tf->r11;
	r->r12 = tf->r12, r->r13 = tf->r13, r->r14 = tf->r14, r->r15 = tf->r15;
	r->rip = tf->rip, r->rflags = tf->rflags, r->cs = tf->cs, r->ss = tf->ss;
	r->fs_base = rdmsr(X86_MSR_FS_BASE);
	r->gs_base = rdmsr(X86_MSR_KERNEL_GS_BASE); /* the user's, while SWAPGS holds ours */
	if (hc_debug(&a) != 1)
		return 0;
	tf->rax = r->rax, tf->rbx = r->rbx, tf->rcx = r->rcx, tf->rdx = r->rdx;
	tf->rsi = r->rsi, tf->rdi = r->rdi, tf->rbp = r->rbp, tf->rsp = r->rsp;
	tf->r8 = r->r8, tf->r9 = r->r9, tf->r10 = r->r10, tf->r11 = r->r11;
	tf->r12 = r->r12, tf->r13 = r->r13, tf->r14 = r->r14, tf->r15 = r->r15;
	tf->rip = r->rip;
	tf->rflags = (tf->rflags & ~(uint64_t)X86_RFLAGS_TF) | (r->rflags & X86_RFLAGS_TF);
	return 1;
}

void debug_init(void)
{
	int on = cmdline_switch(boot_info.cmdline, "debug");

	if (on < 0)
		panic("debug=: on (for the VMM's --gdb)");
	if (on == 0)
		return;
	trap_hook_add(debug_stop);
	debug_on = 1;
}
