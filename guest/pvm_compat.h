/* guest/pvm_compat.h: system calls under kvm_pvm, where SYSCALL and int $0x80 do not work as on hardware. */
#ifndef GUEST_PVM_COMPAT_H
#define GUEST_PVM_COMPAT_H

#include <stdint.h>

#include "trapframe.h"

/* guest/pvm_entry.S: the #BP and #UD entries that recognise system calls in assembly. */
extern char pvm_bp_entry[], pvm_bp_entry_kpti[], pvm_bp_entry_verw[], pvm_bp_entry_ibpb[];
extern char pvm_ud_entry[];

/* pvm_compat_init: on kvm_pvm (platform.pvm), point LSTAR at PVM_SYSCALL_PAGE, install the
 * #BP and #UD entries and the trap hook; elsewhere do nothing. After trap_init. */
void pvm_compat_init(void);

/* pvm_compat_map: on kvm_pvm, map the syscall page into a task's address space; 0 or -1. */
int pvm_compat_map(uint64_t *pml4);


#endif
