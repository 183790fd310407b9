/* guest/gdt.h: the kernel's segments and TSS; the selector values are fixed by SYSCALL/SYSRET. */
#ifndef GUEST_GDT_H
#define GUEST_GDT_H


/*
 * GDT layout. SYSCALL loads CS = STAR[47:32] and SS = that + 8; 64-bit SYSRET loads
 * CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8, so user data must sit just below user
 * code, and the slot before them is STAR[63:48]'s base. 32-bit SYSRET would load CS from
 * that slot; we never use it, and the slot stays null: with no 32-bit user code segment a
 * task cannot enter compatibility mode, where SYSCALL goes to CSTAR instead of LSTAR (on
 * AMD, into ring 0 on the user's stack). The kernel serves no compatibility mode.
 */
#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UCODE32 0x18 /* null: SYSRET's base selector, never a segment */
#define GDT_UDATA 0x20
#define GDT_UCODE 0x28
#define GDT_TSS 0x30     /* 16 bytes */
#define GDT_ENTRIES 8u

/* Selectors: index | requested privilege level (RPL 3 for the user's). */
#define SEL_KCODE GDT_KCODE
#define SEL_KDATA GDT_KDATA
#define SEL_UDATA (GDT_UDATA | 3)
#define SEL_UCODE (GDT_UCODE | 3)

/* Interrupt stack table slots (1-based, as the gate's IST field counts them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_COUNT 3

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The 64-bit TSS (SDM 8.7): only the stack pointers are used in long mode. */
struct __attribute__((packed)) tss {
	uint32_t reserved0;
	uint64_t rsp[3]; /* rsp[0]: the kernel stack for traps from ring 3 */
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base; /* past the limit: no I/O bitmap, so ring 3 has no ports */
};
_Static_assert(sizeof(struct tss) == 104, "the 64-bit TSS is 104 bytes");

extern struct tss tss;

/* gdt_init: load our GDT, reload every segment register and the task register. */
void gdt_init(void);

/* gdt_set_kernel_stack: the stack the CPU switches to on a trap from ring 3. */
void gdt_set_kernel_stack(uint64_t top);
#endif

#endif
