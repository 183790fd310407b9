/* tests/fuzz/fuzz_elfcheck.c: libFuzzer harness for the kernel's task-image checker, guest/elfcheck.c elfcheck_task(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../guest/elf64.h"
#include "../../guest/elfcheck.h"
#include "../../guest/memlayout.h"

#define PAGE 4096u

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fuzz_elfcheck: invariant failed: %s (%s:%d)\n", #cond,      \
				__FILE__, __LINE__);                                         \
			abort();                                                             \
		}                                                                            \
	} while (0)

/* [start, start + len) inside [lo, hi), computed in 128 bits so nothing can wrap. */
static int in_range(uint64_t start, uint64_t len, uint64_t lo, uint64_t hi)
{
	return start >= lo && (unsigned __int128)start + len <= hi;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_task_image out;
	const char *why;
	uint8_t *image;

	/*
	 * The kernel checks a module in place, 8-byte aligned (boot modules are page aligned).
	 * A heap block of exactly size bytes (malloc aligns to 16): ASan flags any over-read.
	 */
	image = malloc(size ? size : 1);
	if (image == NULL)
		abort();
	CHECK(((uintptr_t)image & 7) == 0);
	memcpy(image, data, size);
	memset(&out, 0xa5, sizeof(out));

	why = elfcheck_task(image, size, USER_MIN, USER_IMAGE_MAX, &out);
	if (why != NULL) {
		CHECK(why[0] != '\0');
		CHECK(out.bad >= -1 && out.bad < (int)ELF_TASK_MAX_PHDRS);
		CHECK(out.nseg <= ELF_TASK_MAX_SEGMENTS);
		free(image);
		return 0;
	}

	/* Accepted: every promise in guest/elfcheck.h, checked on what it returned. */
	CHECK(out.bad == -1);
	CHECK(out.nseg >= 1 && out.nseg <= ELF_TASK_MAX_SEGMENTS);
	{
		int entry_ok = 0;

		for (unsigned i = 0; i < out.nseg; i++) {
			const struct elf_segment *s = &out.seg[i];

			CHECK(s->memsz > 0);
			CHECK(in_range(s->vaddr, s->memsz, USER_MIN, USER_IMAGE_MAX));
			CHECK(s->filesz <= s->memsz);
			CHECK(in_range(s->offset, s->filesz, 0, size));
			CHECK(!((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X)));
			CHECK(s->vaddr % PAGE == s->offset % PAGE);
			if ((s->flags & ELF_PF_X) && out.entry >= s->vaddr && out.entry - s->vaddr < s->memsz)
				entry_ok = 1;
			for (unsigned j = 0; j < i; j++) {
				const struct elf_segment *t = &out.seg[j];
				uint64_t s0 = s->vaddr / PAGE, s1 = (s->vaddr + s->memsz - 1) / PAGE;
				uint64_t t0 = t->vaddr / PAGE, t1 = (t->vaddr + t->memsz - 1) / PAGE;

				CHECK(s1 < t0 || t1 < s0); /* no page holds bytes of two segments */
			}
		}
		CHECK(entry_ok);
	}

	/* And what it returned is what the file says: every PT_LOAD with memsz > 0, in order. */
	{
		struct elf64_ehdr eh;
		unsigned k = 0;

		memcpy(&eh, image, sizeof(eh));
		CHECK(out.entry == eh.e_entry);
		CHECK(eh.e_phnum >= 1 && eh.e_phnum <= ELF_TASK_MAX_PHDRS);
		CHECK(in_range(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr), 0, size));
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			struct elf64_phdr ph;

			memcpy(&ph, image + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
			CHECK(ph.p_type != ELF_PT_INTERP && ph.p_type != ELF_PT_DYNAMIC);
			if (ph.p_type != ELF_PT_LOAD || ph.p_memsz == 0)
				continue;
			CHECK(k < out.nseg);
			CHECK(out.seg[k].vaddr == ph.p_vaddr && out.seg[k].memsz == ph.p_memsz &&
			      out.seg[k].offset == ph.p_offset && out.seg[k].filesz == ph.p_filesz &&
			      out.seg[k].flags == ph.p_flags);
			k++;
		}
		CHECK(k == out.nseg);
	}
	free(image);
	return 0;
}
