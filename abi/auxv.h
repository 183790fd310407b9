/* abi/auxv.h: how a task starts: the stack the kernel builds, as the Linux x86-64 ABI lays it out. */
#ifndef LDE_ABI_AUXV_H
#define LDE_ABI_AUXV_H

/*
 * At a task's first instruction (System V AMD64 ABI, 3.4.1; Linux's fs/binfmt_elf.c):
 *
 *   RSP -> argc                          (RSP is 16-byte aligned)
 *          argv[0] .. argv[argc - 1], NULL
 *          envp[0] .. , NULL             (our kernel passes no environment)
 *          auxv: (type, value) pairs, ending with (AT_NULL, 0)
 *          ... the strings argv points at, the AT_RANDOM bytes, up to the top of the stack
 *
 * The types are Linux's numbers (include/uapi/linux/auxvec.h); our kernel gives these. The
 * block ends at the top of the stack; below the page where it begins (where RSP points) the
 * task has USER_STACK_SIZE of stack (guest/memlayout.h), then an unmapped guard page.
 */
#define AT_NULL 0    /* the end */
#define AT_PHDR 3    /* the program headers in the task's memory */
#define AT_PHENT 4   /* the size of one */
#define AT_PHNUM 5   /* how many */
#define AT_PAGESZ 6  /* 4096 */
#define AT_ENTRY 9   /* the program's entry point */
#define AT_UID 11    /* 0: every task runs as root of its own address space */
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_HWCAP 16  /* CPUID leaf 1 EDX, as Linux gives it */
#define AT_CLKTCK 17 /* times() ticks a second: 100 */
#define AT_SECURE 23 /* 0 */
#define AT_RANDOM 25 /* 16 bytes for the C library's stack protector and pointer guard */
#define AT_EXECFN 31 /* the path the program was started by: argv[0] */

#define LDE_AUXV_ENTRIES 15 /* the pairs above, AT_NULL included */
#define LDE_AT_CLKTCK 100
#define LDE_AT_RANDOM_BYTES 16

#endif
