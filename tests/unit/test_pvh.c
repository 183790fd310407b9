/* tests/unit/test_pvh.c: hvm_start_info into lde_boot_info (guest/pvh_info.c), with the hypervisor's structures in a fake first megabyte. */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../abi/pvh.h"
#include "../../abi/x86.h"
#include "../../guest/pvh_info.h"
#include "suites.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define PHYS_SIZE MiB /* the fake physical memory holds [0, 1 MiB): the structures, no RAM */
#define SI_PA 0x6000ull
#define MEMMAP_PA 0x7000ull
#define MODLIST_PA 0x8000ull
#define CMDLINE_PA 0x9000ull
#define MODLINE_PA 0xa000ull
#define KSTART 0x100000ull
#define KEND 0x161234ull /* not page-aligned: the translation rounds it */
#define KEND_PAGE 0x162000ull
#define TOP (128 * MiB - 0x20000) /* the end of QEMU's RAM below the ACPI tables, -m 128M */

static _Alignas(16) uint8_t phys_mem[PHYS_SIZE];
static struct lde_boot_info bi;
static char warnings[4096];
static unsigned nwarn;

static const void *phys(uint64_t pa, uint64_t len)
{
	if (pa == 0 || len > PHYS_SIZE || pa > PHYS_SIZE - len)
		return NULL;
	return phys_mem + pa;
}

static void warn(const char *fmt, ...)
{
	size_t used = strlen(warnings);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(warnings + used, sizeof(warnings) - used, fmt, ap);
	va_end(ap);
	nwarn++;
}

static struct hvm_start_info *si(void)
{
	return (struct hvm_start_info *)(phys_mem + SI_PA);
}

static struct hvm_memmap_table_entry *mm(unsigned i)
{
	return (struct hvm_memmap_table_entry *)(phys_mem + MEMMAP_PA) + i;
}

static struct hvm_modlist_entry *mod(unsigned i)
{
	return (struct hvm_modlist_entry *)(phys_mem + MODLIST_PA) + i;
}

static void add_mm(uint64_t addr, uint64_t size, uint32_t type)
{
	*mm(si()->memmap_entries++) =
		(struct hvm_memmap_table_entry){ .addr = addr, .size = size, .type = type };
}

static void add_mod(uint64_t paddr, uint64_t size)
{
	*mod(si()->nr_modules++) = (struct hvm_modlist_entry){ .paddr = paddr, .size = size };
}

/* The start_info QEMU's PVH option ROM writes for -m 128M with -append "selftest=all". */
static void setup(void)
{
	memset(phys_mem, 0, sizeof(phys_mem));
	memset(&bi, 0xa5, sizeof(bi));
	warnings[0] = '\0';
	nwarn = 0;
	*si() = (struct hvm_start_info){
		.magic = XEN_HVM_START_MAGIC_VALUE, .version = 1, .modlist_paddr = MODLIST_PA,
		.cmdline_paddr = CMDLINE_PA, .memmap_paddr = MEMMAP_PA,
	};
	strcpy((char *)phys_mem + CMDLINE_PA, "selftest=all");
	add_mm(0, 0x9fc00, XEN_HVM_MEMMAP_TYPE_RAM);
	add_mm(0x9fc00, 0x400, XEN_HVM_MEMMAP_TYPE_RESERVED);
	add_mm(0xf0000, 0x10000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	add_mm(MiB, TOP - MiB, XEN_HVM_MEMMAP_TYPE_RAM);
	add_mm(TOP, 128 * MiB - TOP, XEN_HVM_MEMMAP_TYPE_RESERVED);
	add_mm(0xfeffc000, 0x4000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	add_mm(0xfffc0000, 0x40000, XEN_HVM_MEMMAP_TYPE_RESERVED);
}

static const char *translate(void)
{
	return pvh_info_translate(SI_PA, phys, KSTART, KEND, &bi, warn);
}

/* Bytes of RAM in the result; and no region of it overlaps another region of any kind. */
static uint64_t check_map(void)
{
	uint64_t ram = 0;

	ck_assert_uint_le(bi.memmap_count, LDE_MEMMAP_MAX);
	for (unsigned i = 0; i < bi.memmap_count; i++) {
		const struct lde_mem_region *a = &bi.memmap[i];

		ck_assert_uint_gt(a->len, 0);
		if (a->type == LDE_MEM_RAM) {
			ram += a->len;
			ck_assert_uint_eq(a->start % X86_PAGE_SIZE, 0);
			ck_assert_uint_eq(a->len % X86_PAGE_SIZE, 0);
			ck_assert_uint_ge(a->start, MiB);
			ck_assert_uint_le(a->start + a->len, PVH_RAM_LIMIT);
			ck_assert_uint_le(a->start + a->len, bi.mem_size);
		}
		for (unsigned j = 0; j < i; j++) {
			const struct lde_mem_region *b = &bi.memmap[j];
			ck_assert_msg(a->start >= b->start + b->len || b->start >= a->start + a->len,
				      "regions %u and %u overlap", j, i);
		}
	}
	return ram;
}

static const struct lde_mem_region *region(unsigned i)
{
	ck_assert_uint_lt(i, bi.memmap_count);
	return &bi.memmap[i];
}

START_TEST(qemu_layout)
{
	add_mod(TOP - 0x10000, 0x1234);
	ck_assert_ptr_null(translate());
	ck_assert_uint_eq(nwarn, 0);
	ck_assert_uint_eq(bi.magic, LDE_BOOT_MAGIC);
	ck_assert_uint_eq(bi.abi_version, LDE_ABI_VERSION);
	ck_assert_str_eq(bi.cmdline, "selftest=all");
	ck_assert_uint_eq(bi.platform, 0);
	ck_assert_uint_eq(bi.tsc_khz, 0);
	ck_assert_uint_eq(bi.flags, 0);
	ck_assert_uint_eq(bi.mem_size, TOP);
	ck_assert_uint_eq(bi.kernel_start, KSTART);
	ck_assert_uint_eq(bi.kernel_end, KEND_PAGE);
	ck_assert_uint_eq(bi.module_count, 1);
	ck_assert_uint_eq(bi.modules[0].start, TOP - 0x10000);
	ck_assert_uint_eq(bi.modules[0].len, 0x1234);
	ck_assert_uint_eq(bi.modules[0].args_len, 0);
	ck_assert_str_eq(bi.modules[0].name, "module0");
	/* Low memory reserved, RAM around the module, the image, the module's pages. */
	ck_assert_uint_eq(bi.memmap_count, 5);
	ck_assert_uint_eq(region(0)->type, LDE_MEM_RESERVED);
	ck_assert_uint_eq(region(0)->start + region(0)->len, MiB);
	ck_assert_uint_eq(region(1)->type, LDE_MEM_RAM);
	ck_assert_uint_eq(region(1)->start, KEND_PAGE);
	ck_assert_uint_eq(region(1)->start + region(1)->len, TOP - 0x10000);
	ck_assert_uint_eq(region(2)->type, LDE_MEM_RAM);
	ck_assert_uint_eq(region(2)->start, TOP - 0x10000 + 0x2000);
	ck_assert_uint_eq(region(2)->start + region(2)->len, TOP);
	ck_assert_uint_eq(region(3)->type, LDE_MEM_KERNEL);
	ck_assert_uint_eq(region(4)->type, LDE_MEM_MODULE);
	ck_assert_uint_eq(region(4)->len, 0x2000);
	ck_assert_uint_eq(check_map(), TOP - KEND_PAGE - 0x2000);
}
END_TEST

START_TEST(refused_start_info)
{
	ck_assert_ptr_nonnull(pvh_info_translate(PHYS_SIZE - 8, phys, KSTART, KEND, &bi, warn));
	si()->magic ^= 1;
	ck_assert_ptr_nonnull(strstr(translate(), "magic"));
	si()->magic ^= 1;
	si()->version = 0; /* no memory map in version 0 */
	ck_assert_ptr_nonnull(strstr(translate(), "no memory map"));
	si()->version = 1;
	si()->memmap_entries = 0;
	ck_assert_ptr_nonnull(strstr(translate(), "no memory map"));
	si()->memmap_entries = 7;
	si()->memmap_paddr = PHYS_SIZE - 24;
	ck_assert_ptr_nonnull(strstr(translate(), "memory map lies outside"));
}
END_TEST

START_TEST(no_ram_above_1m)
{
	si()->memmap_entries = 3; /* only the entries below 1 MiB */
	ck_assert_ptr_nonnull(strstr(translate(), "no free RAM"));
}
END_TEST

START_TEST(bad_modules_skipped)
{
	add_mod(TOP - 0x10000, 0x1800);          /* 0: good */
	add_mod(TOP - 0x10000 + 0x1000, 0x1000); /* 1: overlaps 0's second page */
	add_mod(0x200001, 0x100);                /* 2: not page-aligned */
	add_mod(0x300000, 0);                    /* 3: empty */
	add_mod(UINT64_MAX - 0xfff, 0x2000);     /* 4: wraps */
	add_mod(TOP - 0x1000, 0x2000);           /* 5: runs past RAM */
	add_mod(0x160000, 0x1000);               /* 6: inside the kernel */
	add_mod(5 * GiB, 0x1000);                /* 7: above 4 GiB */
	add_mod(0x400000, 0x1000);               /* 8: good */
	ck_assert_ptr_null(translate());
	ck_assert_uint_eq(bi.module_count, 2);
	ck_assert_uint_eq(bi.modules[0].start, TOP - 0x10000);
	ck_assert_uint_eq(bi.modules[1].start, 0x400000);
	ck_assert_str_eq(bi.modules[1].name, "module8");
	ck_assert_uint_eq(nwarn, 7);
	ck_assert_ptr_nonnull(strstr(warnings, "module 1 at"));
	ck_assert_ptr_nonnull(strstr(warnings, "overlaps another module"));
	ck_assert_ptr_nonnull(strstr(warnings, "overlaps the kernel image"));
	ck_assert_ptr_nonnull(strstr(warnings, "does not lie in RAM"));
	check_map();
}
END_TEST

START_TEST(too_many_modules)
{
	for (unsigned i = 0; i < LDE_MODULES_MAX + 3; i++)
		add_mod(0x400000 + i * 0x10000ull, 0x100);
	ck_assert_ptr_null(translate());
	ck_assert_uint_eq(bi.module_count, LDE_MODULES_MAX);
	ck_assert_ptr_nonnull(strstr(warnings, "only the first 16"));
	check_map();
}
END_TEST

START_TEST(module_names)
{
	add_mod(0x400000, 0x100);
	mod(0)->cmdline_paddr = MODLINE_PA;
	strcpy((char *)phys_mem + MODLINE_PA, "/boot/tasks/hello.elf an argument");
	add_mod(0x500000, 0x100);
	mod(1)->cmdline_paddr = MODLINE_PA + 0x100;
	memset(phys_mem + MODLINE_PA + 0x100, 'x', 100); /* longer than a name holds */
	add_mod(0x600000, 0x100);
	mod(2)->cmdline_paddr = PHYS_SIZE + 0x1000; /* unreadable: the default name */
	ck_assert_ptr_null(translate());
	ck_assert_uint_eq(bi.module_count, 3);
	ck_assert_str_eq(bi.modules[0].name, "hello.elf");
	ck_assert_uint_eq(strlen(bi.modules[1].name), sizeof(bi.modules[1].name) - 1);
	ck_assert_str_eq(bi.modules[2].name, "module2");
}
END_TEST

START_TEST(overlapping_ram_counts_once)
{
	add_mm(64 * MiB, 32 * MiB, XEN_HVM_MEMMAP_TYPE_RAM);  /* inside the big entry */
	add_mm(TOP - MiB, MiB + 0x10000, XEN_HVM_MEMMAP_TYPE_RAM); /* into the reserved range */
	add_mm(32 * MiB, MiB, XEN_HVM_MEMMAP_TYPE_ACPI);      /* a hole inside RAM */
	ck_assert_ptr_null(translate());
	ck_assert_uint_eq(check_map(), TOP - KEND_PAGE - MiB);
	ck_assert_uint_eq(bi.mem_size, TOP);
}
END_TEST

START_TEST(ram_above_4g_and_wrapping_entries)
{
	add_mm(4 * GiB, 4 * GiB, XEN_HVM_MEMMAP_TYPE_RAM);
	add_mm(3 * GiB, 2 * GiB, XEN_HVM_MEMMAP_TYPE_RAM);
	add_mm(UINT64_MAX - 0xfff, 0x2000, XEN_HVM_MEMMAP_TYPE_RAM);
	ck_assert_ptr_null(translate());
	ck_assert_uint_eq(nwarn, 1);
	ck_assert_ptr_nonnull(strstr(warnings, "wraps around"));
	ck_assert_uint_eq(bi.mem_size, PVH_RAM_LIMIT - 0x40000); /* less the BIOS at the top */
	/* [3 GiB, 4 GiB) less the two BIOS ranges QEMU reserves up there. */
	ck_assert_uint_eq(check_map(), (TOP - KEND_PAGE) + (GiB - 0x4000 - 0x40000));
}
END_TEST

START_TEST(fragmented_map)
{
	/* 60 holes in the RAM: more pieces than the boot information has regions for. */
	for (unsigned i = 0; i < 60; i++)
		add_mm(2 * MiB + i * MiB, 0x1000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	ck_assert_ptr_null(translate());
	ck_assert_uint_eq(bi.memmap_count, LDE_MEMMAP_MAX);
	ck_assert_ptr_nonnull(strstr(warnings, "pieces of RAM left unused"));
	check_map();
}
END_TEST

START_TEST(long_cmdline_cut)
{
	memset(phys_mem + CMDLINE_PA, 'a', 2 * LDE_CMDLINE_MAX);
	ck_assert_ptr_null(translate());
	ck_assert_uint_eq(strlen(bi.cmdline), LDE_CMDLINE_MAX - 1);
	ck_assert_ptr_nonnull(strstr(warnings, "command line"));
	si()->cmdline_paddr = 0; /* none: an empty line, no warning */
	warnings[0] = '\0';
	ck_assert_ptr_null(translate());
	ck_assert_str_eq(bi.cmdline, "");
	ck_assert_str_eq(warnings, "");
}
END_TEST

/* Tables at odd addresses (nothing in the ABI forbids them) read as the aligned ones do. */
START_TEST(misaligned_tables)
{
	add_mod(0x400000, 0x100);
	memmove(phys_mem + MEMMAP_PA + 3, phys_mem + MEMMAP_PA, 7 * sizeof(*mm(0)));
	si()->memmap_paddr = MEMMAP_PA + 3;
	memmove(phys_mem + MODLIST_PA + 5, phys_mem + MODLIST_PA, sizeof(*mod(0)));
	si()->modlist_paddr = MODLIST_PA + 5;
	memmove(phys_mem + SI_PA + 1, phys_mem + SI_PA, sizeof(*si()));
	ck_assert_ptr_null(pvh_info_translate(SI_PA + 1, phys, KSTART, KEND, &bi, warn));
	ck_assert_uint_eq(bi.module_count, 1);
	ck_assert_uint_eq(bi.modules[0].start, 0x400000);
	ck_assert_uint_eq(bi.mem_size, TOP);
	ck_assert_uint_eq(check_map(), TOP - KEND_PAGE - 0x1000);
}
END_TEST

START_TEST(huge_entry_counts)
{
	si()->memmap_entries = 1u << 31; /* read no further than PVH_MEMMAP_READ_MAX */
	ck_assert_ptr_null(translate());
	ck_assert_ptr_nonnull(strstr(warnings, "only the first 128 are read"));
	si()->memmap_entries = 7;
	si()->nr_modules = UINT32_MAX;
	ck_assert_ptr_null(translate());
	ck_assert_ptr_nonnull(strstr(warnings, "only the first 16"));
	check_map();
}
END_TEST

Suite *pvh_suite(void)
{
	Suite *s = suite_create("pvh");
	TCase *t = tcase_create("translate");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, qemu_layout);
	tcase_add_test(t, refused_start_info);
	tcase_add_test(t, no_ram_above_1m);
	tcase_add_test(t, bad_modules_skipped);
	tcase_add_test(t, too_many_modules);
	tcase_add_test(t, module_names);
	tcase_add_test(t, overlapping_ram_counts_once);
	tcase_add_test(t, ram_above_4g_and_wrapping_entries);
	tcase_add_test(t, fragmented_map);
	tcase_add_test(t, long_cmdline_cut);
	tcase_add_test(t, misaligned_tables);
	tcase_add_test(t, huge_entry_counts);
	suite_add_tcase(s, t);
	return s;
}
