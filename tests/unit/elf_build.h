/* tests/unit/elf_build.h: the ELF64 x86-64 ET_EXEC header that the ELF test suites start from. */
#ifndef TESTS_UNIT_ELF_BUILD_H
#define TESTS_UNIT_ELF_BUILD_H

#include <elf.h>
#include <string.h>

/* A valid header for a static x86-64 executable: nph program headers at phoff, entry. */
static inline void elf_build_ehdr(Elf64_Ehdr *e, unsigned nph, uint64_t entry, uint64_t phoff)
{
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_ident[EI_OSABI] = ELFOSABI_NONE;
	e->e_type = ET_EXEC;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_entry = entry;
	e->e_phoff = phoff;
	e->e_ehsize = sizeof(Elf64_Ehdr);
	e->e_phentsize = sizeof(Elf64_Phdr);
	e->e_phnum = (Elf64_Half)nph;
	e->e_shentsize = sizeof(Elf64_Shdr);
}

#endif
