/* guest/memlayout.h: the kernel's virtual address map. */
#ifndef GUEST_MEMLAYOUT_H
#define GUEST_MEMLAYOUT_H

#include "../abi/boot.h"

/*
 *   0x0000000000000000 .. 0x00007fffffffffff   user space (ring 3); empty in the kernel's tables
 *   0xffff800000000000 .. + guest RAM           direct map of all RAM: 2 MiB pages (1 GiB
 *                                               ones with gbpages=1); RW, NX
 *   0xffffffff80000000 + physical               the kernel image: 4 KiB pages, W^X per section
 *
 * The image is linked high (-mcmodel=kernel) and loaded low (ELF p_paddr, 1 MiB): the VMM's
 * boot tables map RAM at both places (abi/boot.h), so _start can jump from one to the other.
 */
#define KERNEL_VBASE LDE_BOOT_HIGH_ALIAS
#define DIRECT_MAP_BASE 0xffff800000000000ull
#define USER_TOP 0x0000800000000000ull /* first non-canonical address above user space */
#define USER_TOP_SHIFT 47 /* USER_TOP == 1 << USER_TOP_SHIFT: a user address shifted by it is 0 */

/*
 * A task's address space (the low half):
 *   USER_MIN .. : its ELF segments (the stock toolchain links at 0x400000)
 *   USER_STACK_TOP - USER_STACK_SIZE .. USER_STACK_TOP: its stack, with unmapped guard below
 *   PVM_SYSCALL_PAGE: under kvm_pvm only, the page LSTAR points at (guest/pvm_compat.c)
 */
#define USER_MIN 0x10000ull /* nothing is mapped below: null pointers fault */
#define USER_STACK_TOP 0x00007fffffff0000ull
#define USER_STACK_SIZE (64ull << 10)
#define USER_IMAGE_MAX (USER_STACK_TOP - USER_STACK_SIZE - (1ull << 30)) /* a 1 GiB gap */
#define PVM_SYSCALL_PAGE 0x00007ffffffff000ull /* the last user page (guest/pvm_compat.c) */
/* Anonymous mappings (guest/mman.c) go upward from here, a page apart, to USER_MMAP_END. */
#define USER_MMAP_BASE 0x0000100000000000ull
#define USER_MMAP_END 0x0000200000000000ull
#define USER_BRK_MAX (1ull << 30) /* the heap grows at most this far above the image */
/* PVM_SYSCALL_PAGE + 1, where its first int3 leaves RIP, in halves for assembly's 32-bit compares. */
#define PVM_SYSCALL_RIP_LO 0xfffff001
#define PVM_SYSCALL_RIP_HI 0x7fff

/* Where the ring-3 self-test snippets run (guest/selftest.c). */
#define SELFTEST_USER_TEXT 0x400000ull
#define SELFTEST_USER_STACK_TOP 0x800000ull

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Where physical memory is visible: 0 (the VMM's identity map) while vm_init builds the
 * kernel's page tables, DIRECT_MAP_BASE once it has switched to them.
 */
extern uint64_t phys_map_base;

/* P2V: a kernel pointer to physical address pa. */
static inline void *P2V(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + phys_map_base);
}

/*
 * user_addr_ok: va is a user address (below USER_TOP, so canonical): where IRETQ and SYSRET
 * may return to. The assembly fast paths make the same test with USER_RIP_OR_GOTO
 * (guest/trapasm.h).
 */
static inline int user_addr_ok(uint64_t va)
{
	return (va >> USER_TOP_SHIFT) == 0;
}

/* V2P: the physical address behind a kernel pointer (physical map or kernel image). */
static inline uint64_t V2P(const void *va)
{
	uint64_t v = (uint64_t)(uintptr_t)va;
	return v >= KERNEL_VBASE ? v - KERNEL_VBASE : v - phys_map_base;
}
#endif

#endif
