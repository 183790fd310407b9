/* tests/unit/test_gdb.c: GDB's remote protocol framing (vmm/gdb_proto.c) over a socket pair, and the register layout (vmm/gdb_regs.c). */
#include <check.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../vmm/gdb_proto.h"
#include "../../vmm/gdb_regs.h"
#include "suites.h"

static int sv[2]; /* sv[0]: the stub's end; sv[1]: the test plays GDB */

static void setup(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static void teardown(void)
{
	close(sv[0]);
	close(sv[1]);
}

static void client_sends(const char *s)
{
	ck_assert_int_eq(write(sv[1], s, strlen(s)), (ssize_t)strlen(s));
}

/* What the stub wrote back so far. */
static const char *client_reads(void)
{
	static char buf[256];
	ssize_t n = recv(sv[1], buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

START_TEST(packet_good)
{
	char buf[GDB_PACKET_MAX];
	size_t len;

	client_sends("+$qSupported#37");
	ck_assert_int_eq(gdb_read_packet(sv[0], buf, &len), GDB_READ_PACKET);
	ck_assert_str_eq(buf, "qSupported");
	ck_assert_uint_eq(len, 10);
	ck_assert_str_eq(client_reads(), "+");
}
END_TEST

/* A bad checksum is refused with '-', and the packet sent again is taken. */
START_TEST(packet_bad_checksum)
{
	char buf[GDB_PACKET_MAX];
	size_t len;

	client_sends("$g#00$g#67");
	ck_assert_int_eq(gdb_read_packet(sv[0], buf, &len), GDB_READ_PACKET);
	ck_assert_str_eq(buf, "g");
	ck_assert_str_eq(client_reads(), "-+");
}
END_TEST

/* Longer than the PacketSize we announced: refused, never overflowing the buffer. */
START_TEST(packet_too_long)
{
	static char big[GDB_PACKET_MAX + 64];
	char buf[GDB_PACKET_MAX];
	size_t len;

	big[0] = '$';
	memset(big + 1, 'a', GDB_PACKET_MAX + 10);
	memcpy(big + 1 + GDB_PACKET_MAX + 10, "#00", 4);
	client_sends(big);
	client_sends("$?#3f");
	ck_assert_int_eq(gdb_read_packet(sv[0], buf, &len), GDB_READ_PACKET);
	ck_assert_str_eq(buf, "?");
	ck_assert_str_eq(client_reads(), "-+");
}
END_TEST

START_TEST(packet_interrupt_and_gone)
{
	char buf[GDB_PACKET_MAX];
	size_t len;

	client_sends("\003");
	ck_assert_int_eq(gdb_read_packet(sv[0], buf, &len), GDB_READ_INTERRUPT);
	client_sends("$g#6"); /* cut off inside the checksum */
	close(sv[1]);
	sv[1] = -1;
	ck_assert_int_eq(gdb_read_packet(sv[0], buf, &len), GDB_READ_GONE);
}
END_TEST

/* A reply is framed with its checksum and sent again on '-'. */
START_TEST(send_and_resend)
{
	char got[64];
	ssize_t n;

	client_sends("-+");
	ck_assert_int_eq(gdb_send_str(sv[0], "OK"), 0);
	n = read(sv[1], got, sizeof(got) - 1);
	ck_assert_int_gt(n, 0);
	got[n] = '\0';
	ck_assert_str_eq(got, "$OK#9a$OK#9a");
}
END_TEST

START_TEST(send_client_gone)
{
	signal(SIGPIPE, SIG_IGN); /* as the VMM does: a closed connection is an error, not death */
	close(sv[1]);
	sv[1] = -1;
	ck_assert_int_eq(gdb_send_str(sv[0], "OK"), -1);
}
END_TEST

START_TEST(hex)
{
	uint8_t in[3] = { 0x00, 0xab, 0xff }, out[3];
	char s[7];
	const char *p;
	uint64_t v;

	gdb_hex_encode(in, 3, s);
	ck_assert_str_eq(s, "00abff");
	ck_assert_int_eq(gdb_hex_decode("00ABff", 3, out), 0);
	ck_assert_mem_eq(in, out, 3);
	ck_assert_int_eq(gdb_hex_decode("0g", 1, out), -1);
	p = "ffffffff80105660,1";
	ck_assert_int_eq(gdb_parse_hex(&p, &v), 0);
	ck_assert_uint_eq(v, 0xffffffff80105660ull);
	ck_assert_str_eq(p, ",1");
	p = "10000000000000000"; /* 2^64: does not fit */
	ck_assert_int_eq(gdb_parse_hex(&p, &v), -1);
	p = ",1";
	ck_assert_int_eq(gdb_parse_hex(&p, &v), -1);
	ck_assert_uint_eq(gdb_checksum("qSupported", 10), 0x37);
}
END_TEST

/* The description and the sizes agree: one <reg> per number, GDB's amd64 order. */
START_TEST(layout)
{
	unsigned regs = 0, bytes = 0;

	for (const char *p = strstr(gdb_target_xml, "<reg "); p; p = strstr(p + 1, "<reg "))
		regs++;
	ck_assert_uint_eq(regs, GDB_NREGS);
	for (unsigned n = 0; n < GDB_NREGS; n++)
		bytes += gdb_reg_size(n);
	/* 17 x 8 (rax-r15, rip), 7 x 4 (eflags, 6 selectors), 8 x 10 (st), 8 x 4 (x87 control),
	 * 16 x 16 (xmm), 4 (mxcsr), 9 x 8 (fs_base .. efer) */
	ck_assert_uint_eq(bytes, 17 * 8 + 7 * 4 + 8 * 10 + 8 * 4 + 16 * 16 + 4 + 9 * 8);
	ck_assert_uint_eq(gdb_reg_size(GDB_NREGS), 0);
	ck_assert_ptr_nonnull(strstr(gdb_target_xml, "<architecture>i386:x86-64</architecture>"));
	ck_assert_ptr_nonnull(strstr(gdb_target_xml, "name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>\n<reg name=\"rsp\""));
}
END_TEST

/* KVM keeps rsp before rbp; GDB numbers rbp 6 and rsp 7. A task's frame overrides. */
START_TEST(values)
{
	struct kvm_regs k;
	struct kvm_sregs s;
	struct kvm_fpu f;
	struct lde_debug_regs t;
	struct gdb_regs_view v = { &k, &s, &f, NULL };
	uint8_t b[GDB_REG_BYTES_MAX];
	uint64_t x;

	memset(&k, 0, sizeof(k));
	memset(&s, 0, sizeof(s));
	memset(&f, 0, sizeof(f));
	memset(&t, 0, sizeof(t));
	k.rbp = 0x1111, k.rsp = 0x2222, k.rip = 0x3333;
	s.cr3 = 0x163000;
	f.xmm[1][0] = 0x5a;
	gdb_reg_get(&v, 6, b);
	memcpy(&x, b, 8);
	ck_assert_uint_eq(x, 0x1111);
	gdb_reg_get(&v, 7, b);
	memcpy(&x, b, 8);
	ck_assert_uint_eq(x, 0x2222);
	gdb_reg_get(&v, 62, b); /* cr3 */
	memcpy(&x, b, 8);
	ck_assert_uint_eq(x, 0x163000);
	gdb_reg_get(&v, 41, b); /* xmm1 */
	ck_assert_uint_eq(b[0], 0x5a);
	x = 0x4444;
	ck_assert_int_eq(gdb_reg_set(&v, 16, (uint8_t *)&x), 0);
	ck_assert_uint_eq(k.rip, 0x4444);
	ck_assert_int_eq(gdb_reg_set(&v, 62, (uint8_t *)&x), -1); /* cr3: not writable */
	v.task = &t;
	t.rip = 0x401000;
	t.cs = 0x2b;
	gdb_reg_get(&v, 16, b);
	memcpy(&x, b, 8);
	ck_assert_uint_eq(x, 0x401000);
	gdb_reg_get(&v, 18, b); /* cs, 4 bytes */
	ck_assert_uint_eq(b[0], 0x2b);
	x = 0x401005;
	ck_assert_int_eq(gdb_reg_set(&v, 16, (uint8_t *)&x), 0);
	ck_assert_uint_eq(t.rip, 0x401005);
	ck_assert_uint_eq(k.rip, 0x4444); /* the vCPU's untouched */
}
END_TEST

Suite *gdb_suite(void)
{
	Suite *s = suite_create("gdb");
	TCase *p = tcase_create("protocol");
	TCase *r = tcase_create("registers");

	tcase_add_checked_fixture(p, setup, teardown);
	tcase_add_test(p, packet_good);
	tcase_add_test(p, packet_bad_checksum);
	tcase_add_test(p, packet_too_long);
	tcase_add_test(p, packet_interrupt_and_gone);
	tcase_add_test(p, send_and_resend);
	tcase_add_test(p, send_client_gone);
	tcase_add_test(p, hex);
	tcase_add_test(r, layout);
	tcase_add_test(r, values);
	suite_add_tcase(s, p);
	suite_add_tcase(s, r);
	return s;
}
