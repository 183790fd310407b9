/* vmm/main.c: ./vmm: load an ELF64 kernel into a fresh KVM VM and run it to its exit. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../abi/boot.h"
#include "../abi/exit.h"
#include "../abi/x86.h"
#include "bench.h"
#include "gdb.h"
#include "trace.h"
#include "cpu.h"
#include "elf.h"
#include "kvm.h"
#include "log.h"
#include "opts.h"
#include "run.h"
#include "step.h"
#include "version.h"

static void add_region(struct lde_boot_info *bi, uint64_t start, uint64_t end, uint32_t type)
{
	if (end <= start)
		return;
	/* 4 fixed regions and one per module: LDE_MEMMAP_MAX leaves room (checked below). */
	bi->memmap[bi->memmap_count++] =
		(struct lde_mem_region){ .start = start, .len = end - start, .type = type };
}

_Static_assert(LDE_MEMMAP_MAX >= LDE_MODULES_MAX + 4, "the memory map must hold every region");

static uint64_t page_up(uint64_t x)
{
	return (x + X86_PAGE_SIZE - 1) & ~(X86_PAGE_SIZE - 1);
}

/* The host's wall-clock time in nanoseconds, for the guest's CLOCK_REALTIME. */
static uint64_t realtime_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The boot information: what the kernel needs to know and cannot find out cheaply itself. */
static struct lde_boot_info *boot_info_init(const struct vm *vm, const struct elf_image *img,
					    const struct vmm_opts *o)
{
	struct lde_boot_info *bi = gmem_ptr(&vm->mem, LDE_BOOT_INFO_GPA, sizeof(*bi));

	if (bi == NULL)
		vmm_errx(LDE_EXIT_VMM_ERROR, "boot information does not fit in guest RAM");
	memset(bi, 0, sizeof(*bi));
	bi->magic = LDE_BOOT_MAGIC;
	bi->abi_version = LDE_ABI_VERSION;
	bi->platform = vm->platform;
	bi->mem_size = vm->mem.size;
	bi->kernel_start = img->start;
	bi->kernel_end = img->end;
	bi->tsc_khz = vm->tsc_khz;
	bi->realtime_ns = realtime_ns();
	bi->flags = o->stats ? LDE_BOOT_FLAG_STATS : 0;
	/* opts_parse guaranteed the command line fits, NUL included. */
	memcpy(bi->cmdline, o->cmdline, sizeof(bi->cmdline));
	return bi;
}

/*
 * One boot module at guest-physical at: refused unread when it is over ELF_MAX_FILE_SIZE or
 * does not fit in the guest RAM after at; else read straight into guest RAM. Returns its size.
 */
static size_t load_module(struct vm *vm, const char *path, uint64_t at)
{
	char err[256];
	size_t len;
	void *dst;
	int fd = elf_file_open(path, ELF_MAX_FILE_SIZE, &len, err, sizeof(err));

	if (fd < 0)
		vmm_errx(LDE_EXIT_BAD_IMAGE, "%s: refused: %s", path, err);
	dst = gmem_ptr(&vm->mem, at, len);
	if (dst == NULL)
		vmm_errx(LDE_EXIT_BAD_IMAGE, "%s: refused: its %zu bytes do not fit in the guest RAM "
			 "after 0x%llx, %llu bytes (try a larger --mem)", path, len,
			 (unsigned long long)at,
			 (unsigned long long)(at < vm->mem.size ? vm->mem.size - at : 0));
	if (elf_file_read(fd, dst, len, err, sizeof(err)) != 0)
		vmm_errx(LDE_EXIT_BAD_IMAGE, "%s: refused: %s", path, err);
	close(fd);
	return len;
}

/* A task's argv at guest-physical at, each word NUL-terminated; returns the bytes written. */
static uint64_t put_args(struct vm *vm, const char *path, uint64_t at, char **argv, unsigned argc)
{
	uint64_t len = 0;
	char *dst;

	for (unsigned i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1; /* at most LDE_ARGS_MAX: opts_parse checked */
	dst = gmem_ptr(&vm->mem, at, len);
	if (dst == NULL)
		vmm_errx(LDE_EXIT_BAD_IMAGE, "%s: refused: its arguments do not fit in guest RAM "
			 "(try a larger --mem)", path);
	for (unsigned i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(dst, argv[i], n);
		dst += n;
	}
	return len;
}

/*
 * Boot modules: each file's bytes, then its argv, page-aligned, one after another above the
 * kernel image.
 * The VMM only places them; the kernel checks them. Returns the first free address after.
 */
static uint64_t load_modules(struct vm *vm, const struct vmm_opts *o, struct lde_boot_info *bi,
			     uint64_t at)
{
	for (unsigned i = 0; i < o->module_count; i++) {
		const char *path = o->modules[i];
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		struct lde_boot_module *m = &bi->modules[i];
		size_t len;

		if (strlen(base) >= sizeof(m->name))
			vmm_errx(LDE_EXIT_BAD_IMAGE, "%s: refused: file name longer than %zu bytes",
				 path, sizeof(m->name) - 1);
		len = load_module(vm, path, at);
		m->start = at;
		m->len = len;
		memcpy(m->name, base, strlen(base) + 1);
		m->args = at + len;
		m->args_len = put_args(vm, path, m->args, o->module_argv[i], o->module_argc[i]);
		if (o->verbose)
			fprintf(stderr, "vmm: %s: module %u at [0x%llx, 0x%llx), %u argument(s)\n",
				path, i, (unsigned long long)at, (unsigned long long)(at + len),
				o->module_argc[i]);
		at = page_up(m->args + m->args_len);
	}
	bi->module_count = o->module_count;
	return at;
}

/* The memory map: reserved low memory, the kernel, the modules, and RAM around them. */
static void boot_info_memmap(struct lde_boot_info *bi, const struct elf_image *img,
			     uint64_t mem_size, uint64_t modules_end)
{
	uint64_t kstart = img->start & ~(X86_PAGE_SIZE - 1);
	uint64_t kend = page_up(img->end);

	add_region(bi, 0, LDE_LOAD_MIN, LDE_MEM_RESERVED);
	add_region(bi, LDE_LOAD_MIN, kstart, LDE_MEM_RAM);
	add_region(bi, kstart, kend, LDE_MEM_KERNEL);
	for (unsigned i = 0; i < bi->module_count; i++)
		add_region(bi, bi->modules[i].start,
			   page_up(bi->modules[i].args + bi->modules[i].args_len), LDE_MEM_MODULE);
	add_region(bi, modules_end, mem_size, LDE_MEM_RAM);
}

static void load_image(struct vm *vm, const struct vmm_opts *o, struct elf_image *img)
{
	/*
	 * The file is buffered whole on the host until elf_load has checked it: capping it at
	 * the guest RAM size keeps that buffer within what --mem already lets the VMM spend.
	 */
	uint64_t max = vm->mem.size < ELF_MAX_FILE_SIZE ? vm->mem.size : ELF_MAX_FILE_SIZE;
	char err[256];
	void *buf;
	size_t len;

	if (elf_read_file(o->image, max, &buf, &len, err, sizeof(err)) != 0 ||
	    elf_load(buf, len, &vm->mem, LDE_LOAD_MIN, img, err, sizeof(err)) != 0)
		vmm_errx(LDE_EXIT_BAD_IMAGE, "%s: refused: %s", o->image, err);
	free(buf);
	if (o->verbose)
		fprintf(stderr, "vmm: %s: %u segment(s) at [0x%llx, 0x%llx), entry 0x%llx\n",
			o->image, img->segments, (unsigned long long)img->start,
			(unsigned long long)img->end, (unsigned long long)img->entry);
}

int main(int argc, char **argv)
{
	static struct vm vm;
	struct vmm_opts o;
	struct elf_image img;
	struct lde_boot_info *bi;
	char err[256];
	const struct run_module *mods[RUN_MODULES_MAX + 1];
	unsigned nmods = 0;

	/* A closed stdout must give the guest -EPIPE, not kill the VMM. */
	signal(SIGPIPE, SIG_IGN);
	switch (opts_parse(argc, argv, &o, err, sizeof(err))) {
	case OPTS_HELP:
		fputs(opts_usage, stdout);
		return 0;
	case OPTS_VERSION:
		printf("LDE vmm %s\n", vmm_version);
		return 0;
	case OPTS_ERROR:
		vmm_errx(LDE_EXIT_VMM_ERROR, "%s", err);
	case OPTS_RUN:
		break;
	}
	kvm_open(&vm, o.mem_size);
	/* Before loading: --timeout bounds the whole run, however the image files behave. */
	run_arm_timeout(&vm, o.timeout);
	if (o.verbose)
		fprintf(stderr, "vmm: platform %s: %s; %llu MiB of guest RAM; TSC %llu kHz\n",
			lde_platform_name(vm.platform), kvm_platform_describe(vm.platform),
			(unsigned long long)(o.mem_size >> 20), (unsigned long long)vm.tsc_khz);
	if (cpu_build_boot_tables(&vm.mem) != 0)
		vmm_errx(LDE_EXIT_VMM_ERROR, "boot page tables do not fit");
	load_image(&vm, &o, &img);
	bi = boot_info_init(&vm, &img, &o);
	boot_info_memmap(bi, &img, vm.mem.size, load_modules(&vm, &o, bi, page_up(img.end)));
	cpu_enter_long_mode(vm.vcpu_fd, img.entry);
	if (o.bench)
		mods[nmods++] = &bench_module;
	if ((mods[nmods] = trace_module_open(&o, &vm)) != NULL)
		nmods++;
	if ((mods[nmods] = step_module_open(&o, &vm)) != NULL)
		nmods++;
	if ((mods[nmods] = gdb_module_open(&o, &vm)) != NULL)
		nmods++;
	mods[nmods] = NULL;
	return run_guest(&vm, &o, mods);
}
