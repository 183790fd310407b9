/* guest/exec.c: copies a task's ELF segments into fresh pages, with W^X permissions, and gives it a stack. */
#include "exec.h"

#include "../abi/auxv.h"
#include "../common/fmt.h"
#include "../common/string.h"
#include "clock.h"
#include "elf64.h"
#include "elfcheck.h"
#include "kalloc.h"
#include "kernel.h"
#include "memlayout.h"
#include "platform.h"
#include "pte.h"
#include "pvm_compat.h"
#include "vm.h"
#include "x86.h"

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

/*
 * The process start (abi/auxv.h): what a task finds above its stack pointer. argv is the
 * NUL-separated block the VMM placed (args_len bytes, argc words); the strings go at the
 * top, the vectors below them.
 */
struct start {
	const char *args;
	uint64_t args_len, argc;
	uint64_t bytes; /* the whole block, 16-byte aligned */
};

static void start_size(struct start *st)
{
	uint64_t words = 1 + (st->argc + 1) + 1 + 2 * LDE_AUXV_ENTRIES;

	st->bytes = ALIGN_UP(st->args_len + LDE_AT_RANDOM_BYTES, 16) + ALIGN_UP(words * 8, 16);
}

/* Bytes into t's memory at user va: through the direct map, page by page (CR3 is not t's). */
static void put_user(const uint64_t *pml4, uint64_t va, const void *src, uint64_t n)
{
	const uint8_t *p = src;

	while (n > 0) {
		uint64_t off = va % X86_PAGE_SIZE;
		uint64_t chunk = X86_PAGE_SIZE - off < n ? X86_PAGE_SIZE - off : n;

		memcpy((uint8_t *)P2V(pte_addr(vm_lookup(pml4, va))) + off, p, chunk);
		va += chunk;
		p += chunk;
		n -= chunk;
	}
}

static void put_word(const uint64_t *pml4, uint64_t *va, uint64_t v)
{
	put_user(pml4, *va, &v, sizeof(v));
	*va += sizeof(v);
}

/* Write the process start under USER_STACK_TOP; the stack pointer the task starts with. */
static uint64_t put_start(struct task *t, const struct elf_task_image *img, const struct start *st)
{
	uint64_t strings = USER_STACK_TOP - ALIGN_UP(st->args_len + LDE_AT_RANDOM_BYTES, 16);
	uint64_t random = strings + st->args_len;
	uint64_t sp = USER_STACK_TOP - st->bytes, va = sp, arg = strings;
	uint64_t rnd[2] = { random64(), random64() };
	const uint64_t auxv[][2] = {
		{ AT_PHDR, img->phdr }, { AT_PHENT, sizeof(struct elf64_phdr) },
		{ AT_PHNUM, img->phnum }, { AT_PAGESZ, X86_PAGE_SIZE }, { AT_ENTRY, img->entry },
		{ AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
		{ AT_HWCAP, platform.hwcap }, { AT_CLKTCK, LDE_AT_CLKTCK }, { AT_SECURE, 0 },
		{ AT_RANDOM, random }, { AT_EXECFN, strings }, { AT_NULL, 0 },
	};
	_Static_assert(sizeof(auxv) / sizeof(auxv[0]) == LDE_AUXV_ENTRIES, "abi/auxv.h's count");

	put_user(t->pml4, strings, st->args, st->args_len);
	put_user(t->pml4, random, rnd, sizeof(rnd));
	put_word(t->pml4, &va, st->argc);
	for (uint64_t i = 0; i < st->argc; i++) {
		put_word(t->pml4, &va, arg);
		arg += strnlen(st->args + (arg - strings), st->args_len - (arg - strings)) + 1;
	}
	put_word(t->pml4, &va, 0); /* argv's NULL */
	put_word(t->pml4, &va, 0); /* an empty environment */
	for (unsigned i = 0; i < LDE_AUXV_ENTRIES; i++) {
		put_word(t->pml4, &va, auxv[i][0]);
		put_word(t->pml4, &va, auxv[i][1]);
	}
	return sp;
}

/*
 * The stack's page tables (one each of PDPT, PD and PT: it lies in one 2 MiB page), and the
 * tables for the kvm_pvm system-call page (PD and PT, beside the stack's PDPT).
 */
#define STACK_TABLES 3
#define PVM_PAGE_TABLES 2

/*
 * Whether the image fits in the memory left, decided before a page is taken: an image that
 * asks for a terabyte of bss is refused at once, without filling guest RAM and freeing it.
 */
static const char *check_fits(const struct elf_task_image *img, uint64_t stack_pages)
{
	static char why[96];
	uint64_t need = elfcheck_pages(img) + stack_pages + STACK_TABLES + PVM_PAGE_TABLES;
	uint64_t have = kalloc_free_pages();

	if (need <= have)
		return NULL;
	fmt_snprintf(why, sizeof(why), "needs %lu KiB of guest RAM, %lu KiB free",
		     need * (uint64_t)(X86_PAGE_SIZE / 1024), have * (uint64_t)(X86_PAGE_SIZE / 1024));
	return why;
}

const char *exec_load(struct task *t, const uint8_t *image, uint64_t len, const char *args,
		      uint64_t args_len)
{
	struct elf_task_image img;
	struct start st = { .args = args, .args_len = args_len };
	uint64_t stack_bottom, stack_pages;
	const char *why = elfcheck_task(image, len, USER_MIN, USER_IMAGE_MAX, &img);

	if (args_len == 0) { /* no argv given: the task's name is argv[0] */
		st.args = t->name;
		st.args_len = strnlen(t->name, sizeof(t->name) - 1) + 1;
	}
	for (uint64_t i = 0; i < st.args_len; i++)
		st.argc += st.args[i] == '\0';
	start_size(&st);
	/* USER_STACK_SIZE for the program, above it the process start. */
	stack_bottom = USER_STACK_TOP - USER_STACK_SIZE - ALIGN_UP(st.bytes, X86_PAGE_SIZE);
	stack_pages = (USER_STACK_TOP - stack_bottom) / X86_PAGE_SIZE;
	if (why == NULL)
		why = check_fits(&img, stack_pages);
	if (why != NULL)
		return why;
	for (unsigned i = 0; i < img.nseg; i++)
		if (map_segment(t, image, &img.seg[i]) != 0)
			return "out of memory for its segments";
	if (vm_map_zeroed(t->pml4, stack_bottom, USER_STACK_TOP - stack_bottom,
			  X86_PTE_U | X86_PTE_W | X86_PTE_NX | PTE_OWNED) != 0)
		return "out of memory for its stack";
	if (pvm_compat_map(t->pml4) != 0)
		return "out of memory for its page tables";
	/* The heap starts at the first page above the image; anonymous mappings far above it. */
	for (unsigned i = 0; i < img.nseg; i++)
		if (img.seg[i].vaddr + img.seg[i].memsz > t->brk_start)
			t->brk_start = img.seg[i].vaddr + img.seg[i].memsz;
	t->brk_start = t->brk = ALIGN_UP(t->brk_start, X86_PAGE_SIZE);
	t->mmap_next = USER_MMAP_BASE;
	task_start(t, img.entry, put_start(t, &img, &st));
	return NULL;
}
