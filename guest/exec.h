/* guest/exec.h: turning a checked ELF image into a task's address space. */
#ifndef GUEST_EXEC_H
#define GUEST_EXEC_H

#include <stdint.h>

#include "task.h"

/*
 * exec_load: check image[0, len) (guest/elfcheck.h), map its segments and a stack into t's
 * address space, write the process start there (argc, argv from args: args_len bytes of
 * NUL-terminated words, or t's name alone when args_len is 0; abi/auxv.h), and start t at
 * the entry point. Returns NULL, or why it was refused.
 */
const char *exec_load(struct task *t, const uint8_t *image, uint64_t len, const char *args,
		      uint64_t args_len);

#endif
