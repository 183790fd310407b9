/* guest/elfcheck.h: checking a task's ELF image before the kernel maps a byte of it (pure; unit-tested on the host). */
#ifndef GUEST_ELFCHECK_H
#define GUEST_ELFCHECK_H

#include <stdint.h>

#define ELF_TASK_MAX_PHDRS 32u
#define ELF_TASK_MAX_SEGMENTS 8u

struct elf_segment {
	uint64_t vaddr, memsz;  /* where, in the task's address space */
	uint64_t offset, filesz; /* what, from the file */
	uint32_t flags;          /* ELF_PF_* */
};

struct elf_task_image {
	uint64_t entry;
	uint64_t phdr;   /* where the program headers are in the task's memory; 0 if unmapped */
	unsigned phnum;  /* how many (each sizeof(struct elf64_phdr)) */
	unsigned nseg;
	struct elf_segment seg[ELF_TASK_MAX_SEGMENTS];
	int bad; /* with a refusal: the program header at fault, or -1 */
};

/*
 * elfcheck_task: check that image[0, len) is a static ELF64 x86-64 ET_EXEC file whose
 * loadable segments lie in [user_min, user_max), do not share a page, are not both writable
 * and executable, and whose entry point is in an executable segment. Fills out. Returns
 * NULL when the file is acceptable, else a constant string saying why not.
 */
const char *elfcheck_task(const uint8_t *image, uint64_t len, uint64_t user_min, uint64_t user_max,
			  struct elf_task_image *out);

/*
 * elfcheck_pages: an upper bound on the 4 KiB pages that mapping img's segments takes: the
 * pages themselves and the page tables above them. No sum overflows for a checked image
 * (its segments lie in the 47-bit user half).
 */
uint64_t elfcheck_pages(const struct elf_task_image *img);

#endif
