/* vmm/gdb_proto.h: GDB's remote serial protocol on a file descriptor: packets, acknowledgements, hex. */
#ifndef VMM_GDB_PROTO_H
#define VMM_GDB_PROTO_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define GDB_PACKET_MAX 4096 /* the PacketSize we announce: GDB sends nothing longer */
#define GDB_INTERRUPT 0x03  /* Ctrl-C: the one byte sent outside a packet */

enum gdb_read {
	GDB_READ_PACKET,    /* a whole packet with a good checksum is in the buffer */
	GDB_READ_INTERRUPT, /* a Ctrl-C byte */
	GDB_READ_GONE,      /* the client closed the connection, or reading failed */
};

/*
 * gdb_read_packet: the next packet's payload (NUL-terminated, at most GDB_PACKET_MAX - 1
 * bytes; the rest of a longer one is dropped and the packet refused with '-'), acknowledged
 * with '+' once its checksum is right; a wrong checksum is answered '-' and the next packet
 * read (GDB sends it again). Bytes between packets other than Ctrl-C are ignored.
 */
enum gdb_read gdb_read_packet(int fd, char *buf, size_t *len);

/* gdb_send: payload framed as $payload#xx, written whole; waits for GDB's '+' (resends on
 * '-', gives up after a few). 0, or -1 when the client is gone. */
int gdb_send(int fd, const char *payload, size_t len);
int gdb_send_str(int fd, const char *payload);

/* gdb_proto_set_stop: reads and writes interrupted by a signal give up once *stop is set
 * (--timeout), instead of waiting for a client that may never answer. */
void gdb_proto_set_stop(const volatile sig_atomic_t *stop);

/* gdb_checksum: the sum of the bytes mod 256. */
uint8_t gdb_checksum(const char *p, size_t len);

/* Hex: bytes -> lowercase hex (out has 2 * n + 1 bytes); hex -> bytes (-1 on a bad digit). */
void gdb_hex_encode(const uint8_t *in, size_t n, char *out);
int gdb_hex_decode(const char *in, size_t n, uint8_t *out);

/* gdb_parse_hex: a hex number at *s, up to a character not a digit; moves *s past it. -1
 * when there is no digit or it overflows 64 bits. */
int gdb_parse_hex(const char **s, uint64_t *v);

#endif
