/* abi/hypercall.h: the guest-to-VMM calls: numbers, ports and argument structs. */
#ifndef LDE_ABI_HYPERCALL_H
#define LDE_ABI_HYPERCALL_H

#include <stdint.h>

/*
 * A hypercall is one 32-bit port write: `outl %eax, %dx` with DX = LDE_HC_PORT(nr) and
 * EAX = the guest-physical address of the call's argument struct (8-byte aligned,
 * inside guest RAM). The VMM reads the IN fields, acts, and writes the OUT fields
 * before the vCPU resumes. The struct must lie below 4 GiB; guest RAM always does.
 *
 * Guest addresses inside argument structs are lde_gpa_t: an integer, so host code
 * cannot dereference one without passing it through the VMM's range check.
 */
typedef uint64_t lde_gpa_t;

#define LDE_HC_PORT_BASE 0x500u
#define LDE_HC_PORT(nr) (LDE_HC_PORT_BASE + (nr))

enum lde_hypercall {
	LDE_HC_RESERVED = 0,
	LDE_HC_CONSOLE_WRITE = 1,
	LDE_HC_EXIT = 2,
	LDE_HC_MAX, /* first unused number */
};

/* LDE_HC_CONSOLE_WRITE: write len bytes at buf to the console (the VMM's stdout). */
struct lde_hc_console_write {
	lde_gpa_t buf; /* IN */
	uint64_t len;  /* IN */
	int64_t ret;   /* OUT: bytes written, or a negative errno */
};

/* LDE_HC_EXIT: end the guest; the VMM exits with this status (see README). */
struct lde_hc_exit {
	uint64_t status; /* IN: 0..123 or 128..255 */
};

/* COM1 transmit register: byte writes are printed too, for early code and other kernels. */
#define LDE_COM1_PORT 0x3f8u
#define LDE_COM1_PORT_COUNT 8u
#define LDE_COM1_LSR_OFFSET 5u /* line status register; reads report "transmitter empty" */

#endif
