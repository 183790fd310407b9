/* common/sysname.c: system-call names: Linux's, generated from its headers ($(BUILD)/gen/linux_names.h), and the project's own. */
#include "sysname.h"

#include <stddef.h>

#include "../abi/syscall.h"
#include "linux_names.h"

static const char *const linux_names[] = { LINUX_SYSCALL_NAMES };

const char *lde_syscall_name(uint64_t nr)
{
	switch (nr) {
	case SYS_nop: return "lde_nop";
	case SYS_stats: return "lde_stats";
	case SYS_bench: return "lde_bench";
	case SYS_assert_fail: return "lde_assert_fail";
	}
	if (nr < sizeof(linux_names) / sizeof(linux_names[0]) && linux_names[nr] != NULL)
		return linux_names[nr];
	return NULL;
}
