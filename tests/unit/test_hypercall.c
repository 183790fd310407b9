/* tests/unit/test_hypercall.c: hypercall decoding and argument checks in vmm/hypercall.c (console_write, exit, nop, counters, step, unknown numbers). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../abi/bench.h"
#include "../../abi/hypercall.h"
#include "../../vmm/gmem.h"
#include "../../vmm/hypercall.h"
#include "suites.h"

#define RAM_SIZE (1u << 20)
#define ARG_GPA 0x1000u /* where the tests put argument structs */
#define BUF_GPA 0x2000u /* and console buffers */

static struct gmem gm;
static struct hc_ctx ctx;
static int pipefd[2];

static void setup(void)
{
	gm.base = calloc(1, RAM_SIZE);
	gm.size = RAM_SIZE;
	ck_assert_ptr_nonnull(gm.base);
	ck_assert_int_eq(pipe(pipefd), 0);
	ck_assert_int_eq(fcntl(pipefd[0], F_SETFL, O_NONBLOCK), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.gm = &gm;
	ctx.out_fd = pipefd[1];
	ctx.exit_status = -1;
}

static void teardown(void)
{
	close(pipefd[0]);
	close(pipefd[1]);
	free(gm.base);
}

static struct lde_hc_console_write *cw_at(uint64_t gpa)
{
	struct lde_hc_console_write *a = gmem_ptr(&gm, gpa, sizeof(*a));

	ck_assert_ptr_nonnull(a);
	return a;
}

/* Put a console_write struct at ARG_GPA asking for [buf, buf + len), with ret preset. */
static struct lde_hc_console_write *console_args(uint64_t buf, uint64_t len)
{
	struct lde_hc_console_write *a = cw_at(ARG_GPA);

	a->buf = buf;
	a->len = len;
	a->ret = 0x5a5a;
	return a;
}

/* Bytes waiting on the pipe (none: 0). */
static ssize_t drain(char *out, size_t cap)
{
	ssize_t n = read(pipefd[0], out, cap);

	return n < 0 && errno == EAGAIN ? 0 : n;
}

static void assert_fault(enum hc_result r, const char *why)
{
	ck_assert_int_eq(r, HC_FAULT);
	ck_assert_msg(strstr(ctx.err, why) != NULL, "err '%s' lacks '%s'", ctx.err, why);
}

START_TEST(console_write_ok)
{
	char out[64];
	struct lde_hc_console_write *a = console_args(BUF_GPA, 11);

	memcpy(gm.base + BUF_GPA, "hello guest", 11);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 11);
	ck_assert_int_eq(drain(out, sizeof(out)), 11);
	ck_assert_mem_eq(out, "hello guest", 11);
	ck_assert_uint_eq(ctx.count[LDE_HC_CONSOLE_WRITE], 1);
}
END_TEST

START_TEST(console_write_ram_end)
{
	char out[8];
	struct lde_hc_console_write *a = console_args(RAM_SIZE - 4, 4);

	memcpy(gm.base + RAM_SIZE - 4, "tail", 4);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 4);
	ck_assert_int_eq(drain(out, sizeof(out)), 4);
	ck_assert_mem_eq(out, "tail", 4);
}
END_TEST

START_TEST(console_write_len0)
{
	char out[8];
	struct lde_hc_console_write *a = console_args(BUF_GPA, 0);

	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 0);
	ck_assert_int_eq(drain(out, sizeof(out)), 0);
	a = console_args(RAM_SIZE, 0); /* empty at the very end is still inside */
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 0);
}
END_TEST

START_TEST(console_write_buf_outside)
{
	char out[8];
	struct lde_hc_console_write *a = console_args(RAM_SIZE - 2, 4);

	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), "outside");
	ck_assert_int_eq(a->ret, 0x5a5a);
	ck_assert_int_eq(drain(out, sizeof(out)), 0);
	console_args(RAM_SIZE, 1);
	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), "outside");
	console_args(1ull << 40, 1);
	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), "outside");
}
END_TEST

START_TEST(console_write_buf_wraps)
{
	char out[8];
	struct lde_hc_console_write *a = console_args(UINT64_MAX - 3, 16);

	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), "outside");
	ck_assert_int_eq(a->ret, 0x5a5a);
	console_args(16, UINT64_MAX - 8); /* 16 + len wraps to 7 */
	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), "outside");
	ck_assert_int_eq(drain(out, sizeof(out)), 0);
}
END_TEST

START_TEST(arg_struct_outside)
{
	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, RAM_SIZE - 8), "outside");
	ck_assert_msg(strstr(ctx.err, "console_write") != NULL, "err '%s' names the call", ctx.err);
	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, RAM_SIZE), "outside");
	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, 0xfffffff8u), "outside");
	assert_fault(hc_dispatch(&ctx, LDE_HC_EXIT, RAM_SIZE), "outside");
	ck_assert_int_eq(ctx.exit_status, -1);
}
END_TEST

START_TEST(arg_struct_last_slot)
{
	/* The last 24 bytes of RAM hold a whole struct: accepted. */
	struct lde_hc_console_write *a = cw_at(RAM_SIZE - sizeof(*a));

	a->buf = BUF_GPA;
	a->len = 0;
	a->ret = 99;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, RAM_SIZE - sizeof(*a)),
			 HC_CONTINUE);
	ck_assert_int_eq(a->ret, 0);
}
END_TEST

START_TEST(arg_struct_misaligned)
{
	/* A well-formed struct, only at a 4-byte-aligned address. */
	struct lde_hc_console_write a = { .buf = BUF_GPA, .len = 1, .ret = 0x5a5a };

	memcpy(gm.base + 0x1004, &a, sizeof(a));
	assert_fault(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, 0x1004), "misaligned");
	assert_fault(hc_dispatch(&ctx, LDE_HC_EXIT, 0x1001), "misaligned");
	ck_assert_int_eq(ctx.exit_status, -1);
}
END_TEST

static enum hc_result do_exit(uint64_t status)
{
	struct lde_hc_exit *a = gmem_ptr(&gm, ARG_GPA, sizeof(*a));

	ck_assert_ptr_nonnull(a);
	a->status = status;
	ctx.exit_status = -1;
	ctx.err[0] = '\0';
	return hc_dispatch(&ctx, LDE_HC_EXIT, ARG_GPA);
}

START_TEST(exit_guest_statuses)
{
	static const uint64_t ok[] = { 0, 1, 7, 120, 123, 128, 200, 255 };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_msg(do_exit(ok[i]) == HC_EXIT, "status %llu: not HC_EXIT (%s)",
			      (unsigned long long)ok[i], ctx.err);
		ck_assert_int_eq(ctx.exit_status, (int)ok[i]);
	}
	ck_assert_uint_eq(ctx.count[LDE_HC_EXIT], sizeof(ok) / sizeof(ok[0]));
}
END_TEST

START_TEST(exit_reserved_statuses)
{
	static const uint64_t bad[] = { 124, 125, 126, 127, 256, 1000, 1ull << 32,
					UINT64_MAX };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(do_exit(bad[i]) == HC_FAULT, "status %llu: not HC_FAULT",
			      (unsigned long long)bad[i]);
		ck_assert_msg(strstr(ctx.err, "status") != NULL, "err '%s'", ctx.err);
		ck_assert_int_eq(ctx.exit_status, -1);
	}
}
END_TEST

/* The trace and the debugger's calls: without their module, -ENODEV (the kernel stops
 * asking); a batch past the limit, events outside RAM or an unknown op break the contract. */
static unsigned traced;
static void trace_sink(void *arg, const struct lde_trace_event *ev, unsigned n, uint64_t dropped)
{
	(void)arg, (void)ev, (void)dropped;
	traced += n;
}

START_TEST(trace_and_debug)
{
	struct lde_hc_trace *t = (struct lde_hc_trace *)gmem_ptr(&gm, ARG_GPA, sizeof(*t));
	struct lde_hc_debug *d;

	*t = (struct lde_hc_trace){ .events = BUF_GPA, .count = 2, .ret = 99 };
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_TRACE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(t->ret, -ENODEV);
	ctx.trace = trace_sink;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_TRACE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(t->ret, 0);
	ck_assert_uint_eq(traced, 2);
	t->count = LDE_TRACE_BATCH_MAX + 1;
	assert_fault(hc_dispatch(&ctx, LDE_HC_TRACE, ARG_GPA), "more than");
	t->count = 2;
	t->events = RAM_SIZE - 48;
	assert_fault(hc_dispatch(&ctx, LDE_HC_TRACE, ARG_GPA), "outside guest RAM");
	d = (struct lde_hc_debug *)gmem_ptr(&gm, ARG_GPA, sizeof(*d));
	memset(d, 0, sizeof(*d));
	d->op = LDE_DEBUG_STOP;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_DEBUG, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(d->ret, -ENODEV);
	d->op = 77;
	assert_fault(hc_dispatch(&ctx, LDE_HC_DEBUG, ARG_GPA), "unknown op");
}
END_TEST

START_TEST(unknown_numbers)
{
	static const unsigned bad[] = { LDE_HC_RESERVED, LDE_HC_MAX, LDE_HC_MAX + 1, 1000, UINT32_MAX };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ctx.err[0] = '\0';
		assert_fault(hc_dispatch(&ctx, bad[i], ARG_GPA), "unknown");
	}
	for (size_t i = 0; i < sizeof(ctx.count) / sizeof(ctx.count[0]); i++)
		ck_assert_msg(ctx.count[i] == 0, "count[%zu] = %llu", i,
			      (unsigned long long)ctx.count[i]);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(hc_name(LDE_HC_CONSOLE_WRITE), "console_write");
	ck_assert_str_eq(hc_name(LDE_HC_EXIT), "exit");
	ck_assert_ptr_null(hc_name(LDE_HC_RESERVED));
	ck_assert_ptr_null(hc_name(LDE_HC_MAX));
	ck_assert_ptr_null(hc_name(1000));
	ck_assert_ptr_null(hc_name(UINT32_MAX));
}
END_TEST

START_TEST(console_write_epipe)
{
	struct lde_hc_console_write *a = console_args(BUF_GPA, 5);

	signal(SIGPIPE, SIG_IGN);
	close(pipefd[0]);
	pipefd[0] = -1;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_CONSOLE_WRITE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, -EPIPE);
}
END_TEST

/* The first byte of p[0, n) that is not c, or NULL. */
static const uint8_t *memchr_not(const uint8_t *p, uint8_t c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return p + i;
	return NULL;
}

START_TEST(nop_touches_nothing)
{
	uint8_t *ram = gm.base;

	memset(ram, 0xa5, RAM_SIZE);
	/* The value is not an address: anything, even outside RAM, is fine. */
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_NOP, 0xfffffff8u), HC_CONTINUE);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_NOP, 3), HC_CONTINUE);
	ck_assert_uint_eq(ctx.count[LDE_HC_NOP], 2);
	/* One comparison, not a check a byte: a million of those outran Check's timeout under ASan. */
	ck_assert_ptr_null(memchr_not(ram, 0xa5, RAM_SIZE));
	ck_assert_str_eq(hc_name(LDE_HC_NOP), "nop");
}
END_TEST

START_TEST(counters_without_kvm_stats)
{
	uint64_t exits = 12345;
	struct lde_bench_counters *c = gmem_ptr(&gm, ARG_GPA, sizeof(*c));

	memset(c, 0xff, sizeof(*c));
	ctx.vmm_exits = &exits;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_COUNTERS, ARG_GPA), HC_CONTINUE);
	ck_assert_uint_eq(c->vmm_exits, 12345);
	ck_assert_uint_eq(c->kvm_valid, 0);
	ck_assert_uint_eq(c->kvm_exits, 0);
	ck_assert_uint_eq(c->kvm_insn_emul, 0);
	ck_assert_str_eq(hc_name(LDE_HC_COUNTERS), "counters");
}
END_TEST

/* LDE_HC_STEP: a fake server that records what it was asked and answers with counts. */
static unsigned step_calls;
static uint64_t step_op;

static int64_t fake_step(const struct lde_hc_step *in, struct lde_hc_step *out)
{
	step_calls++;
	step_op = in->op;
	out->ring0 = 99;
	out->ring3 = 0;
	out->entries = 9;
	return in->op == LDE_STEP_OFF ? -ERANGE : 0;
}

static struct lde_hc_step *step_args(uint64_t op)
{
	struct lde_hc_step *a = gmem_ptr(&gm, ARG_GPA, sizeof(*a));

	ck_assert_ptr_nonnull(a);
	memset(a, 0x5a, sizeof(*a));
	a->op = op;
	return a;
}

START_TEST(step_refused_without_module)
{
	struct lde_hc_step *a = step_args(LDE_STEP_ON);

	/* A VMM without --step answers, and the guest goes on: it cannot know how we started. */
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_STEP, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, -EPERM);
	ck_assert_uint_eq(a->ring0, 0);
	ck_assert_uint_eq(a->entries, 0);
	ck_assert_uint_eq(a->op, LDE_STEP_ON); /* IN fields are left alone */
	ck_assert_uint_eq(ctx.count[LDE_HC_STEP], 1);
	ck_assert_str_eq(hc_name(LDE_HC_STEP), "step");
}
END_TEST

START_TEST(step_bad_op)
{
	static const uint64_t bad[] = { 0, 3, LDE_STEP_OFF + 1, UINT64_MAX };

	ctx.step = fake_step;
	step_calls = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lde_hc_step *a = step_args(bad[i]);
		ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_STEP, ARG_GPA), HC_CONTINUE);
		ck_assert_int_eq(a->ret, -EINVAL);
		ck_assert_uint_eq(a->ring0, 0);
	}
	ck_assert_uint_eq(step_calls, 0); /* the server never sees them */
}
END_TEST

START_TEST(step_served)
{
	struct lde_hc_step *a = step_args(LDE_STEP_ON);

	ctx.step = fake_step;
	step_calls = 0;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_STEP, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 0);
	ck_assert_uint_eq(step_op, LDE_STEP_ON);
	a = step_args(LDE_STEP_OFF);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_STEP, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, -ERANGE);
	ck_assert_uint_eq(a->ring0, 99);
	ck_assert_uint_eq(a->ring3, 0);
	ck_assert_uint_eq(a->entries, 9);
	ck_assert_uint_eq(step_calls, 2);
}
END_TEST

START_TEST(step_bad_struct)
{
	ctx.step = fake_step;
	step_calls = 0;
	assert_fault(hc_dispatch(&ctx, LDE_HC_STEP, RAM_SIZE - 8), "outside");
	assert_fault(hc_dispatch(&ctx, LDE_HC_STEP, ARG_GPA + 4), "misaligned");
	ck_assert_uint_eq(step_calls, 0);
}
END_TEST

START_TEST(counters_bad_struct)
{
	/* The OUT struct must lie wholly in RAM and be aligned, like every argument struct. */
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_COUNTERS, RAM_SIZE - 8), HC_FAULT);
	ck_assert_ptr_nonnull(strstr(ctx.err, "counters"));
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_COUNTERS, ARG_GPA + 4), HC_FAULT);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_COUNTERS, RAM_SIZE - sizeof(struct lde_bench_counters)),
			 HC_CONTINUE);
}
END_TEST

/* LDE_HC_ASSERT: the strings at STR_GPA and just after; err_fd is the pipe. */
#define STR_GPA 0x3000u
static struct lde_hc_assert *assert_args(const char *expr, const char *file, uint64_t line)
{
	struct lde_hc_assert *a = gmem_ptr(&gm, ARG_GPA, sizeof(*a));
	char *e = gmem_ptr(&gm, STR_GPA, strlen(expr) + 1);
	char *f = gmem_ptr(&gm, STR_GPA + 0x400, strlen(file) + 1);

	memcpy(e, expr, strlen(expr) + 1);
	memcpy(f, file, strlen(file) + 1);
	*a = (struct lde_hc_assert){ .expr = STR_GPA, .file = STR_GPA + 0x400, .line = line, .pid = 3 };
	ctx.err_fd = pipefd[1];
	return a;
}

static void read_line(char *buf, size_t cap)
{
	ssize_t n = read(pipefd[0], buf, cap - 1);

	buf[n > 0 ? n : 0] = '\0';
}

START_TEST(assert_reported)
{
	char buf[512];

	assert_args("x == 1", "tests/tasks/t.c", 42);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_ASSERT, ARG_GPA), HC_CONTINUE);
	read_line(buf, sizeof(buf));
	ck_assert_str_eq(buf, "vmm: guest assertion failed: pid 3: x == 1 (tests/tasks/t.c:42)\n");
	ck_assert_uint_eq(ctx.asserts, 1);
}
END_TEST

/* Guest text never reaches the terminal as a control sequence. */
START_TEST(assert_text_sanitised)
{
	char buf[512];

	assert_args("a\033[2Jb\n", "f\x7f.c", 1);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_ASSERT, ARG_GPA), HC_CONTINUE);
	read_line(buf, sizeof(buf));
	ck_assert_str_eq(buf, "vmm: guest assertion failed: pid 3: a?[2Jb? (f?.c:1)\n");
}
END_TEST

/* No NUL within LDE_ASSERT_TEXT_MAX bytes: a fault, and nothing printed. */
START_TEST(assert_unterminated)
{
	struct lde_hc_assert *a = assert_args("x", "f.c", 1);
	char *e = gmem_ptr(&gm, STR_GPA, LDE_ASSERT_TEXT_MAX);
	char buf[8];

	memset(e, 'x', LDE_ASSERT_TEXT_MAX);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_ASSERT, ARG_GPA), HC_FAULT);
	ck_assert_ptr_nonnull(strstr(ctx.err, "the expression at 0x3000 is not a string"));
	ck_assert_int_eq(read(pipefd[0], buf, sizeof(buf)), -1); /* nothing written */
	(void)a;
}
END_TEST

/* A string that runs to the end of guest RAM without a NUL, and one beyond it. */
START_TEST(assert_strings_outside)
{
	struct lde_hc_assert *a = assert_args("x", "f.c", 1);
	char *last = gmem_ptr(&gm, RAM_SIZE - 4, 4);

	memcpy(last, "abcd", 4);
	a->file = RAM_SIZE - 4;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_ASSERT, ARG_GPA), HC_FAULT);
	ck_assert_ptr_nonnull(strstr(ctx.err, "the file name"));
	a->file = UINT64_MAX;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_ASSERT, ARG_GPA), HC_FAULT);
	a->file = RAM_SIZE;
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_ASSERT, ARG_GPA), HC_FAULT);
	ck_assert_uint_eq(ctx.asserts, 0);
}
END_TEST

/* LDE_HC_WRITE and READ: a struct lde_hc_io at ARG_GPA for [BUF_GPA, + len). */
static struct lde_hc_io *io_args(uint64_t fd, uint64_t buf, uint64_t len)
{
	struct lde_hc_io *a = gmem_ptr(&gm, ARG_GPA, sizeof(*a));

	*a = (struct lde_hc_io){ .fd = fd, .buf = buf, .len = len, .ret = 0x5a5a };
	return a;
}

/* fd 1 to out_fd and fd 2 to err_fd, whole; any other fd or a buffer outside RAM: a fault. */
START_TEST(write_streams)
{
	int errpipe[2];
	char got[16];
	struct lde_hc_io *a;

	ck_assert_int_eq(pipe(errpipe), 0);
	ctx.err_fd = errpipe[1];
	memcpy(gmem_ptr(&gm, BUF_GPA, 4), "out!", 4);
	a = io_args(LDE_IO_STDOUT, BUF_GPA, 4);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_WRITE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 4);
	ck_assert_int_eq(drain(got, sizeof(got)), 4);
	a = io_args(LDE_IO_STDERR, BUF_GPA, 3);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_WRITE, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 3);
	ck_assert_int_eq(read(errpipe[0], got, sizeof(got)), 3);
	ck_assert_int_eq(drain(got, sizeof(got)), 0); /* nothing more on stdout */
	io_args(0, BUF_GPA, 1);
	assert_fault(hc_dispatch(&ctx, LDE_HC_WRITE, ARG_GPA), "fd 0 is not 1 or 2");
	io_args(3, BUF_GPA, 1);
	assert_fault(hc_dispatch(&ctx, LDE_HC_WRITE, ARG_GPA), "fd 3 is not 1 or 2");
	io_args(LDE_IO_STDOUT, RAM_SIZE - 2, 4);
	assert_fault(hc_dispatch(&ctx, LDE_HC_WRITE, ARG_GPA), "outside guest RAM");
	close(errpipe[0]);
	close(errpipe[1]);
}
END_TEST

/* One read of in_fd into guest RAM, at most len bytes; 0 at the end of the input. */
START_TEST(read_stdin)
{
	int inpipe[2];
	struct lde_hc_io *a;
	uint8_t *ram = gmem_ptr(&gm, BUF_GPA, 8);

	ck_assert_int_eq(pipe(inpipe), 0);
	ctx.in_fd = inpipe[0];
	ck_assert_int_eq(write(inpipe[1], "hello", 5), 5);
	memset(ram, '.', 8);
	a = io_args(LDE_IO_STDIN, BUF_GPA, 3);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_READ, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 3);
	ck_assert_int_eq(memcmp(ram, "hel...", 6), 0); /* no byte past len */
	a = io_args(LDE_IO_STDIN, BUF_GPA, 8);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_READ, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 2);
	close(inpipe[1]);
	a = io_args(LDE_IO_STDIN, BUF_GPA, 8);
	ck_assert_int_eq(hc_dispatch(&ctx, LDE_HC_READ, ARG_GPA), HC_CONTINUE);
	ck_assert_int_eq(a->ret, 0); /* the end of the input */
	io_args(LDE_IO_STDOUT, BUF_GPA, 1);
	assert_fault(hc_dispatch(&ctx, LDE_HC_READ, ARG_GPA), "fd 1 is not 0");
	io_args(LDE_IO_STDIN, RAM_SIZE, 1);
	assert_fault(hc_dispatch(&ctx, LDE_HC_READ, ARG_GPA), "outside guest RAM");
	close(inpipe[0]);
}
END_TEST

START_TEST(write_all_errors)
{
	ctx.out_fd = -1;
	ck_assert_int_eq(hc_write_all(&ctx, "x", 1), -EBADF);
	ck_assert_int_eq(hc_write_all(&ctx, "x", 0), 0);
}
END_TEST

/* The VMM's --timeout, in small: SIGALRM every 10 ms; the third one sets the stop flag. */
static volatile sig_atomic_t alarms, stop;

static void count_alarm(int sig)
{
	(void)sig;
	if (++alarms == 3)
		stop = 1;
}

/* Make the pipe behind ctx.out_fd full, so that the next write to it blocks. */
static void fill_pipe(void)
{
	static char junk[4096];
	int flags = fcntl(pipefd[1], F_GETFL);

	ck_assert_int_eq(fcntl(pipefd[1], F_SETFL, flags | O_NONBLOCK), 0);
	while (write(pipefd[1], junk, sizeof(junk)) > 0)
		;
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(fcntl(pipefd[1], F_SETFL, flags), 0);
}

/*
 * A write that blocks (a reader that never reads) retries through signals until ctx.stop is
 * set, then gives up with -EINTR. Retrying regardless would block here until Check's timeout.
 */
START_TEST(write_all_stops_when_told)
{
	struct sigaction sa = { .sa_handler = count_alarm }; /* no SA_RESTART */
	struct itimerval it = { .it_value = { 0, 10000 }, .it_interval = { 0, 10000 } };
	struct itimerval off = { 0 };

	fill_pipe();
	ctx.stop = &stop;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	ck_assert_int_eq(hc_write_all(&ctx, "x", 1), -EINTR);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &off, NULL), 0);
	signal(SIGALRM, SIG_DFL);
	/* It went on through the two signals before the flag. */
	ck_assert_int_ge(alarms, 3);
}
END_TEST

Suite *hypercall_suite(void)
{
	Suite *s = suite_create("hypercall");
	TCase *tc = tcase_create("dispatch");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, console_write_ok);
	tcase_add_test(tc, console_write_ram_end);
	tcase_add_test(tc, console_write_len0);
	tcase_add_test(tc, console_write_buf_outside);
	tcase_add_test(tc, console_write_buf_wraps);
	tcase_add_test(tc, arg_struct_outside);
	tcase_add_test(tc, arg_struct_last_slot);
	tcase_add_test(tc, arg_struct_misaligned);
	tcase_add_test(tc, exit_guest_statuses);
	tcase_add_test(tc, exit_reserved_statuses);
	tcase_add_test(tc, unknown_numbers);
	tcase_add_test(tc, trace_and_debug);
	tcase_add_test(tc, names);
	tcase_add_test(tc, console_write_epipe);
	tcase_add_test(tc, write_all_errors);
	tcase_add_test(tc, write_all_stops_when_told);
	tcase_add_test(tc, nop_touches_nothing);
	tcase_add_test(tc, counters_without_kvm_stats);
	tcase_add_test(tc, counters_bad_struct);
	tcase_add_test(tc, step_refused_without_module);
	tcase_add_test(tc, step_bad_op);
	tcase_add_test(tc, step_served);
	tcase_add_test(tc, step_bad_struct);
	tcase_add_test(tc, write_streams);
	tcase_add_test(tc, read_stdin);
	tcase_add_test(tc, assert_reported);
	tcase_add_test(tc, assert_text_sanitised);
	tcase_add_test(tc, assert_unterminated);
	tcase_add_test(tc, assert_strings_outside);
	suite_add_tcase(s, tc);
	return s;
}
