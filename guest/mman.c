/* guest/mman.c: a task's memory calls: brk, and private anonymous mmap, munmap, mprotect, mremap, madvise. */
#include "../abi/syscall.h"
#include "kalloc.h"
#include "kernel.h"
#include "memlayout.h"
#include "pte.h"
#include "syscall.h"
#include "task.h"
#include "vm.h"

/*
 * Pages are taken when the mapping is made, zeroed, never on demand: a task's memory is
 * all there from the call on, and a call that cannot have it all fails whole (-ENOMEM)
 * before it takes a page. W^X holds as for the image: a mapping both writable and
 * executable is refused (-EACCES). There are no files, so only MAP_PRIVATE|MAP_ANONYMOUS.
 */

#define TABLE_SLACK 6 /* page tables a range may need beyond one per 512 pages */

static int page_aligned(uint64_t x)
{
	return x % X86_PAGE_SIZE == 0;
}

/* The leaf flags for prot; PROT_NONE maps a supervisor-only page: ring 3 cannot touch it. */
static uint64_t prot_flags(uint64_t prot)
{
	uint64_t f = PTE_OWNED;

	if (prot != LDE_PROT_NONE)
		f |= X86_PTE_U;
	if (prot & LDE_PROT_WRITE)
		f |= X86_PTE_W;
	if (!(prot & LDE_PROT_EXEC))
		f |= X86_PTE_NX;
	return f;
}

static int64_t prot_check(uint64_t prot)
{
	if (prot & ~(uint64_t)(LDE_PROT_READ | LDE_PROT_WRITE | LDE_PROT_EXEC))
		return -EINVAL;
	if ((prot & LDE_PROT_WRITE) && (prot & LDE_PROT_EXEC))
		return -EACCES; /* W^X */
	return 0;
}

/* Zeroed pages over [va, va + len) with flags: 0, or -ENOMEM, found before the first page. */
static int64_t map_zeroed(uint64_t *pml4, uint64_t va, uint64_t len, uint64_t flags)
{
	uint64_t pages = len / X86_PAGE_SIZE;

	if (pages + pages / X86_PT_ENTRIES + TABLE_SLACK > kalloc_free_pages())
		return -ENOMEM;
	return vm_map_zeroed(pml4, va, len, flags) == 0 ? 0 : -ENOMEM;
}

/* brk: the heap's end moves to addr (pages in or out); the end as it is after, as Linux does. */
int64_t sys_brk(uint64_t addr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct task *t = current;
	uint64_t old_end = ALIGN_UP(t->brk, X86_PAGE_SIZE), new_end;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (addr < t->brk_start || addr - t->brk_start > USER_BRK_MAX)
		return (int64_t)t->brk; /* brk(0) asks where it is */
	new_end = ALIGN_UP(addr, X86_PAGE_SIZE);
	if (new_end > old_end &&
	    map_zeroed(t->pml4, old_end, new_end - old_end,
		       prot_flags(LDE_PROT_READ | LDE_PROT_WRITE)) != 0)
		return (int64_t)t->brk;
	if (new_end < old_end)
		vm_unmap_range(t->pml4, new_end, old_end - new_end);
	t->brk = addr;
	return (int64_t)addr;
}

int64_t sys_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, uint64_t fd,
		 uint64_t off)
{
	struct task *t = current;
	int64_t r = prot_check(prot);
	uint64_t va = t->mmap_next;

	(void)addr, (void)fd, (void)off; /* the address is a hint; anonymous memory has no file */
	if (r != 0)
		return r;
	if ((flags & LDE_MAP_TYPE) != LDE_MAP_PRIVATE || !(flags & LDE_MAP_ANONYMOUS))
		return -ENODEV; /* a file mapping: there are no files */
	if ((flags & LDE_MAP_FIXED) || len == 0)
		return -EINVAL;
	if (len > USER_MMAP_END - USER_MMAP_BASE)
		return -ENOMEM;
	len = ALIGN_UP(len, X86_PAGE_SIZE);
	if (len > USER_MMAP_END - va)
		return -ENOMEM;
	r = map_zeroed(t->pml4, va, len, prot_flags(prot));
	if (r != 0)
		return r;
	t->mmap_next = va + len + X86_PAGE_SIZE; /* an unmapped page between two mappings */
	return (int64_t)va;
}

int64_t sys_munmap(uint64_t addr, uint64_t len, uint64_t a2, uint64_t a3, uint64_t a4,
		   uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!page_aligned(addr) || len == 0 || !user_addr_ok(addr) || len > USER_TOP - addr)
		return -EINVAL;
	vm_unmap_range(current->pml4, addr, ALIGN_UP(len, X86_PAGE_SIZE));
	return 0;
}

/* Every page of the range must be one the task owns; then all change, or none. */
int64_t sys_mprotect(uint64_t addr, uint64_t len, uint64_t prot, uint64_t a3, uint64_t a4,
		     uint64_t a5)
{
	uint64_t *pml4 = current->pml4;
	int64_t r = prot_check(prot);

	(void)a3, (void)a4, (void)a5;
	if (r != 0)
		return r;
	if (!page_aligned(addr) || !user_addr_ok(addr) || len > USER_TOP - addr)
		return -EINVAL;
	len = ALIGN_UP(len, X86_PAGE_SIZE);
	for (uint64_t off = 0; off < len; off += X86_PAGE_SIZE)
		if (!(vm_lookup(pml4, addr + off) & PTE_OWNED))
			return -ENOMEM;
	for (uint64_t off = 0; off < len; off += X86_PAGE_SIZE)
		vm_set_flags(pml4, addr + off, prot_flags(prot));
	return 0;
}

/* Not moved or grown in place: C libraries copy into a new mapping instead. */
int64_t sys_mremap(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return -ENOMEM;
}

int64_t sys_madvise(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}
