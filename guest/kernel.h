/* guest/kernel.h: what every kernel file uses: printing, panicking, the boot information. */
#ifndef GUEST_KERNEL_H
#define GUEST_KERNEL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../abi/boot.h"
#include "../abi/x86.h"

/* The kernel's own copy of the VMM's boot information (the original page is unmapped). */
extern struct lde_boot_info boot_info;

/* kprintf: printf to the console; %d %i %u %x %p %s %c %%, with l/ll/z, width and '0'. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* console_flush: send what kprintf buffered (it flushes at each newline by itself). */
void console_flush(void);

/* panic: print the message and exit the guest with LDE_EXIT_KERNEL_PANIC. (The attribute as
 * well as _Noreturn: cppcheck knows only the attribute, and checks callers by it.) */
_Noreturn void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define KASSERT(e)                                                                        \
	((e) ? (void)0 : panic("assertion failed: %s (%s:%d)", #e, __FILE__, __LINE__))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))

/* Linker-script symbols (guest/kernel.ld): take their addresses only. */
extern char __kernel_start[], __kernel_end[];
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], __user_text_start[], __user_text_end[];

#endif
