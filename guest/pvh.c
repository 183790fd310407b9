/* guest/pvh.c: the kernel's start without our VMM (QEMU -kernel, Firecracker, cloud-hypervisor): console, boot information, TSC rate, then on to _start. */
#include "pvh.h"

#include "../abi/pvh.h"
#include "hypercall.h"
#include "kernel.h"
#include "memlayout.h"
#include "pvh_console.h"
#include "pvh_info.h"
#include "tsc_rate.h"
#include "uart.h"
#include "x86.h"

/* The legacy 8259 PICs' data (mask) ports: firmware may leave the PIT's IRQ 0 unmasked. */
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1
#define PIC_MASK_ALL 0xff

/* What our VMM would have put at LDE_BOOT_INFO_GPA; kmain takes a copy. */
static struct lde_boot_info pvh_boot_info;

/*
 * The one place a physical address from the hypervisor becomes a pointer: guest/pvh_entry.S maps
 * [0, PVH_RAM_LIMIT) one to one, and nothing is at 0 ("not present" in start_info).
 */
static const void *pvh_phys(uint64_t pa, uint64_t len)
{
	if (pa == 0 || len > PVH_RAM_LIMIT || pa > PVH_RAM_LIMIT - len)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

uint64_t pvh_start(uint32_t start_info_pa)
{
	struct lde_boot_info *bi = &pvh_boot_info;
	const char *why, *how;

	uart_init();
	hc_backend_install(&pvh_console);
	/*
	 * Masked, the PICs deliver nothing: the kernel's only interrupt source is its local APIC,
	 * and a BIOS timer tick on the PIC's default vectors would arrive as an exception.
	 */
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
	why = pvh_info_translate(start_info_pa, pvh_phys, V2P(__kernel_start), V2P(__kernel_end),
				 bi, kprintf);
	if (why != NULL)
		panic("pvh: %s", why);
	bi->platform = LDE_PLATFORM_UNKNOWN; /* no VMM to say which KVM, if any, is underneath */
	bi->flags = LDE_BOOT_FLAG_RAM_DIRTY;
	bi->tsc_khz = tsc_rate_khz(&how);
	if (bi->tsc_khz == 0)
		panic("pvh: no TSC rate: CPUID gives none and the 8254 PIT does not count");
	kprintf("lde: pvh: booted without the LDE VMM: console %s; %u module(s); TSC %lu kHz, %s\n",
		pvh_console.name, bi->module_count, (unsigned long)bi->tsc_khz, how);
	return V2P(bi);
}
