/* guest/bench_entry.S: the bench's entry points: raw system-call paths (the hardware floor) and mitigated #BP paths. */
#include "../abi/x86.h"
#include "memlayout.h"
#include "trap.h"
#include "trapframe.h"

/*
 * Installed by guest/bench.c, only while a benchmark task that asked for them runs
 * (abi/bench.h, LDE_BENCH_M_*). The raw paths return at once: no stack switch, no frame,
 * no dispatcher. They measure what the CPU and the hypervisor charge for the way in and out,
 * the floor under the full paths in syscall_entry.S and vectors.S.
 */
	.text

/*
 * Hardware, LSTAR: SYSCALL left the return RIP in RCX and RFLAGS in R11, which SYSRET takes
 * back. SYSRET to a non-canonical RCX would fault in ring 0 on the user's stack (the SYSRET
 * hazard syscall_trap guards against): such a call takes the full path, which kills the task.
 * Here the CPU wrote RCX (the address after the SYSCALL), so it is canonical and below
 * USER_TOP unless the SYSCALL was the very last instruction below it: one bit tells.
 */
	.globl bench_syscall_raw
bench_syscall_raw:
	btq	$USER_TOP_SHIFT, %rcx
	jc	syscall_entry
	sysretq

/* Hardware, IDT vector 0x80: the CPU's frame is all IRETQ needs. */
	.globl bench_int80_raw
bench_int80_raw:
	iretq

/*
 * kvm_pvm, IDT vector 3: the compatibility path's SYSCALL (guest/pvm_compat.c) arrives as
 * #BP from the int3 on PVM_SYSCALL_PAGE. Return to where SYSCALL would: RIP = RCX, RFLAGS =
 * R11 reduced to what ring 3 may set, as syscall_via_page does. Here the task wrote RCX (it
 * can jump to the page with any value), so all of it is checked; that, and any other #BP,
 * take the full path, which kills the task or counts the breakpoint. The frame: RIP, CS,
 * RFLAGS, RSP, SS (no error code).
 */
	.globl bench_pvm_syscall_raw
bench_pvm_syscall_raw:
	cmpl	$PVM_SYSCALL_RIP_LO, IRET_RIP(%rsp)
	jne	1f
	cmpl	$PVM_SYSCALL_RIP_HI, (IRET_RIP + 4)(%rsp)
	jne	1f
	pushq	%rax
	movq	%rcx, %rax
	shrq	$USER_TOP_SHIFT, %rax	/* a user address has no bit set from here up */
	popq	%rax			/* POP leaves the flags alone */
	jnz	1f
	movq	%rcx, IRET_RIP(%rsp)
	movq	%r11, IRET_RFLAGS(%rsp)
	andq	$X86_RFLAGS_USER_MASK, IRET_RFLAGS(%rsp)
	orq	$(X86_RFLAGS_IF | X86_RFLAGS_FIXED), IRET_RFLAGS(%rsp)
	iretq
1:	pushq	$0				/* err */
	pushq	$T_BP
	jmp	trap_entry

/*
 * kvm_pvm, IDT vector 6: int $0x80 arrives as #UD at the CD 80; return past its two bytes.
 * The floor does not look at the bytes (that read is most of the full path's work), so while
 * a task has this mode, its every #UD skips two bytes: its own choice, and no other task's.
 * A #UD in the kernel (a bug) must not be skipped: it takes the generic path, which reports it.
 */
	.globl bench_pvm_int80_raw
bench_pvm_int80_raw:
	testb	$3, IRET_CS(%rsp)
	jz	1f
	addq	$X86_INT_LEN, IRET_RIP(%rsp)
	iretq
1:	pushq	$0
	pushq	$T_UD
	jmp	trap_entry
