/* guest/pvm_entry.S: the kvm_pvm system-call entries in assembly: SYSCALL arrives as #BP, int $0x80 as #UD. */
#include "../abi/syscall.h"
#include "pvm_trapasm.h"

/*
 * Under kvm_pvm every ring-0 instruction is emulated, one by one (docs/kvm_pvm.md): a
 * system call's cost is, to first order, the number of kernel instructions it runs. The
 * compatibility paths (guest/pvm_compat.c explains them) therefore have these entries of
 * their own, installed on the #BP and #UD gates by pvm_compat_init: they recognise a system
 * call in a few instructions and go straight to the dispatcher, where the generic path
 * would go through trap(), the trap hook and their checks. Anything else, and every case
 * that needs judgement (a task to kill), takes the generic path, trap_entry, with the frame
 * as the CPU made it. The recogniser that decides is the C one (pvm_compat_trap); these are
 * its fast paths. The frame on entry: RIP, CS, RFLAGS, RSP, SS (no error code).
 */
#define INT80_BYTES (LDE_SYSCALL_VECTOR << 8 | X86_OPCODE_INT) /* CD 80 as a little-endian word */
#define PAGE_OFFSET_MASK 0xfff /* an instruction at offset 0xfff may go on into the next page */

/* #BP: a SYSCALL from ring 3 (guest/pvm_trapasm.h), dispatched. */
	.text
	.globl pvm_bp_entry
pvm_bp_entry:
	PVM_SYSCALL_ENTRY pvm_dispatch

/*
 * The common tail: save the registers, call the dispatcher, and return through trapret.
 * (No SYSRET_CHECK: IRETQ returns here, so any user RIP will do.)
 */
pvm_dispatch:
	PVM_DISPATCH_ENTER
	movq	%rsp, %rdi
	call	syscall_dispatch
	jmp	trapret

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
