/* common/trapname.h: the name of a trap vector, for the kernel's messages and the VMM's trace. */
#ifndef LDE_COMMON_TRAPNAME_H
#define LDE_COMMON_TRAPNAME_H

#include <stdint.h>

/* x86_trap_name: "#PF page fault" for an exception, "interrupt" for 32-255, "bad vector" above. */
const char *x86_trap_name(uint64_t vector);

#endif
