/* tests/unit/test_cpu.c: the boot GDT descriptors and boot page tables built by vmm/cpu.c, checked with a software page walk. */
#include <check.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "../../abi/boot.h"
#include "../../abi/x86.h"
#include "../../vmm/cpu.h"
#include "../../vmm/gmem.h"
#include "suites.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define FILL 0xaa
#define LOW_FILL (1 * MIB) /* bytes of fake RAM pre-filled with FILL */
#define WALK_FAIL UINT64_MAX
#define PTE_FLAGS (X86_PTE_P | X86_PTE_W)

/* Fake guest RAM: an anonymous mapping that reserves no swap, so 3 GiB costs nothing. */
static struct gmem ram_map(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	ck_assert_msg(p != MAP_FAILED, "mmap of %llu bytes failed", (unsigned long long)size);
	memset(p, FILL, size < LOW_FILL ? size : LOW_FILL);
	return (struct gmem){ .base = p, .size = size };
}

static void ram_unmap(struct gmem *g)
{
	munmap(g->base, g->size);
}

/* 1 when every byte of guest range [gpa, gpa + len) still holds the fill pattern. */
static int ram_filled(const struct gmem *g, uint64_t gpa, uint64_t len)
{
	const uint8_t *p = gmem_ptr(g, gpa, len);

	ck_assert_ptr_nonnull(p);
	for (uint64_t i = 0; i < len; i++)
		if (p[i] != FILL)
			return 0;
	return 1;
}

static uint64_t *table_at(const struct gmem *g, uint64_t gpa)
{
	uint64_t *t = gmem_ptr(g, gpa, X86_PAGE_SIZE);

	ck_assert_msg(t != NULL, "table at 0x%llx is outside RAM", (unsigned long long)gpa);
	return t;
}

static unsigned va_index(uint64_t va, int level)
{
	return (unsigned)(va >> (12 + 9 * level)) & 511;
}

static int canonical(uint64_t va)
{
	return (va >> 47) == 0 || (va >> 47) == 0x1ffff;
}

/* A software page walk from cr3: the physical address of va, or WALK_FAIL if unmapped. */
static uint64_t walk(const struct gmem *g, uint64_t cr3, uint64_t va)
{
	uint64_t table = cr3;

	if (!canonical(va))
		return WALK_FAIL;
	for (int level = 3; level >= 0; level--) {
		uint64_t e = table_at(g, table)[va_index(va, level)];
		uint64_t page = 1ull << (12 + 9 * level);

		if (!(e & X86_PTE_P))
			return WALK_FAIL;
		if (level == 0 || ((level == 1 || level == 2) && (e & X86_PTE_PS)))
			return (e & X86_PTE_ADDR_MASK & ~(page - 1)) | (va & (page - 1));
		if (e & X86_PTE_PS)
			return WALK_FAIL; /* PS in a PML4 entry is reserved */
		table = e & X86_PTE_ADDR_MASK;
	}
	return WALK_FAIL;
}

static void assert_walk(const struct gmem *g, uint64_t va, uint64_t want)
{
	uint64_t got = walk(g, LDE_BOOT_PML4_GPA, va);

	ck_assert_msg(got == want, "va 0x%016llx -> 0x%llx, want 0x%llx", (unsigned long long)va,
		      (unsigned long long)got, (unsigned long long)want);
}

START_TEST(seg_desc_boot_code)
{
	struct kvm_segment cs = cpu_boot_code_seg();

	/* SDM 3.4.5: access 0x9b (P, S, code, readable, accessed), flags 0xa (G, L), limit 0xfffff. */
	ck_assert_uint_eq(cpu_seg_desc(&cs), 0x00af9b000000ffffull);
	ck_assert_uint_eq(cs.selector, LDE_BOOT_CS);
	ck_assert_uint_eq(cs.l, 1);
	ck_assert_uint_eq(cs.db, 0);
}
END_TEST

START_TEST(seg_desc_boot_data)
{
	struct kvm_segment ds = cpu_boot_data_seg();

	/* access 0x93 (P, S, writable, accessed), flags 0xc (G, D/B), limit 0xfffff. */
	ck_assert_uint_eq(cpu_seg_desc(&ds), 0x00cf93000000ffffull);
	ck_assert_uint_eq(ds.selector, LDE_BOOT_DS);
}
END_TEST

START_TEST(seg_desc_fields)
{
	/* Byte-granular limit, a base in every base field, DPL 3, AVL set. */
	struct kvm_segment s = { .base = 0x12345678, .limit = 0xabcde, .type = 0x3, .s = 1,
				 .dpl = 3, .present = 1, .db = 1, .g = 0, .avl = 1 };

	ck_assert_uint_eq(cpu_seg_desc(&s), 0x125af3345678bcdeull);
	s.g = 1;
	s.limit = 0x12345fff; /* page granular: the descriptor holds limit >> 12 */
	ck_assert_uint_eq(cpu_seg_desc(&s), 0x12d1f33456782345ull);
}
END_TEST

static void assert_gdt(const struct gmem *g)
{
	const uint64_t *gdt = gmem_ptr(g, LDE_BOOT_GDT_GPA, 3 * 8);
	struct kvm_segment cs = cpu_boot_code_seg(), ds = cpu_boot_data_seg();

	ck_assert_uint_eq(gdt[0], 0);
	ck_assert_uint_eq(gdt[LDE_BOOT_CS / 8], cpu_seg_desc(&cs));
	ck_assert_uint_eq(gdt[LDE_BOOT_DS / 8], cpu_seg_desc(&ds));
	ck_assert_uint_eq(gdt[1], 0x00af9b000000ffffull);
	ck_assert_msg(ram_filled(g, LDE_BOOT_GDT_GPA + 24, X86_PAGE_SIZE - 24),
		      "the GDT is 3 entries; the rest of its page is untouched");
}

/* PML4 and PDPTs for a RAM of npd GiB (rounded up): only the expected slots are set. */
static void assert_upper_tables(const struct gmem *g, unsigned npd)
{
	const uint64_t *pml4 = table_at(g, LDE_BOOT_PML4_GPA);
	const uint64_t *pdpt = table_at(g, LDE_BOOT_PDPT_GPA);
	const uint64_t *high = table_at(g, LDE_BOOT_PDPT_HIGH_GPA);

	ck_assert_uint_eq(pml4[0], LDE_BOOT_PDPT_GPA | PTE_FLAGS);
	ck_assert_uint_eq(va_index(LDE_BOOT_HIGH_ALIAS, 3), 511);
	ck_assert_uint_eq(pml4[511], LDE_BOOT_PDPT_HIGH_GPA | PTE_FLAGS);
	for (unsigned i = 1; i < 511; i++)
		ck_assert_msg(pml4[i] == 0, "PML4[%u] = 0x%llx", i, (unsigned long long)pml4[i]);
	for (unsigned i = 0; i < 512; i++) {
		uint64_t want = i < npd ? (LDE_BOOT_PD_GPA + i * X86_PAGE_SIZE) | PTE_FLAGS : 0;
		ck_assert_msg(pdpt[i] == want, "PDPT[%u] = 0x%llx, want 0x%llx", i,
			      (unsigned long long)pdpt[i], (unsigned long long)want);
	}
	ck_assert_uint_eq(high[510], LDE_BOOT_PD_GPA | PTE_FLAGS);
	ck_assert_uint_eq(high[511], npd > 1 ? (LDE_BOOT_PD_GPA + X86_PAGE_SIZE) | PTE_FLAGS : 0);
	for (unsigned i = 0; i < 510; i++)
		ck_assert_msg(high[i] == 0, "high PDPT[%u] = 0x%llx", i, (unsigned long long)high[i]);
}

/* Every 2 MiB of RAM has its PS entry, and the entry after the last is 0. */
static void assert_page_dirs(const struct gmem *g)
{
	const uint64_t *pd = gmem_ptr(g, LDE_BOOT_PD_GPA, LDE_BOOT_PD_MAX * X86_PAGE_SIZE);
	uint64_t n = g->size / X86_LARGE_PAGE_SIZE;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t want = i * X86_LARGE_PAGE_SIZE | PTE_FLAGS | X86_PTE_PS;
		ck_assert_msg(pd[i] == want, "PD entry %llu = 0x%llx, want 0x%llx",
			      (unsigned long long)i, (unsigned long long)pd[i],
			      (unsigned long long)want);
	}
	if (n < LDE_BOOT_PD_MAX * 512ull)
		ck_assert_msg(pd[n] == 0, "PD entry %llu after the last = 0x%llx",
			      (unsigned long long)n, (unsigned long long)pd[n]);
}

START_TEST(tables_64m)
{
	struct gmem g = ram_map(64 * MIB);

	ck_assert_int_eq(cpu_build_boot_tables(&g), 0);
	assert_gdt(&g);
	assert_upper_tables(&g, 1);
	assert_page_dirs(&g);
	ck_assert_msg(ram_filled(&g, LDE_BOOT_INFO_GPA, LOW_FILL - LDE_BOOT_INFO_GPA),
		      "nothing written from the boot info up");
	ck_assert_msg(ram_filled(&g, 0, LDE_BOOT_GDT_GPA), "page 0 untouched");
	ram_unmap(&g);
}
END_TEST

START_TEST(tables_3g)
{
	struct gmem g = ram_map(3 * GIB);

	ck_assert_int_eq(cpu_build_boot_tables(&g), 0);
	assert_gdt(&g);
	assert_upper_tables(&g, 3);
	assert_page_dirs(&g);
	ck_assert(ram_filled(&g, LDE_BOOT_INFO_GPA, LOW_FILL - LDE_BOOT_INFO_GPA));
	ram_unmap(&g);
}
END_TEST

START_TEST(tables_4m_minimum)
{
	struct gmem g = ram_map(4 * MIB);

	ck_assert_int_eq(cpu_build_boot_tables(&g), 0);
	assert_upper_tables(&g, 1);
	assert_page_dirs(&g);
	ram_unmap(&g);
}
END_TEST

START_TEST(tables_4g_maximum)
{
	struct gmem g = ram_map((uint64_t)LDE_BOOT_PD_MAX * GIB);

	ck_assert_int_eq(cpu_build_boot_tables(&g), 0);
	assert_upper_tables(&g, LDE_BOOT_PD_MAX);
	assert_page_dirs(&g);
	ck_assert_msg(ram_filled(&g, LDE_BOOT_INFO_GPA, LOW_FILL - LDE_BOOT_INFO_GPA),
		      "the last page directory ends at the boot info, which stays untouched");
	assert_walk(&g, LDE_BOOT_PD_MAX * GIB - 1, LDE_BOOT_PD_MAX * GIB - 1);
	ram_unmap(&g);
}
END_TEST

START_TEST(walk_64m)
{
	struct gmem g = ram_map(64 * MIB);

	ck_assert_int_eq(cpu_build_boot_tables(&g), 0);
	assert_walk(&g, 0x1234567, 0x1234567);
	assert_walk(&g, 0, 0);
	assert_walk(&g, 64 * MIB - 1, 64 * MIB - 1);
	assert_walk(&g, 64 * MIB, WALK_FAIL);
	assert_walk(&g, GIB, WALK_FAIL);
	assert_walk(&g, 0xffffffff80100000ull, 0x100000);
	assert_walk(&g, LDE_BOOT_HIGH_ALIAS + 0x1234567, 0x1234567);
	assert_walk(&g, LDE_BOOT_HIGH_ALIAS + 64 * MIB, WALK_FAIL);
	assert_walk(&g, 0xffffffffc0000000ull, WALK_FAIL);
	assert_walk(&g, 0x8000000000ull, WALK_FAIL); /* PML4[1] */
	assert_walk(&g, 0xffffff8000000000ull, WALK_FAIL); /* PML4[511], PDPT[0] */
	ram_unmap(&g);
}
END_TEST

START_TEST(walk_3g)
{
	struct gmem g = ram_map(3 * GIB);

	ck_assert_int_eq(cpu_build_boot_tables(&g), 0);
	assert_walk(&g, 0x1234567, 0x1234567);
	assert_walk(&g, 0x87654321, 0x87654321);
	assert_walk(&g, 3 * GIB - 1, 3 * GIB - 1);
	assert_walk(&g, 3 * GIB, WALK_FAIL);
	assert_walk(&g, 0xffffffff80100000ull, 0x100000);
	assert_walk(&g, 0xffffffffc0000000ull, GIB); /* alias slot 511: the second GiB */
	assert_walk(&g, 0xffffffffffffffffull, 2 * GIB - 1);
	assert_walk(&g, 0xffffffff7fffffffull, WALK_FAIL); /* just below the alias */
	ram_unmap(&g);
}
END_TEST

static void assert_refused(uint64_t size)
{
	struct gmem g = ram_map(size);
	uint64_t low = size < LOW_FILL ? size : LOW_FILL;

	ck_assert_msg(cpu_build_boot_tables(&g) == -1, "size 0x%llx accepted",
		      (unsigned long long)size);
	ck_assert_msg(ram_filled(&g, 0, low), "size 0x%llx: refused but wrote to RAM",
		      (unsigned long long)size);
	ram_unmap(&g);
}

START_TEST(tables_refused)
{
	assert_refused(64 * MIB + 4096);
	assert_refused(64 * MIB + MIB);
	assert_refused(3 * GIB + MIB);
	assert_refused((uint64_t)LDE_BOOT_PD_MAX * GIB + 2 * MIB);
	assert_refused(8 * GIB);
	assert_refused(0x8000); /* too small to hold the tables */
}
END_TEST

Suite *cpu_suite(void)
{
	Suite *s = suite_create("cpu");
	TCase *desc = tcase_create("seg_desc");
	TCase *tables = tcase_create("boot_tables");

	tcase_add_test(desc, seg_desc_boot_code);
	tcase_add_test(desc, seg_desc_boot_data);
	tcase_add_test(desc, seg_desc_fields);
	tcase_add_test(tables, tables_64m);
	tcase_add_test(tables, tables_3g);
	tcase_add_test(tables, tables_4m_minimum);
	tcase_add_test(tables, tables_4g_maximum);
	tcase_add_test(tables, walk_64m);
	tcase_add_test(tables, walk_3g);
	tcase_add_test(tables, tables_refused);
	suite_add_tcase(s, desc);
	suite_add_tcase(s, tables);
	return s;
}
