/* guest/bench_entry.S: the bench's raw system-call paths (the floor): SYSCALL and int $0x80 on hardware, int $0x80 under kvm_pvm. */
#include "../abi/x86.h"
#include "memlayout.h"
#include "trap.h"
#include "trapframe.h"

/*
 * Installed by guest/bench.c, only while a benchmark task that asked for them runs
 * (abi/bench.h, LDE_BENCH_M_*). The raw paths return at once: no stack switch, no frame,
 * no dispatcher. They measure what the CPU and the hypervisor charge for the way in and out,
 * the floor under the full paths in syscall_entry.S and vectors.S. The kvm_pvm SYSCALL floor,
 * bench_pvm_syscall_raw, is in pvm_entry.S, beside the entries it shares its checks with.
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
