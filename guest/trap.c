/* guest/trap.c: the trap table and trap(): a fault in the kernel is our bug; a fault in ring 3 kills the task. */
#include "trap.h"

#include <stddef.h>

#include "../abi/syscall.h"
#include "../common/trapname.h"
#include "debug.h"
#include "desc.h"
#include "gdt.h"
#include "kernel.h"
#include "memlayout.h"
#include "percpu.h"
#include "syscall.h"
#include "task.h"
#include "timer.h"
#include "trace.h"
#include "x86.h"

_Static_assert(offsetof(struct trapframe, r15) == TF_R15, "trapframe r15");
_Static_assert(offsetof(struct trapframe, r11) == TF_R11, "trapframe r11");
_Static_assert(offsetof(struct trapframe, r8) == TF_R8, "trapframe r8");
_Static_assert(offsetof(struct trapframe, rbp) == TF_RBP, "trapframe rbp");
_Static_assert(offsetof(struct trapframe, rdi) == TF_RDI, "trapframe rdi");
_Static_assert(offsetof(struct trapframe, rcx) == TF_RCX, "trapframe rcx");
_Static_assert(offsetof(struct trapframe, rax) == TF_RAX, "trapframe rax");
_Static_assert(offsetof(struct trapframe, trapno) == TF_TRAPNO, "trapframe trapno");
_Static_assert(offsetof(struct trapframe, err) == TF_ERR, "trapframe err");
_Static_assert(offsetof(struct trapframe, rip) == TF_RIP, "trapframe rip");
_Static_assert(offsetof(struct trapframe, cs) == TF_CS, "trapframe cs");
_Static_assert(offsetof(struct trapframe, rflags) == TF_RFLAGS, "trapframe rflags");
_Static_assert(offsetof(struct trapframe, rsp) == TF_RSP, "trapframe rsp");
_Static_assert(offsetof(struct trapframe, ss) == TF_SS, "trapframe ss");
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe size");
_Static_assert(TF_SIZE % 16 == 0, "the frame keeps the kernel stack 16-byte aligned");

_Static_assert(PERCPU_KSTACK_TOP == offsetof(struct percpu, kstack_top), "percpu kstack_top");
_Static_assert(PERCPU_USER_RSP == offsetof(struct percpu, user_rsp), "percpu user_rsp");
_Static_assert(PERCPU_CR3 == offsetof(struct percpu, cr3), "percpu cr3");

extern char vector_stubs[]; /* guest/vectors.S: T_VECTORS stubs, VECTOR_STUB_SIZE apart */
extern char syscall_entry[], syscall_compat_entry[]; /* guest/syscall_entry.S */

struct percpu percpu;

static struct idt_gate idt[T_VECTORS];

const char *trap_name(uint64_t vector)
{
	return x86_trap_name(vector);
}

/* The IST stack a vector uses: faults that may come with a broken stack get their own. */
static unsigned vector_ist(unsigned v)
{
	switch (v) {
	case T_DF: return IST_DOUBLE_FAULT;
	case T_NMI: return IST_NMI;
	case T_MC: return IST_MACHINE_CHECK;
	default: return 0;
	}
}

/*
 * The other way in: SYSCALL. STAR holds the selectors (guest/gdt.h explains the layout),
 * LSTAR the entry point, CSTAR the one from compatibility mode (which kills the caller),
 * FMASK the RFLAGS bits cleared on entry. GS.base is the per-CPU
 * block while in the kernel; KERNEL_GS_BASE holds the user's (0) until SWAPGS exchanges them.
 */
static void syscall_init(void)
{
	wrmsr(X86_MSR_STAR, (uint64_t)SEL_KCODE << 32 | (uint64_t)(GDT_UCODE32 | 3) << 48);
	wrmsr(X86_MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	wrmsr(X86_MSR_CSTAR, (uint64_t)(uintptr_t)syscall_compat_entry);
	wrmsr(X86_MSR_FMASK, X86_SYSCALL_FMASK);
	wrmsr(X86_MSR_EFER, rdmsr(X86_MSR_EFER) | X86_EFER_SCE);
	wrmsr(X86_MSR_GS_BASE, (uint64_t)(uintptr_t)&percpu);
	wrmsr(X86_MSR_KERNEL_GS_BASE, 0);
}

void trap_init(void)
{
	struct x86_dtr d = { .limit = sizeof(idt) - 1, .base = (uint64_t)(uintptr_t)idt };

	for (unsigned v = 0; v < T_VECTORS; v++)
		trap_set_gate(v, NULL);
	lidt(&d);
	syscall_init();
	trace_trap_table(T_VECTORS, d.base, (uint64_t)(uintptr_t)syscall_entry);
}

void trap_set_gate(unsigned v, const void *entry)
{
	uint64_t stub = (uint64_t)(uintptr_t)vector_stubs + v * VECTOR_STUB_SIZE;
	/* Ring 3 may raise int3 and int $0x80 on purpose; every other gate is DPL 0. */
	unsigned dpl = v == T_BP || v == LDE_SYSCALL_VECTOR ? 3 : 0;

	if (entry != NULL)
		stub = (uint64_t)(uintptr_t)entry;
	idt[v] = desc_gate(stub, SEL_KCODE, vector_ist(v), dpl);
}

struct idt_gate trap_gate_get(unsigned v)
{
	return idt[v];
}

void trap_gate_restore(unsigned v, struct idt_gate g)
{
	idt[v] = g;
}

void trap_dump(const struct trapframe *tf)
{
	kprintf("  vector %lu (%s), error code 0x%lx, from ring %lu\n", tf->trapno,
		trap_name(tf->trapno), tf->err, tf->cs & 3);
	kprintf("  rip %016lx  cs %04lx  rflags %016lx  rsp %016lx  ss %04lx\n", tf->rip, tf->cs,
		tf->rflags, tf->rsp, tf->ss);
	kprintf("  cr2 %016lx  cr3 %016lx\n", rcr2(), rcr3());
	kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", tf->rax, tf->rbx, tf->rcx,
		tf->rdx);
	kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", tf->rsi, tf->rdi, tf->rbp,
		tf->r8);
	kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", tf->r9, tf->r10, tf->r11,
		tf->r12);
	kprintf("  r13 %016lx  r14 %016lx  r15 %016lx\n", tf->r13, tf->r14, tf->r15);
}

/* A trap in ring 0 other than an interrupt is a kernel bug: report it all and stop. */
static _Noreturn void kernel_fault(struct trapframe *tf)
{
	kprintf("kernel panic: %s in kernel mode at rip %016lx\n", trap_name(tf->trapno), tf->rip);
	trap_dump(tf);
	panic("unrecoverable trap in the kernel");
}

/*
 * Optional features that handle some traps from ring 3 before the kernel decides: kvm_pvm's
 * system-call paths (guest/pvm_compat.c) and the bench's (guest/bench.c). Each registers at
 * boot, only when it is on; a hook returns 1 when it handled the trap.
 */
#define TRAP_HOOKS_MAX 3 /* kvm_pvm's system calls, the bench, the debugger */
static trap_hook_fn trap_hooks[TRAP_HOOKS_MAX];
static unsigned ntrap_hooks;

void trap_hook_add(trap_hook_fn fn)
{
	if (ntrap_hooks == TRAP_HOOKS_MAX)
		panic("trap: more than %d trap hooks", TRAP_HOOKS_MAX);
	trap_hooks[ntrap_hooks++] = fn;
}

static int trap_hooks_run(struct trapframe *tf)
{
	for (unsigned i = 0; i < ntrap_hooks; i++)
		if (trap_hooks[i](tf))
			return 1;
	return 0;
}

/*
 * The chapter in one function: every way into the kernel but SYSCALL ends here.
 *   a timer interrupt   the kernel has the CPU back: at the end of a slice, another task runs
 *   a fault in ring 0   our bug: report it all and stop
 *   a system call       int $0x80: dispatch it through the system-call table
 *   int3 in ring 3      noted; the task goes on after it
 *   any other trap      the task did what it may not: it is killed, and the others go on
 */
/* Every trap is decided here: the timer, a system call by int $0x80, a kernel fault, a task's. */
static void handle(struct trapframe *tf)
{
	if (tf->trapno == T_IRQ_TIMER) {
		if (timer_interrupt() && (tf->cs & 3) && task_slice_over())
			task_preempt();
		return;
	}
	if (tf->trapno == T_IRQ_SPURIOUS)
		return;
	if ((tf->cs & 3) == 0) {
		if (debug_kernel_trap(tf)) /* the VMM debugger's breakpoint or step (debug=on) */
			return;
		kernel_fault(tf);
	}
	if (tf->trapno == LDE_SYSCALL_VECTOR) {
		syscall_dispatch(tf);
		return;
	}
	if (trap_hooks_run(tf))
		return;
	if (tf->trapno == T_BP) {
		current->breakpoints++;
		return;
	}
	task_kill(tf);
}

void trap(struct trapframe *tf)
{
	trace_trap(tf); /* nothing unless trace=on (guest/trace.h) */
	handle(tf);
	trace_trap_return(tf);
}

/*
 * SYSRET to a non-canonical RIP would fault in ring 0, on the user's stack, and IRETQ would
 * fault in ring 0 too: a task whose SYSCALL was the last instruction below the canonical hole
 * cannot be returned to. SYSRET_CHECK (guest/trapasm.h) sends it here, to be killed as the #GP
 * it would take on hardware that checked in ring 3. (Our tasks cannot map that page today;
 * this is the guard.)
 */
void syscall_bad_return(struct trapframe *tf)
{
	tf->trapno = T_GP;
	tf->err = 0;
	task_kill(tf);
}
