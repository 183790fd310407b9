/* common/sysname.h: a system call's name, as Linux spells it, for the kernel's strace and reports and the VMM's trace. */
#ifndef LDE_COMMON_SYSNAME_H
#define LDE_COMMON_SYSNAME_H

#include <stdint.h>

/* lde_syscall_name: Linux's name for nr, the project's own (lde_nop, ...) for theirs; NULL
 * for a number that is neither. */
const char *lde_syscall_name(uint64_t nr);

#endif
