/* tests/unit/test_elf.c: the guest-image loader vmm/elf.c, against valid and malformed ELF images generated in memory. */
#include <check.h>
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../abi/boot.h"
#include "../../vmm/elf.h"
#include "../../vmm/gmem.h"
#include "elf_build.h"
#include "suites.h"

#define RAM_SIZE (4u << 20)
#define FILL 0xaa
#define LOAD_PA 0x100000ull              /* where the test image's segment goes */
#define HIGH_VA 0xffffffff80100000ull    /* the same, linked in the top 2 GiB */
#define SEG_OFF 0x1000u                  /* file offset of the segment's bytes */
#define CODE_LEN 0x40u                   /* p_filesz */
#define MEM_LEN (CODE_LEN + 0x1000u)     /* p_memsz: code plus BSS */
#define ENTRY_OFF 0x10u
#define IMG_CAP 0x2000u

/* The image under test: an ELF64 header, program headers from offset 64, one segment. */
static struct {
	_Alignas(16) uint8_t b[IMG_CAP];
	size_t len;
} im;
static struct gmem gm;
static struct elf_image out;
static char err[256];

static Elf64_Ehdr *eh(void)
{
	return (Elf64_Ehdr *)im.b;
}

static Elf64_Phdr *ph(unsigned i)
{
	return (Elf64_Phdr *)(im.b + sizeof(Elf64_Ehdr)) + i;
}

static uint8_t code_byte(unsigned i)
{
	return (uint8_t)(i * 7 + 1);
}

/* A minimal valid ET_EXEC image with nph program headers; header 0 is the R+X PT_LOAD. */
static void build(unsigned nph, uint64_t vaddr)
{
	Elf64_Ehdr *e = eh();

	memset(&im, 0, sizeof(im));
	elf_build_ehdr(e, nph, vaddr + ENTRY_OFF, sizeof(Elf64_Ehdr));
	*ph(0) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = SEG_OFF,
			       .p_vaddr = vaddr, .p_paddr = LOAD_PA, .p_filesz = CODE_LEN,
			       .p_memsz = MEM_LEN, .p_align = 0x1000 };
	for (unsigned i = 0; i < CODE_LEN; i++)
		im.b[SEG_OFF + i] = code_byte(i);
	im.len = SEG_OFF + CODE_LEN;
}

/* A second program header: a copy of header 0 moved to physical and virtual addr. */
static Elf64_Phdr *second_seg(uint64_t addr, uint32_t flags)
{
	*ph(1) = *ph(0);
	ph(1)->p_paddr = addr;
	ph(1)->p_vaddr = addr;
	ph(1)->p_flags = flags;
	return ph(1);
}

static void setup(void)
{
	gm.base = malloc(RAM_SIZE);
	gm.size = RAM_SIZE;
	ck_assert_ptr_nonnull(gm.base);
	memset(gm.base, FILL, RAM_SIZE);
	memset(&out, 0, sizeof(out));
	err[0] = '\0';
}

static void teardown(void)
{
	free(gm.base);
}

static int load(void)
{
	return elf_load(im.b, im.len, &gm, LDE_LOAD_MIN, &out, err, sizeof(err));
}

/* 1 when guest range [gpa, gpa + len) still holds the fill pattern. */
static int ram_filled(uint64_t gpa, uint64_t len)
{
	for (uint64_t i = gpa; i < gpa + len; i++)
		if (gm.base[i] != FILL)
			return 0;
	return 1;
}

static void assert_refused(const char *why)
{
	ck_assert_msg(load() == -1, "image accepted; wanted a refusal naming '%s'", why);
	ck_assert_msg(strstr(err, why) != NULL, "err '%s' lacks '%s'", err, why);
	ck_assert_msg(ram_filled(0, RAM_SIZE), "refused, but guest RAM was written");
}

static void assert_loaded(unsigned segments)
{
	ck_assert_msg(load() == 0, "valid image refused: %s", err);
	ck_assert_uint_eq(out.segments, segments);
}

static void assert_segment_copied(uint64_t pa)
{
	for (unsigned i = 0; i < CODE_LEN; i++)
		ck_assert_msg(gm.base[pa + i] == code_byte(i), "byte %u not copied", i);
	for (unsigned i = CODE_LEN; i < MEM_LEN; i++)
		ck_assert_msg(gm.base[pa + i] == 0, "BSS byte %u is 0x%02x, not 0", i,
			      gm.base[pa + i]);
}

START_TEST(valid_low)
{
	build(1, LOAD_PA);
	assert_loaded(1);
	ck_assert_uint_eq(out.entry, LOAD_PA + ENTRY_OFF);
	ck_assert_uint_eq(out.start, LOAD_PA);
	ck_assert_uint_eq(out.end, LOAD_PA + MEM_LEN);
	assert_segment_copied(LOAD_PA);
	ck_assert_msg(ram_filled(0, LOAD_PA), "nothing written below the segment");
	ck_assert_msg(ram_filled(LOAD_PA + MEM_LEN, RAM_SIZE - LOAD_PA - MEM_LEN),
		      "nothing written above the segment");
}
END_TEST

START_TEST(valid_high)
{
	build(1, HIGH_VA);
	assert_loaded(1);
	ck_assert_uint_eq(eh()->e_entry, HIGH_VA + ENTRY_OFF);
	ck_assert_uint_eq(out.entry, LOAD_PA + ENTRY_OFF);
	ck_assert_uint_eq(out.start, LOAD_PA);
	ck_assert_uint_eq(out.end, LOAD_PA + MEM_LEN);
	assert_segment_copied(LOAD_PA);
}
END_TEST

START_TEST(valid_at_ram_end)
{
	build(1, LOAD_PA);
	ph(0)->p_paddr = RAM_SIZE - MEM_LEN;
	assert_loaded(1);
	ck_assert_uint_eq(out.entry, RAM_SIZE - MEM_LEN + ENTRY_OFF);
	ck_assert_uint_eq(out.end, RAM_SIZE);
	assert_segment_copied(RAM_SIZE - MEM_LEN);
}
END_TEST

START_TEST(valid_adjacent_segments)
{
	Elf64_Phdr *p;

	build(2, LOAD_PA);
	p = second_seg(LOAD_PA + MEM_LEN, PF_R | PF_W); /* starts where segment 0 ends */
	p->p_offset = SEG_OFF + CODE_LEN;              /* congruent with the vaddr mod 4 KiB */
	p->p_filesz = 0;
	p->p_memsz = 0x100;
	assert_loaded(2);
	ck_assert_uint_eq(out.start, LOAD_PA);
	ck_assert_uint_eq(out.end, LOAD_PA + MEM_LEN + 0x100);
	ck_assert_uint_eq(gm.base[LOAD_PA + MEM_LEN + 0xff], 0);
}
END_TEST

START_TEST(valid_zero_memsz_skipped)
{
	build(2, LOAD_PA);
	*ph(1) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X }; /* at 0, empty */
	assert_loaded(1);
	ck_assert_uint_eq(out.start, LOAD_PA);
	assert_segment_copied(LOAD_PA);
	ck_assert_msg(ram_filled(0, LOAD_PA), "the empty segment at 0 wrote nothing");
}
END_TEST

START_TEST(valid_other_phdrs_ignored)
{
	build(3, LOAD_PA);
	ph(1)->p_type = PT_NOTE;
	ph(1)->p_offset = UINT64_MAX; /* not PT_LOAD: never read */
	ph(2)->p_type = PT_GNU_STACK;
	assert_loaded(1);
}
END_TEST

START_TEST(valid_gnu_osabi)
{
	build(1, LOAD_PA);
	eh()->e_ident[EI_OSABI] = ELFOSABI_GNU;
	assert_loaded(1);
}
END_TEST

START_TEST(truncated)
{
	static const size_t lens[] = { 0, 10, 63 };

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		build(1, LOAD_PA);
		im.len = lens[i];
		assert_refused("too short");
	}
}
END_TEST

START_TEST(bad_magic)
{
	build(1, LOAD_PA);
	eh()->e_ident[EI_MAG1] = 'X';
	assert_refused("not an ELF file");
}
END_TEST

START_TEST(class32)
{
	build(1, LOAD_PA);
	eh()->e_ident[EI_CLASS] = ELFCLASS32;
	assert_refused("64-bit");
}
END_TEST

START_TEST(big_endian)
{
	build(1, LOAD_PA);
	eh()->e_ident[EI_DATA] = ELFDATA2MSB;
	assert_refused("little-endian");
}
END_TEST

START_TEST(ident_version0)
{
	build(1, LOAD_PA);
	eh()->e_ident[EI_VERSION] = EV_NONE;
	assert_refused("version");
}
END_TEST

START_TEST(osabi_arm)
{
	build(1, LOAD_PA);
	eh()->e_ident[EI_OSABI] = ELFOSABI_ARM;
	assert_refused("OS ABI 97");
}
END_TEST

START_TEST(type_dyn)
{
	build(1, LOAD_PA);
	eh()->e_type = ET_DYN;
	assert_refused("ET_EXEC");
}
END_TEST

START_TEST(type_rel)
{
	build(1, LOAD_PA);
	eh()->e_type = ET_REL;
	assert_refused("ET_EXEC");
}
END_TEST

START_TEST(machine_386)
{
	build(1, LOAD_PA);
	eh()->e_machine = EM_386;
	assert_refused("x86-64");
}
END_TEST

START_TEST(machine_aarch64)
{
	build(1, LOAD_PA);
	eh()->e_machine = EM_AARCH64;
	assert_refused("x86-64");
}
END_TEST

START_TEST(version0)
{
	build(1, LOAD_PA);
	eh()->e_version = EV_NONE;
	assert_refused("ELF version");
}
END_TEST

START_TEST(bad_ehsize)
{
	build(1, LOAD_PA);
	eh()->e_ehsize = sizeof(Elf32_Ehdr);
	assert_refused("header size");
}
END_TEST

START_TEST(bad_phentsize)
{
	build(1, LOAD_PA);
	eh()->e_phentsize = sizeof(Elf32_Phdr);
	assert_refused("program header size");
}
END_TEST

START_TEST(phnum0)
{
	build(1, LOAD_PA);
	eh()->e_phnum = 0;
	assert_refused("no program headers");
}
END_TEST

START_TEST(phnum65)
{
	build(1, LOAD_PA);
	eh()->e_phnum = ELF_MAX_PHDRS + 1; /* 65 headers still lie inside the file */
	assert_refused("too many program headers");
}
END_TEST

START_TEST(phoff_past_end)
{
	build(1, LOAD_PA);
	eh()->e_phoff = im.len;
	assert_refused("outside the file");
	eh()->e_phoff = im.len - sizeof(Elf64_Phdr) + 1; /* one byte over */
	assert_refused("outside the file");
}
END_TEST

START_TEST(phoff_wraps)
{
	build(1, LOAD_PA);
	eh()->e_phoff = UINT64_MAX - 10;
	assert_refused("outside the file");
}
END_TEST

START_TEST(interp)
{
	build(2, LOAD_PA);
	*ph(1) = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = SEG_OFF,
			       .p_filesz = 8, .p_memsz = 8 };
	assert_refused("dynamically linked");
}
END_TEST

START_TEST(dynamic)
{
	build(2, LOAD_PA);
	*ph(1) = (Elf64_Phdr){ .p_type = PT_DYNAMIC, .p_flags = PF_R, .p_offset = SEG_OFF,
			       .p_filesz = 16, .p_memsz = 16 };
	assert_refused("dynamically linked");
}
END_TEST

START_TEST(filesz_over_memsz)
{
	build(1, LOAD_PA);
	ph(0)->p_memsz = CODE_LEN - 1;
	assert_refused("exceeds memory size");
}
END_TEST

START_TEST(file_range_past_end)
{
	build(1, LOAD_PA);
	ph(0)->p_filesz = CODE_LEN + 1;
	assert_refused("outside the file");
}
END_TEST

START_TEST(offset_wraps)
{
	build(1, LOAD_PA);
	ph(0)->p_offset = UINT64_MAX - 8;
	assert_refused("outside the file");
}
END_TEST

START_TEST(paddr_low)
{
	build(1, LOAD_PA);
	ph(0)->p_paddr = 0x1000;
	assert_refused("outside guest RAM");
	ph(0)->p_paddr = LDE_LOAD_MIN - 1;
	assert_refused("outside guest RAM");
}
END_TEST

START_TEST(paddr_past_ram)
{
	build(1, LOAD_PA);
	ph(0)->p_paddr = RAM_SIZE - MEM_LEN + 1; /* one byte over */
	assert_refused("outside guest RAM");
	ph(0)->p_paddr = RAM_SIZE;
	assert_refused("outside guest RAM");
}
END_TEST

START_TEST(paddr_wraps)
{
	build(1, LOAD_PA);
	ph(0)->p_paddr = UINT64_MAX - 0xfff;
	assert_refused("outside guest RAM");
}
END_TEST

START_TEST(vaddr_wraps)
{
	build(1, 0xfffffffffffff000ull);
	assert_refused("wraps around");
}
END_TEST

START_TEST(overlap)
{
	build(2, LOAD_PA);
	second_seg(LOAD_PA + 0x1000, PF_R | PF_W); /* starts inside segment 0's BSS */
	assert_refused("overlaps");
}
END_TEST

START_TEST(overlap_contained)
{
	build(2, LOAD_PA);
	second_seg(LOAD_PA, PF_R | PF_W);
	ph(1)->p_memsz = 1;
	ph(1)->p_filesz = 1;
	assert_refused("overlaps");
}
END_TEST

START_TEST(align_not_pow2)
{
	build(1, LOAD_PA);
	ph(0)->p_align = 3;
	assert_refused("alignment");
}
END_TEST

START_TEST(align_mismatch)
{
	build(1, LOAD_PA + 0x800); /* vaddr % 0x1000 = 0x800, offset % 0x1000 = 0 */
	assert_refused("alignment");
}
END_TEST

START_TEST(entry_outside)
{
	build(1, LOAD_PA);
	eh()->e_entry = 0x200000;
	assert_refused("entry point");
	eh()->e_entry = LOAD_PA + MEM_LEN; /* one past the segment */
	assert_refused("entry point");
	eh()->e_entry = LOAD_PA - 1;
	assert_refused("entry point");
}
END_TEST

START_TEST(entry_not_executable)
{
	build(2, LOAD_PA);
	second_seg(0x200000, PF_R | PF_W);
	eh()->e_entry = 0x200000 + ENTRY_OFF;
	assert_refused("entry point");
}
END_TEST

START_TEST(no_load)
{
	build(1, LOAD_PA);
	ph(0)->p_type = PT_NOTE;
	assert_refused("no loadable segments");
}
END_TEST

/* elf_read_file: a scratch directory under /tmp, removed by the test. */
static char dir[64];
static char path[128];

static const char *scratch_file(const char *name, const void *data, size_t len)
{
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void file_setup(void)
{
	strcpy(dir, "/tmp/lde-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	err[0] = '\0';
}

static void file_teardown(void)
{
	static const char *names[] = { "small", "big", "empty", "fifo", "huge", "grows", "shrinks" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

START_TEST(read_missing)
{
	void *buf = NULL;
	size_t len = 77;

	snprintf(path, sizeof(path), "%s/does-not-exist", dir);
	ck_assert_int_eq(elf_read_file(path, 1 << 20, &buf, &len, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cannot open") != NULL, "err '%s'", err);
	ck_assert_ptr_null(buf);
	ck_assert_uint_eq(len, 77);
}
END_TEST

START_TEST(read_directory)
{
	void *buf = NULL;
	size_t len = 0;

	ck_assert_int_eq(elf_read_file(dir, 1 << 20, &buf, &len, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not a regular file") != NULL, "err '%s'", err);
	ck_assert_ptr_null(buf);
}
END_TEST

START_TEST(read_too_large)
{
	static const char data[100] = "0123456789";
	void *buf = NULL;
	size_t len = 0;

	scratch_file("big", data, sizeof(data));
	ck_assert_int_eq(elf_read_file(path, sizeof(data) - 1, &buf, &len, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "too large") != NULL, "err '%s'", err);
	ck_assert_ptr_null(buf);
	ck_assert_int_eq(elf_read_file(path, sizeof(data), &buf, &len, err, sizeof(err)), 0);
	ck_assert_uint_eq(len, sizeof(data));
	free(buf);
}
END_TEST

START_TEST(read_small)
{
	uint8_t data[300];
	void *buf = NULL;
	size_t len = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 5);
	scratch_file("small", data, sizeof(data));
	ck_assert_msg(elf_read_file(path, 1 << 20, &buf, &len, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, sizeof(data));
	ck_assert_mem_eq(buf, data, sizeof(data));
	free(buf);
}
END_TEST

START_TEST(read_empty)
{
	void *buf = NULL;
	size_t len = 77;

	scratch_file("empty", "", 0);
	ck_assert_msg(elf_read_file(path, 1 << 20, &buf, &len, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, 0);
	free(buf);
}
END_TEST

/* A FIFO is refused at once: opening one for reading must not wait for a writer. */
START_TEST(read_fifo)
{
	void *buf = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	/* Without O_NONBLOCK this open blocks for ever, and Check's timeout fails the test. */
	ck_assert_int_eq(elf_read_file(path, 1 << 20, &buf, &len, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "not a regular file");
	ck_assert_ptr_null(buf);
}
END_TEST

/* Over the cap: refused with both sizes in the message, before a byte is read. */
START_TEST(open_too_large)
{
	static const char data[100] = "0123456789";
	size_t size = 77;

	scratch_file("big", data, sizeof(data));
	ck_assert_int_eq(elf_file_open(path, sizeof(data) - 1, &size, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "file too large (100 bytes, at most 99)");
	ck_assert_uint_eq(size, 77);
}
END_TEST

/* The VMM's own cap: a sparse file one byte over 1 GiB (no disk space used) is refused. */
START_TEST(open_over_max_file_size)
{
	size_t size = 77;
	int fd;

	snprintf(path, sizeof(path), "%s/huge", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)ELF_MAX_FILE_SIZE + 1), 0);
	close(fd);
	ck_assert_int_eq(elf_file_open(path, ELF_MAX_FILE_SIZE, &size, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "file too large (1073741825 bytes, at most 1073741824)");
	ck_assert_uint_eq(size, 77);
}
END_TEST

/* A file that grows after it was measured: exactly the measured bytes land in dst. */
START_TEST(read_grown_file)
{
	static const char data[64] = "the bytes elf_file_open measured";
	char dst[sizeof(data) + 16];
	size_t size = 0;
	int fd, wfd;

	scratch_file("grows", data, sizeof(data));
	fd = elf_file_open(path, sizeof(data), &size, err, sizeof(err));
	ck_assert_msg(fd >= 0, "%s", err);
	ck_assert_uint_eq(size, sizeof(data));
	wfd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(wfd, 0);
	ck_assert_int_eq(write(wfd, "MORE BYTES", 10), 10);
	close(wfd);
	memset(dst, 0x5a, sizeof(dst));
	ck_assert_msg(elf_file_read(fd, dst, size, err, sizeof(err)) == 0, "%s", err);
	ck_assert_mem_eq(dst, data, sizeof(data));
	for (size_t i = sizeof(data); i < sizeof(dst); i++)
		ck_assert_int_eq(dst[i], 0x5a);
	close(fd);
}
END_TEST

/* A file that shrinks after it was measured: an error that says so. */
START_TEST(read_shrunk_file)
{
	static const char data[64] = "about to lose half of it";
	char dst[sizeof(data)];
	size_t size = 0;
	int fd;

	scratch_file("shrinks", data, sizeof(data));
	fd = elf_file_open(path, sizeof(data), &size, err, sizeof(err));
	ck_assert_msg(fd >= 0, "%s", err);
	ck_assert_int_eq(truncate(path, sizeof(data) / 2), 0);
	ck_assert_int_eq(elf_file_read(fd, dst, size, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "read failed: the file shrank to 32 of 64 bytes");
	close(fd);
}
END_TEST

static TCase *valid_tcase(void)
{
	TCase *tc = tcase_create("valid");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, valid_low);
	tcase_add_test(tc, valid_high);
	tcase_add_test(tc, valid_at_ram_end);
	tcase_add_test(tc, valid_adjacent_segments);
	tcase_add_test(tc, valid_zero_memsz_skipped);
	tcase_add_test(tc, valid_other_phdrs_ignored);
	tcase_add_test(tc, valid_gnu_osabi);
	return tc;
}

static TCase *header_tcase(void)
{
	TCase *tc = tcase_create("bad_header");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, class32);
	tcase_add_test(tc, big_endian);
	tcase_add_test(tc, ident_version0);
	tcase_add_test(tc, osabi_arm);
	tcase_add_test(tc, type_dyn);
	tcase_add_test(tc, type_rel);
	tcase_add_test(tc, machine_386);
	tcase_add_test(tc, machine_aarch64);
	tcase_add_test(tc, version0);
	tcase_add_test(tc, bad_ehsize);
	tcase_add_test(tc, bad_phentsize);
	tcase_add_test(tc, phnum0);
	tcase_add_test(tc, phnum65);
	tcase_add_test(tc, phoff_past_end);
	tcase_add_test(tc, phoff_wraps);
	return tc;
}

static TCase *segment_tcase(void)
{
	TCase *tc = tcase_create("bad_segment");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, interp);
	tcase_add_test(tc, dynamic);
	tcase_add_test(tc, filesz_over_memsz);
	tcase_add_test(tc, file_range_past_end);
	tcase_add_test(tc, offset_wraps);
	tcase_add_test(tc, paddr_low);
	tcase_add_test(tc, paddr_past_ram);
	tcase_add_test(tc, paddr_wraps);
	tcase_add_test(tc, vaddr_wraps);
	tcase_add_test(tc, overlap);
	tcase_add_test(tc, overlap_contained);
	tcase_add_test(tc, align_not_pow2);
	tcase_add_test(tc, align_mismatch);
	tcase_add_test(tc, entry_outside);
	tcase_add_test(tc, entry_not_executable);
	tcase_add_test(tc, no_load);
	return tc;
}

static TCase *file_tcase(void)
{
	TCase *tc = tcase_create("read_file");

	tcase_add_checked_fixture(tc, file_setup, file_teardown);
	tcase_add_test(tc, read_missing);
	tcase_add_test(tc, read_directory);
	tcase_add_test(tc, read_too_large);
	tcase_add_test(tc, read_small);
	tcase_add_test(tc, read_empty);
	tcase_add_test(tc, read_fifo);
	tcase_add_test(tc, open_too_large);
	tcase_add_test(tc, open_over_max_file_size);
	tcase_add_test(tc, read_grown_file);
	tcase_add_test(tc, read_shrunk_file);
	return tc;
}

Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");

	suite_add_tcase(s, valid_tcase());
	suite_add_tcase(s, header_tcase());
	suite_add_tcase(s, segment_tcase());
	suite_add_tcase(s, file_tcase());
	return s;
}
