/* guest/pvh_console.h: the hypercall backend for a boot without our VMM: COM1 for output, no input, QEMU's isa-debug-exit (or a reset) for the end. */
#ifndef GUEST_PVH_CONSOLE_H
#define GUEST_PVH_CONSOLE_H

#include "hypercall.h"

/* Installed by guest/pvh.c with hc_backend_install after uart_init. */
extern const struct hc_backend pvh_console;

#endif
