/* guest/uart.c: a polled 16550 UART on COM1: the console when no LDE VMM serves the hypercall ports. */
#include "uart.h"

#include <stdint.h>

#include "../abi/hypercall.h"
#include "x86.h"

/* The 16550's registers, as offsets from its base port (National Semiconductor PC16550D). */
#define UART_THR 0 /* transmit holding register (write, DLAB = 0) */
#define UART_DLL 0 /* divisor latch, low byte (DLAB = 1) */
#define UART_IER 1 /* interrupt enable (DLAB = 0) */
#define UART_DLM 1 /* divisor latch, high byte (DLAB = 1) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR LDE_COM1_LSR_OFFSET

#define UART_LCR_8N1 0x03          /* 8 data bits, no parity, 1 stop bit */
#define UART_LCR_DLAB 0x80         /* the first two registers become the divisor latch */
#define UART_FCR_ENABLE_CLEAR 0x07 /* FIFOs on, both emptied */
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR_THRE 0x20         /* the transmit holding register is empty */
#define UART_DIVISOR_115200 1      /* the 1.8432 MHz clock / 16 / 115200 */

/*
 * How long to wait for THRE before sending anyway: a UART that never reports ready (or no
 * UART at all, whose LSR may read 0) must not hang the kernel. A working one is ready within
 * a character time; QEMU's is ready at once unless its output is stalled.
 */
#define UART_POLL_MAX (1u << 20)

static void reg_write(unsigned reg, uint8_t v)
{
	outb((uint16_t)(LDE_COM1_PORT + reg), v);
}

void uart_init(void)
{
	reg_write(UART_IER, 0);
	reg_write(UART_LCR, UART_LCR_DLAB);
	reg_write(UART_DLL, UART_DIVISOR_115200 & 0xff);
	reg_write(UART_DLM, UART_DIVISOR_115200 >> 8);
	reg_write(UART_LCR, UART_LCR_8N1);
	reg_write(UART_FCR, UART_FCR_ENABLE_CLEAR);
	reg_write(UART_MCR, UART_MCR_DTR_RTS);
}

void uart_write(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		for (unsigned n = 0; n < UART_POLL_MAX; n++)
			if (inb(LDE_COM1_PORT + UART_LSR) & UART_LSR_THRE)
				break;
		reg_write(UART_THR, p[i]);
	}
}
