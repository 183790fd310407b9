/* guest/pvh_console.c: the hypercall backend for a boot without our VMM: COM1 for output, no input, QEMU's isa-debug-exit (or a reset) for the end. */
#include "pvh_console.h"

#include "../abi/pvh.h"
#include "kernel.h"
#include "uart.h"
#include "x86.h"

/* Both standard streams go to the one serial line; a write goes whole. */
static int64_t pvh_write(unsigned fd, const void *buf, size_t len)
{
	(void)fd;
	uart_write(buf, len);
	return (int64_t)len;
}

/* There is no input to read: a task's standard input is at its end at once. */
static int64_t pvh_read(void *buf, size_t len)
{
	(void)buf, (void)len;
	return 0;
}

/*
 * The end, by the first of these the machine has (abi/pvh.h): QEMU's isa-debug-exit, which
 * also carries the status; cloud-hypervisor's ACPI shutdown device; the i8042 reset, on which
 * Firecracker exits (QEMU resets, and exits with -no-reboot); and a triple fault: an
 * exception with an empty IDT, which every x86 hypervisor must end or reset the VM on. The
 * status goes to the console first, since only QEMU's exit code can carry it.
 */
static _Noreturn void pvh_exit(unsigned status)
{
	static const struct x86_dtr no_idt = { .limit = 0, .base = 0 };

	kprintf("lde: exit status %u (QEMU with isa-debug-exit exits %u)\n", status,
		LDE_PVH_QEMU_EXIT_STATUS(status));
	console_flush();
	outb(LDE_PVH_DEBUG_EXIT_PORT, (uint8_t)status);
	outb(LDE_PVH_ACPI_SHUTDOWN_PORT, LDE_PVH_ACPI_SLP_TYP_S5 | LDE_PVH_ACPI_SLP_EN);
	outb(LDE_PVH_I8042_COMMAND_PORT, LDE_PVH_I8042_CMD_RESET);
	lidt(&no_idt);
	for (;;)
		__asm__ volatile("int3");
}

const struct hc_backend pvh_console = {
	.name = "COM1 (16550) and isa-debug-exit",
	.write = pvh_write,
	.read = pvh_read,
	.exit = pvh_exit,
};
