/* vmm/step.c: --step, a module of the exit loop: in a window the guest opens (LDE_HC_STEP), every instruction it runs is one KVM_EXIT_DEBUG, and it learns how many ran in ring 0. */
#include "step.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../abi/boot.h"
#include "../abi/exit.h"
#include "../abi/hypercall.h"
#include "hypercall.h"
#include "log.h"

/*
 * How a window runs (abi/hypercall.h has the contract).
 *
 * KVM_GUESTDBG_SINGLESTEP makes KVM exit after each instruction: on hardware KVM by setting
 * RFLAGS.TF, the CPU's single-step trap, which KVM_SET_GUEST_DEBUG puts in the vCPU's RFLAGS
 * at the current RIP; under kvm_pvm because KVM's emulator, which runs every ring-0
 * instruction there, exits after each while SINGLESTEP is set. On hardware the guest loses TF
 * on each way into ring 0, so the kernel's entries for the window first write
 * LDE_STEP_ENTRY_PORT: there the VMM sets TF again, and the entry's own two instructions (the
 * OUTB, whose completion KVM reports as the first step, and the jump) are not counted.
 *
 * Hardware breakpoints on the real entry points (KVM_GUESTDBG_USE_HW_BP) would need no help
 * from the kernel, but there are four (DR0-DR3), fewer than the ways in, and QEMU's emulated
 * SVM before 9.1 does not arm a nested guest's debug registers: the QEMU runner, this
 * project's hardware-semantics host, never saw one fire.
 *
 * A step exit says where the vCPU goes on (debug.arch.pc); the instruction that ran was at the
 * previous stop. Ring 3 is not stepped (its TF is clear on hardware; under kvm_pvm it runs
 * natively), so a step that crosses between the halves (LDE_KERNEL_HALF_BASE) is ring 0's: the
 * return to ring 3, or under kvm_pvm the first instruction after an entry, whose stop is the
 * first since the last return. Only a step with both ends in the low half counts as ring 3's.
 * An instruction that clears TF as it runs (SYSRET to a task whose R11 has TF clear) brings no
 * step exit at all: when the vCPU next enters through the port with its last stop in the
 * kernel, that instruction ran, and is counted then. The first stop of a window is after its
 * ON's OUT, a ring-0 instruction.
 */
/*
 * --step-log FILE: each window as lines, for tools/step-profile to name the functions:
 *   window                       a window opened
 *   0 ADDR | 3 ADDR              one instruction counted for ring 0 or ring 3, at ADDR (hex;
 *                                "?" for the window's first, the ON hypercall's OUT)
 *   entry                        the kernel entered through a stepped way (its stub not counted)
 *   end RING0 RING3 ENTRIES      the window closed: the counts the guest is told
 * Under kvm_pvm there are no entry lines (no entry stub), and the first kernel instruction
 * after an entry is logged at the previous stop, a ring-3 address or the return to it: its
 * function shows as "??" or as the return path's.
 */
#define PC_UNKNOWN 0 /* no instruction is at 0 in this guest */

/* What one exit was to this module (run.h's exit hook: 1 handled, 0 not mine, -1 failed). */
enum { STEP_DONE = 1, STEP_NOT_MINE = 0, STEP_FAILED = -1 };

static struct {
	int vcpu_fd;
	int open;        /* a window is open */
	int overflow;    /* the window ran out of budget and stepping stopped */
	unsigned skip;   /* steps still to come of an entry's own instructions */
	int prev_kernel; /* the instruction at the last stop is the kernel's */
	uint64_t prev_pc; /* where the last stop was: the next step ran the instruction there */
	uint64_t ring0, ring3, entries;
	FILE *log;       /* --step-log, or NULL */
} st;

/* One counted instruction, into the log: the one at the last stop. */
static void log_insn(int ring)
{
	if (st.log == NULL)
		return;
	if (st.prev_pc == PC_UNKNOWN)
		fprintf(st.log, "%d ?\n", ring);
	else
		fprintf(st.log, "%d %llx\n", ring, (unsigned long long)st.prev_pc);
}

/* Single-stepping on or off. 0, or -errno (with a message). */
static int step_set(int on, const char *why)
{
	struct kvm_guest_debug dbg;

	memset(&dbg, 0, sizeof(dbg));
	if (on)
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (ioctl(st.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) == 0)
		return 0;
	vmm_warn("KVM_SET_GUEST_DEBUG (%s)", why);
	return -errno;
}

static int64_t step_on(void)
{
	int r;

	if (st.open || st.overflow)
		return -EBUSY;
	st.ring0 = st.ring3 = st.entries = 0;
	st.skip = 0;
	st.prev_kernel = 1; /* the OUT of this hypercall: port I/O is ring 0's */
	st.prev_pc = PC_UNKNOWN;
	r = step_set(1, "opening a step window");
	if (r == 0) {
		st.open = 1;
		if (st.log)
			fputs("window\n", st.log);
	}
	return r;
}

static int64_t step_off(struct lde_hc_step *out)
{
	int64_t ret = st.overflow ? -ERANGE : 0;

	if (!st.open && !st.overflow)
		return -EINVAL;
	if (st.open && step_set(0, "closing a step window") != 0)
		ret = -EIO;
	out->ring0 = st.ring0;
	out->ring3 = st.ring3;
	out->entries = st.entries;
	if (st.log)
		fprintf(st.log, "end %llu %llu %llu\n", (unsigned long long)st.ring0,
			(unsigned long long)st.ring3, (unsigned long long)st.entries);
	st.open = st.overflow = 0;
	return ret;
}

/* LDE_HC_STEP, once vmm/hypercall.c has checked the struct and the op. */
static int64_t step_serve(const struct lde_hc_step *in, struct lde_hc_step *out)
{
	return in->op == LDE_STEP_ON ? step_on() : step_off(out);
}

/* A guest that never closes its window, or steps a long loop, gets its budget and no more. */
static int step_budget(void)
{
	if (st.ring0 + st.ring3 + st.entries < LDE_STEP_BUDGET)
		return STEP_DONE;
	st.open = 0;
	st.overflow = 1;
	return step_set(0, "a step window over budget") == 0 ? STEP_DONE : STEP_FAILED;
}

/* A write to LDE_STEP_ENTRY_PORT: the kernel entered through a way the window steps. */
static int step_io(const struct kvm_run *run)
{
	if (run->io.port != LDE_STEP_ENTRY_PORT || run->io.direction != KVM_EXIT_IO_OUT)
		return STEP_NOT_MINE;
	if (!st.open)
		return STEP_DONE; /* an entry left over from a window that has closed */
	if (st.prev_kernel && st.skip == 0) {
		st.ring0++; /* the return to ring 3 that cleared TF (see above) */
		log_insn(0);
	}
	st.entries++;
	if (st.log)
		fputs("entry\n", st.log);
	st.skip = LDE_STEP_ENTRY_INSNS;
	st.prev_kernel = 1;
	st.prev_pc = PC_UNKNOWN;
	if (step_set(1, "stepping an entry") != 0)
		return STEP_FAILED;
	return step_budget();
}

static int step_debug(const struct kvm_run *run)
{
	int kernel = run->debug.arch.pc >= LDE_KERNEL_HALF_BASE;

	if (!st.open)
		return STEP_NOT_MINE;
	if (st.skip > 0) {
		st.skip--;
	} else if (st.prev_kernel || kernel) {
		st.ring0++;
		log_insn(0);
	} else {
		st.ring3++;
		log_insn(3);
	}
	st.prev_kernel = kernel;
	st.prev_pc = run->debug.arch.pc;
	return step_budget();
}

static void step_start(struct hc_ctx *hc)
{
	hc->step = step_serve;
}

/* After each exit: the entry port's writes and the step exits are this module's. */
static int step_exit(const struct kvm_run *run, uint64_t kvm_run_cycles)
{
	(void)kvm_run_cycles;
	if (run->exit_reason == KVM_EXIT_IO)
		return step_io(run);
	if (run->exit_reason == KVM_EXIT_DEBUG)
		return step_debug(run);
	return STEP_NOT_MINE;
}

static void step_finish(const struct gmem *gm, int status)
{
	(void)gm, (void)status;
	/* Flushed, not closed: close is not in the sandbox, and exit closes it. */
	if (st.log && (fflush(st.log) != 0 || ferror(st.log)))
		vmm_warnx("--step-log: writing it failed");
	st.log = NULL;
}

/* What the sandbox must let through: the one ioctl that switches stepping. */
static const unsigned long step_ioctls[] = { KVM_SET_GUEST_DEBUG, 0 };

static const struct run_module step_module = {
	.start = step_start,
	.exit = step_exit,
	.finish = step_finish,
	.ioctls = step_ioctls,
	.read_fd = -1,
};

const struct run_module *step_module_open(const struct vmm_opts *o, const struct vm *vm)
{
	if (!o->step)
		return NULL;
	memset(&st, 0, sizeof(st));
	st.vcpu_fd = vm->vcpu_fd;
	if (o->step_log) {
		static char buf[BUFSIZ];

		st.log = vmm_output_open(o->step_log, "--step-log", buf, sizeof(buf));
	}
	return &step_module;
}
