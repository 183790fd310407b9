/* guest/pvm_entry.S: the kvm_pvm system-call entries in assembly: SYSCALL arrives as #BP, int $0x80 as #UD. */
#include "../abi/syscall.h"
#include "../abi/x86.h"
#include "memlayout.h"
#include "mitigate.h"
#include "trap.h"
#include "trapframe.h"

/*
 * Under kvm_pvm every ring-0 instruction is emulated, one by one (docs/kvm_pvm.md): a
 * system call's cost is, to first order, the number of kernel instructions it runs. The
 * compatibility paths (guest/pvm_compat.c explains them) therefore have these entries of
 * their own, installed on the #BP and #UD gates by pvm_compat_init: they recognise a system
 * call in a few instructions and go straight to the dispatcher, where the generic path
 * would go through trap(), pvm_compat_trap() and their checks. Anything else, and every
 * case that needs judgement (a task to kill), takes the generic path, trap_entry, with the
 * frame as the CPU made it. The frame on entry: RIP, CS, RFLAGS, RSP, SS (no error code).
 */
#define INT80_BYTES (LDE_SYSCALL_VECTOR << 8 | X86_OPCODE_INT) /* CD 80 as a little-endian word */
#define PAGE_OFFSET_MASK 0xfff /* an instruction at offset 0xfff may go on into the next page */

/*
 * USER_RIP_OR_GOTO reg, label: go to label unless reg holds a user address (below USER_TOP,
 * so canonical). Every bit above USER_TOP_SHIFT must be 0, not only bit 47: 1 << 48 is no
 * user address either. RAX is borrowed; POP leaves the flags of SHR for the branch.
 */
	.macro USER_RIP_OR_GOTO reg, label
	pushq	%rax
	movq	\reg, %rax
	shrq	$USER_TOP_SHIFT, %rax
	popq	%rax
	jnz	\label
	.endm

/*
 * SYSCALL_FRAME_OR_GOTO label, on #BP: unless the int3 is the one at PVM_SYSCALL_PAGE, where
 * SYSCALL from ring 3 jumped, and RCX (the task's: it may jump there with any value) is a
 * user address, go to label. Otherwise make the frame the one SYSRET would return to:
 * RIP = RCX, RFLAGS = R11 cut to what ring 3 may set. Every #BP gate under kvm_pvm starts
 * with it, so pvm_compat_trap sees only what this refuses, and kills the task.
 */
	.macro SYSCALL_FRAME_OR_GOTO label
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
 * #BP: a SYSCALL from ring 3 (SYSCALL_FRAME_OR_GOTO), dispatched. One macro: the entry
 * pvm_compat_init installs, and the bench's copies with a speculative-execution defence
 * (guest/mitigate.h).
 */
	.macro PVM_SYSCALL_ENTRY name, dispatch
	.text
	.globl \name
\name:
	SYSCALL_FRAME_OR_GOTO 1f
	pushq	$0			/* err */
	pushq	$T_SYSCALL_INSN		/* trapno: a system call, as syscall_entry marks it */
	jmp	\dispatch
1:	pushq	$0
	pushq	$T_BP
	jmp	trap_entry
	.endm

/*
 * The common tail: the frame is complete up to trapno; save the registers, call the
 * dispatcher, and return through trapret (or its copy with the same defence). The user
 * came from ring 3, so swapgs; and RFLAGS.AC is cleared as trap_entry clears it (SMAP).
 */
	.macro PVM_DISPATCH name, mitigation, ret
\name:
	swapgs
	TRAP_SAVE
	MITIGATE_ENTER \mitigation
	movq	%rsp, %rdi
	call	syscall_dispatch
	jmp	\ret			/* trapret, or its copy with the same defence */
	.endm

	PVM_SYSCALL_ENTRY pvm_bp_entry, pvm_dispatch
	PVM_SYSCALL_ENTRY pvm_bp_entry_kpti, pvm_dispatch_kpti
	PVM_SYSCALL_ENTRY pvm_bp_entry_verw, pvm_dispatch_verw
	PVM_SYSCALL_ENTRY pvm_bp_entry_ibpb, pvm_dispatch_ibpb
	PVM_DISPATCH pvm_dispatch, MIT_NONE, trapret
	PVM_DISPATCH pvm_dispatch_kpti, MIT_KPTI, trapret_kpti
	PVM_DISPATCH pvm_dispatch_verw, MIT_VERW, trapret_verw
	PVM_DISPATCH pvm_dispatch_ibpb, MIT_IBPB, trapret_ibpb

/*
 * #UD: int $0x80 from ring 3 raises #UD under kvm_pvm. If the two bytes at RIP are CD 80,
 * return past them and dispatch, as the hardware's int $0x80 would. Reading them is safe
 * without copyin's checks when they lie in one page: the CPU has just fetched that page
 * from ring 3, so it is present and user-accessible (SMAP wants RFLAGS.AC set meanwhile).
 * An instruction starting at a page's last byte takes the generic path. RIP + 2 is a user
 * address: the last user page is PVM_SYSCALL_PAGE, which holds only int3s.
 */
	.globl pvm_ud_entry
pvm_ud_entry:
	testb	$3, IRET_CS(%rsp)	/* a kernel #UD is a bug: trap() reports it */
	jz	1f
	pushq	%rax
	movl	(IRET_RIP + 8)(%rsp), %eax
	andl	$PAGE_OFFSET_MASK, %eax
	cmpl	$PAGE_OFFSET_MASK, %eax
	je	3f			/* the page's last byte: the generic path */
	movq	(IRET_RIP + 8)(%rsp), %rax
	AC_SET
	movzwl	(%rax), %eax
	AC_CLEAR
	cmpl	$INT80_BYTES, %eax
	jne	3f
	popq	%rax
	addq	$X86_INT_LEN, IRET_RIP(%rsp)
	pushq	$0
	pushq	$LDE_SYSCALL_VECTOR	/* trapno: as the hardware's int $0x80 */
	jmp	pvm_dispatch
3:	popq	%rax
1:	pushq	$0
	pushq	$T_UD
	jmp	trap_entry

/*
 * The bench's floor under the #BP path (LDE_BENCH_M_RAW_SYSCALL, guest/bench.c): the same
 * recognition and frame, then straight back with IRETQ: no registers saved, no dispatcher.
 */
	.globl bench_pvm_syscall_raw
bench_pvm_syscall_raw:
	SYSCALL_FRAME_OR_GOTO 1f
	iretq
1:	pushq	$0
	pushq	$T_BP
	jmp	trap_entry
