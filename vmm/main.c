/* vmm/main.c: ./vmm: load an ELF64 kernel into a fresh KVM VM and run it to its exit. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../abi/boot.h"
#include "../abi/exit.h"
#include "../abi/x86.h"
#include "cpu.h"
#include "elf.h"
#include "kvm.h"
#include "log.h"
#include "opts.h"
#include "run.h"

static void add_region(struct lde_boot_info *bi, uint64_t start, uint64_t end, uint32_t type)
{
	if (end <= start || bi->memmap_count >= LDE_MEMMAP_MAX)
		return;
	bi->memmap[bi->memmap_count++] =
		(struct lde_mem_region){ .start = start, .len = end - start, .type = type };
}

/* The boot information: what the kernel needs to know and cannot find out cheaply itself. */
static void fill_boot_info(const struct vm *vm, const struct elf_image *img,
			   const struct vmm_opts *o)
{
	struct lde_boot_info *bi = gmem_ptr(&vm->mem, LDE_BOOT_INFO_GPA, sizeof(*bi));
	uint64_t kend = (img->end + X86_PAGE_SIZE - 1) & ~(X86_PAGE_SIZE - 1);

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
	add_region(bi, 0, LDE_LOAD_MIN, LDE_MEM_RESERVED);
	add_region(bi, LDE_LOAD_MIN, img->start & ~(X86_PAGE_SIZE - 1), LDE_MEM_RAM);
	add_region(bi, img->start & ~(X86_PAGE_SIZE - 1), kend, LDE_MEM_KERNEL);
	add_region(bi, kend, vm->mem.size, LDE_MEM_RAM);
	/* opts_parse guaranteed the command line fits, NUL included. */
	memcpy(bi->cmdline, o->cmdline, sizeof(bi->cmdline));
}

static void load_image(struct vm *vm, const struct vmm_opts *o, struct elf_image *img)
{
	char err[256];
	void *buf;
	size_t len;

	if (elf_read_file(o->image, ELF_MAX_FILE_SIZE, &buf, &len, err, sizeof(err)) != 0 ||
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
	char err[256];

	/* A closed stdout must give the guest -EPIPE, not kill the VMM. */
	signal(SIGPIPE, SIG_IGN);
	switch (opts_parse(argc, argv, &o, err, sizeof(err))) {
	case OPTS_HELP:
		fputs(opts_usage, stdout);
		return 0;
	case OPTS_ERROR:
		vmm_errx(LDE_EXIT_VMM_ERROR, "%s", err);
	case OPTS_RUN:
		break;
	}
	kvm_open(&vm, o.mem_size);
	if (o.verbose)
		fprintf(stderr, "vmm: platform %s: %s; %llu MiB of guest RAM; TSC %llu kHz\n",
			lde_platform_name(vm.platform), kvm_platform_describe(vm.platform),
			(unsigned long long)(o.mem_size >> 20), (unsigned long long)vm.tsc_khz);
	if (cpu_build_boot_tables(&vm.mem) != 0)
		vmm_errx(LDE_EXIT_VMM_ERROR, "boot page tables do not fit");
	load_image(&vm, &o, &img);
	fill_boot_info(&vm, &img, &o);
	cpu_enter_long_mode(vm.vcpu_fd, img.entry);
	return run_guest(&vm, &o);
}
