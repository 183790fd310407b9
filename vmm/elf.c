/* vmm/elf.c: the guest-image loader; libelf parses, we check every field we rely on. */
#include "elf.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int refuse(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/*
 * The identification bytes, read from the raw file: libelf's elf_memory() calls anything
 * with a class, data or version it does not know "not ELF", and we want to say which.
 */
static int check_ident(const unsigned char *id, char *err, size_t errlen)
{
	if (memcmp(id, ELFMAG, SELFMAG) != 0)
		return refuse(err, errlen, "not an ELF file");
	if (id[EI_CLASS] != ELFCLASS64)
		return refuse(err, errlen, "not a 64-bit ELF file (class %d)", id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return refuse(err, errlen, "not a little-endian ELF file (data %d)", id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return refuse(err, errlen, "unknown ELF ident version %d", id[EI_VERSION]);
	if (id[EI_OSABI] != ELFOSABI_NONE && id[EI_OSABI] != ELFOSABI_GNU)
		return refuse(err, errlen, "unsupported OS ABI %d", id[EI_OSABI]);
	return 0;
}

static int check_ehdr(const Elf64_Ehdr *eh, size_t len, char *err, size_t errlen)
{
	if (eh->e_type != ET_EXEC)
		return refuse(err, errlen, "not a static executable (e_type %u, need ET_EXEC)",
			      eh->e_type);
	if (eh->e_machine != EM_X86_64)
		return refuse(err, errlen, "not an x86-64 file (e_machine %u)", eh->e_machine);
	if (eh->e_version != EV_CURRENT)
		return refuse(err, errlen, "unknown ELF version %u", eh->e_version);
	if (eh->e_ehsize != sizeof(Elf64_Ehdr))
		return refuse(err, errlen, "bad ELF header size %u", eh->e_ehsize);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return refuse(err, errlen, "bad program header size %u", eh->e_phentsize);
	if (eh->e_phnum == 0 || eh->e_phnum == PN_XNUM)
		return refuse(err, errlen, "no program headers");
	if (eh->e_phnum > ELF_MAX_PHDRS)
		return refuse(err, errlen, "too many program headers (%u, at most %u)", eh->e_phnum,
			      ELF_MAX_PHDRS);
	if (!gmem_range_ok(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len))
		return refuse(err, errlen, "program headers lie outside the file");
	/* libelf hands back a pointer into our buffer: its fields must be naturally aligned. */
	if (eh->e_phoff % _Alignof(Elf64_Phdr) != 0)
		return refuse(err, errlen, "program headers at offset 0x%llx are not 8-byte aligned",
			      (unsigned long long)eh->e_phoff);
	return 0;
}

/* One PT_LOAD segment, checked on its own and against the ones before it. */
static int check_load(const Elf64_Phdr *ph, unsigned i, const Elf64_Phdr *all, size_t len,
		      const struct gmem *gm, uint64_t load_min, char *err, size_t errlen)
{
	if (ph->p_filesz > ph->p_memsz)
		return refuse(err, errlen, "segment %u: file size 0x%llx exceeds memory size 0x%llx",
			      i, (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
	if (!gmem_range_ok(ph->p_offset, ph->p_filesz, len))
		return refuse(err, errlen, "segment %u: file range lies outside the file", i);
	if (!gmem_range_ok(ph->p_vaddr, ph->p_memsz, UINT64_MAX))
		return refuse(err, errlen, "segment %u: virtual range wraps around", i);
	if (ph->p_align > 1 &&
	    (!is_pow2(ph->p_align) || ph->p_vaddr % ph->p_align != ph->p_offset % ph->p_align))
		return refuse(err, errlen, "segment %u: bad alignment 0x%llx", i,
			      (unsigned long long)ph->p_align);
	if (ph->p_paddr < load_min || !gmem_range_ok(ph->p_paddr, ph->p_memsz, gm->size))
		return refuse(err, errlen,
			      "segment %u: [0x%llx, +0x%llx) lies outside guest RAM [0x%llx, 0x%llx)",
			      i, (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_memsz,
			      (unsigned long long)load_min, (unsigned long long)gm->size);
	for (unsigned j = 0; j < i; j++) {
		const Elf64_Phdr *o = &all[j];
		if (o->p_type == PT_LOAD &&
		    gmem_ranges_overlap(o->p_paddr, o->p_memsz, ph->p_paddr, ph->p_memsz))
			return refuse(err, errlen, "segment %u overlaps segment %u", i, j);
	}
	return 0;
}

/* Every program header; fills out's extents and entry. Copies nothing. */
static int check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, size_t len,
		       const struct gmem *gm, uint64_t load_min, struct elf_image *out, char *err,
		       size_t errlen)
{
	int have_entry = 0;

	out->start = UINT64_MAX;
	out->end = 0;
	out->segments = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP || ph[i].p_type == PT_DYNAMIC)
			return refuse(err, errlen, "dynamically linked (segment %u)", i);
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (check_load(&ph[i], i, ph, len, gm, load_min, err, errlen))
			return -1;
		out->segments++;
		if (ph[i].p_paddr < out->start)
			out->start = ph[i].p_paddr;
		if (ph[i].p_paddr + ph[i].p_memsz > out->end)
			out->end = ph[i].p_paddr + ph[i].p_memsz;
		if ((ph[i].p_flags & PF_X) && eh->e_entry >= ph[i].p_vaddr &&
		    eh->e_entry - ph[i].p_vaddr < ph[i].p_memsz) {
			out->entry = eh->e_entry - ph[i].p_vaddr + ph[i].p_paddr;
			have_entry = 1;
		}
	}
	if (out->segments == 0)
		return refuse(err, errlen, "no loadable segments");
	if (!have_entry)
		return refuse(err, errlen, "entry point 0x%llx is not inside an executable segment",
			      (unsigned long long)eh->e_entry);
	return 0;
}

static void copy_segments(const uint8_t *image, const Elf64_Phdr *ph, unsigned n,
			  const struct gmem *gm)
{
	for (unsigned i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		/* Checked by check_load: both ranges are inside their buffers. */
		uint8_t *dst = gmem_ptr(gm, ph[i].p_paddr, ph[i].p_memsz);
		memcpy(dst, image + ph[i].p_offset, ph[i].p_filesz);
		memset(dst + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
	}
}

/* Everything after the identification bytes, with the file open in libelf. */
static int check_and_copy(Elf *e, const void *image, size_t len, const struct gmem *gm,
			  uint64_t load_min, struct elf_image *out, char *err, size_t errlen)
{
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;

	if (elf_kind(e) != ELF_K_ELF)
		return refuse(err, errlen, "libelf does not take it for ELF");
	eh = elf64_getehdr(e);
	if (eh == NULL)
		return refuse(err, errlen, "bad ELF header: %s", elf_errmsg(-1));
	if (check_ehdr(eh, len, err, errlen) != 0)
		return -1;
	ph = elf64_getphdr(e);
	if (ph == NULL)
		return refuse(err, errlen, "bad program headers: %s", elf_errmsg(-1));
	if (check_phdrs(eh, ph, len, gm, load_min, out, err, errlen) != 0)
		return -1;
	copy_segments(image, ph, eh->e_phnum, gm);
	return 0;
}

int elf_load(const void *image, size_t len, const struct gmem *gm, uint64_t load_min,
	     struct elf_image *out, char *err, size_t errlen)
{
	Elf *e;
	int rc;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return refuse(err, errlen, "libelf: %s", elf_errmsg(-1));
	if (len < sizeof(Elf64_Ehdr))
		return refuse(err, errlen, "too short for an ELF64 header (%zu bytes)", len);
	if (check_ident(image, err, errlen) != 0)
		return -1;
	/* ELF_C_READ_MEMORY: libelf only reads the buffer, so casting away const is safe. */
	e = elf_memory((char *)image, len);
	if (e == NULL)
		return refuse(err, errlen, "libelf: %s", elf_errmsg(-1));
	rc = check_and_copy(e, image, len, gm, load_min, out, err, errlen);
	elf_end(e);
	return rc;
}

int elf_file_open(const char *path, uint64_t max, size_t *size, char *err, size_t errlen)
{
	struct stat st;
	/* O_NONBLOCK: opening a FIFO or a device must not wait; a regular file ignores it. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return refuse(err, errlen, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return refuse(err, errlen, "not a regular file");
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return refuse(err, errlen, "file too large (%lld bytes, at most %llu)",
			      (long long)st.st_size, (unsigned long long)max);
	}
	*size = (size_t)st.st_size;
	return fd;
}

int elf_file_read(int fd, void *dst, size_t len, char *err, size_t errlen)
{
	uint8_t *p = dst;
	size_t got = 0;

	/* Never more than len: the file may have grown since elf_file_open measured it. */
	while (got < len) {
		ssize_t r = read(fd, p + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return refuse(err, errlen, "read failed: %s", strerror(errno));
		if (r == 0)
			return refuse(err, errlen, "read failed: the file shrank to %zu of %zu bytes",
				      got, len);
		got += (size_t)r;
	}
	return 0;
}

int elf_read_file(const char *path, uint64_t max, void **buf, size_t *len, char *err,
		  size_t errlen)
{
	size_t size;
	uint8_t *p;
	int fd = elf_file_open(path, max, &size, err, errlen);

	if (fd < 0)
		return -1;
	p = malloc(size ? size : 1);
	if (p == NULL) {
		close(fd);
		return refuse(err, errlen, "out of memory for %zu bytes", size);
	}
	if (elf_file_read(fd, p, size, err, errlen) != 0) {
		close(fd);
		free(p);
		return -1;
	}
	close(fd);
	*buf = p;
	*len = size;
	return 0;
}
