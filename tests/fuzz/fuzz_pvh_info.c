/* tests/fuzz/fuzz_pvh_info.c: libFuzzer harness for guest/pvh_info.c pvh_info_translate(), the hypervisor's hvm_start_info as hostile input. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../abi/x86.h"
#include "../../guest/pvh_info.h"

/*
 * Input: a little-endian u32, the start_info's physical address, then physical memory from
 * address 0 (held in a heap block of exactly its size, so that ASan flags any read past it).
 * The memory map and modules may name any addresses; only the structures are ever read.
 */
#define KSTART 0x100000ull
#define KEND 0x162000ull

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fuzz_pvh_info: invariant failed: %s (%s:%d)\n", #cond,      \
				__FILE__, __LINE__);                                         \
			abort();                                                             \
		}                                                                            \
	} while (0)

static const uint8_t *mem;
static size_t mem_size;

static const void *phys(uint64_t pa, uint64_t len)
{
	if (pa == 0 || len > mem_size || pa > mem_size - len)
		return NULL;
	return mem + pa;
}

static void warn(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

static int overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* What the kernel relies on: regions inside their bounds, RAM whole pages, nothing shared. */
static void check(const struct lde_boot_info *bi)
{
	CHECK(bi->memmap_count <= LDE_MEMMAP_MAX && bi->module_count <= LDE_MODULES_MAX);
	CHECK(memchr(bi->cmdline, '\0', sizeof(bi->cmdline)) != NULL);
	for (unsigned i = 0; i < bi->memmap_count; i++) {
		const struct lde_mem_region *r = &bi->memmap[i];

		CHECK(r->len > 0 && r->start + r->len > r->start);
		if (r->type == LDE_MEM_RAM) {
			CHECK(r->start % X86_PAGE_SIZE == 0 && r->len % X86_PAGE_SIZE == 0);
			CHECK(r->start >= LDE_LOAD_MIN && r->start + r->len <= PVH_RAM_LIMIT);
			CHECK(r->start + r->len <= bi->mem_size);
		}
		for (unsigned j = 0; j < i; j++)
			CHECK(!overlap(r->start, r->len, bi->memmap[j].start, bi->memmap[j].len));
	}
	for (unsigned i = 0; i < bi->module_count; i++) {
		const struct lde_boot_module *m = &bi->modules[i];

		CHECK(m->len > 0 && m->start % X86_PAGE_SIZE == 0);
		CHECK(m->start >= LDE_LOAD_MIN && m->start + m->len <= bi->mem_size);
		CHECK(!overlap(m->start, m->len, KSTART, KEND - KSTART));
		CHECK(m->args_len == 0 && memchr(m->name, '\0', sizeof(m->name)) != NULL &&
		      m->name[0] != '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lde_boot_info bi;
	uint32_t si_pa;
	uint8_t *copy;

	if (size < 4)
		return 0;
	si_pa = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
		(uint32_t)data[3] << 24;
	mem_size = size - 4;
	copy = malloc(mem_size ? mem_size : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data + 4, mem_size);
	mem = copy;
	if (pvh_info_translate(si_pa, phys, KSTART, KEND, &bi, warn) == NULL)
		check(&bi);
	free(copy);
	return 0;
}
