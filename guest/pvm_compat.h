/* guest/pvm_compat.h: system calls under kvm_pvm, where SYSCALL and int $0x80 do not work as on hardware. */
#ifndef GUEST_PVM_COMPAT_H
#define GUEST_PVM_COMPAT_H

#include <stdint.h>

#include "trapframe.h"

/* pvm_compat_enabled: 1 when the VMM reported kvm_pvm and the compatibility paths are on. */
extern int pvm_compat_enabled;

/* guest/pvm_entry.S: the #BP and #UD entries that recognise system calls in assembly. */
extern char pvm_bp_entry[], pvm_bp_entry_kpti[], pvm_bp_entry_verw[], pvm_bp_entry_ibpb[];
extern char pvm_ud_entry[];

/* pvm_compat_init: on kvm_pvm, point LSTAR at PVM_SYSCALL_PAGE; elsewhere do nothing. */
void pvm_compat_init(void);

/* pvm_compat_map: on kvm_pvm, map the syscall page into a task's address space; 0 or -1. */
int pvm_compat_map(uint64_t *pml4);

/* pvm_compat_trap: a #BP or #UD from ring 3 that is really a system call: serve it, 1; else 0. */
int pvm_compat_trap(struct trapframe *tf);

#endif
