/* guest/main.c: kmain: check the boot information, build GDT, trap table and page tables, then run. */
#include "../abi/exit.h"
#include "cmdline.h"
#include "gdt.h"
#include "hypercall.h"
#include "kalloc.h"
#include "kernel.h"
#include "selftest.h"
#include "string.h"
#include "trap.h"
#include "vm.h"

struct lde_boot_info boot_info;

/* Take a copy of what the VMM wrote, after checking it is what we think it is. */
static void boot_info_take(const struct lde_boot_info *bi)
{
	if (bi->magic != LDE_BOOT_MAGIC)
		panic("boot information has the wrong magic (%lx): not booted by our VMM?", bi->magic);
	if (bi->abi_version != LDE_ABI_VERSION)
		panic("boot information ABI version %u, this kernel speaks %u", bi->abi_version,
		      LDE_ABI_VERSION);
	boot_info = *bi;
	boot_info.cmdline[LDE_CMDLINE_MAX - 1] = '\0';
	if (boot_info.memmap_count > LDE_MEMMAP_MAX)
		panic("boot information: %u memory regions", boot_info.memmap_count);
}

_Noreturn void kmain(const struct lde_boot_info *bi);

void kmain(const struct lde_boot_info *bi)
{
	char list[128];
	int failed;

	boot_info_take(bi);
	gdt_init();
	trap_init();
	kalloc_init();
	vm_init();
	kprintf("lde: kernel up on %s, %lu MiB RAM, TSC %lu kHz, cmdline '%s'\n",
		lde_platform_name(boot_info.platform), boot_info.mem_size >> 20, boot_info.tsc_khz,
		boot_info.cmdline);
	kprintf("lde: trap table: 256 vectors; kernel image %lx-%lx; %lu free pages\n",
		boot_info.kernel_start, boot_info.kernel_end, kalloc_free_pages());

	switch (cmdline_get(boot_info.cmdline, "selftest", list, sizeof(list))) {
	case 1:
		break;
	case -1:
		panic("selftest=: the list is too long");
	default:
		/* The demo: every ring-3 exception self-test, which must all behave. */
		memcpy(list, "all", 4);
		break;
	}
	failed = selftest_run(list);
	console_flush();
	hc_exit(failed ? 1 : 0);
}
