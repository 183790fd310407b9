/* vmm/elf.h: checking and loading an untrusted ELF64 guest kernel image. */
#ifndef VMM_ELF_H
#define VMM_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "gmem.h"

#define ELF_MAX_PHDRS 64u               /* more program headers than this is refused */
#define ELF_MAX_FILE_SIZE (1ull << 30)  /* image files larger than 1 GiB are refused unread */

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

/*
 * Reading an untrusted image file, in two steps so that its bytes can go straight to where
 * they belong (a task image into guest RAM) with no copy in between.
 *
 * elf_file_open: open path without blocking (a FIFO or a device cannot stall the VMM) and
 * check that it is a regular file of at most max bytes. Returns the descriptor and its size
 * in *size, having read nothing; or -1 with a one-line reason in err ("not a regular file",
 * "file too large (N bytes, at most M)", ...).
 */
int elf_file_open(const char *path, uint64_t max, size_t *size, char *err, size_t errlen);

/*
 * elf_file_read: read exactly len bytes (the size elf_file_open gave) from fd into dst.
 * Bytes the file gained since are not read; a file that has shrunk is an error.
 * Returns 0, or -1 with the reason in err. The caller closes fd.
 */
int elf_file_read(int fd, void *dst, size_t len, char *err, size_t errlen);

/*
 * elf_read_file: both steps into a malloc'd buffer (*buf, *len bytes), for the kernel image,
 * which elf_load checks before a byte of it reaches guest RAM.
 */
int elf_read_file(const char *path, uint64_t max, void **buf, size_t *len, char *err,
		  size_t errlen);

#endif
