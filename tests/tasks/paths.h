/* tests/tasks/paths.h: the two ways into the kernel (SYSCALL and int $0x80) as functions, for tests that try both. */
#ifndef TESTS_TASKS_PATHS_H
#define TESTS_TASKS_PATHS_H

#include "lde.h"

typedef long (*syscall_path_fn)(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

struct syscall_path {
	const char *name; /* as printed in results: "syscall" or "int80" */
	syscall_path_fn call;
};

static long path_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return lde_syscall(nr, a0, a1, a2, a3, a4, a5);
}

static long path_int80(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return lde_int80(nr, a0, a1, a2, a3, a4, a5);
}

static const struct syscall_path syscall_paths[2] = {
	{ "syscall", path_syscall },
	{ "int80", path_int80 },
};

#endif
