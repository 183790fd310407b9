/* guest/hypercall.c: calls into the VMM: one port write carrying the address of an argument struct; or the backend that stands in for it. */
#include "hypercall.h"

#include "../abi/bench.h"
#include "../abi/debug.h"
#include "../abi/hypercall.h"
#include "../abi/syscall.h"
#include "../abi/trace.h"
#include "memlayout.h"
#include "x86.h"

/* NULL: our VMM serves the ports (abi/hypercall.h). Set once, before the first call. */
static const struct hc_backend *backend;

void hc_backend_install(const struct hc_backend *b)
{
	backend = b;
}

/*
 * The VMM wants guest-physical addresses; they fit in 32 bits because guest RAM ends
 * below 4 GiB. Argument structs live on the kernel stack or in kernel data.
 */
static void hypercall(unsigned nr, void *arg)
{
	outl(LDE_HC_PORT(nr), (uint32_t)V2P(arg));
}

int64_t hc_console_write(const void *buf, size_t len)
{
	struct lde_hc_console_write a = { .buf = V2P(buf), .len = len };

	if (backend)
		return backend->write(LDE_IO_STDOUT, buf, len);
	hypercall(LDE_HC_CONSOLE_WRITE, &a);
	return a.ret;
}

int64_t hc_write(unsigned fd, const void *buf, size_t len)
{
	struct lde_hc_io a = { .fd = fd, .buf = V2P(buf), .len = len };

	if (backend)
		return backend->write(fd, buf, len);
	hypercall(LDE_HC_WRITE, &a);
	return a.ret;
}

int64_t hc_read(void *buf, size_t len)
{
	struct lde_hc_io a = { .fd = LDE_IO_STDIN, .buf = V2P(buf), .len = len };

	if (backend)
		return backend->read(buf, len);
	hypercall(LDE_HC_READ, &a);
	return a.ret;
}

void hc_nop(void)
{
	if (backend)
		return;
	outl(LDE_HC_PORT(LDE_HC_NOP), 0); /* no argument struct: the VMM ignores the value */
}

int64_t hc_counters(struct lde_bench_counters *out)
{
	if (backend)
		return -ENODEV;
	hypercall(LDE_HC_COUNTERS, out);
	return 0;
}

void hc_step(struct lde_hc_step *a)
{
	if (backend) {
		a->ret = -ENODEV; /* no VMM to step the vCPU */
		return;
	}
	hypercall(LDE_HC_STEP, a);
}

int64_t hc_assert(const char *expr, const char *file, uint64_t line, int pid)
{
	struct lde_hc_assert a = {
		.expr = V2P(expr), .file = V2P(file), .line = line, .pid = (uint64_t)pid,
	};

	if (backend)
		return -ENODEV;
	hypercall(LDE_HC_ASSERT, &a);
	return 0;
}

/* Without our VMM there is no debugger to tell. */
int64_t hc_debug(struct lde_hc_debug *a)
{
	if (backend)
		return -ENODEV;
	hypercall(LDE_HC_DEBUG, a);
	return a->ret;
}

int64_t hc_trace(struct lde_hc_trace *a)
{
	if (backend)
		return -ENODEV;
	hypercall(LDE_HC_TRACE, a);
	return a->ret;
}

void hc_exit(unsigned status)
{
	struct lde_hc_exit a = { .status = status };

	if (backend)
		backend->exit(status);
	for (;;)
		hypercall(LDE_HC_EXIT, &a);
}
