/* tests/fuzz/fuzz_hypercall.c: libFuzzer harness for the VMM's hypercall decoder, vmm/hypercall.c hc_dispatch(). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../abi/bench.h"
#include "../../abi/exit.h"
#include "../../abi/debug.h"
#include "../../abi/hypercall.h"
#include "../../vmm/gmem.h"
#include "../../vmm/hypercall.h"

/*
 * Input: 4 bytes hypercall number (little-endian), 4 bytes argument GPA, then the first bytes
 * of a 64 KiB simulated guest RAM (the rest is zero). The RAM is a heap block of exactly
 * RAM_SIZE bytes, so ASan reports any access outside it.
 */
#define RAM_SIZE (64u << 10)

static uint8_t *ram;
static int null_fd = -1;

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fuzz_hypercall: invariant failed: %s (%s:%d)\n", #cond,     \
				__FILE__, __LINE__);                                         \
			abort();                                                             \
		}                                                                            \
	} while (0)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hc_ctx ctx;
	struct gmem gm;
	uint8_t head[8] = { 0 };
	unsigned nr;
	uint32_t gpa;
	size_t n;
	enum hc_result r;

	if (ram == NULL) {
		if ((ram = malloc(RAM_SIZE)) == NULL)
			abort();
		if ((null_fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
			perror("fuzz_hypercall: /dev/null");
			abort();
		}
	}
	memcpy(head, data, size < sizeof(head) ? size : sizeof(head));
	nr = le32(head);
	gpa = le32(head + 4);
	data += size < sizeof(head) ? size : sizeof(head);
	size -= size < sizeof(head) ? size : sizeof(head);
	n = size < RAM_SIZE ? size : RAM_SIZE;
	memcpy(ram, data, n);
	memset(ram + n, 0, RAM_SIZE - n);

	gm.base = ram;
	gm.size = RAM_SIZE;
	memset(&ctx, 0, sizeof(ctx));
	ctx.gm = &gm;
	ctx.out_fd = null_fd;
	ctx.err_fd = null_fd;
	ctx.in_fd = null_fd; /* reads of /dev/null: 0, the end of the input */
	ctx.exit_status = -1000;

	r = hc_dispatch(&ctx, nr, gpa);
	CHECK(r == HC_CONTINUE || r == HC_EXIT || r == HC_FAULT);
	CHECK(memchr(ctx.err, '\0', sizeof(ctx.err)) != NULL);
	switch (r) {
	case HC_EXIT:
		CHECK(nr == LDE_HC_EXIT);
		CHECK((ctx.exit_status >= 0 && ctx.exit_status <= 123) ||
		      (ctx.exit_status >= 128 && ctx.exit_status <= 255));
		/* The status is exactly what the guest wrote, read from its aligned struct. */
		CHECK(gpa % 8 == 0 && (uint64_t)gpa + sizeof(struct lde_hc_exit) <= RAM_SIZE);
		{
			struct lde_hc_exit a;
			memcpy(&a, ram + gpa, sizeof(a));
			CHECK(a.status == (uint64_t)ctx.exit_status);
		}
		break;
	case HC_CONTINUE:
		if (nr == LDE_HC_NOP)
			break; /* its value is not an address: nothing to check, nothing written */
		if (nr == LDE_HC_COUNTERS) {
			struct lde_bench_counters c;
			CHECK(gpa % 8 == 0 && (uint64_t)gpa + sizeof(c) <= RAM_SIZE);
			memcpy(&c, ram + gpa, sizeof(c));
			/* No exit loop and no KVM statistics here: zeros, and "not valid". */
			CHECK(c.vmm_exits == 0 && c.kvm_valid == 0 && c.kvm_exits == 0);
			break;
		}
		if (nr == LDE_HC_ASSERT) {
			struct lde_hc_assert a;
			CHECK(gpa % 8 == 0 && (uint64_t)gpa + sizeof(a) <= RAM_SIZE);
			memcpy(&a, ram + gpa, sizeof(a));
			/* Both strings end inside RAM, within the bound, and it was counted. */
			CHECK(a.expr < RAM_SIZE && a.file < RAM_SIZE && ctx.asserts == 1);
			CHECK(memchr(ram + a.expr, '\0', RAM_SIZE - a.expr) != NULL);
			break;
		}
		if (nr == LDE_HC_TRACE) {
			struct lde_hc_trace a;
			CHECK(gpa % 8 == 0 && (uint64_t)gpa + sizeof(a) <= RAM_SIZE);
			memcpy(&a, ram + gpa, sizeof(a));
			/* No trace sink here (no --trace): the kernel is told so, and nothing else. */
			CHECK(a.ret == -ENODEV);
			break;
		}
		if (nr == LDE_HC_DEBUG) {
			struct lde_hc_debug a;
			CHECK(gpa % 8 == 0 && (uint64_t)gpa + sizeof(a) <= RAM_SIZE);
			memcpy(&a, ram + gpa, sizeof(a));
			/* A known op, and no debugger here (no --gdb): the kernel is told so. */
			CHECK(a.op >= LDE_DEBUG_TASK_START && a.op <= LDE_DEBUG_STOP);
			CHECK(a.ret == -ENODEV);
			break;
		}
		if (nr == LDE_HC_STEP) {
			struct lde_hc_step a;
			CHECK(gpa % 8 == 0 && (uint64_t)gpa + sizeof(a) <= RAM_SIZE);
			memcpy(&a, ram + gpa, sizeof(a));
			/* No --step here: refused, counting nothing. */
			CHECK(a.ret == -EPERM && a.ring0 == 0 && a.ring3 == 0 && a.entries == 0);
			break;
		}
		if (nr == LDE_HC_WRITE || nr == LDE_HC_READ) {
			struct lde_hc_io a;
			CHECK(gpa % 8 == 0 && (uint64_t)gpa + sizeof(a) <= RAM_SIZE);
			memcpy(&a, ram + gpa, sizeof(a));
			/* A stream the call allows, a buffer inside RAM; /dev/null takes all, gives 0. */
			CHECK(nr == LDE_HC_READ ? a.fd == LDE_IO_STDIN
						: a.fd == LDE_IO_STDOUT || a.fd == LDE_IO_STDERR);
			CHECK(a.buf <= RAM_SIZE && a.len <= RAM_SIZE - a.buf);
			CHECK(a.ret == (nr == LDE_HC_READ ? 0 : (int64_t)a.len));
			break;
		}
		CHECK(nr == LDE_HC_CONSOLE_WRITE);
		CHECK(gpa % 8 == 0 && (uint64_t)gpa + sizeof(struct lde_hc_console_write) <= RAM_SIZE);
		{
			struct lde_hc_console_write a;
			memcpy(&a, ram + gpa, sizeof(a));
			/* The buffer was inside RAM, and /dev/null takes every byte. */
			CHECK(a.buf <= RAM_SIZE && a.len <= RAM_SIZE - a.buf);
			CHECK(a.ret == (int64_t)a.len);
		}
		break;
	case HC_FAULT:
		CHECK(ctx.err[0] != '\0'); /* a fault always says why */
		CHECK(nr != LDE_HC_NOP);  /* which takes no argument, so cannot be wrong */
		break;
	}
	for (unsigned i = 0; i < sizeof(ctx.count) / sizeof(ctx.count[0]); i++)
		CHECK(ctx.count[i] == (i == nr && nr < LDE_HC_MAX && hc_name(nr) != NULL));
	return 0;
}
