/*
 * vmm/trace.c: --trace FILE and --protocol: the kernel's trace events (trace=on, abi/trace.h)
 * and the VM exits the VMM saw, written as Chrome trace-event JSON (the "JSON Array Format"
 * that chrome://tracing and ui.perfetto.dev open), and handed to the protocol tables
 * (vmm/protocol.c).
 *
 * Tracks: process 1 is the guest, its thread 0 the kernel and thread N the task with pid N;
 * process 2 is the VMM, with one thread for the VM exits. A system call and a trap are
 * slices ("B" at entry, "E" at return-from-trap) on the task's track; a switch, a task's start
 * and end are instants; a VM exit is a complete slice ("X") lasting from the exit to the
 * next KVM_RUN. Times are microseconds from the start of the run, from the guest's TSC.
 *
 * The file is written as the events come, so memory stays bounded, and the number of events
 * is capped (TRACE_EVENTS_MAX): past it, events are counted as dropped, never half written.
 */
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../abi/exit.h"
#include "../abi/hypercall.h"
#include "../abi/trace.h"
#include "../common/tsc.h"
#include "hypercall.h"
#include "log.h"
#include "protocol.h"
#include "trace_json.h"

#define MSR_IA32_TSC 0x10u /* the time-stamp counter (SDM vol. 4, table 2-2) */

static struct {
	FILE *json;       /* --trace's file, or NULL */
	const char *path;
	int protocol;     /* --protocol */
	const struct vm *vm;
	int64_t tsc_offset; /* guest TSC = host TSC + this: stamps the VM exits */
	uint64_t last_exit_tsc; /* guest time of the exit the VMM is handling now; 0: none */
	const char *last_exit_name;
} tr;

/* The guest's TSC, read once before the sandbox (which forbids KVM_GET_MSRS). */
static uint64_t guest_tsc(const struct vm *vm)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 1;
	m.e.index = MSR_IA32_TSC;
	if (ioctl(vm->vcpu_fd, KVM_GET_MSRS, &m) != 1)
		vmm_err(LDE_EXIT_VMM_ERROR, "KVM_GET_MSRS(IA32_TSC)");
	return m.e.data;
}

static void on_events(void *arg, const struct lde_trace_event *ev, unsigned n, uint64_t dropped)
{
	(void)arg;
	for (unsigned i = 0; i < n; i++) {
		if (tr.json)
			trace_json_event(&ev[i]);
		if (tr.protocol)
			protocol_event(&ev[i]);
	}
	trace_json_dropped(dropped);
}

static void trace_start(struct hc_ctx *hc)
{
	uint64_t g = guest_tsc(tr.vm);

	tr.tsc_offset = (int64_t)(g - tsc_begin());
	hc->trace = on_events;
	hc->trace_arg = NULL;
	if (tr.json)
		trace_json_begin(tr.json, tr.vm->tsc_khz, g, lde_platform_name(tr.vm->platform));
	if (tr.protocol)
		protocol_begin(lde_platform_name(tr.vm->platform));
}

/* What an exit was, in a few words: its reason, and for a hypercall, which one. */
static const char *exit_name(const struct kvm_run *run)
{
	if (run->exit_reason == KVM_EXIT_IO && run->io.port >= LDE_HC_PORT_BASE &&
	    run->io.port < LDE_HC_PORT(LDE_HC_MAX) && hc_name(run->io.port - LDE_HC_PORT_BASE))
		return hc_name(run->io.port - LDE_HC_PORT_BASE);
	return kvm_exit_reason_name(run->exit_reason);
}

/*
 * After each exit: the previous exit ended when KVM_RUN was entered again, kvm_run_cycles
 * before now; this one starts now. Both in guest TSC.
 */
static int trace_exit(const struct kvm_run *run, uint64_t kvm_run_cycles)
{
	uint64_t now = tsc_begin() + (uint64_t)tr.tsc_offset;

	if (!tr.json)
		return 0;
	if (tr.last_exit_tsc)
		trace_json_vm_exit(tr.last_exit_name, tr.last_exit_tsc, now - kvm_run_cycles);
	tr.last_exit_tsc = now;
	tr.last_exit_name = exit_name(run);
	return 0;
}

static void trace_finish(const struct gmem *gm, int status)
{
	(void)gm, (void)status;
	if (tr.json) {
		if (tr.last_exit_tsc)
			trace_json_vm_exit(tr.last_exit_name, tr.last_exit_tsc,
					   tsc_begin() + (uint64_t)tr.tsc_offset);
		/* Flushed, not closed: the sandbox allows no close(2); the exit closes it. */
		trace_json_end(tr.path);
		tr.json = NULL;
	}
	if (tr.protocol)
		protocol_print(stderr);
}

static const struct run_module trace_module = {
	.start = trace_start,
	.exit = trace_exit,
	.finish = trace_finish,
	.syscalls = NULL, /* write, on the file opened before the sandbox, is the loop's own */
	.read_fd = -1,
};

const struct run_module *trace_module_open(const struct vmm_opts *o, const struct vm *vm)
{
	if (o->trace_path == NULL && !o->protocol)
		return NULL;
	memset(&tr, 0, sizeof(tr));
	tr.vm = vm;
	tr.protocol = o->protocol;
	tr.path = o->trace_path;
	if (o->trace_path) {
		static char buf[BUFSIZ];

		tr.json = vmm_output_open(o->trace_path, "--trace", buf, sizeof(buf));
	}
	return &trace_module;
}
