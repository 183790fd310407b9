/* guest/trap.h: the trap table (IDT) and the trap handler. */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include "trapframe.h"

/* Exception vectors (SDM 6.3.1). */
#define T_DE 0   /* divide error */
#define T_DB 1   /* debug */
#define T_NMI 2
#define T_BP 3   /* breakpoint (int3) */
#define T_OF 4
#define T_BR 5
#define T_UD 6   /* invalid opcode */
#define T_NM 7
#define T_DF 8   /* double fault */
#define T_TS 10
#define T_NP 11
#define T_SS 12
#define T_GP 13  /* general protection */
#define T_PF 14  /* page fault */
#define T_MF 16
#define T_AC 17
#define T_MC 18  /* machine check */
#define T_XM 19
#define T_VE 20
#define T_CP 21
#define T_EXCEPTIONS 32
#define T_IRQ_TIMER 32     /* the local APIC timer (guest/lapic.c) */
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

/* syscall_trap: called by syscall_entry; returns only when SYSRET may return to tf (a frame
 * SYSRET cannot take kills the task instead). */
void syscall_trap(struct trapframe *tf);

/* trap_dump: print a frame's vector, error code, RIP, CR2 and every register. */
void trap_dump(const struct trapframe *tf);

/* trap_set_gate: point vector v at entry (NULL: its own stub again); the DPL is unchanged. */
void trap_set_gate(unsigned v, const void *entry);

/* trap_gate_get / trap_gate_restore: a gate as it is, and put back (the bench's modes). */
struct idt_gate trap_gate_get(unsigned v);
void trap_gate_restore(unsigned v, struct idt_gate g);
#endif

#endif
