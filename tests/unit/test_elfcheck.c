/* tests/unit/test_elfcheck.c: the kernel's task-image checks (guest/elfcheck.c), against ELF64 images built in memory. */
#include <check.h>
#include <elf.h>
#include <stdint.h>
#include <string.h>

#include "../../guest/elfcheck.h"
#include "../../guest/memlayout.h"
#include "elf_build.h"
#include "suites.h"

#define UMIN USER_MIN        /* 0x10000 */
#define UMAX USER_IMAGE_MAX  /* page-aligned, far below USER_TOP */
#define IMG_CAP 0x6000u
#define PHOFF sizeof(Elf64_Ehdr)

/* Typical stock-gcc static layout: headers page, text, rodata, data+bss, and two non-loads. */
#define HDR_VA 0x400000ull
#define TEXT_VA 0x401000ull
#define TEXT_OFF 0x1000u
#define TEXT_SZ 0x180u
#define RO_VA 0x402000ull
#define RO_OFF 0x2000u
#define RO_SZ 0x90u
#define DATA_VA 0x403000ull
#define DATA_OFF 0x3000u
#define DATA_FSZ 0x20u
#define DATA_MSZ 0x1040u /* .data then .bss into the next page */
#define ENTRY (TEXT_VA + 0x10)
#define TYPICAL_NPH 6u
#define TYPICAL_LEN (DATA_OFF + DATA_FSZ) /* the data segment's bytes end the file */

static struct {
	_Alignas(16) uint8_t b[IMG_CAP];
	uint64_t len;
} im;
static struct elf_task_image out;

static Elf64_Ehdr *eh(void)
{
	return (Elf64_Ehdr *)im.b;
}

static Elf64_Phdr *ph(unsigned i)
{
	return (Elf64_Phdr *)(im.b + eh()->e_phoff) + i;
}

/* An ET_EXEC header with nph program headers at PHOFF, all PT_NULL; file length len. */
static void build(unsigned nph, uint64_t entry, uint64_t len)
{
	Elf64_Ehdr *e = eh();

	memset(&im, 0, sizeof(im));
	elf_build_ehdr(e, nph, entry, PHOFF);
	im.len = len;
}

static void load_seg(unsigned i, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz,
		     uint64_t memsz)
{
	*ph(i) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = flags, .p_offset = off,
			       .p_vaddr = va, .p_paddr = va, .p_filesz = filesz,
			       .p_memsz = memsz, .p_align = 0x1000 };
}

static void build_typical(void)
{
	uint64_t hdr_sz = PHOFF + TYPICAL_NPH * sizeof(Elf64_Phdr);

	build(TYPICAL_NPH, ENTRY, TYPICAL_LEN);
	load_seg(0, PF_R, 0, HDR_VA, hdr_sz, hdr_sz);
	load_seg(1, PF_R | PF_X, TEXT_OFF, TEXT_VA, TEXT_SZ, TEXT_SZ);
	load_seg(2, PF_R, RO_OFF, RO_VA, RO_SZ, RO_SZ);
	load_seg(3, PF_R | PF_W, DATA_OFF, DATA_VA, DATA_FSZ, DATA_MSZ);
	*ph(4) = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x1c8,
			       .p_vaddr = HDR_VA + 0x1c8, .p_filesz = 0x30, .p_memsz = 0x30,
			       .p_align = 8 };
	*ph(5) = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W, .p_align = 16 };
	for (unsigned i = TEXT_OFF; i < TYPICAL_LEN; i++)
		im.b[i] = (uint8_t)(i * 13 + 5);
}

/* One R+X PT_LOAD of len bytes at va (file offset va % 4096 + 0x1000), entry at its start. */
static void build_one(uint64_t va, uint64_t len)
{
	uint64_t off = 0x1000 + va % 0x1000;

	build(1, va, off + len);
	load_seg(0, PF_R | PF_X, off, va, len, len);
}

static const char *check(void)
{
	memset(&out, 0x5a, sizeof(out));
	return elfcheck_task(im.b, im.len, UMIN, UMAX, &out);
}

static void assert_ok(unsigned nseg)
{
	const char *why = check();

	ck_assert_msg(why == NULL, "valid image refused: %s (bad %d)", why, out.bad);
	ck_assert_uint_eq(out.nseg, nseg);
	ck_assert_int_eq(out.bad, -1);
	ck_assert_uint_eq(out.entry, eh()->e_entry);
}

/* Refused with a reason containing want, blaming program header bad (-1: none). */
static void assert_refused(const char *want, int bad)
{
	const char *why = check();

	ck_assert_msg(why != NULL, "image accepted; wanted a refusal naming '%s'", want);
	ck_assert_msg(strstr(why, want) != NULL, "reason '%s' lacks '%s'", why, want);
	ck_assert_int_eq(out.bad, bad);
}

static void assert_seg(unsigned i, uint64_t va, uint64_t memsz, uint64_t off, uint64_t filesz,
		       uint32_t flags)
{
	ck_assert_uint_eq(out.seg[i].vaddr, va);
	ck_assert_uint_eq(out.seg[i].memsz, memsz);
	ck_assert_uint_eq(out.seg[i].offset, off);
	ck_assert_uint_eq(out.seg[i].filesz, filesz);
	ck_assert_uint_eq(out.seg[i].flags, flags);
}

/* ---- valid images ---- */

START_TEST(valid_typical)
{
	uint64_t hdr_sz = PHOFF + TYPICAL_NPH * sizeof(Elf64_Phdr);

	build_typical();
	assert_ok(4);
	ck_assert_uint_eq(out.entry, ENTRY);
	assert_seg(0, HDR_VA, hdr_sz, 0, hdr_sz, PF_R);
	assert_seg(1, TEXT_VA, TEXT_SZ, TEXT_OFF, TEXT_SZ, PF_R | PF_X);
	assert_seg(2, RO_VA, RO_SZ, RO_OFF, RO_SZ, PF_R);
	assert_seg(3, DATA_VA, DATA_MSZ, DATA_OFF, DATA_FSZ, PF_R | PF_W);
}
END_TEST

START_TEST(valid_osabi_gnu)
{
	build_typical();
	eh()->e_ident[EI_OSABI] = ELFOSABI_GNU;
	assert_ok(4);
}
END_TEST

START_TEST(valid_max_phdrs)
{
	build_typical();
	eh()->e_phnum = ELF_TASK_MAX_PHDRS; /* the extra headers are PT_NULL (zeroed) */
	assert_ok(4);
}
END_TEST

START_TEST(valid_phdrs_end_file)
{
	uint64_t at = 0x3020, size = TYPICAL_NPH * sizeof(Elf64_Phdr);

	build_typical();
	memcpy(im.b + at, ph(0), size);
	eh()->e_phoff = at;
	im.len = at + size; /* the table's last byte is the file's last byte */
	assert_ok(4);
	im.len--;
	assert_refused("program headers lie outside the file", -1);
}
END_TEST

START_TEST(valid_at_user_bounds)
{
	build_one(UMIN, 0x100); /* starts at user_min */
	assert_ok(1);
	build_one(UMAX - 0x1000, 0x1000); /* ends exactly at user_max */
	assert_ok(1);
	ck_assert_uint_eq(out.seg[0].vaddr + out.seg[0].memsz, UMAX);
}
END_TEST

START_TEST(valid_adjacent_pages)
{
	build_typical();
	ph(1)->p_memsz = 0x1000; /* text fills its page; rodata starts on the next */
	ph(1)->p_filesz = 0x1000;
	assert_ok(4);
}
END_TEST

START_TEST(valid_entry_last_byte)
{
	build_typical();
	eh()->e_entry = TEXT_VA + TEXT_SZ - 1;
	assert_ok(4);
	eh()->e_entry = TEXT_VA;
	assert_ok(4);
}
END_TEST

START_TEST(valid_zero_memsz_load_skipped)
{
	build_typical();
	/* Empty PT_LOAD at vaddr 0, W+X, misaligned: every check would refuse it were it read. */
	*ph(5) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X, .p_offset = 0x123 };
	assert_ok(4);
}
END_TEST

START_TEST(valid_max_segments)
{
	build(ELF_TASK_MAX_SEGMENTS, HDR_VA, 0x1000);
	for (unsigned i = 0; i < ELF_TASK_MAX_SEGMENTS; i++)
		load_seg(i, i == 0 ? PF_R | PF_X : PF_R, 0, HDR_VA + i * 0x1000ull, 0x100, 0x1000);
	assert_ok(ELF_TASK_MAX_SEGMENTS);
}
END_TEST

/* ---- the header ---- */

START_TEST(refuse_short)
{
	build_typical();
	im.len = sizeof(Elf64_Ehdr) - 1;
	assert_refused("too short", -1);
	im.len = 0;
	assert_refused("too short", -1);
}
END_TEST

START_TEST(refuse_magic)
{
	for (unsigned i = 0; i < SELFMAG; i++) {
		build_typical();
		im.b[i] ^= 0x20;
		assert_refused("not an ELF file", -1);
	}
}
END_TEST

START_TEST(refuse_class32)
{
	build_typical();
	eh()->e_ident[EI_CLASS] = ELFCLASS32;
	assert_refused("64-bit", -1);
	eh()->e_ident[EI_CLASS] = ELFCLASSNONE;
	assert_refused("64-bit", -1);
}
END_TEST

START_TEST(refuse_big_endian)
{
	build_typical();
	eh()->e_ident[EI_DATA] = ELFDATA2MSB;
	assert_refused("little-endian", -1);
}
END_TEST

START_TEST(refuse_ident_version)
{
	build_typical();
	eh()->e_ident[EI_VERSION] = EV_NONE;
	assert_refused("version", -1);
}
END_TEST

START_TEST(refuse_e_version)
{
	build_typical();
	eh()->e_version = EV_NONE;
	assert_refused("version", -1);
	eh()->e_version = 2;
	assert_refused("version", -1);
}
END_TEST

START_TEST(refuse_osabi)
{
	build_typical();
	eh()->e_ident[EI_OSABI] = ELFOSABI_ARM; /* 97 */
	assert_refused("OS ABI", -1);
	eh()->e_ident[EI_OSABI] = ELFOSABI_FREEBSD;
	assert_refused("OS ABI", -1);
}
END_TEST

START_TEST(refuse_et_dyn)
{
	build_typical();
	eh()->e_type = ET_DYN;
	assert_refused("ET_EXEC", -1);
}
END_TEST

START_TEST(refuse_et_rel)
{
	build_typical();
	eh()->e_type = ET_REL;
	assert_refused("ET_EXEC", -1);
	eh()->e_type = ET_CORE;
	assert_refused("ET_EXEC", -1);
}
END_TEST

START_TEST(refuse_machine)
{
	build_typical();
	eh()->e_machine = EM_386;
	assert_refused("x86-64", -1);
	eh()->e_machine = EM_AARCH64;
	assert_refused("x86-64", -1);
}
END_TEST

START_TEST(refuse_header_sizes)
{
	build_typical();
	eh()->e_ehsize = sizeof(Elf32_Ehdr);
	assert_refused("header sizes", -1);
	build_typical();
	eh()->e_ehsize = sizeof(Elf64_Ehdr) + 8;
	assert_refused("header sizes", -1);
	build_typical();
	eh()->e_phentsize = sizeof(Elf32_Phdr);
	assert_refused("header sizes", -1);
	build_typical();
	eh()->e_phentsize = sizeof(Elf64_Phdr) + 8;
	assert_refused("header sizes", -1);
}
END_TEST

START_TEST(refuse_phnum_zero)
{
	build_typical();
	eh()->e_phnum = 0;
	assert_refused("program headers", -1);
}
END_TEST

START_TEST(refuse_phnum_too_many)
{
	build_typical();
	eh()->e_phnum = ELF_TASK_MAX_PHDRS + 1;
	assert_refused("too many", -1);
	eh()->e_phnum = 0xffff; /* PN_XNUM: the real count would be in section 0 */
	assert_refused("too many", -1);
}
END_TEST

START_TEST(refuse_phoff_past_end)
{
	build_typical();
	eh()->e_phoff = im.len; /* aligned, but the table starts at the end */
	assert_refused("outside the file", -1);
	eh()->e_phoff = 0x10000;
	assert_refused("outside the file", -1);
	eh()->e_phoff = im.len - 8; /* starts inside, runs past */
	assert_refused("outside the file", -1);
}
END_TEST

START_TEST(refuse_phoff_misaligned)
{
	build_typical();
	eh()->e_phoff = 65;
	assert_refused("outside the file", -1);
	eh()->e_phoff = 68;
	assert_refused("outside the file", -1);
}
END_TEST

START_TEST(refuse_phoff_wrap)
{
	build_typical();
	eh()->e_phoff = UINT64_MAX - 7; /* 8-aligned; + 6 * 56 wraps to 0x148 */
	assert_refused("outside the file", -1);
	eh()->e_phoff = (uint64_t)0 - 2 * sizeof(Elf64_Phdr); /* + phnum * 56 wraps past 0 */
	assert_refused("outside the file", -1);
}
END_TEST

/* ---- program headers ---- */

START_TEST(refuse_interp)
{
	build_typical();
	*ph(4) = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = 0x1c8,
			       .p_vaddr = HDR_VA + 0x1c8, .p_filesz = 0x1c, .p_memsz = 0x1c };
	assert_refused("dynamically linked", 4);
}
END_TEST

START_TEST(refuse_dynamic)
{
	build_typical();
	ph(5)->p_type = PT_DYNAMIC;
	assert_refused("dynamically linked", 5);
}
END_TEST

/* A TLS template (glibc's static programs have one): the C library sets it up itself. */
START_TEST(valid_tls)
{
	build_typical();
	ph(4)->p_type = PT_TLS;
	assert_ok(4);
}
END_TEST

START_TEST(refuse_filesz_gt_memsz)
{
	build_typical();
	ph(2)->p_filesz = ph(2)->p_memsz + 1;
	assert_refused("file size exceeds", 2);
}
END_TEST

START_TEST(refuse_past_file)
{
	build_typical();
	ph(3)->p_filesz = DATA_FSZ + 1; /* one byte past TYPICAL_LEN */
	assert_refused("outside the file", 3);
	build_typical();
	ph(2)->p_offset = 0x4000; /* starts past the end of the file */
	ph(2)->p_vaddr = 0x406000; /* its own page, vaddr % 4096 == offset % 4096 */
	assert_refused("outside the file", 2);
}
END_TEST

START_TEST(refuse_offset_wrap)
{
	build_typical();
	ph(2)->p_offset = UINT64_MAX - 0xfff; /* + filesz wraps */
	assert_refused("outside the file", 2);
	build_typical();
	ph(3)->p_filesz = UINT64_MAX - DATA_OFF + 1; /* offset + filesz == 2^64 */
	ph(3)->p_memsz = UINT64_MAX;
	assert_refused("outside the file", 3);
}
END_TEST

START_TEST(refuse_below_user_min)
{
	build_typical();
	ph(1)->p_vaddr = 0x1000; /* offset 0x1000: still congruent */
	eh()->e_entry = 0x1010;
	assert_refused("outside user space", 1);
	build_one(UMIN - 0x1000, 0x1000); /* ends exactly at user_min */
	assert_refused("outside user space", 0);
	build_one(0, 0x100);
	assert_refused("outside user space", 0);
}
END_TEST

START_TEST(refuse_beyond_user_max)
{
	build_one(UMAX - 0x1000, 0x1001);
	assert_refused("outside user space", 0);
	build_one(UMAX, 1);
	assert_refused("outside user space", 0);
	build_one(USER_TOP - 0x1000, 0x100);
	assert_refused("outside user space", 0);
	build_one(0xffffffff80000000ull, 0x100); /* the kernel's image */
	assert_refused("outside user space", 0);
}
END_TEST

START_TEST(refuse_vaddr_wrap)
{
	build_typical();
	ph(3)->p_memsz = (uint64_t)0 - DATA_VA; /* vaddr + memsz == 2^64 == 0 */
	assert_refused("outside user space", 3);
	build_typical();
	ph(3)->p_memsz = UINT64_MAX;
	assert_refused("outside user space", 3);
}
END_TEST

START_TEST(refuse_wx)
{
	build_typical();
	ph(3)->p_flags = PF_R | PF_W | PF_X;
	assert_refused("W^X", 3);
	build_typical();
	ph(1)->p_flags = PF_W | PF_X;
	assert_refused("W^X", 1);
}
END_TEST

START_TEST(refuse_misaligned_offset)
{
	build_typical();
	ph(1)->p_offset = TEXT_OFF + 0x10; /* vaddr % 4096 == 0, offset % 4096 == 0x10 */
	assert_refused("page-aligned", 1);
	build_typical();
	ph(2)->p_vaddr = RO_VA + 0x800;
	assert_refused("page-aligned", 2);
}
END_TEST

START_TEST(refuse_shared_page)
{
	build_typical();
	ph(1)->p_filesz = ph(1)->p_memsz = 0x800;  /* 0x401000 .. 0x401800 */
	ph(2)->p_vaddr = TEXT_VA + 0x800;         /* 0x401800 .. */
	ph(2)->p_offset = TEXT_OFF + 0x800;
	assert_refused("share a page", 2);
}
END_TEST

START_TEST(refuse_shared_page_earlier)
{
	build_typical();
	ph(3)->p_vaddr = HDR_VA + 0x1000 * 0x10; /* far away: fine */
	ph(3)->p_memsz = ph(3)->p_filesz;
	assert_ok(4);
	ph(3)->p_vaddr = HDR_VA; /* onto the headers' page, listed after it */
	assert_refused("share a page", 3);
	build_typical();
	ph(1)->p_memsz = 0x1001; /* text's last byte on rodata's first page */
	assert_refused("share a page", 2);
}
END_TEST

START_TEST(refuse_too_many_segments)
{
	unsigned n = ELF_TASK_MAX_SEGMENTS + 1;

	build(n, HDR_VA, 0x1000);
	for (unsigned i = 0; i < n; i++)
		load_seg(i, i == 0 ? PF_R | PF_X : PF_R, 0, HDR_VA + i * 0x1000ull, 0x100, 0x1000);
	assert_refused("too many loadable segments", (int)ELF_TASK_MAX_SEGMENTS);
}
END_TEST

START_TEST(refuse_entry_outside)
{
	build_typical();
	eh()->e_entry = 0x500000;
	assert_refused("entry point", -1);
	eh()->e_entry = 0;
	assert_refused("entry point", -1);
	eh()->e_entry = TEXT_VA + TEXT_SZ; /* one past text's last byte */
	assert_refused("entry point", -1);
	eh()->e_entry = TEXT_VA - 1;
	assert_refused("entry point", -1);
}
END_TEST

START_TEST(refuse_entry_not_executable)
{
	build_typical();
	eh()->e_entry = RO_VA + 0x10;
	assert_refused("entry point", -1);
	eh()->e_entry = DATA_VA + DATA_FSZ + 0x100; /* in data's bss */
	assert_refused("entry point", -1);
	eh()->e_entry = HDR_VA;
	assert_refused("entry point", -1);
}
END_TEST

START_TEST(refuse_no_load)
{
	build_typical();
	for (unsigned i = 0; i < 4; i++)
		ph(i)->p_type = PT_NULL;
	assert_refused("no loadable segments", -1);
	build_typical();
	for (unsigned i = 0; i < 4; i++)
		ph(i)->p_memsz = ph(i)->p_filesz = 0; /* PT_LOADs, all empty */
	assert_refused("no loadable segments", -1);
}
END_TEST

/* elfcheck_pages: every page of each segment, and page tables above them. */
START_TEST(pages_small_image)
{
	struct elf_task_image img = { .nseg = 2 };

	img.seg[0] = (struct elf_segment){ .vaddr = 0x401000, .memsz = 0x1000 };
	img.seg[1] = (struct elf_segment){ .vaddr = 0x403ff0, .memsz = 0x20 }; /* two pages */
	/* 1 + 2 pages, and at most 2 PTs + 2 PDs + 2 PDPTs for each segment. */
	ck_assert_uint_ge(elfcheck_pages(&img), 3);
	ck_assert_uint_le(elfcheck_pages(&img), 3 + 2 * 6);
}
END_TEST

/* A terabyte of bss: the count is exact enough to refuse it, and does not wrap. */
START_TEST(pages_terabyte)
{
	struct elf_task_image img = { .nseg = 1 };

	img.seg[0] = (struct elf_segment){ .vaddr = 0x403000, .memsz = 1ull << 40 };
	ck_assert_uint_ge(elfcheck_pages(&img), (1ull << 40) / 4096);
	ck_assert_uint_le(elfcheck_pages(&img), (1ull << 40) / 4096 * 2);
}
END_TEST

/* The largest image a check lets through, up to the top of the user image area. */
START_TEST(pages_largest_image)
{
	struct elf_task_image img = { .nseg = 1 };

	img.seg[0] = (struct elf_segment){ .vaddr = UMIN, .memsz = UMAX - UMIN };
	ck_assert_uint_ge(elfcheck_pages(&img), (UMAX - UMIN) / 4096);
	ck_assert_uint_lt(elfcheck_pages(&img), (UMAX - UMIN) / 4096 * 2);
}
END_TEST

Suite *elfcheck_suite(void)
{
	Suite *s = suite_create("elfcheck");
	TCase *v = tcase_create("valid");
	TCase *h = tcase_create("header");
	TCase *p = tcase_create("phdrs");

	tcase_add_test(v, valid_typical);
	tcase_add_test(v, valid_osabi_gnu);
	tcase_add_test(v, valid_max_phdrs);
	tcase_add_test(v, valid_phdrs_end_file);
	tcase_add_test(v, valid_at_user_bounds);
	tcase_add_test(v, valid_adjacent_pages);
	tcase_add_test(v, valid_entry_last_byte);
	tcase_add_test(v, valid_zero_memsz_load_skipped);
	tcase_add_test(v, valid_max_segments);
	tcase_add_test(h, refuse_short);
	tcase_add_test(h, refuse_magic);
	tcase_add_test(h, refuse_class32);
	tcase_add_test(h, refuse_big_endian);
	tcase_add_test(h, refuse_ident_version);
	tcase_add_test(h, refuse_e_version);
	tcase_add_test(h, refuse_osabi);
	tcase_add_test(h, refuse_et_dyn);
	tcase_add_test(h, refuse_et_rel);
	tcase_add_test(h, refuse_machine);
	tcase_add_test(h, refuse_header_sizes);
	tcase_add_test(h, refuse_phnum_zero);
	tcase_add_test(h, refuse_phnum_too_many);
	tcase_add_test(h, refuse_phoff_past_end);
	tcase_add_test(h, refuse_phoff_misaligned);
	tcase_add_test(h, refuse_phoff_wrap);
	tcase_add_test(p, refuse_interp);
	tcase_add_test(p, refuse_dynamic);
	tcase_add_test(p, valid_tls);
	tcase_add_test(p, refuse_filesz_gt_memsz);
	tcase_add_test(p, refuse_past_file);
	tcase_add_test(p, refuse_offset_wrap);
	tcase_add_test(p, refuse_below_user_min);
	tcase_add_test(p, refuse_beyond_user_max);
	tcase_add_test(p, refuse_vaddr_wrap);
	tcase_add_test(p, refuse_wx);
	tcase_add_test(p, refuse_misaligned_offset);
	tcase_add_test(p, refuse_shared_page);
	tcase_add_test(p, refuse_shared_page_earlier);
	tcase_add_test(p, refuse_too_many_segments);
	tcase_add_test(p, refuse_entry_outside);
	tcase_add_test(p, refuse_entry_not_executable);
	tcase_add_test(p, refuse_no_load);
	tcase_add_test(p, pages_small_image);
	tcase_add_test(p, pages_terabyte);
	tcase_add_test(p, pages_largest_image);
	suite_add_tcase(s, v);
	suite_add_tcase(s, h);
	suite_add_tcase(s, p);
	return s;
}
