/* vmm/hypercall.h: decoding and serving the guest's hypercalls (abi/hypercall.h). */
#ifndef VMM_HYPERCALL_H
#define VMM_HYPERCALL_H

#include <signal.h>
#include <stdint.h>

#include "../abi/debug.h"
#include "../abi/trace.h"
#include "gmem.h"
#include "kstats.h"

struct lde_hc_step;

enum hc_result {
	HC_CONTINUE, /* resume the vCPU */
	HC_EXIT,     /* the guest asked to exit: see hc_ctx.exit_status */
	HC_FAULT,    /* the guest broke the contract: see hc_ctx.err */
};

struct hc_ctx {
	const struct gmem *gm;
	int out_fd;        /* where console output goes */
	int exit_status;   /* OUT, with HC_EXIT */
	char err[160];     /* OUT, with HC_FAULT */
	uint64_t count[16];/* calls served, by number (index < LDE_HC_MAX) */
	const struct kstats *kstats; /* KVM's statistics, or NULL */
	const uint64_t *vmm_exits;    /* the exit loop's running total, or NULL */
	/*
	 * Set (by a signal handler) once the VMM is ending the run, or NULL. From then on a
	 * write interrupted by a signal gives up instead of retrying: a console reader that
	 * stopped reading must not hold the VMM past its --timeout.
	 */
	const volatile sig_atomic_t *stop;
	int err_fd;        /* the guest's stderr, and the VMM's reports of guest events (ASSERT) */
	int in_fd;         /* the guest's stdin (LDE_HC_READ) */
	uint64_t asserts;  /* failed guest assertions reported */
	/* LDE_HC_TRACE's sink (vmm/trace.c), or NULL: the VMM takes no trace. */
	void (*trace)(void *arg, const struct lde_trace_event *ev, unsigned n, uint64_t dropped);
	void *trace_arg;
	/* LDE_HC_DEBUG's sink (vmm/gdb.c), or NULL: no debugger. It may change *a's regs and
	 * returns what the kernel is told (abi/debug.h). */
	int64_t (*debug)(struct lde_hc_debug *a);
	/*
	 * LDE_HC_STEP's server, set by the --step module (vmm/step.c), or NULL: then the call is
	 * refused (-EPERM). hc_dispatch checks the struct and the op first; the
	 * server fills the OUT fields of out and returns ret.
	 */
	int64_t (*step)(const struct lde_hc_step *in, struct lde_hc_step *out);
};

/* hc_name: "console_write" and so on, or NULL for a number that is not a hypercall. */
const char *hc_name(unsigned nr);

/* hc_dispatch: serve hypercall nr whose argument struct is at guest-physical arg_gpa. */
enum hc_result hc_dispatch(struct hc_ctx *ctx, unsigned nr, uint32_t arg_gpa);

/*
 * hc_write_all: write the whole buffer to ctx->out_fd, retrying short writes, and writes
 * interrupted by a signal until *ctx->stop is set. 0 or -errno (-EINTR once stopped).
 */
int hc_write_all(const struct hc_ctx *ctx, const void *buf, uint64_t len);

#endif
