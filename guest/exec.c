/* guest/exec.c: copies a task's ELF segments into fresh pages, with W^X permissions, and gives it a stack. */
#include "exec.h"

#include "../common/fmt.h"
#include "../common/string.h"
#include "elf64.h"
#include "elfcheck.h"
#include "kalloc.h"
#include "kernel.h"
#include "memlayout.h"
#include "pte.h"
#include "pvm_compat.h"
#include "vm.h"

/* Page-table flags for a segment: user, writable only if W, executable only if X. */
static uint64_t segment_flags(uint32_t pf)
{
	uint64_t f = X86_PTE_U | PTE_OWNED;

	if (pf & ELF_PF_W)
		f |= X86_PTE_W;
	if (!(pf & ELF_PF_X))
		f |= X86_PTE_NX;
	return f;
}

static int map_segment(struct task *t, const uint8_t *image, const struct elf_segment *s)
{
	uint64_t start = ALIGN_DOWN(s->vaddr, X86_PAGE_SIZE);
	uint64_t end = ALIGN_UP(s->vaddr + s->memsz, X86_PAGE_SIZE);

	for (uint64_t va = start; va < end; va += X86_PAGE_SIZE) {
		uint8_t *page = kalloc();
		/* The file bytes that land in this page: [lo, hi) of the segment's file part. */
		uint64_t lo = va > s->vaddr ? va : s->vaddr;
		uint64_t hi = va + X86_PAGE_SIZE;

		if (page == NULL)
			return -1;
		if (hi > s->vaddr + s->filesz)
			hi = s->vaddr + s->filesz;
		if (lo < hi)
			memcpy(page + (lo - va), image + s->offset + (lo - s->vaddr), hi - lo);
		if (vm_map(t->pml4, va, V2P(page), X86_PAGE_SIZE, segment_flags(s->flags)) != 0) {
			kfree(page);
			return -1;
		}
	}
	return 0;
}

/* USER_STACK_SIZE of zeroed stack below USER_STACK_TOP; 0 or -1. */
static int exec_map_stack(struct task *t)
{
	for (uint64_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP; va += X86_PAGE_SIZE) {
		void *page = kalloc();
		if (page == NULL ||
		    vm_map(t->pml4, va, V2P(page), X86_PAGE_SIZE,
			   X86_PTE_U | X86_PTE_W | X86_PTE_NX | PTE_OWNED) != 0) {
			if (page)
				kfree(page);
			return -1;
		}
	}
	return 0;
}

/*
 * The stack's pages and its page tables (one each of PDPT, PD and PT: it lies in one 2 MiB
 * page), and the tables for the kvm_pvm system-call page (PD and PT, beside the stack's PDPT).
 */
#define STACK_PAGES (USER_STACK_SIZE / X86_PAGE_SIZE + 3)
#define PVM_PAGE_TABLES 2

/*
 * Whether the image fits in the memory left, decided before a page is taken: an image that
 * asks for a terabyte of bss is refused at once, without filling guest RAM and freeing it.
 */
static const char *check_fits(const struct elf_task_image *img)
{
	static char why[96];
	uint64_t need = elfcheck_pages(img) + STACK_PAGES + PVM_PAGE_TABLES;
	uint64_t have = kalloc_free_pages();

	if (need <= have)
		return NULL;
	fmt_snprintf(why, sizeof(why), "needs %lu KiB of guest RAM, %lu KiB free",
		     need * (uint64_t)(X86_PAGE_SIZE / 1024), have * (uint64_t)(X86_PAGE_SIZE / 1024));
	return why;
}

const char *exec_load(struct task *t, const uint8_t *image, uint64_t len)
{
	struct elf_task_image img;
	const char *why = elfcheck_task(image, len, USER_MIN, USER_IMAGE_MAX, &img);

	if (why == NULL)
		why = check_fits(&img);
	if (why != NULL)
		return why;
	for (unsigned i = 0; i < img.nseg; i++)
		if (map_segment(t, image, &img.seg[i]) != 0)
			return "out of memory for its segments";
	if (exec_map_stack(t) != 0)
		return "out of memory for its stack";
	if (pvm_compat_map(t->pml4) != 0)
		return "out of memory for its page tables";
	/* The stack pointer as at a function's entry: 16-byte aligned plus a return address. */
	task_start(t, img.entry, USER_STACK_TOP - 8);
	return NULL;
}
