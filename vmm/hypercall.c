/* vmm/hypercall.c: the hypercall table: each call checks its argument struct and guest buffers. */
#include "hypercall.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../abi/exit.h"
#include "../abi/hypercall.h"
#include "../abi/trace.h"

#define HC_ARG_ALIGN 8u

_Static_assert(LDE_HC_MAX <= sizeof(((struct hc_ctx *)0)->count) / sizeof(uint64_t),
	       "hc_ctx.count must have a slot per hypercall");

/*
 * The checking helper for hypercall arguments: the struct must be aligned and wholly inside
 * guest RAM. On failure it records which call and which check failed, with our file and line.
 */
#define HC_ARG(ctx, nr, gpa, type)                                                          \
	((type *)hc_arg((ctx), (nr), (gpa), sizeof(type), __FILE__, __LINE__))

static void *hc_arg(struct hc_ctx *ctx, unsigned nr, uint64_t gpa, uint64_t size,
		    const char *file, int line)
{
	void *p = gmem_ptr(ctx->gm, gpa, size);

	if (gpa % HC_ARG_ALIGN != 0 || p == NULL) {
		snprintf(ctx->err, sizeof(ctx->err),
			 "hypercall %s: argument struct at 0x%llx (%llu bytes) is %s (%s:%d)",
			 hc_name(nr), (unsigned long long)gpa, (unsigned long long)size,
			 p == NULL ? "outside guest RAM" : "misaligned", file, line);
		return NULL;
	}
	return p;
}

/* The whole buffer to fd, retrying short writes and (until ctx->stop) interrupted ones. */
static int write_all(const struct hc_ctx *ctx, int fd, const void *buf, uint64_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR && !(ctx->stop && *ctx->stop))
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (uint64_t)w;
	}
	return 0;
}

int hc_write_all(const struct hc_ctx *ctx, const void *buf, uint64_t len)
{
	return write_all(ctx, ctx->out_fd, buf, len);
}

static enum hc_result hc_console_write(struct hc_ctx *ctx, uint32_t gpa)
{
	struct lde_hc_console_write *a =
		HC_ARG(ctx, LDE_HC_CONSOLE_WRITE, gpa, struct lde_hc_console_write);
	const void *buf;
	uint64_t len;
	int r;

	if (a == NULL)
		return HC_FAULT;
	/* Read each guest field once: the guest could change it under us. */
	len = a->len;
	buf = gmem_ptr(ctx->gm, a->buf, len);
	if (buf == NULL) {
		snprintf(ctx->err, sizeof(ctx->err),
			 "hypercall console_write: buffer [0x%llx, +0x%llx) is outside guest RAM",
			 (unsigned long long)a->buf, (unsigned long long)len);
		return HC_FAULT;
	}
	r = hc_write_all(ctx, buf, len);
	a->ret = r < 0 ? r : (int64_t)len;
	return HC_CONTINUE;
}

static enum hc_result hc_exit(struct hc_ctx *ctx, uint32_t gpa)
{
	struct lde_hc_exit *a = HC_ARG(ctx, LDE_HC_EXIT, gpa, struct lde_hc_exit);
	uint64_t status;

	if (a == NULL)
		return HC_FAULT;
	status = a->status;
	if (status > LDE_EXIT_GUEST_MAX || LDE_EXIT_IS_VMM_RESERVED(status)) {
		snprintf(ctx->err, sizeof(ctx->err),
			 "hypercall exit: status %llu is not a guest status (0-123, 128-255)",
			 (unsigned long long)status);
		return HC_FAULT;
	}
	ctx->exit_status = (int)status;
	return HC_EXIT;
}

/* LDE_HC_NOP: nothing to do; the guest measures the round trip through the VMM. */
static enum hc_result hc_nop(struct hc_ctx *ctx, uint32_t gpa)
{
	(void)ctx, (void)gpa;
	return HC_CONTINUE;
}

/* LDE_HC_COUNTERS: the exits so far, ours and KVM's (abi/bench.h). */
static enum hc_result hc_counters(struct hc_ctx *ctx, uint32_t gpa)
{
	struct lde_bench_counters *a = HC_ARG(ctx, LDE_HC_COUNTERS, gpa, struct lde_bench_counters);
	struct lde_bench_counters c = { 0 };

	if (a == NULL)
		return HC_FAULT;
	c.vmm_exits = ctx->vmm_exits ? *ctx->vmm_exits : 0;
	if (ctx->kstats)
		kstats_read(ctx->kstats, &c);
	*a = c;
	return HC_CONTINUE;
}

/*
 * A guest string for a message: NUL-terminated within LDE_ASSERT_TEXT_MAX bytes of guest RAM,
 * copied out with every byte that is not printable ASCII replaced, so that no guest text
 * reaches the terminal as a control sequence. NULL (with ctx->err) if it is not a string.
 */
static const char *guest_text(struct hc_ctx *ctx, const char *what, uint64_t gpa,
			      char out[LDE_ASSERT_TEXT_MAX])
{
	uint64_t room = gpa < ctx->gm->size ? ctx->gm->size - gpa : 0;
	uint64_t len = room < LDE_ASSERT_TEXT_MAX ? room : LDE_ASSERT_TEXT_MAX;
	const char *p = gmem_ptr(ctx->gm, gpa, len);
	const char *nul = p ? memchr(p, '\0', len) : NULL;

	if (nul == NULL) {
		snprintf(ctx->err, sizeof(ctx->err),
			 "hypercall assert: %s at 0x%llx is not a string of at most %d bytes in guest RAM",
			 what, (unsigned long long)gpa, LDE_ASSERT_TEXT_MAX);
		return NULL;
	}
	for (size_t i = 0; i <= (size_t)(nul - p); i++)
		out[i] = (p[i] == '\0' || (p[i] >= ' ' && p[i] <= '~')) ? p[i] : '?';
	return out;
}

/* LDE_HC_ASSERT: one line on err_fd; the guest goes on (its kernel ends the task). */
static enum hc_result hc_assert(struct hc_ctx *ctx, uint32_t gpa)
{
	struct lde_hc_assert *a = HC_ARG(ctx, LDE_HC_ASSERT, gpa, struct lde_hc_assert);
	char expr[LDE_ASSERT_TEXT_MAX], file[LDE_ASSERT_TEXT_MAX], line[2 * LDE_ASSERT_TEXT_MAX + 96];
	struct lde_hc_assert in;
	int n;

	if (a == NULL)
		return HC_FAULT;
	in = *a; /* each field read once */
	if (guest_text(ctx, "the expression", in.expr, expr) == NULL ||
	    guest_text(ctx, "the file name", in.file, file) == NULL)
		return HC_FAULT;
	ctx->asserts++;
	n = snprintf(line, sizeof(line), "vmm: guest assertion failed: pid %llu: %s (%s:%llu)\n",
		     (unsigned long long)in.pid, expr, file, (unsigned long long)in.line);
	write_all(ctx, ctx->err_fd, line, (uint64_t)n);
	return HC_CONTINUE;
}

/* The argument struct and buffer of LDE_HC_WRITE or READ: NULL (with ctx->err) if bad. */
static void *io_buf(struct hc_ctx *ctx, unsigned nr, const struct lde_hc_io *in)
{
	void *p = gmem_ptr(ctx->gm, in->buf, in->len);

	if (p == NULL)
		snprintf(ctx->err, sizeof(ctx->err),
			 "hypercall %s: buffer [0x%llx, +0x%llx) is outside guest RAM", hc_name(nr),
			 (unsigned long long)in->buf, (unsigned long long)in->len);
	return p;
}

static enum hc_result hc_write(struct hc_ctx *ctx, uint32_t gpa)
{
	struct lde_hc_io *a = HC_ARG(ctx, LDE_HC_WRITE, gpa, struct lde_hc_io);
	struct lde_hc_io in;
	const void *buf;
	int r;

	if (a == NULL)
		return HC_FAULT;
	in = *a; /* each field read once */
	if (in.fd != LDE_IO_STDOUT && in.fd != LDE_IO_STDERR) {
		snprintf(ctx->err, sizeof(ctx->err), "hypercall write: fd %llu is not 1 or 2",
			 (unsigned long long)in.fd);
		return HC_FAULT;
	}
	buf = io_buf(ctx, LDE_HC_WRITE, &in);
	if (buf == NULL)
		return HC_FAULT;
	r = write_all(ctx, in.fd == LDE_IO_STDOUT ? ctx->out_fd : ctx->err_fd, buf, in.len);
	a->ret = r < 0 ? r : (int64_t)in.len;
	return HC_CONTINUE;
}

/* One read(2) of the VMM's stdin straight into guest RAM; retried on EINTR until ctx->stop. */
static enum hc_result hc_read(struct hc_ctx *ctx, uint32_t gpa)
{
	struct lde_hc_io *a = HC_ARG(ctx, LDE_HC_READ, gpa, struct lde_hc_io);
	struct lde_hc_io in;
	void *buf;
	ssize_t r;

	if (a == NULL)
		return HC_FAULT;
	in = *a;
	if (in.fd != LDE_IO_STDIN) {
		snprintf(ctx->err, sizeof(ctx->err), "hypercall read: fd %llu is not 0",
			 (unsigned long long)in.fd);
		return HC_FAULT;
	}
	buf = io_buf(ctx, LDE_HC_READ, &in);
	if (buf == NULL)
		return HC_FAULT;
	do
		r = read(ctx->in_fd, buf, in.len);
	while (r < 0 && errno == EINTR && !(ctx->stop && *ctx->stop));
	a->ret = r < 0 ? -errno : r;
	return HC_CONTINUE;
}

/*
 * A batch of the kernel's trace events (trace=on): checked, copied out of guest RAM, and
 * handed to the trace module (vmm/trace.c). Without --trace or --protocol there is no sink:
 * the kernel is told -ENODEV and stops tracing.
 */
static enum hc_result hc_trace(struct hc_ctx *ctx, uint32_t gpa)
{
	static struct lde_trace_event copy[LDE_TRACE_BATCH_MAX];
	struct lde_hc_trace *a = HC_ARG(ctx, LDE_HC_TRACE, gpa, struct lde_hc_trace);
	struct lde_hc_trace in;
	const void *events;

	if (a == NULL)
		return HC_FAULT;
	in = *a;
	if (ctx->trace == NULL) {
		a->ret = -ENODEV;
		return HC_CONTINUE;
	}
	if (in.count > LDE_TRACE_BATCH_MAX) {
		snprintf(ctx->err, sizeof(ctx->err), "hypercall trace: %llu events, more than %d",
			 (unsigned long long)in.count, LDE_TRACE_BATCH_MAX);
		return HC_FAULT;
	}
	events = gmem_ptr(ctx->gm, in.events, in.count * sizeof(copy[0]));
	if (events == NULL) {
		snprintf(ctx->err, sizeof(ctx->err),
			 "hypercall trace: events [0x%llx, +%llu) are outside guest RAM",
			 (unsigned long long)in.events, (unsigned long long)in.count);
		return HC_FAULT;
	}
	memcpy(copy, events, in.count * sizeof(copy[0]));
	ctx->trace(ctx->trace_arg, copy, (unsigned)in.count, in.dropped);
	a->ret = 0;
	return HC_CONTINUE;
}

/*
 * The kernel's news for the debugger (debug=on): tasks, and ring 3's #BP and #DB. Without
 * --gdb there is no sink: -ENODEV, and the kernel handles the trap itself.
 */
static enum hc_result hc_debug(struct hc_ctx *ctx, uint32_t gpa)
{
	struct lde_hc_debug *a = HC_ARG(ctx, LDE_HC_DEBUG, gpa, struct lde_hc_debug);
	struct lde_hc_debug in;

	if (a == NULL)
		return HC_FAULT;
	in = *a;
	if (in.op < LDE_DEBUG_TASK_START || in.op > LDE_DEBUG_STOP) {
		snprintf(ctx->err, sizeof(ctx->err), "hypercall debug: unknown op %llu",
			 (unsigned long long)in.op);
		return HC_FAULT;
	}
	if (ctx->debug == NULL) {
		a->ret = -ENODEV;
		return HC_CONTINUE;
	}
	in.ret = ctx->debug(&in);
	a->regs = in.regs;
	a->ret = in.ret;
	return HC_CONTINUE;
}

/*
 * LDE_HC_STEP: checked here, served by the --step module. A refusal is an answer, not a crash:
 * the guest's kernel cannot know how the VMM was started.
 */
static enum hc_result hc_step(struct hc_ctx *ctx, uint32_t gpa)
{
	struct lde_hc_step *a = HC_ARG(ctx, LDE_HC_STEP, gpa, struct lde_hc_step);
	struct lde_hc_step in, out;

	if (a == NULL)
		return HC_FAULT;
	in = *a; /* each field read once */
	memset(&out, 0, sizeof(out));
	if (ctx->step == NULL)
		out.ret = -EPERM;
	else if (in.op != LDE_STEP_ON && in.op != LDE_STEP_OFF)
		out.ret = -EINVAL;
	else
		out.ret = ctx->step(&in, &out);
	a->ring0 = out.ring0;
	a->ring3 = out.ring3;
	a->entries = out.entries;
	a->ret = out.ret;
	return HC_CONTINUE;
}

typedef enum hc_result (*hc_fn)(struct hc_ctx *ctx, uint32_t arg_gpa);

static const struct {
	const char *name;
	hc_fn fn;
} hc_table[LDE_HC_MAX] = {
	[LDE_HC_CONSOLE_WRITE] = { "console_write", hc_console_write },
	[LDE_HC_EXIT] = { "exit", hc_exit },
	[LDE_HC_NOP] = { "nop", hc_nop },
	[LDE_HC_COUNTERS] = { "counters", hc_counters },
	[LDE_HC_ASSERT] = { "assert", hc_assert },
	[LDE_HC_WRITE] = { "write", hc_write },
	[LDE_HC_READ] = { "read", hc_read },
	[LDE_HC_TRACE] = { "trace", hc_trace },
	[LDE_HC_DEBUG] = { "debug", hc_debug },
	[LDE_HC_STEP] = { "step", hc_step },
};

const char *hc_name(unsigned nr)
{
	return nr < LDE_HC_MAX && hc_table[nr].fn ? hc_table[nr].name : NULL;
}

enum hc_result hc_dispatch(struct hc_ctx *ctx, unsigned nr, uint32_t arg_gpa)
{
	if (nr >= LDE_HC_MAX || hc_table[nr].fn == NULL) {
		snprintf(ctx->err, sizeof(ctx->err), "unknown hypercall %u", nr);
		return HC_FAULT;
	}
	ctx->count[nr]++;
	return hc_table[nr].fn(ctx, arg_gpa);
}
