/* guest/syscall_entry.S: the SYSCALL entry point, and the SYSRET return, on hardware KVM. */
#include "gdt.h"
#include "mitigate.h"
#include "percpu.h"
#include "trap.h"
#include "trapframe.h"

/*
 * The SYSCALL contract (SDM vol. 2, SYSCALL), with our MSRs (guest/trap.c):
 *   RCX = the user RIP to return to, R11 = the user RFLAGS;
 *   RFLAGS &= ~FMASK (so IF = 0: nothing can interrupt us before we have a stack);
 *   CS = STAR[47:32], SS = STAR[47:32] + 8, CPL 0; RIP = LSTAR;
 *   RSP is NOT changed: it is still the user's, so we must not touch the stack yet.
 *
 * syscall_entry builds the same struct trapframe as an interrupt would (guest/vectors.S),
 * with trapno T_SYSCALL_INSN, so one dispatcher serves SYSCALL and int $0x80:
 *     void syscall_trap(struct trapframe *tf);   (guest/trap.c)
 * It returns only with a frame SYSRET can take: a return RIP that is not a canonical user
 * address (SYSRET would fault in ring 0, on the user stack) kills the task instead.
 *
 * One macro makes the entry point LSTAR holds, syscall_entry, and the bench's copies with
 * one speculative-execution defence added (guest/mitigate.h): syscall_entry_kpti, _verw and
 * _ibpb, which LSTAR holds only while a benchmark task that asked for them runs.
 */
/*
 * SYSCALL_FRAME cs, trapno: onto the kernel stack, and build a struct trapframe there as
 * the CPU would for an interrupt from ring 3 with code selector cs.
 */
	.macro SYSCALL_FRAME cs, trapno
	swapgs				/* GS.base = struct percpu */
	movq	%rsp, %gs:PERCPU_USER_RSP
	movq	%gs:PERCPU_KSTACK_TOP, %rsp
	pushq	$SEL_UDATA		/* ss */
	pushq	%gs:PERCPU_USER_RSP	/* rsp */
	pushq	%r11			/* rflags */
	pushq	$\cs			/* cs */
	pushq	%rcx			/* rip */
	pushq	$0			/* err */
	pushq	$\trapno		/* trapno */
	PUSH_GPRS
	.endm

	.macro SYSCALL_ENTRY name, mitigation
	.text
	.globl \name
\name:
	SYSCALL_FRAME SEL_UCODE, T_SYSCALL_INSN
	MITIGATE_ENTER \mitigation
	movq	%rsp, %rdi
	call	syscall_trap

	/* SYSRET takes RIP from RCX and RFLAGS from R11: put the frame's values there. */
	movq	TF_RIP(%rsp), %rcx
	movq	%rcx, TF_RCX(%rsp)
	movq	TF_RFLAGS(%rsp), %r11
	movq	%r11, TF_R11(%rsp)
	MITIGATE_EXIT \mitigation
	POP_GPRS
	movq	(TF_RSP - TF_TRAPNO)(%rsp), %rsp	/* the user stack; IF is still 0 */
	swapgs
	MITIGATE_LAST \mitigation
	sysretq
	.endm

	SYSCALL_ENTRY syscall_entry, MIT_NONE
	SYSCALL_ENTRY syscall_entry_kpti, MIT_KPTI
	SYSCALL_ENTRY syscall_entry_verw, MIT_VERW
	SYSCALL_ENTRY syscall_entry_ibpb, MIT_IBPB

/*
 * CSTAR: SYSCALL from compatibility mode. AMD CPUs enter ring 0 here, on the user's stack
 * (Intel ones raise #UD instead). No task can be in compatibility mode, since the GDT has
 * no 32-bit user code segment (guest/gdt.h), but the MSR must point somewhere safe all the
 * same: here the caller is killed, as the #UD it would get on Intel.
 *     _Noreturn void task_kill(struct trapframe *tf);   (guest/task.c)
 */
	.text
	.globl syscall_compat_entry
syscall_compat_entry:
	SYSCALL_FRAME (GDT_UCODE32 | 3), T_UD
	movq	%rsp, %rdi
	call	task_kill
	ud2				/* task_kill does not return */

/* VERW's operand: a selector it can check, the kernel's data segment (guest/gdt.h). */
	.section .rodata
	.globl mitigate_verw_sel
	.balign 2
mitigate_verw_sel:
	.word	SEL_KDATA
