/* guest/desc.h: encoders for GDT, TSS and IDT descriptors (pure; unit-tested on the host). */
#ifndef GUEST_DESC_H
#define GUEST_DESC_H

#include <stdint.h>

#include "../abi/x86.h"

/* A 64-bit mode code or data segment: base and limit are ignored by the CPU, so 0 / max. */
static inline uint64_t desc_seg(unsigned access, unsigned flags)
{
	return 0xffffull | (uint64_t)(access & 0xff) << 40 | 0xfull << 48 |
	       (uint64_t)(flags & 0xf) << 52;
}

/* The two 8-byte halves of a 64-bit TSS descriptor (SDM 8.2.3). */
static inline uint64_t desc_tss_lo(uint64_t base, uint32_t limit)
{
	return (limit & 0xffffull) | (base & 0xffffffull) << 16 |
	       (uint64_t)(X86_DESC_TYPE_TSS_AVAIL | X86_DESC_P) << 40 |
	       (uint64_t)((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
}

static inline uint64_t desc_tss_hi(uint64_t base)
{
	return base >> 32;
}

/* A 16-byte interrupt gate (SDM 6.14.1). */
struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;  /* bits 0-2: interrupt stack table index, 0 for none */
	uint8_t attr; /* type, DPL, present */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
};
_Static_assert(sizeof(struct idt_gate) == 16, "an IDT gate is 16 bytes in long mode");

static inline struct idt_gate desc_gate(uint64_t handler, uint16_t sel, unsigned ist, unsigned dpl)
{
	return (struct idt_gate){
		.off_lo = (uint16_t)handler,
		.sel = sel,
		.ist = (uint8_t)(ist & 7),
		.attr = (uint8_t)(X86_DESC_TYPE_INT_GATE | X86_DESC_DPL(dpl) | X86_DESC_P),
		.off_mid = (uint16_t)(handler >> 16),
		.off_hi = (uint32_t)(handler >> 32),
		.zero = 0,
	};
}

#endif
