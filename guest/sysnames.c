/* guest/sysnames.c: Linux's names for error numbers, the check that abi/syscall.h's numbers are Linux's, and the line the kernel prints the first time a task makes a call it does not serve. */
/*
 * <asm/errno.h> first: abi/syscall.h then defines the error numbers it uses a second time. C
 * allows that only with the same replacement list, so a number that differed from Linux's
 * stops the build ("ESPIPE redefined", an error under -Werror). The order matters: GCC does
 * not diagnose a redefinition made inside a system header.
 */
#include <asm/errno.h>
#include <stddef.h>

#include "../common/sysname.h"
#include "kernel.h"
#include "syscall.h"
#include "task.h"

/*
 * Generated from the installed Linux headers (Makefile: $(BUILD)/gen/linux_names.h), with a
 * _Static_assert that each SYS_ number in abi/syscall.h is Linux's.
 */
#include "linux_names.h"
#include <asm/unistd_64.h>
LINUX_ABI_CHECKS

static const char *const errno_names[] = { LINUX_ERRNO_NAMES };
#define NERRNO_NAMES (sizeof(errno_names) / sizeof(errno_names[0]))

const char *errno_name(int64_t err)
{
	uint64_t e = (uint64_t)err; /* a negative err is far past the table */

	return e < NERRNO_NAMES ? errno_names[e] : NULL;
}

/*
 * Once per number per task, so that a program that retries a call in a loop prints one line;
 * numbers beyond the table are many, so only the first of them is named.
 */
void syscall_unknown(uint64_t nr)
{
	struct task *t = current;
	const char *name = lde_syscall_name(nr);

	if (nr < SYS_MAX) {
		if (t->unknown_named[nr / 8] & (1u << (nr % 8)))
			return;
		t->unknown_named[nr / 8] |= (uint8_t)(1u << (nr % 8));
	} else {
		if (t->unknown_big_named)
			return;
		t->unknown_big_named = 1;
	}
	kprintf("lde: pid %d (%s): system call %llu (%s) is not served: -ENOSYS%s\n", t->pid,
		t->name, (unsigned long long)nr, name ? name : "not a Linux call",
		nr < SYS_MAX ? "" : " (later numbers past the table are not named)");
}
