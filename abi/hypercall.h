/* abi/hypercall.h: the guest-to-VMM calls: numbers, ports and argument structs. */
#ifndef LDE_ABI_HYPERCALL_H
#define LDE_ABI_HYPERCALL_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * A hypercall is one 32-bit port write: `outl %eax, %dx` with DX = LDE_HC_PORT(nr) and
 * EAX = the guest-physical address of the call's argument struct (8-byte aligned,
 * inside guest RAM). The VMM reads the IN fields, acts, and writes the OUT fields
 * before the vCPU resumes. The struct must lie below 4 GiB; guest RAM always does.
 *
 * Guest addresses inside argument structs are lde_gpa_t: an integer, so host code
 * cannot dereference one without passing it through the VMM's range check.
 */
#define LDE_HC_PORT_BASE 0x500
#define LDE_HC_PORT(nr) (LDE_HC_PORT_BASE + (nr))

/* Hypercall numbers: 0 is reserved so that a zeroed register is never a valid call. */
#define LDE_HC_RESERVED 0
#define LDE_HC_CONSOLE_WRITE 1
#define LDE_HC_EXIT 2
#define LDE_HC_NOP 3      /* no argument: the VMM returns at once (the bench's vmexit.pio) */
#define LDE_HC_COUNTERS 4 /* OUT struct lde_bench_counters (abi/bench.h): exit counts */
#define LDE_HC_ASSERT 5   /* a task's failed assertion, reported to the host (struct below) */
#define LDE_HC_WRITE 6    /* struct lde_hc_io: to fd 1 (the VMM's stdout) or 2 (its stderr) */
#define LDE_HC_READ 7     /* struct lde_hc_io: from fd 0 (the VMM's stdin); 0 at its end */
#define LDE_HC_TRACE 8    /* struct lde_hc_trace (abi/trace.h): a batch of trace events */
#define LDE_HC_DEBUG 9    /* struct lde_hc_debug (abi/debug.h): tasks and stops, for --gdb */
#define LDE_HC_STEP 10   /* struct lde_hc_step: count instructions by single-stepping (--step) */
#define LDE_HC_MAX 11 /* first unused number */

/*
 * LDE_HC_STEP: a window in which the VMM single-steps the vCPU (KVM_SET_GUEST_DEBUG) and counts
 * the instructions it runs: the bench's steps= (bench/README.md). Served only by a VMM started
 * with --step; any other refuses it with ret = -EPERM, and the guest goes on.
 *
 * ON opens the window, from the hypercall's own OUT on; OFF closes it (its OUT is not counted)
 * and reports. An instruction counts as ring 0's when it lies at or above LDE_KERNEL_HALF_BASE
 * (abi/boot.h). Stepping follows RFLAGS.TF on hardware KVM, and every way into ring 0 clears
 * TF (an interrupt gate; SYSCALL through FMASK), so there an entry the kernel wants stepped
 * begins with a byte write to LDE_STEP_ENTRY_PORT, then one jump to the real entry point: the
 * VMM steps on from there, and counts neither of the two. The way back (SYSRET or IRETQ into
 * ring 3) restores the task's TF, clear, so ring 3 runs unstepped. Under kvm_pvm KVM's emulator
 * steps every ring-0 instruction, TF or not, and the kernel needs no such entries
 * (docs/kvm_pvm.md).
 *
 * The VMM stops stepping after LDE_STEP_BUDGET steps in one window; OFF then says so (ret =
 * -ERANGE, the counts so far). Other refusals: -EINVAL (an unknown op, OFF with no window
 * open), -EBUSY (ON with a window open).
 */
#define LDE_STEP_ON 1
#define LDE_STEP_OFF 2
#define LDE_STEP_BUDGET (1u << 16) /* steps in one window; the bench's longest takes ~1 000 */
/*
 * An 8-bit port, no PC device's: `outb %al, $port` needs no free register, and an entry point
 * has none (SYSCALL's has not even a stack). The byte written means nothing; outside a window
 * the VMM ignores the write.
 */
#define LDE_STEP_ENTRY_PORT 0xe5
#define LDE_STEP_ENTRY_INSNS 2 /* the OUTB and the jump: not the kernel's path, not counted */

#ifndef __ASSEMBLER__
typedef uint64_t lde_gpa_t;

/* LDE_HC_CONSOLE_WRITE: write len bytes at buf to the console (the VMM's stdout). */
struct lde_hc_console_write {
	lde_gpa_t buf; /* IN */
	uint64_t len;  /* IN */
	int64_t ret;   /* OUT: bytes written, or a negative errno */
};

/* LDE_HC_EXIT: end the guest; the VMM exits with this status (see README). */
struct lde_hc_exit {
	uint64_t status; /* IN: 0..123 or 128..255 */
};

/*
 * LDE_HC_WRITE and LDE_HC_READ: the guest's standard streams are the VMM's. A write goes
 * whole to the stream (ret = len, or -errno); a read returns what one read(2) of the VMM's
 * stdin gave: at most len bytes, 0 at the end of the input, or -errno.
 */
#define LDE_IO_STDIN 0
#define LDE_IO_STDOUT 1
#define LDE_IO_STDERR 2
struct lde_hc_io {
	uint64_t fd;   /* IN: LDE_IO_STDIN for READ; LDE_IO_STDOUT or LDE_IO_STDERR for WRITE */
	lde_gpa_t buf; /* IN */
	uint64_t len;  /* IN */
	int64_t ret;   /* OUT */
};

/*
 * LDE_HC_ASSERT: a test task's assertion failed (LDE_ASSERT, guest/user/lde.h; the kernel
 * forwards SYS_assert_fail). The VMM prints the expression, file and line, as the KVM
 * selftests' ucall does: the harness reads them without parsing the guest's free text.
 * Each string is NUL-terminated within LDE_ASSERT_TEXT_MAX bytes.
 */
#define LDE_ASSERT_TEXT_MAX 256
struct lde_hc_assert {
	lde_gpa_t expr; /* IN: the expression, as written */
	lde_gpa_t file; /* IN: the source file */
	uint64_t line;  /* IN */
	uint64_t pid;   /* IN: the task that failed it */
};

/* LDE_HC_STEP: see its constants above. */
struct lde_hc_step {
	uint64_t op;      /* IN: LDE_STEP_ON or LDE_STEP_OFF */
	uint64_t ring0;   /* OUT, OFF: instructions stepped in ring 0 */
	uint64_t ring3;   /* OUT, OFF: in ring 3 (none, on either platform: see above) */
	uint64_t entries; /* OUT, OFF: writes to LDE_STEP_ENTRY_PORT in the window */
	int64_t ret;      /* OUT: 0 or a negative errno */
};

#endif /* !__ASSEMBLER__ */

/* COM1 transmit register: byte writes are printed too, for early code and other kernels. */
#define LDE_COM1_PORT 0x3f8
#define LDE_COM1_PORT_COUNT 8
#define LDE_COM1_LSR_OFFSET 5 /* line status register; reads report "transmitter empty" */

#endif
