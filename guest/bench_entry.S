/* guest/bench_entry.S: the bench's system-call paths: the raw floor, and the full paths with one speculative-execution defence each. */
#include "mitigate.h"
#include "pvm_trapasm.h"

/*
 * Installed by guest/bench.c, only while a benchmark task that asked for them runs
 * (abi/bench.h, LDE_BENCH_M_*); the kernel's own paths (vectors.S, syscall_entry.S,
 * pvm_entry.S) know nothing of them. The raw paths return at once: no stack switch, no
 * frame, no dispatcher. They measure what the CPU and the hypervisor charge for the way in
 * and out, the floor under the full paths. The defended paths are the full ones, built from
 * the same macros (guest/trapasm.h), with one defence of guest/mitigate.h added.
 */
	.text

/*
 * Hardware, LSTAR: SYSCALL left the return RIP in RCX and RFLAGS in R11, which SYSRET takes
 * back. SYSRET to a non-canonical RCX would fault in ring 0 on the user's stack (the SYSRET
 * hazard SYSRET_CHECK guards against): such a call takes the full path, which kills the task.
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

/* kvm_pvm, #BP: the SYSCALL recognition and frame of pvm_bp_entry, then straight back. */
	.globl bench_pvm_syscall_raw
bench_pvm_syscall_raw:
	PVM_SYSCALL_FRAME_OR_GOTO 1f
	iretq
1:	pushq	$0
	pushq	$T_BP
	jmp	trap_entry

/*
 * The full paths with a defence: for each of MIT_KPTI, MIT_VERW and MIT_IBPB, a SYSCALL
 * entry for LSTAR (hardware), a #BP entry (kvm_pvm) and the return-from-trap both of those
 * and int $0x80 return through.
 */
	.macro TRAPRET_DEFENDED name, mitigation
	.globl \name
\name:
	MITIGATE_EXIT \mitigation
	TRAP_RESTORE
	MITIGATE_LAST \mitigation
	iretq
	.endm

	.macro SYSCALL_ENTRY_DEFENDED name, mitigation
	.globl \name
\name:
	SYSCALL_FRAME SEL_UCODE, T_SYSCALL_INSN
	MITIGATE_ENTER \mitigation
	movq	%rsp, %rdi
	call	syscall_dispatch
	SYSRET_CHECK
	MITIGATE_EXIT \mitigation
	SYSRET_RESTORE
	MITIGATE_LAST \mitigation
	sysretq
	.endm

	.macro PVM_ENTRY_DEFENDED name, mitigation, ret
	.globl \name
\name:
	PVM_SYSCALL_ENTRY 2f
2:	PVM_DISPATCH_ENTER
	MITIGATE_ENTER \mitigation
	movq	%rsp, %rdi
	call	syscall_dispatch
	jmp	\ret
	.endm

	TRAPRET_DEFENDED trapret_kpti, MIT_KPTI
	TRAPRET_DEFENDED trapret_verw, MIT_VERW
	TRAPRET_DEFENDED trapret_ibpb, MIT_IBPB
	SYSCALL_ENTRY_DEFENDED syscall_entry_kpti, MIT_KPTI
	SYSCALL_ENTRY_DEFENDED syscall_entry_verw, MIT_VERW
	SYSCALL_ENTRY_DEFENDED syscall_entry_ibpb, MIT_IBPB
	PVM_ENTRY_DEFENDED pvm_bp_entry_kpti, MIT_KPTI, trapret_kpti
	PVM_ENTRY_DEFENDED pvm_bp_entry_verw, MIT_VERW, trapret_verw
	PVM_ENTRY_DEFENDED pvm_bp_entry_ibpb, MIT_IBPB, trapret_ibpb

/* VERW's operand: a selector it can check, the kernel's data segment (guest/gdt.h). */
	.section .rodata
	.globl mitigate_verw_sel
	.balign 2
mitigate_verw_sel:
	.word	SEL_KDATA
