/* vmm/gdb_proto.c: GDB's remote serial protocol on a file descriptor: framing, checksums, acknowledgements, hex. */
#include "gdb_proto.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../common/hex.h"

#define SEND_TRIES 5 /* a packet refused this many times: the client is not listening */

static const volatile sig_atomic_t *stop_flag;

void gdb_proto_set_stop(const volatile sig_atomic_t *stop)
{
	stop_flag = stop;
}

/* One byte; a signal retries it, unless the run is ending (--timeout). */
static int read_byte(int fd, char *c)
{
	ssize_t r;

	do
		r = read(fd, c, 1);
	while (r < 0 && errno == EINTR && !(stop_flag && *stop_flag));
	return r == 1 ? 0 : -1;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR && !(stop_flag && *stop_flag))
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

uint8_t gdb_checksum(const char *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + (uint8_t)p[i]);
	return sum;
}

void gdb_hex_encode(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

int gdb_hex_decode(const char *in, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit(in[2 * i]), lo = hi < 0 ? -1 : hex_digit(in[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int gdb_parse_hex(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	int d;

	if (hex_digit(*p) < 0)
		return -1;
	while ((d = hex_digit(*p)) >= 0) {
		if (x >> 60)
			return -1;
		x = x << 4 | (uint64_t)d;
		p++;
	}
	*s = p;
	*v = x;
	return 0;
}

enum gdb_read gdb_read_packet(int fd, char *buf, size_t *len)
{
	for (;;) {
		char c, sum[2];
		size_t n = 0;
		int too_long = 0;
		uint8_t want;

		if (read_byte(fd, &c) != 0)
			return GDB_READ_GONE;
		if (c == GDB_INTERRUPT)
			return GDB_READ_INTERRUPT;
		if (c != '$')
			continue; /* acks, noise */
		for (;;) {
			if (read_byte(fd, &c) != 0)
				return GDB_READ_GONE;
			if (c == '#')
				break;
			if (n < GDB_PACKET_MAX - 1)
				buf[n++] = c;
			else
				too_long = 1;
		}
		if (read_byte(fd, &sum[0]) != 0 || read_byte(fd, &sum[1]) != 0)
			return GDB_READ_GONE;
		buf[n] = '\0';
		if (too_long || gdb_hex_decode(sum, 1, &want) != 0 || want != gdb_checksum(buf, n)) {
			if (write_all(fd, "-", 1) != 0)
				return GDB_READ_GONE;
			continue;
		}
		if (write_all(fd, "+", 1) != 0)
			return GDB_READ_GONE;
		*len = n;
		return GDB_READ_PACKET;
	}
}

int gdb_send(int fd, const char *payload, size_t len)
{
	static char frame[2 * GDB_PACKET_MAX + 8];
	char tail[4];
	size_t n = 0;

	if (len > 2 * GDB_PACKET_MAX)
		return -1;
	frame[n++] = '$';
	memcpy(frame + n, payload, len);
	n += len;
	frame[n++] = '#';
	gdb_hex_encode((const uint8_t[]){ gdb_checksum(payload, len) }, 1, tail);
	frame[n++] = tail[0];
	frame[n++] = tail[1];
	for (int tries = 0; tries < SEND_TRIES; tries++) {
		char c;

		if (write_all(fd, frame, n) != 0)
			return -1;
		do {
			if (read_byte(fd, &c) != 0)
				return -1;
		} while (c != '+' && c != '-');
		if (c == '+')
			return 0;
	}
	return -1;
}

int gdb_send_str(int fd, const char *payload)
{
	return gdb_send(fd, payload, strlen(payload));
}
