/* guest/pte.h: page-table entry encoding (pure; unit-tested on the host). */
#ifndef GUEST_PTE_H
#define GUEST_PTE_H

#include <stdint.h>

#include "../abi/x86.h"

/* Levels, from the leaf up: each indexes 9 bits of the virtual address. */
#define PT_LEVEL_PT 0
#define PT_LEVEL_PD 1
#define PT_LEVEL_PDPT 2
#define PT_LEVEL_PML4 3

/* A software-available bit: the leaf's page belongs to this address space and is freed with it. */
#define PTE_OWNED (1ull << 9)

/* pte_index: va's slot in the table at this level (abi/x86.h's X86_PT_INDEX, typed). */
static inline unsigned pte_index(uint64_t va, int level)
{
	return (unsigned)X86_PT_INDEX(va, level);
}

/* pte_make: an entry pointing at pa (4 KiB aligned; 2 MiB or 1 GiB with X86_PTE_PS) with flags. */
static inline uint64_t pte_make(uint64_t pa, uint64_t flags)
{
	return (pa & X86_PTE_ADDR_MASK) | flags;
}

static inline uint64_t pte_addr(uint64_t pte)
{
	return pte & X86_PTE_ADDR_MASK;
}

/* pte_canonical: bits 63..47 all equal (48-bit virtual addresses). */
static inline int pte_canonical(uint64_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1ffff;
}

#endif
