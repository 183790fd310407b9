/* guest/vm.h: page tables: the kernel's address space, and mapping pages into one. */
#ifndef GUEST_VM_H
#define GUEST_VM_H

#include <stdint.h>

/* Physical address of the kernel's top-level table (every address space shares its top half). */
extern uint64_t kernel_pml4_pa;

/* vm_init: build the kernel's page tables (direct map + W^X image) and switch to them. */
void vm_init(void);

/*
 * vm_map: map [va, va + len) to [pa, pa + len) in the tables at pml4 with leaf flags
 * (X86_PTE_*; P is implied), 4 KiB pages. Intermediate tables are allocated as needed.
 * Returns 0, or -1 if a table could not be allocated or a page is already mapped.
 */
int vm_map(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags);

/*
 * vm_map_device: map the device registers at physical [pa, pa + len) (page-aligned, outside
 * RAM) uncached into the kernel's half, at the address the direct map would give them, and
 * return that; NULL if they cannot be (no memory, or RAM is there). After vm_init only.
 */
void *vm_map_device(uint64_t pa, uint64_t len);

/* vm_protection_describe: which of SMEP and SMAP vm_init switched on. */
const char *vm_protection_describe(void);

/*
 * vm_activate: switch to an address space. With PCIDs (vm_pcid_enabled) pcid tags its TLB
 * entries; *stale says they may belong to an earlier address space (flush them), and is
 * cleared. Without PCIDs, a plain CR3 load when the space changes.
 */
void vm_activate(uint64_t *pml4, unsigned pcid, int *stale);
int vm_pcid_enabled(void);

/* vm_direct_map_describe: the direct map's largest pages, "1 GiB pages" or "2 MiB pages". */
const char *vm_direct_map_describe(void);

/* vm_create_user: a new address space: empty low half, the kernel's top half. NULL if no memory. */
uint64_t *vm_create_user(void);

/* vm_free_user: free the low half's tables and the pages marked PTE_OWNED, then the PML4. */
void vm_free_user(uint64_t *pml4);

/* vm_unmap_page: unmap the PTE_OWNED 4 KiB page at va (TLB entry too); the page, or NULL. */
void *vm_unmap_page(uint64_t *pml4, uint64_t va);

/*
 * vm_map_zeroed: fresh zeroed pages over [va, va + len) (page-aligned) with leaf flags,
 * which should include PTE_OWNED so that they are freed with the address space. 0, or -1
 * (out of memory, or a page already mapped) with nothing of the range left mapped.
 */
int vm_map_zeroed(uint64_t *pml4, uint64_t va, uint64_t len, uint64_t flags);

/* vm_unmap_range: unmap and free every PTE_OWNED 4 KiB page of [va, va + len). */
void vm_unmap_range(uint64_t *pml4, uint64_t va, uint64_t len);

/* vm_set_flags: new leaf flags (X86_PTE_*; P implied) for the PTE_OWNED 4 KiB page at va,
 * TLB entry dropped; 0, or -1 if no such page is mapped there. */
int vm_set_flags(uint64_t *pml4, uint64_t va, uint64_t flags);

/* vm_lookup: the leaf entry for va (4 KiB or 2 MiB), or 0 if unmapped. */
uint64_t vm_lookup(const uint64_t *pml4, uint64_t va);

#endif
