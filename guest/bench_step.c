/* guest/bench_step.c: SYS_bench STEP: a window in which the VMM single-steps the kernel and counts its instructions (abi/bench.h). */
#include "bench.h"

#include "../abi/hypercall.h"
#include "../abi/syscall.h"
#include "../common/string.h"
#include "desc.h"
#include "hypercall.h"
#include "kstats.h"
#include "memlayout.h"
#include "platform.h"
#include "trap.h"
#include "uaccess.h"
#include "x86.h"

/* The VMM counts an instruction as ring 0's by its address: the kernel must live in that half. */
_Static_assert(USER_TOP <= LDE_KERNEL_HALF_BASE && DIRECT_MAP_BASE >= LDE_KERNEL_HALF_BASE &&
		       KERNEL_VBASE >= LDE_KERNEL_HALF_BASE,
	       "tasks below LDE_KERNEL_HALF_BASE, the kernel at or above it");

/*
 * The ways into the kernel, in LDE_BENCH_VIA_* bit order: the IDT vector each arrives through,
 * or LSTAR for SYSCALL. On hardware KVM a window points each way it steps at its
 * bench_step_entry<n> (guest/bench_step_entry.S), which tells the VMM and jumps on to
 * bench_step_target[n], the entry point that was there.
 */
#define WAYS 6
#define WAY_LSTAR (~0u)
_Static_assert(LDE_BENCH_VIA_ALL == (1u << WAYS) - 1, "a way for each LDE_BENCH_VIA_* bit");

extern char bench_step_entry0[], bench_step_entry1[], bench_step_entry2[], bench_step_entry3[],
	bench_step_entry4[], bench_step_entry5[];
static char *const way_entry[WAYS] = {
	bench_step_entry0, bench_step_entry1, bench_step_entry2,
	bench_step_entry3, bench_step_entry4, bench_step_entry5,
};
static const unsigned way_vector[WAYS] = {
	WAY_LSTAR, LDE_SYSCALL_VECTOR, T_BP, T_UD, T_PF, T_IRQ_TIMER,
};
uint64_t bench_step_target[WAYS]; /* read by bench_step_entry<n> */
static struct idt_gate saved_gate[WAYS];

static struct lde_hc_step hc; /* the VMM writes it */
static int window_open;       /* one window at a time, whichever task opened it */
static unsigned window_via;   /* the ways it steps */
static unsigned redirected;   /* the ways whose entry points bench_step_entry<n> holds now */
static uint64_t window_ticks; /* kstats.ticks when it opened */

/* Point the ways in via at their stepping entries, remembering the entry points they had. */
static void redirect(unsigned via)
{
	for (unsigned n = 0; n < WAYS; n++) {
		if (!(via & (1u << n)))
			continue;
		if (way_vector[n] == WAY_LSTAR) {
			bench_step_target[n] = rdmsr(X86_MSR_LSTAR);
			wrmsr(X86_MSR_LSTAR, (uint64_t)(uintptr_t)way_entry[n]);
		} else {
			saved_gate[n] = trap_gate_get(way_vector[n]);
			bench_step_target[n] = desc_gate_offset(saved_gate[n]);
			trap_set_gate(way_vector[n], way_entry[n]);
		}
	}
	redirected = via;
}

/* Give every redirected way its entry point back. */
static void restore(void)
{
	for (unsigned n = 0; n < WAYS; n++) {
		if (!(redirected & (1u << n)))
			continue;
		if (way_vector[n] == WAY_LSTAR)
			wrmsr(X86_MSR_LSTAR, bench_step_target[n]);
		else
			trap_gate_restore(way_vector[n], saved_gate[n]);
	}
	redirected = 0;
}

/*
 * bench_install (guest/bench.c) changes LSTAR and gates when the scheduler runs a task with other
 * modes, or a task changes its own: it takes the stepping entries out first and puts them back
 * after, in front of the new entry points.
 */
unsigned bench_step_suspend(void)
{
	unsigned via = redirected;

	restore();
	return via;
}

void bench_step_resume(unsigned via)
{
	redirect(via);
}

/*
 * ON. From the hypercall's OUT on, every instruction counts, to the end of this call: the same
 * in every window, which the caller's empty window takes off. Under kvm_pvm the VMM steps
 * every ring-0 instruction without help, and SYSCALL and int $0x80 arrive as #BP and #UD.
 */
static int64_t step_on(uint64_t via)
{
	if ((via & ~(uint64_t)LDE_BENCH_VIA_ALL) != 0 || window_open)
		return -EINVAL;
	memset(&hc, 0, sizeof(hc));
	hc.op = LDE_STEP_ON;
	hc_step(&hc);
	if (hc.ret == -EPERM)
		return -ENODEV; /* the VMM was not started with --step */
	if (hc.ret != 0)
		return -EINVAL;
	window_open = 1;
	window_via = platform.pvm ? 0 : (unsigned)via;
	window_ticks = kstats.ticks;
	redirect(window_via);
	return 0;
}

/*
 * OFF: the counts, out to the task. Interrupts are off in the kernel, so the ticks counted
 * between the two hypercalls are exactly those taken while the window was open.
 */
static int64_t step_off(uint64_t out)
{
	struct lde_bench_step s;
	int64_t r;

	if (!window_open)
		return -EINVAL;
	restore();
	s.ticks = kstats.ticks - window_ticks;
	memset(&hc, 0, sizeof(hc));
	hc.op = LDE_STEP_OFF;
	hc_step(&hc); /* its OUT ends the window */
	window_open = 0;
	s.ring0 = hc.ring0;
	s.ring3 = hc.ring3;
	s.entries = hc.entries;
	r = copyout(out, &s, sizeof(s));
	if (r < 0)
		return r;
	if (hc.ret == -ERANGE)
		return -ERANGE; /* the VMM stopped at its budget: partial counts */
	return hc.ret == 0 ? 0 : -EINVAL;
}

int64_t bench_step(uint64_t op, uint64_t arg)
{
	switch (op) {
	case LDE_BENCH_STEP_ON: return step_on(arg);
	case LDE_BENCH_STEP_OFF: return step_off(arg);
	default: return -EINVAL;
	}
}
