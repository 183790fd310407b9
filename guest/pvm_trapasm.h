/* guest/pvm_trapasm.h: the kvm_pvm entries' building blocks, shared by guest/pvm_entry.S and the bench's copies. */
#ifndef GUEST_PVM_TRAPASM_H
#define GUEST_PVM_TRAPASM_H

#ifndef __ASSEMBLER__
#error "guest/pvm_trapasm.h is for .S files"
#endif

#include "trap.h"
#include "trapasm.h"

/*
 * PVM_SYSCALL_FRAME_OR_GOTO label, on #BP: unless the int3 is the one at PVM_SYSCALL_PAGE,
 * where SYSCALL from ring 3 jumped, and RCX (the task's: it may jump there with any value)
 * is a user address, go to label. Otherwise make the frame the one SYSRET would return to:
 * RIP = RCX, RFLAGS = R11 cut to what ring 3 may set. Every #BP gate under kvm_pvm starts
 * with it, so the C trap hook (guest/pvm_compat.c) sees only what this refuses, and kills.
 */
	.macro PVM_SYSCALL_FRAME_OR_GOTO label
	cmpl	$PVM_SYSCALL_RIP_LO, IRET_RIP(%rsp)
	jne	\label
	cmpl	$PVM_SYSCALL_RIP_HI, (IRET_RIP + 4)(%rsp)
	jne	\label
	USER_RIP_OR_GOTO %rcx, \label	/* IRETQ cannot take it */
	movq	%rcx, IRET_RIP(%rsp)
	movq	%r11, IRET_RFLAGS(%rsp)
	andq	$X86_RFLAGS_USER_MASK, IRET_RFLAGS(%rsp)
	orq	$(X86_RFLAGS_IF | X86_RFLAGS_FIXED), IRET_RFLAGS(%rsp)
	.endm

/*
 * PVM_SYSCALL_ENTRY dispatch: the #BP gate's body: a SYSCALL goes to dispatch with the frame
 * complete up to trapno (T_SYSCALL_INSN, as syscall_entry marks it); anything else to the
 * generic path as the #BP it is.
 */
	.macro PVM_SYSCALL_ENTRY dispatch
	PVM_SYSCALL_FRAME_OR_GOTO 1f
	pushq	$0			/* err */
	pushq	$T_SYSCALL_INSN		/* trapno */
	jmp	\dispatch
1:	pushq	$0
	pushq	$T_BP
	jmp	trap_entry
	.endm

/* PVM_DISPATCH_ENTER: the frame is complete up to trapno and the user came from ring 3. */
	.macro PVM_DISPATCH_ENTER
	swapgs
	TRAP_SAVE
	.endm

#endif
