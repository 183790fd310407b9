/* guest/uart.h: a polled 16550 UART on COM1: the console when no LDE VMM serves the hypercall ports. */
#ifndef GUEST_UART_H
#define GUEST_UART_H

#include <stddef.h>

/* uart_init: 115200 baud, 8N1, FIFOs on, interrupts off. */
void uart_init(void);

/* uart_write: send len bytes, each once the transmitter can take it. */
void uart_write(const void *buf, size_t len);

#endif
