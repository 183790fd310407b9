/* guest/trapasm.h: the assembler macros every kernel entry is made of: save a trap frame, restore it, SYSCALL's frame and SYSRET. */
#ifndef GUEST_TRAPASM_H
#define GUEST_TRAPASM_H

#ifndef __ASSEMBLER__
#error "guest/trapasm.h is for .S files"
#endif

#include "../abi/x86.h"
#include "gdt.h"
#include "memlayout.h"
#include "percpu.h"
#include "trapframe.h"

/*
 * The paths into the kernel and back (guest/vectors.S, guest/syscall_entry.S, and the
 * optional ones in guest/pvm_entry.S and guest/bench_entry.S) are built from these, so that
 * each step is written once. The frame they build and take apart is struct trapframe
 * (guest/trapframe.h).
 */

/*
 * RFLAGS.AC on and off, as user_access_begin/end (guest/x86.h) do in C: POPF of a changed
 * copy, because STAC and CLAC end a kvm_pvm VM (docs/kvm_pvm.md).
 */
	.macro AC_SET
	pushfq
	orq	$X86_RFLAGS_AC, (%rsp)
	popfq
	.endm

	.macro AC_CLEAR
	pushfq
	andq	$~X86_RFLAGS_AC, (%rsp)
	popfq
	.endm

/*
 * TRAP_SAVE: the rest of the frame, once the CPU's part, err and trapno are on the kernel
 * stack and GS is the kernel's: the general registers, DF clear as the C ABI expects, and
 * RFLAGS.AC clear. Ring 3 may have set AC, and an interrupt gate does not clear it: with AC
 * set, SMAP would not stop the kernel touching user memory. The user's AC is in the frame
 * and comes back with IRETQ.
 */
	.macro TRAP_SAVE
	PUSH_GPRS
	cld
	AC_CLEAR
	.endm

/*
 * TRAP_RESTORE: RSP points at a struct trapframe; take it apart up to the CPU's words (RIP,
 * CS, RFLAGS, RSP, SS), giving ring 3 its GS back if that is where IRETQ goes.
 */
	.macro TRAP_RESTORE
	POP_GPRS
	testb	$3, (TF_CS - TF_TRAPNO)(%rsp)
	jz	2f
	swapgs
2:	addq	$TF_STUB_WORDS_SIZE, %rsp
	.endm

/*
 * SYSCALL_FRAME cs, trapno: right after SYSCALL, whose contract (SDM vol. 2, SYSCALL) is
 *   RCX = the user RIP to return to, R11 = the user RFLAGS, RFLAGS &= ~FMASK (IF = 0),
 *   CS/SS from STAR, CPL 0, RIP = LSTAR, and RSP still the user's:
 * onto the kernel stack (the per-CPU block has it; no register is free until then), and
 * build there the struct trapframe an interrupt from ring 3 with code selector cs would.
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

/*
 * SYSRET_CHECK: RSP points at the struct trapframe the dispatcher has filled. SYSRET to a RIP
 * that is not a user address would fault in ring 0, on the user's stack: such a task is
 * killed instead (syscall_bad_return, guest/trap.c, which does not return). Every register is
 * free here: the frame holds them all.
 */
	.macro SYSRET_CHECK
	movq	TF_RIP(%rsp), %rcx
	shrq	$USER_TOP_SHIFT, %rcx
	jz	3f
	movq	%rsp, %rdi
	call	syscall_bad_return
3:
	.endm

/*
 * SYSRET_RESTORE: RSP points at a struct trapframe that SYSRET can take (SYSRET_CHECK passed).
 * SYSRET takes RIP from RCX and RFLAGS from R11: after the registers, those two come from the
 * CPU's words of the frame, where the task's RIP and RFLAGS are; then the user stack (IF is
 * still 0) and the user's GS.
 */
	.macro SYSRET_RESTORE
	POP_GPRS
	movq	(TF_RIP - TF_TRAPNO)(%rsp), %rcx
	movq	(TF_RFLAGS - TF_TRAPNO)(%rsp), %r11
	movq	(TF_RSP - TF_TRAPNO)(%rsp), %rsp
	swapgs
	.endm

/*
 * USER_RIP_OR_GOTO reg, label: go to label unless reg holds a user address (below USER_TOP,
 * so canonical): the one check every fast path makes before it returns to a RIP that came
 * from a register (C code uses user_addr_ok, guest/memlayout.h). Every bit from
 * USER_TOP_SHIFT up must be 0, not only bit 47: 1 << 48 is no user address either. RAX is
 * borrowed; POP leaves the flags of SHR for the branch.
 */
	.macro USER_RIP_OR_GOTO reg, label
	pushq	%rax
	movq	\reg, %rax
	shrq	$USER_TOP_SHIFT, %rax
	popq	%rax
	jnz	\label
	.endm

#endif
