/* tests/fuzz/fuzz_elf_load.c: libFuzzer harness for the VMM's ELF loader, vmm/elf.c elf_load(): input = the file. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../abi/boot.h"
#include "../../vmm/elf.h"
#include "../../vmm/gmem.h"

#define RAM_SIZE (4u << 20) /* simulated guest RAM: 4 MiB, so [1 MiB, 4 MiB) is loadable */

static uint8_t *ram;

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fuzz_elf_load: invariant failed: %s (%s:%d)\n", #cond,      \
				__FILE__, __LINE__);                                         \
			abort();                                                             \
		}                                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gmem gm;
	struct elf_image img;
	char err[256];
	uint8_t *file;
	int rc;

	/* Guest RAM on the heap, exactly RAM_SIZE bytes: ASan flags any access past its end. */
	if (ram == NULL && (ram = malloc(RAM_SIZE)) == NULL)
		abort();
	gm.base = ram;
	gm.size = RAM_SIZE;

	/* The VMM loads from a malloc'd buffer of exactly the file's size (elf_read_file). */
	file = malloc(size ? size : 1);
	if (file == NULL)
		abort();
	memcpy(file, data, size);
	memset(&img, 0xa5, sizeof(img));
	err[0] = '\0';

	rc = elf_load(file, size, &gm, LDE_LOAD_MIN, &img, err, sizeof(err));
	CHECK(rc == 0 || rc == -1);
	if (rc != 0) {
		CHECK(err[0] != '\0'); /* a refusal always says why */
		CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		free(file);
		return 0;
	}

	/* The documented invariants of a successful load. */
	CHECK(img.segments >= 1);
	CHECK(img.start >= LDE_LOAD_MIN && img.start < RAM_SIZE);
	CHECK(img.end > LDE_LOAD_MIN && img.end <= RAM_SIZE);
	CHECK(img.start < img.end);
	CHECK(img.entry >= LDE_LOAD_MIN && img.entry < RAM_SIZE);
	CHECK(img.entry >= img.start && img.entry < img.end);

	/*
	 * Recompute from the raw file (accepted, so the header and program headers are in it)
	 * and check what landed in guest RAM: each PT_LOAD segment's file bytes, then zeros.
	 */
	{
		Elf64_Ehdr eh;
		uint64_t start = UINT64_MAX, end = 0;
		unsigned nload = 0, entry_in_x = 0;

		CHECK(size >= sizeof(eh));
		memcpy(&eh, file, sizeof(eh));
		CHECK(eh.e_phnum >= 1 && eh.e_phnum <= ELF_MAX_PHDRS);
		CHECK(eh.e_phoff <= size && (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) <= size - eh.e_phoff);
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;

			memcpy(&ph, file + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
			CHECK(ph.p_type != PT_INTERP && ph.p_type != PT_DYNAMIC);
			if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
				continue;
			nload++;
			CHECK(ph.p_filesz <= ph.p_memsz);
			CHECK(ph.p_offset <= size && ph.p_filesz <= size - ph.p_offset);
			CHECK(ph.p_paddr >= LDE_LOAD_MIN && ph.p_paddr <= RAM_SIZE &&
			      ph.p_memsz <= RAM_SIZE - ph.p_paddr);
			CHECK(memcmp(ram + ph.p_paddr, file + ph.p_offset, ph.p_filesz) == 0);
			for (uint64_t b = ph.p_filesz; b < ph.p_memsz; b++)
				CHECK(ram[ph.p_paddr + b] == 0);
			if (ph.p_paddr < start)
				start = ph.p_paddr;
			if (ph.p_paddr + ph.p_memsz > end)
				end = ph.p_paddr + ph.p_memsz;
			if ((ph.p_flags & PF_X) && img.entry >= ph.p_paddr &&
			    img.entry - ph.p_paddr < ph.p_memsz)
				entry_in_x = 1;
		}
		CHECK(nload == img.segments);
		CHECK(start == img.start && end == img.end);
		CHECK(entry_in_x);
	}
	free(file);
	return 0;
}
