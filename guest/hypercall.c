/* guest/hypercall.c: calls into the VMM: one port write carrying the address of an argument struct. */
#include "hypercall.h"

#include "../abi/bench.h"
#include "../abi/hypercall.h"
#include "memlayout.h"
#include "x86.h"

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

	hypercall(LDE_HC_CONSOLE_WRITE, &a);
	return a.ret;
}

int64_t hc_write(unsigned fd, const void *buf, size_t len)
{
	struct lde_hc_io a = { .fd = fd, .buf = V2P(buf), .len = len };

	hypercall(LDE_HC_WRITE, &a);
	return a.ret;
}

int64_t hc_read(void *buf, size_t len)
{
	struct lde_hc_io a = { .fd = LDE_IO_STDIN, .buf = V2P(buf), .len = len };

	hypercall(LDE_HC_READ, &a);
	return a.ret;
}

void hc_nop(void)
{
	outl(LDE_HC_PORT(LDE_HC_NOP), 0); /* no argument struct: the VMM ignores the value */
}

void hc_counters(struct lde_bench_counters *out)
{
	hypercall(LDE_HC_COUNTERS, out);
}

void hc_step(struct lde_hc_step *a)
{
	hypercall(LDE_HC_STEP, a);
}

void hc_assert(const char *expr, const char *file, uint64_t line, int pid)
{
	struct lde_hc_assert a = {
		.expr = V2P(expr), .file = V2P(file), .line = line, .pid = (uint64_t)pid,
	};

	hypercall(LDE_HC_ASSERT, &a);
}

void hc_exit(unsigned status)
{
	struct lde_hc_exit a = { .status = status };

	for (;;)
		hypercall(LDE_HC_EXIT, &a);
}
