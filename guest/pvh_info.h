/* guest/pvh_info.h: hvm_start_info (abi/pvh.h) into the kernel's struct lde_boot_info (pure; unit-tested on the host). */
#ifndef GUEST_PVH_INFO_H
#define GUEST_PVH_INFO_H

#include <stdint.h>

#include "../abi/boot.h"

/*
 * Only RAM below this is used: the PVH entry's page tables identity-map the first 4 GiB,
 * which is where the kernel reads the hypervisor's structures and builds its own tables, and
 * our VMM's contract (abi/boot.h) puts all of guest RAM there too.
 */
#define PVH_RAM_LIMIT (4ull << 30)
#define PVH_MEMMAP_READ_MAX 128 /* hypervisor memory-map entries considered; QEMU sends ~8 */

/*
 * pvh_phys_fn: a pointer to the len bytes at physical address pa, or NULL when that range is
 * not readable (wraps, or lies beyond what the boot page tables map). The one place where a
 * physical address from the hypervisor becomes a pointer.
 */
typedef const void *(*pvh_phys_fn)(uint64_t pa, uint64_t len);

/* pvh_warn_fn: report a problem that the boot survives (a module skipped, a line cut). */
typedef void (*pvh_warn_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * pvh_info_translate: fill bi from the struct hvm_start_info at physical si_pa: magic and
 * version, the command line, one boot module per hvm_modlist_entry (named by its command
 * line's first word, else "moduleN"), and the memory map: the hypervisor's RAM between 1 MiB
 * and PVH_RAM_LIMIT, less anything else it marks, the kernel image [kstart, kend) and the
 * modules. Every address and length is checked as input from outside; a bad module is
 * skipped with a warning. Leaves platform, tsc_khz, realtime_ns and flags zero. Returns NULL,
 * or why the kernel cannot boot from this start_info at all.
 */
const char *pvh_info_translate(uint64_t si_pa, pvh_phys_fn phys, uint64_t kstart, uint64_t kend,
			       struct lde_boot_info *bi, pvh_warn_fn warn);

#endif
