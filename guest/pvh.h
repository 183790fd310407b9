/* guest/pvh.h: the kernel's start without our VMM, between guest/pvh_entry.S and _start. */
#ifndef GUEST_PVH_H
#define GUEST_PVH_H

#include <stdint.h>

/*
 * pvh_start: called by guest/pvh_entry.S in long mode, on the boot page tables (the first 4 GiB
 * identity-mapped, the kernel at its link address), with EBX's hvm_start_info address.
 * Switches the console to COM1, builds the struct lde_boot_info that our VMM would have
 * written and returns its physical address, for _start. Panics (ending the machine through
 * pvh_console) if the start_info cannot be used.
 */
uint64_t pvh_start(uint32_t start_info_pa);

#endif
