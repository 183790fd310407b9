/* vmm/elf.h: checking and loading an untrusted ELF64 guest kernel image. */
#ifndef VMM_ELF_H
#define VMM_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "gmem.h"

#define ELF_MAX_PHDRS 64u               /* more program headers than this is refused */
#define ELF_MAX_FILE_SIZE (1ull << 30)  /* images larger than 1 GiB are refused unread */

struct elf_image {
	uint64_t entry;      /* guest-physical entry point */
	uint64_t start, end; /* guest-physical extents of all PT_LOAD segments, [start, end) */
	unsigned segments;   /* PT_LOAD segments copied */
};

/*
 * elf_load: check the ELF file image[0, len) and copy its PT_LOAD segments into guest RAM
 * at their physical addresses (p_paddr), zeroing each segment's BSS. Segments must lie in
 * [load_min, gm->size). Nothing is written to guest RAM unless every check passes.
 * Returns 0, or -1 with a one-line reason in err.
 */
int elf_load(const void *image, size_t len, const struct gmem *gm, uint64_t load_min,
	     struct elf_image *out, char *err, size_t errlen);

/* elf_read_file: read a whole regular file of at most max bytes into a malloc'd buffer. */
int elf_read_file(const char *path, size_t max, void **buf, size_t *len, char *err, size_t errlen);

#endif
