/* guest/x86.h: single x86 instructions as inline functions, so no C file needs inline assembly. */
#ifndef GUEST_X86_H
#define GUEST_X86_H

#include <stdint.h>

#include "../abi/x86.h"

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t rcr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t rcr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void lcr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* invlpg: drop the TLB entry for one page (of the current PCID). */
static inline void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t rcr0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t rcr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void lcr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* The operand of lgdt and lidt: a 10-byte limit and base. */
struct __attribute__((packed)) x86_dtr {
	uint16_t limit;
	uint64_t base;
};

static inline void lgdt(const struct x86_dtr *d)
{
	__asm__ volatile("lgdt %0" : : "m"(*d) : "memory");
}

static inline void lidt(const struct x86_dtr *d)
{
	__asm__ volatile("lidt %0" : : "m"(*d) : "memory");
}

static inline void ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
			 uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

/*
 * RFLAGS.AC on and off: with CR4.SMAP, ring 0 may touch user pages only while AC is set.
 * STAC and CLAC would do it in one instruction each, but the kvm_pvm ring-0 emulator ends
 * the VM on them (docs/kvm_pvm.md); POPF of a modified RFLAGS works on every host.
 */
static inline void user_access_begin(void)
{
	__asm__ volatile("pushfq; orq %0, (%%rsp); popfq" : : "i"(X86_RFLAGS_AC) : "memory", "cc");
}

static inline void user_access_end(void)
{
	__asm__ volatile("pushfq; andq %0, (%%rsp); popfq" : : "i"(~X86_RFLAGS_AC) : "memory", "cc");
}

#endif
