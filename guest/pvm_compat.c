/* guest/pvm_compat.c: the kvm_pvm compatibility paths for system calls; nothing here runs on hardware KVM. */
#include "pvm_compat.h"

#include "kernel.h"
#include "memlayout.h"
#include "platform.h"
#include "syscall.h"
#include "task.h"
#include "trap.h"
#include "uaccess.h"
#include "vm.h"
#include "x86.h"

/*
 * Under kvm_pvm (docs/kvm_pvm.md), two things differ from the hardware:
 *  - SYSCALL from ring 3 jumps to LSTAR with RCX and R11 set as usual, but stays in ring 3.
 *    So LSTAR points at PVM_SYSCALL_PAGE, a user-executable page of int3 instructions: the
 *    int3 at its start raises #BP, which does enter the kernel. The #BP frame's RIP is then
 *    PVM_SYSCALL_PAGE + 1, and RCX/R11 hold the caller's RIP and RFLAGS, as SYSCALL left them.
 *  - int $0x80 from ring 3 raises #UD, whatever the gate says. The #UD handler looks for the
 *    two bytes CD 80 at the faulting RIP.
 * Both then go to the same dispatcher as on hardware and return by IRETQ, so user programs
 * run unchanged. Both are only switched on when the VMM reports kvm_pvm.
 */

_Static_assert(PVM_SYSCALL_PAGE + X86_PAGE_SIZE == USER_TOP,
	       "the int3 page is the last user page: nothing after it, and int $0x80 + 2 stays canonical");
_Static_assert(PVM_SYSCALL_PAGE + 1 == ((uint64_t)PVM_SYSCALL_RIP_HI << 32 | PVM_SYSCALL_RIP_LO),
	       "guest/pvm_entry.S compares RIP with these halves");
_Static_assert(USER_TOP == 1ull << USER_TOP_SHIFT, "the entries test user addresses with a shift");

extern char pvm_syscall_page[]; /* guest/pvm_syscall_page.S: one page of int3 */

int pvm_compat_map(uint64_t *pml4)
{
	if (!platform.pvm)
		return 0;
	return vm_map(pml4, PVM_SYSCALL_PAGE, V2P(pvm_syscall_page), X86_PAGE_SIZE, X86_PTE_U);
}

/* The trap hook (guest/trap.c): a #BP or #UD from ring 3 that is really a system call. */
static int pvm_compat_trap(struct trapframe *tf)
{
	uint8_t insn[2];

	if (tf->trapno != T_BP && tf->trapno != T_UD)
		return 0;
	/*
	 * Every SYSCALL that the #BP entry could return from, it served (guest/pvm_entry.S,
	 * SYSCALL_FRAME_OR_GOTO). An int3 of the page that reaches us was jumped to elsewhere
	 * than at SYSCALL's target, or with an RCX that is no user address: IRETQ could not take it.
	 */
	if (tf->trapno == T_BP && tf->rip - PVM_SYSCALL_PAGE <= X86_PAGE_SIZE)
		task_kill(tf);
	if (tf->trapno == T_UD && copyin(insn, tf->rip, sizeof(insn)) == 0 &&
	    insn[0] == X86_OPCODE_INT && insn[1] == LDE_SYSCALL_VECTOR) {
		tf->rip += sizeof(insn); /* where the hardware's int $0x80 would return */
		if (!user_addr_ok(tf->rip))
			task_kill(tf); /* IRETQ to a non-canonical RIP would fault in ring 0 */
		syscall_dispatch(tf);
		return 1;
	}
	return 0;
}

void pvm_compat_init(void)
{
	if (!platform.pvm)
		return;
	wrmsr(X86_MSR_LSTAR, PVM_SYSCALL_PAGE);
	/* The fast entries (guest/pvm_entry.S); the cases they pass on come to pvm_compat_trap. */
	trap_set_gate(T_BP, pvm_bp_entry);
	trap_set_gate(T_UD, pvm_ud_entry);
	trap_hook_add(pvm_compat_trap);
}
