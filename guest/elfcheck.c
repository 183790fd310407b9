/* guest/elfcheck.c: the kernel's checks of a task image: every field used is checked first. */
#include "elfcheck.h"

#include "elf64.h"

#define PAGE 4096u
#define PT_ENTRIES 512u

/* [start, start + len) inside [lo, hi) with no wrap-around. */
static int range_in(uint64_t start, uint64_t len, uint64_t lo, uint64_t hi)
{
	return start >= lo && start <= hi && len <= hi - start;
}

static const char *check_header(const struct elf64_ehdr *eh, uint64_t len)
{
	const uint8_t *id = eh->e_ident;

	if (id[0] != ELF_MAGIC0 || id[1] != ELF_MAGIC1 || id[2] != ELF_MAGIC2 || id[3] != ELF_MAGIC3)
		return "not an ELF file";
	if (id[ELF_EI_CLASS] != ELF_CLASS64)
		return "not a 64-bit ELF file";
	if (id[ELF_EI_DATA] != ELF_DATA2LSB)
		return "not little-endian";
	if (id[ELF_EI_VERSION] != ELF_EV_CURRENT || eh->e_version != ELF_EV_CURRENT)
		return "unknown ELF version";
	if (id[ELF_EI_OSABI] != ELF_OSABI_SYSV && id[ELF_EI_OSABI] != ELF_OSABI_GNU)
		return "unsupported OS ABI";
	if (eh->e_type != ELF_ET_EXEC)
		return "not a static non-PIE executable (ET_EXEC): link it with -static -no-pie";
	if (eh->e_machine != ELF_EM_X86_64)
		return "not an x86-64 file";
	if (eh->e_ehsize != sizeof(struct elf64_ehdr) || eh->e_phentsize != sizeof(struct elf64_phdr))
		return "bad header sizes";
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_TASK_MAX_PHDRS)
		return "no program headers, or too many";
	if (eh->e_phoff % 8 != 0 ||
	    !range_in(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), 0, len))
		return "program headers lie outside the file";
	return 0;
}

static const char *check_segment(const struct elf64_phdr *ph, uint64_t len, uint64_t user_min,
				 uint64_t user_max)
{
	if (ph->p_filesz > ph->p_memsz)
		return "segment file size exceeds its memory size";
	if (!range_in(ph->p_offset, ph->p_filesz, 0, len))
		return "segment lies outside the file";
	if (!range_in(ph->p_vaddr, ph->p_memsz, user_min, user_max))
		return "segment lies outside user space";
	if ((ph->p_flags & ELF_PF_W) && (ph->p_flags & ELF_PF_X))
		return "segment is writable and executable (W^X)";
	if (ph->p_vaddr % PAGE != ph->p_offset % PAGE)
		return "segment is not page-aligned with its file offset";
	return 0;
}

/* Segments may not share a page: each page gets one segment's permissions. */
static int pages_overlap(const struct elf_segment *a, const struct elf_segment *b)
{
	uint64_t a0 = a->vaddr / PAGE, a1 = (a->vaddr + a->memsz - 1) / PAGE;
	uint64_t b0 = b->vaddr / PAGE, b1 = (b->vaddr + b->memsz - 1) / PAGE;

	return a0 <= b1 && b0 <= a1;
}

/*
 * The program headers' address in the task (its AT_PHDR): inside the loadable segment whose
 * file bytes hold them, as the stock linker lays them out, or 0 where none does.
 */
static uint64_t phdr_vaddr(const struct elf64_ehdr *eh, const struct elf_task_image *img)
{
	uint64_t size = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);

	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		if (eh->e_phoff >= s->offset && size <= s->filesz &&
		    eh->e_phoff - s->offset <= s->filesz - size)
			return s->vaddr + (eh->e_phoff - s->offset);
	}
	return 0;
}

const char *elfcheck_task(const uint8_t *image, uint64_t len, uint64_t user_min, uint64_t user_max,
			  struct elf_task_image *out)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)image;
	const struct elf64_phdr *ph;
	const char *why;
	int entry_ok = 0;

	out->nseg = 0;
	out->bad = -1;
	if (len < sizeof(struct elf64_ehdr))
		return "too short for an ELF header";
	if ((why = check_header(eh, len)) != 0)
		return why;
	ph = (const struct elf64_phdr *)(image + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		struct elf_segment *s = &out->seg[out->nseg];

		out->bad = (int)i;
		if (ph[i].p_type == ELF_PT_INTERP || ph[i].p_type == ELF_PT_DYNAMIC)
			return "dynamically linked: link it with -static (musl-gcc -static, or gcc -static)";
		/* PT_TLS is the thread-local template: the C library copies it and points FS at
		 * it (arch_prctl); it lies inside a PT_LOAD, which is checked as any other. */
		if (ph[i].p_type != ELF_PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if ((why = check_segment(&ph[i], len, user_min, user_max)) != 0)
			return why;
		if (out->nseg == ELF_TASK_MAX_SEGMENTS)
			return "too many loadable segments";
		*s = (struct elf_segment){ ph[i].p_vaddr, ph[i].p_memsz, ph[i].p_offset,
					   ph[i].p_filesz, ph[i].p_flags };
		for (unsigned j = 0; j < out->nseg; j++)
			if (pages_overlap(&out->seg[j], s))
				return "two segments share a page";
		if ((s->flags & ELF_PF_X) && eh->e_entry >= s->vaddr && eh->e_entry - s->vaddr < s->memsz)
			entry_ok = 1;
		out->nseg++;
	}
	out->bad = -1;
	if (out->nseg == 0)
		return "no loadable segments";
	if (!entry_ok)
		return "entry point is not inside an executable segment";
	out->entry = eh->e_entry;
	out->phnum = eh->e_phnum;
	out->phdr = phdr_vaddr(eh, out);
	return 0;
}

/*
 * A span of n pages needs at most n / 512 + 2 page tables (it may start and end inside one),
 * n / 512^2 + 2 page directories and 2 PDPTs; the PML4 is the address space's own.
 */
static uint64_t span_pages(uint64_t n)
{
	return n + (n / PT_ENTRIES + 2) + (n / PT_ENTRIES / PT_ENTRIES + 2) + 2;
}

uint64_t elfcheck_pages(const struct elf_task_image *img)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		total += span_pages((s->vaddr + s->memsz + PAGE - 1) / PAGE - s->vaddr / PAGE);
	}
	return total;
}
