/* guest/syscall_entry.S: the SYSCALL entry point, and the SYSRET return, on hardware KVM. */
#include "trap.h"
#include "trapasm.h"

/*
 * void syscall_entry(void)   -- LSTAR: the CPU arrives here on SYSCALL from ring 3, with the
 * contract SYSCALL_FRAME (guest/trapasm.h) describes and our MSRs (guest/trap.c).
 *
 * It builds the same struct trapframe as an interrupt would (guest/vectors.S), with trapno
 * T_SYSCALL_INSN, so one dispatcher serves SYSCALL and int $0x80:
 *     void syscall_dispatch(struct trapframe *tf);   (guest/syscall.c)
 * then returns with SYSRET only to a RIP SYSRET can take: a return RIP that is not a canonical
 * user address (SYSRET would fault in ring 0, on the user stack) kills the task instead.
 */
	.text
	.globl syscall_entry
syscall_entry:
	SYSCALL_FRAME SEL_UCODE, T_SYSCALL_INSN
	movq	%rsp, %rdi
	call	syscall_dispatch
	SYSRET_CHECK
	SYSRET_RESTORE
	sysretq

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
