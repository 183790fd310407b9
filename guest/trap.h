/* guest/trap.h: the trap table (IDT) and the trap handler. */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include "../abi/trace.h"
#include "../abi/x86.h"
#include "trapframe.h"

/* Exception vectors: the SDM's numbers (abi/x86.h) under the kernel's short names. */
#define T_DE X86_EXC_DE
#define T_DB X86_EXC_DB
#define T_NMI X86_EXC_NMI
#define T_BP X86_EXC_BP
#define T_OF X86_EXC_OF
#define T_BR X86_EXC_BR
#define T_UD X86_EXC_UD
#define T_NM X86_EXC_NM
#define T_DF X86_EXC_DF
#define T_TS X86_EXC_TS
#define T_NP X86_EXC_NP
#define T_SS X86_EXC_SS
#define T_GP X86_EXC_GP
#define T_PF X86_EXC_PF
#define T_MF X86_EXC_MF
#define T_AC X86_EXC_AC
#define T_MC X86_EXC_MC
#define T_XM X86_EXC_XM
#define T_VE X86_EXC_VE
#define T_CP X86_EXC_CP
#define T_EXCEPTIONS X86_EXC_COUNT
#define T_IRQ_TIMER LDE_TIMER_VECTOR /* the local APIC timer (guest/lapic.c) */
#define T_IRQ_SPURIOUS 255 /* the APIC's spurious-interrupt vector: no EOI, nothing to do */
#define T_VECTORS 256
#define VECTOR_STUB_SIZE 16 /* bytes between the entry stubs in guest/vectors.S */

/* Page-fault error code bits (SDM 4.7). */
#define PF_ERR_P (1u << 0)     /* the page was present: a protection violation */
#define PF_ERR_W (1u << 1)     /* a write */
#define PF_ERR_U (1u << 2)     /* from ring 3 */
#define PF_ERR_RSVD (1u << 3)
#define PF_ERR_I (1u << 4)     /* an instruction fetch */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "desc.h"

/* trap_init: build the trap table (all 256 gates) and load it. */
void trap_init(void);

/* trap_name: "#PF page fault" for an exception, "interrupt" above 31. */
const char *trap_name(uint64_t vector);

/* trap: called by trap_entry (guest/vectors.S) for every vector. */
void trap(struct trapframe *tf);

/* trap_hook_add: an optional feature's handler for traps from ring 3, asked before the task
 * is killed; it returns 1 when it handled the trap. */
typedef int (*trap_hook_fn)(struct trapframe *tf);
void trap_hook_add(trap_hook_fn fn);

/* syscall_bad_return: SYSRET_CHECK's way out for a frame SYSRET cannot take: the task is
 * killed as the #GP it would have taken. */
_Noreturn void syscall_bad_return(struct trapframe *tf);

/* trap_dump: print a frame's vector, error code, RIP, CR2 and every register. */
void trap_dump(const struct trapframe *tf);

/* trap_set_gate: point vector v at entry (NULL: its own stub again); the DPL is unchanged. */
void trap_set_gate(unsigned v, const void *entry);

/* trap_gate_get / trap_gate_restore: a gate as it is, and put back (the bench's modes). */
struct idt_gate trap_gate_get(unsigned v);
void trap_gate_restore(unsigned v, struct idt_gate g);
#endif

#endif
