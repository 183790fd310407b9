/* guest/vm.c: the kernel's page tables: a direct map of RAM and the image mapped W^X, nothing else. */
#include "vm.h"

#include "../common/string.h"
#include "cmdline.h"
#include "kalloc.h"
#include "kernel.h"
#include "memlayout.h"
#include "percpu.h"
#include "platform.h"
#include "pte.h"
#include "x86.h"

uint64_t phys_map_base; /* see memlayout.h */
uint64_t kernel_pml4_pa;

/*
 * The entry for va at `level`, allocating missing tables above it. Intermediate entries are
 * writable, and user-accessible in the low half: the leaf entry alone grants or denies.
 */
static uint64_t *walk(uint64_t *pml4, uint64_t va, int level)
{
	uint64_t *table = pml4;
	uint64_t up = va < USER_TOP ? X86_PTE_U : 0;

	for (int l = PT_LEVEL_PML4; l > level; l--) {
		uint64_t *e = &table[pte_index(va, l)];
		if (!(*e & X86_PTE_P)) {
			void *page = kalloc();
			if (page == NULL)
				return NULL;
			*e = pte_make(V2P(page), X86_PTE_P | X86_PTE_W | up);
		} else if (*e & X86_PTE_PS) {
			return NULL; /* a large page is in the way */
		}
		table = P2V(pte_addr(*e));
	}
	return &table[pte_index(va, level)];
}

int vm_map(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
	for (uint64_t off = 0; off < len; off += X86_PAGE_SIZE) {
		uint64_t *e = walk(pml4, va + off, PT_LEVEL_PT);
		if (e == NULL || (*e & X86_PTE_P))
			return -1;
		*e = pte_make(pa + off, flags | X86_PTE_P);
	}
	return 0;
}

/*
 * The present leaf entry for va (a 4 KiB, 2 MiB or 1 GiB page's), and its level; or NULL.
 * PS marks a leaf above the last level; in a PML4 entry it is reserved, and never set here.
 */
static uint64_t *leaf(const uint64_t *pml4, uint64_t va, int *level)
{
	uint64_t *table = (uint64_t *)pml4;

	/* Unrolled: each level's shift a constant (the walk is on every user-pointer check). */
#pragma GCC unroll 4
	for (int l = PT_LEVEL_PML4; l >= PT_LEVEL_PT; l--) {
		uint64_t *e = &table[pte_index(va, l)];

		if (!(*e & X86_PTE_P))
			return NULL;
		if (l == PT_LEVEL_PT || (*e & X86_PTE_PS)) {
			*level = l;
			return e;
		}
		table = P2V(pte_addr(*e));
	}
	return NULL; /* not reached: the last level returns */
}

uint64_t vm_lookup(const uint64_t *pml4, uint64_t va)
{
	int level;
	const uint64_t *e = leaf(pml4, va, &level);

	return e ? *e : 0;
}

uint64_t *vm_create_user(void)
{
	uint64_t *pml4 = kalloc();
	const uint64_t *kpml4 = P2V(kernel_pml4_pa);

	if (pml4 == NULL)
		return NULL;
	/* The top half is shared: the same PDPTs, so later kernel mappings show up everywhere. */
	for (unsigned i = X86_PT_ENTRIES / 2; i < X86_PT_ENTRIES; i++)
		pml4[i] = kpml4[i];
	return pml4;
}

static void free_table(uint64_t *table, int level)
{
	for (unsigned i = 0; i < X86_PT_ENTRIES; i++) {
		uint64_t e = table[i];
		if (!(e & X86_PTE_P))
			continue;
		if (level == PT_LEVEL_PT || (e & X86_PTE_PS)) {
			if (e & PTE_OWNED)
				kfree(P2V(pte_addr(e)));
			continue;
		}
		free_table(P2V(pte_addr(e)), level - 1);
	}
	kfree(table);
}

void vm_free_user(uint64_t *pml4)
{
	for (unsigned i = 0; i < X86_PT_ENTRIES / 2; i++)
		if (pml4[i] & X86_PTE_P)
			free_table(P2V(pte_addr(pml4[i])), PT_LEVEL_PDPT);
	kfree(pml4);
}

/*
 * gbpages=1 (the kernel word): 1 GiB pages where the CPU has them. Off by default: in the QEMU
 * runner (kvm_amd nested under TCG) two of eight full KVM suites hung the runner's own kernel
 * at the one test that touches 512 MiB through them, and none with 2 MiB pages; they have not
 * run on hardware or kvm_pvm yet. 2 MiB pages cost one store per 2 MiB at boot.
 */
static int use_gbpages(void)
{
	int on = cmdline_01(boot_info.cmdline, "gbpages", 0);

	if (on < 0)
		panic("gbpages=: 1 (1 GiB pages where the CPU has them) or 0 (2 MiB pages, the default)");
	return platform.gbpages && on;
}

/*
 * All of RAM at DIRECT_MAP_BASE, never executable: 2 MiB pages, and with gbpages=1 a 1 GiB
 * page (a PDPT entry with PS) for each whole GiB where the CPU has them. What boot does here
 * is one store per page, with one walk per table filled: with 2 MiB pages one store per 2 MiB
 * (a 2 GiB guest: 1024 stores, where a walk per entry cost 40 emulated instructions each
 * under kvm_pvm); with 1 GiB pages at most 511 stores plus one per GiB, the same at any size.
 */
static uint64_t direct_page_size; /* the direct map's largest page, for the boot banner */

static void map_direct(uint64_t *pml4)
{
	const uint64_t flags = X86_PTE_P | X86_PTE_W | X86_PTE_PS | X86_PTE_NX | X86_PTE_G;
	uint64_t end = ALIGN_UP(boot_info.mem_size, X86_LARGE_PAGE_SIZE), pa = 0;
	int gb = use_gbpages();

	_Static_assert(DIRECT_MAP_BASE % X86_HUGE_PAGE_SIZE == 0, "1 GiB pages need 1 GiB alignment");
	direct_page_size = X86_LARGE_PAGE_SIZE;
	while (pa < end) {
		int level = gb && end - pa >= X86_HUGE_PAGE_SIZE ? PT_LEVEL_PDPT : PT_LEVEL_PD;
		uint64_t size = level == PT_LEVEL_PDPT ? X86_HUGE_PAGE_SIZE : X86_LARGE_PAGE_SIZE;
		uint64_t *e = walk(pml4, DIRECT_MAP_BASE + pa, level);

		if (e == NULL)
			panic("vm: out of memory for the direct map");
		if (size > direct_page_size)
			direct_page_size = size;
		/* The rest of this table's entries, as far as RAM goes: no walk for each. */
		for (unsigned i = pte_index(DIRECT_MAP_BASE + pa, level);
		     i < X86_PT_ENTRIES && end - pa >= size; i++, e++, pa += size)
			*e = pte_make(pa, flags);
	}
}

static void map_image_part(uint64_t *pml4, const char *start, const char *end, uint64_t flags)
{
	uint64_t va = (uint64_t)(uintptr_t)start;

	if (vm_map(pml4, va, va - KERNEL_VBASE, (uint64_t)(end - start), flags | X86_PTE_G))
		panic("vm: cannot map the kernel image at %p", start);
}

#define CR3_PCID_MASK 0xfffull
#define CR3_NOFLUSH (1ull << 63) /* with CR4.PCIDE: keep the PCID's cached translations */

static int pcid_on;

/*
 * SMEP: ring 0 never executes a user page; SMAP: ring 0 reads or writes a user page only
 * inside copyin/copyout, with RFLAGS.AC set (guest/uaccess.c). Both where the CPU has them.
 * kvm_pvm shows the host's CPUID bits and, as measured, enforces both (docs/kvm_pvm.md).
 */
static void protect_from_user(void)
{
	uint64_t cr4 = rcr4();

	if (platform.smep)
		cr4 |= X86_CR4_SMEP;
	if (platform.smap)
		cr4 |= X86_CR4_SMAP;
	lcr4(cr4);
}

/*
 * PCIDs tag TLB entries with an address-space number, so a CR3 load need not flush them.
 * Not on kvm_pvm, where setting CR4.PCIDE raises #GP (docs/kvm_pvm.md); pcid=0 turns them off.
 */
static void pcid_init(void)
{
	int on = cmdline_01(boot_info.cmdline, "pcid", 1);

	if (on < 0)
		panic("pcid=: 0 (off) or 1 (where the CPU has PCIDs, the default)");
	if (!on || !platform.pcid)
		return;
	lcr4(rcr4() | X86_CR4_PCIDE); /* CR3's PCID field is 0 now, as the SDM requires */
	pcid_on = 1;
}

void vm_activate(uint64_t *pml4, unsigned pcid, int *stale)
{
	uint64_t cr3 = V2P(pml4);

	if (!pcid_on) {
		percpu.cr3 = cr3;
		if ((rcr3() & X86_PTE_ADDR_MASK) != cr3)
			lcr3(cr3);
		return;
	}
	/* A PCID last used by another address space must be flushed on its first load. */
	cr3 |= pcid & CR3_PCID_MASK;
	percpu.cr3 = cr3 | CR3_NOFLUSH; /* what a reload while it runs writes (MIT_KPTI) */
	lcr3(*stale ? cr3 : cr3 | CR3_NOFLUSH);
	*stale = 0;
}

void *vm_unmap_page(uint64_t *pml4, uint64_t va)
{
	int level;
	uint64_t *e = leaf(pml4, va, &level), old;

	if (e == NULL || level != PT_LEVEL_PT || !(*e & PTE_OWNED))
		return NULL;
	old = *e;
	*e = 0;
	invlpg(va);
	return P2V(pte_addr(old));
}

void vm_unmap_range(uint64_t *pml4, uint64_t va, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += X86_PAGE_SIZE) {
		void *page = vm_unmap_page(pml4, va + off);
		if (page != NULL)
			kfree(page);
	}
}

int vm_map_zeroed(uint64_t *pml4, uint64_t va, uint64_t len, uint64_t flags)
{
	for (uint64_t off = 0; off < len; off += X86_PAGE_SIZE) {
		void *page = kalloc(); /* zeroed */
		if (page == NULL || vm_map(pml4, va + off, V2P(page), X86_PAGE_SIZE, flags) != 0) {
			if (page != NULL)
				kfree(page);
			vm_unmap_range(pml4, va, off);
			return -1;
		}
	}
	return 0;
}

int vm_set_flags(uint64_t *pml4, uint64_t va, uint64_t flags)
{
	int level;
	uint64_t *e = leaf(pml4, va, &level);

	if (e == NULL || level != PT_LEVEL_PT || !(*e & PTE_OWNED))
		return -1;
	*e = pte_make(pte_addr(*e), flags | X86_PTE_P);
	invlpg(va);
	return 0;
}

void *vm_map_device(uint64_t pa, uint64_t len)
{
	/* PCD and PWT: uncached with the PAT as reset leaves it (SDM vol. 3A, 13.12.3). */
	uint64_t flags = X86_PTE_W | X86_PTE_PCD | X86_PTE_PWT | X86_PTE_NX | X86_PTE_G;

	if (vm_map(P2V(kernel_pml4_pa), DIRECT_MAP_BASE + pa, pa, len, flags) != 0)
		return NULL;
	return P2V(pa);
}

const char *vm_direct_map_describe(void)
{
	return direct_page_size == X86_HUGE_PAGE_SIZE ? "1 GiB pages" : "2 MiB pages";
}

int vm_pcid_enabled(void)
{
	return pcid_on;
}

const char *vm_protection_describe(void)
{
	static const char *const text[4] = {
		"SMEP off, SMAP off (the CPU has neither)",
		"SMEP on, SMAP off (the CPU lacks it)",
		"SMEP off (the CPU lacks it), SMAP on",
		"SMEP on, SMAP on",
	};
	uint64_t cr4 = rcr4();

	return text[((cr4 & X86_CR4_SMEP) ? 1 : 0) | ((cr4 & X86_CR4_SMAP) ? 2 : 0)];
}

void vm_init(void)
{
	uint64_t *pml4;

	phys_map_base = 0; /* the VMM's identity map, until we switch */
	pml4 = kalloc();
	if (pml4 == NULL)
		panic("vm: no memory for page tables");
	map_direct(pml4);
	map_image_part(pml4, __text_start, __text_end, 0);
	map_image_part(pml4, __rodata_start, __rodata_end, X86_PTE_NX);
	map_image_part(pml4, __data_start, __data_end, X86_PTE_W | X86_PTE_NX);

	kernel_pml4_pa = V2P(pml4);
	lcr4(rcr4() | X86_CR4_PGE);
	lcr3(kernel_pml4_pa);
	phys_map_base = DIRECT_MAP_BASE;
	protect_from_user();
	pcid_init();
}
