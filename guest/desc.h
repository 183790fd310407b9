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

/*
 * A 16-byte interrupt gate (SDM 6.14.1), as two quadwords so that filling the table costs
 * two stores a gate (each store is an emulated instruction under kvm_pvm):
 *   lo: offset[15:0] | selector << 16 | IST << 32 | type, DPL, P << 40 | offset[31:16] << 48
 *   hi: offset[63:32]
 */
struct idt_gate {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct idt_gate) == 16, "an IDT gate is 16 bytes in long mode");

static inline struct idt_gate desc_gate(uint64_t handler, uint16_t sel, unsigned ist, unsigned dpl)
{
	uint64_t attr = X86_DESC_TYPE_INT_GATE | X86_DESC_DPL(dpl) | X86_DESC_P;

	return (struct idt_gate){
		.lo = (handler & 0xffff) | (uint64_t)sel << 16 | (uint64_t)(ist & 7) << 32 |
		      attr << 40 | ((handler >> 16) & 0xffff) << 48,
		.hi = handler >> 32,
	};
}

/* desc_gate_offset: where a gate sends the CPU: desc_gate's handler back. */
static inline uint64_t desc_gate_offset(struct idt_gate g)
{
	return (g.lo & 0xffff) | ((g.lo >> 48) & 0xffff) << 16 | g.hi << 32;
}

#endif
