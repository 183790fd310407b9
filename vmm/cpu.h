/* vmm/cpu.h: the vCPU's starting state: boot GDT, identity page tables, long-mode registers. */
#ifndef VMM_CPU_H
#define VMM_CPU_H

#include <linux/kvm.h>
#include <stdint.h>

#include "gmem.h"

/* cpu_seg_desc: the 8-byte GDT descriptor that matches a KVM segment (code or data). */
uint64_t cpu_seg_desc(const struct kvm_segment *s);

/* The boot code and data segments, as KVM takes them. */
struct kvm_segment cpu_boot_code_seg(void);
struct kvm_segment cpu_boot_data_seg(void);

/*
 * cpu_build_boot_tables: write the boot GDT and page tables that identity-map all of guest
 * RAM with 2 MiB pages, and alias its first 2 GiB at LDE_BOOT_HIGH_ALIAS. gm->size must be a multiple of 2 MiB and at most
 * LDE_BOOT_PD_MAX GiB. Returns 0, or -1 if it does not fit.
 */
int cpu_build_boot_tables(const struct gmem *gm);

/* cpu_enter_long_mode: load the boot state into the vCPU (see abi/boot.h for the contract). */
void cpu_enter_long_mode(int vcpu_fd, uint64_t entry);

/* cpu_dump: print the vCPU's registers on stderr (after a crash). */
void cpu_dump(int vcpu_fd);

#endif
