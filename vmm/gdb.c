/*
 * vmm/gdb.c: --gdb PORT|PATH, GDB's remote protocol, as a module of the exit loop.
 *
 * The stub waits for GDB before the guest's first instruction. A stop is served in a loop of
 * packets until GDB resumes (continue, step), detaches or kills; the guest does not run
 * meanwhile. Stops come three ways:
 *   - KVM_EXIT_DEBUG: a kernel breakpoint or watchpoint (the four debug registers, which
 *     KVM_SET_GUEST_DEBUG arms), or a single step of the vCPU;
 *   - the kernel's LDE_HC_DEBUG STOP: a task or the kernel hit an int3 the stub planted, or
 *     finished the step the stub asked for (RFLAGS.TF in the trap frame). These exceptions go
 *     to the guest's own trap table (under kvm_pvm ring 3's never reach KVM), so the kernel
 *     hands them over, with the frame's registers, and GDB sees the same stop on both KVMs;
 *   - Ctrl-C: SIGIO on the connection makes KVM_RUN return.
 * Threads are the kernel's tasks (the kernel names them with LDE_HC_DEBUG TASK_START), and one
 * more for the kernel itself; selecting a thread selects its address space for memory.
 *
 * A breakpoint in kernel code is an int3 in the kernel's text on hardware KVM; the kernel
 * (debug=on) hands its own #BP to the stub as it does a task's, so KVM need not intercept
 * int3 at all (nested under QEMU's TCG it cannot: TCG takes int3 as a software interrupt).
 * Under kvm_pvm, which cannot execute int3 in ring 0, a kernel breakpoint takes one of the
 * four debug registers instead, as hbreak and watchpoints do everywhere; a fifth is refused
 * with a message. A breakpoint at a user address is an
 * int3 written into every task's copy of that page (tasks load at the same addresses), now
 * and as tasks start. Memory reads show the bytes under breakpoints.
 */
#include "gdb.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "../abi/debug.h"
#include "../abi/exit.h"
#include "../abi/x86.h"
#include "gdb_proto.h"
#include "gdb_regs.h"
#include "log.h"

#define TASKS_MAX 64          /* the kernel's NTASK */
#define USER_BP_MAX 32        /* int3 breakpoints at user addresses */
#define KERNEL_BP_MAX 32      /* int3 breakpoints in kernel code (hardware KVM) */
#define DEBUG_REGS 4          /* DR0-DR3 */
#define KERNEL_TID 0x7fffffff /* the GDB thread that is the kernel itself (no task) */
#define KERNEL_HALF 0xffff800000000000ull /* addresses at or above: the kernel's */
#define INT3 0xcc
#define SIGINT_NR 2  /* GDB's signal numbers in stop replies */
#define SIGTRAP_NR 5
#define DR6_HITS 0xfull          /* which of DR0-DR3 matched */
#define DR7_ENABLE(i) (1ull << (2 * (i)))
#define DR7_RW_SHIFT(i) (16 + 4 * (i))
#define DR7_LEN_SHIFT(i) (18 + 4 * (i))
#define DR_RW_EXEC 0u
#define DR_RW_WRITE 1u
#define DR_RW_ACCESS 3u
#define PTE_P 1ull
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull
#define CR3_ADDR PTE_ADDR /* CR3 without its PCID (bits 0-11) and no-flush bit (63) */
#define MEM_CHUNK ((GDB_PACKET_MAX - 8) / 2) /* bytes an m packet answers */

struct gtask {
	int live;
	int pid;
	char name[LDE_DEBUG_NAME_MAX + 1];
	uint64_t pml4;
	uint8_t orig[USER_BP_MAX]; /* the byte under each user breakpoint, in this task */
	uint8_t set[USER_BP_MAX];  /* whether the int3 is written in this task */
};

struct dreg {
	int used;
	uint64_t addr;
	unsigned rw, len; /* DR7's fields: the kind and the length (1, 2, 4, 8) */
};

enum resume { RESUME_CONTINUE, RESUME_STEP, RESUME_DETACH };

static struct {
	int fd; /* the connection; -1 when there is none (never came, detached, gone) */
	struct vm *vm;
	struct gtask task[TASKS_MAX];
	uint64_t bp[USER_BP_MAX];
	int bp_used[USER_BP_MAX];
	struct dreg dr[DEBUG_REGS];
	uint64_t kbp[KERNEL_BP_MAX];   /* kernel addresses with our int3 */
	uint8_t kbp_orig[KERNEL_BP_MAX];
	int kbp_used[KERNEL_BP_MAX];
	int vcpu_step;     /* single-step the vCPU on the next run */
	int frame_step;    /* a trap frame has TF set for us: its #DB is our step */
	int sel;           /* the thread GDB selected (Hg): registers and memory */
	int stop_tid;      /* the thread that stopped */
	struct lde_debug_regs *task_regs; /* while serving a kernel-reported stop: the frame's */
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	char in[GDB_PACKET_MAX];
	char out[2 * GDB_PACKET_MAX];
	struct run_module mod;
} g;

static volatile sig_atomic_t io_pending;
static struct kvm_run *volatile sigio_run;

static void on_sigio(int sig)
{
	(void)sig;
	io_pending = 1;
	if (sigio_run)
		sigio_run->immediate_exit = 1;
}

/* ---- the vCPU's state ---- */

static void vcpu_load(void)
{
	if (ioctl(g.vm->vcpu_fd, KVM_GET_REGS, &g.regs) != 0 ||
	    ioctl(g.vm->vcpu_fd, KVM_GET_SREGS, &g.sregs) != 0 ||
	    ioctl(g.vm->vcpu_fd, KVM_GET_FPU, &g.fpu) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "gdb: KVM_GET_REGS/SREGS/FPU");
}

static void vcpu_store_regs(void)
{
	if (ioctl(g.vm->vcpu_fd, KVM_SET_REGS, &g.regs) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "gdb: KVM_SET_REGS");
}

/* Arm the debug registers and the single step for the next KVM_RUN. */
static void guest_debug_apply(void)
{
	struct kvm_guest_debug d;
	int any = 0;

	memset(&d, 0, sizeof(d));
	for (int i = 0; i < DEBUG_REGS; i++) {
		static const unsigned len_code[9] = { 0, 0, 1, 0, 3, 0, 0, 0, 2 };

		if (!g.dr[i].used)
			continue;
		any = 1;
		d.arch.debugreg[i] = g.dr[i].addr;
		d.arch.debugreg[7] |= DR7_ENABLE(i) | (uint64_t)g.dr[i].rw << DR7_RW_SHIFT(i) |
				      (uint64_t)len_code[g.dr[i].len] << DR7_LEN_SHIFT(i);
	}
	if (any || g.vcpu_step)
		d.control = KVM_GUESTDBG_ENABLE | (any ? KVM_GUESTDBG_USE_HW_BP : 0) |
			    (g.vcpu_step ? KVM_GUESTDBG_SINGLESTEP : 0);
	if (ioctl(g.vm->vcpu_fd, KVM_SET_GUEST_DEBUG, &d) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "gdb: KVM_SET_GUEST_DEBUG");
}

/* ---- tasks, threads and memory ---- */

static struct gtask *task_by_pid(int pid)
{
	for (int i = 0; i < TASKS_MAX; i++)
		if (g.task[i].live && g.task[i].pid == pid)
			return &g.task[i];
	return NULL;
}

/* The thread running on the vCPU: the task whose page tables CR3 holds, or the kernel. */
static int vcpu_tid(void)
{
	for (int i = 0; i < TASKS_MAX; i++)
		if (g.task[i].live && g.task[i].pml4 == (g.sregs.cr3 & CR3_ADDR))
			return g.task[i].pid;
	return KERNEL_TID;
}

static uint64_t thread_cr3(int tid)
{
	struct gtask *t = tid == KERNEL_TID ? NULL : task_by_pid(tid);

	return t ? t->pml4 : g.sregs.cr3 & CR3_ADDR;
}

/* va through the 4-level tables at cr3 (2 MiB and 1 GiB pages too): its guest-physical
 * address, or -1 when nothing is mapped there. */
static int translate(uint64_t cr3, uint64_t va, uint64_t *gpa)
{
	uint64_t table = cr3 & PTE_ADDR;

	if ((uint64_t)((int64_t)(va << 16) >> 16) != va)
		return -1; /* not canonical */
	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (unsigned)(level - 1);
		const uint64_t *e = gmem_ptr(&g.vm->mem, table + ((va >> shift) & 511) * 8, 8);

		if (e == NULL || !(*e & PTE_P))
			return -1;
		if (level == 1 || ((level == 2 || level == 3) && (*e & PTE_PS))) {
			uint64_t size = 1ull << shift;

			*gpa = (*e & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
			return 0;
		}
		table = *e & PTE_ADDR;
	}
	return -1;
}

static uint8_t *byte_at(uint64_t cr3, uint64_t va)
{
	uint64_t gpa;

	return translate(cr3, va, &gpa) == 0 ? gmem_ptr(&g.vm->mem, gpa, 1) : NULL;
}

/* Read n bytes of thread tid's memory; how many could be read. Breakpoints read as the
 * bytes they cover. */
static size_t mem_read(int tid, uint64_t va, uint8_t *out, size_t n)
{
	uint64_t cr3 = thread_cr3(tid);
	struct gtask *t = task_by_pid(tid);
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t *p = byte_at(cr3, va + i);

		if (p == NULL)
			break;
		out[i] = *p;
		for (int b = 0; t && b < USER_BP_MAX; b++)
			if (g.bp_used[b] && t->set[b] && g.bp[b] == va + i)
				out[i] = t->orig[b];
		for (int b = 0; b < KERNEL_BP_MAX; b++)
			if (g.kbp_used[b] && g.kbp[b] == va + i)
				out[i] = g.kbp_orig[b];
	}
	return i;
}

static size_t mem_write(int tid, uint64_t va, const uint8_t *in, size_t n)
{
	uint64_t cr3 = thread_cr3(tid);
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t *p = byte_at(cr3, va + i);

		if (p == NULL)
			break;
		*p = in[i];
	}
	return i;
}

/* ---- breakpoints ---- */

static void bp_insert(struct gtask *t, int b)
{
	uint8_t *p = byte_at(t->pml4, g.bp[b]);

	if (p == NULL || t->set[b])
		return;
	t->orig[b] = *p;
	*p = INT3;
	t->set[b] = 1;
}

static void bp_remove(struct gtask *t, int b)
{
	uint8_t *p = byte_at(t->pml4, g.bp[b]);

	if (t->set[b] && p != NULL && *p == INT3)
		*p = t->orig[b];
	t->set[b] = 0;
}

static const char *user_bp(int add, uint64_t addr)
{
	int b, free_slot = -1;

	for (b = 0; b < USER_BP_MAX; b++) {
		if (g.bp_used[b] && g.bp[b] == addr)
			break;
		if (!g.bp_used[b] && free_slot < 0)
			free_slot = b;
	}
	if (!add) {
		if (b < USER_BP_MAX) {
			for (int i = 0; i < TASKS_MAX; i++)
				if (g.task[i].live)
					bp_remove(&g.task[i], b);
			g.bp_used[b] = 0;
		}
		return "OK";
	}
	if (b < USER_BP_MAX)
		return "OK";
	if (free_slot < 0)
		return "E.too many breakpoints in task code";
	g.bp[free_slot] = addr;
	g.bp_used[free_slot] = 1;
	for (int i = 0; i < TASKS_MAX; i++)
		if (g.task[i].live)
			bp_insert(&g.task[i], free_slot);
	return "OK";
}

/* An int3 in kernel code, written through the page tables the vCPU has now (the kernel's
 * half is the same in every address space). */
static const char *kernel_bp(int add, uint64_t addr)
{
	int b, free_slot = -1;
	uint8_t *p = byte_at(g.sregs.cr3 & CR3_ADDR, addr);

	for (b = 0; b < KERNEL_BP_MAX; b++) {
		if (g.kbp_used[b] && g.kbp[b] == addr)
			break;
		if (!g.kbp_used[b] && free_slot < 0)
			free_slot = b;
	}
	if (!add) {
		if (b < KERNEL_BP_MAX) {
			if (p != NULL && *p == INT3)
				*p = g.kbp_orig[b];
			g.kbp_used[b] = 0;
		}
		return "OK";
	}
	if (b < KERNEL_BP_MAX)
		return "OK";
	if (p == NULL)
		return "E14";
	if (free_slot < 0)
		return "E.too many breakpoints in kernel code";
	g.kbp[free_slot] = addr;
	g.kbp_orig[free_slot] = *p;
	g.kbp_used[free_slot] = 1;
	*p = INT3;
	return "OK";
}

static int kernel_bp_at(uint64_t addr)
{
	for (int b = 0; b < KERNEL_BP_MAX; b++)
		if (g.kbp_used[b] && g.kbp[b] == addr)
			return 1;
	return 0;
}

static const char *debug_reg(int add, uint64_t addr, unsigned rw, unsigned len)
{
	int free_slot = -1;

	if (len != 1 && len != 2 && len != 4 && len != 8)
		return "E.a watchpoint covers 1, 2, 4 or 8 bytes";
	for (int i = 0; i < DEBUG_REGS; i++) {
		if (g.dr[i].used && g.dr[i].addr == addr && g.dr[i].rw == rw && g.dr[i].len == len) {
			if (!add)
				g.dr[i].used = 0;
			return "OK";
		}
		if (!g.dr[i].used && free_slot < 0)
			free_slot = i;
	}
	if (!add)
		return "OK";
	if (free_slot < 0)
		return "E.all 4 debug registers are in use: kernel breakpoints and watchpoints "
		       "take one each (int3 cannot run in ring 0 under kvm_pvm)";
	g.dr[free_slot] = (struct dreg){ .used = 1, .addr = addr, .rw = rw, .len = len };
	return "OK";
}

/* Z and z: type 0 software, 1 hardware breakpoint, 2 write, 3 read, 4 access watchpoint. */
static const char *breakpoint(const char *p, int add)
{
	uint64_t type, addr, kind;

	if (gdb_parse_hex(&p, &type) != 0 || *p++ != ',' || gdb_parse_hex(&p, &addr) != 0 ||
	    *p++ != ',' || gdb_parse_hex(&p, &kind) != 0)
		return "E01";
	switch (type) {
	case 0:
		if (addr < KERNEL_HALF)
			return user_bp(add, addr);
		if (g.vm->platform != LDE_PLATFORM_PVM)
			return kernel_bp(add, addr);
		return debug_reg(add, addr, DR_RW_EXEC, 1); /* kvm_pvm: no int3 in ring 0 */
	case 1: return debug_reg(add, addr, DR_RW_EXEC, 1);
	case 2: return debug_reg(add, addr, DR_RW_WRITE, (unsigned)kind);
	case 4: return debug_reg(add, addr, DR_RW_ACCESS, (unsigned)kind);
	default: return ""; /* read-only watchpoints: x86 has none */
	}
}

static void all_breakpoints_out(void)
{
	for (int b = 0; b < USER_BP_MAX; b++)
		if (g.bp_used[b])
			user_bp(0, g.bp[b]);
	for (int b = 0; b < KERNEL_BP_MAX; b++)
		if (g.kbp_used[b])
			kernel_bp(0, g.kbp[b]);
	memset(g.dr, 0, sizeof(g.dr));
	g.vcpu_step = 0;
	guest_debug_apply();
}

/* ---- registers (vmm/gdb_regs.c knows the layout) ---- */

static int regs_view(int tid, struct gdb_regs_view *v)
{
	if (tid != g.stop_tid)
		return -1; /* only the thread that stopped has its registers at hand */
	v->kvm = &g.regs;
	v->sregs = &g.sregs;
	v->fpu = &g.fpu;
	v->task = g.task_regs;
	return 0;
}

static void reply_registers(int one, unsigned n)
{
	struct gdb_regs_view v;
	int have = regs_view(g.sel, &v) == 0;
	size_t len = 0;

	for (unsigned r = one ? n : 0; r < (one ? n + 1 : GDB_NREGS); r++) {
		uint8_t bytes[GDB_REG_BYTES_MAX];
		unsigned size = gdb_reg_size(r);

		if (size == 0) {
			gdb_send_str(g.fd, "E01");
			return;
		}
		if (have) {
			gdb_reg_get(&v, r, bytes);
			gdb_hex_encode(bytes, size, g.out + len);
		} else {
			memset(g.out + len, 'x', 2 * size); /* unavailable, which GDB shows as such */
		}
		len += 2 * size;
	}
	gdb_send(g.fd, g.out, len);
}

static const char *write_register(const char *p)
{
	struct gdb_regs_view v;
	uint64_t n;
	uint8_t bytes[GDB_REG_BYTES_MAX];
	unsigned size;

	if (gdb_parse_hex(&p, &n) != 0 || *p++ != '=' || (size = gdb_reg_size((unsigned)n)) == 0 ||
	    strlen(p) != 2 * size || gdb_hex_decode(p, size, bytes) != 0)
		return "E01";
	if (regs_view(g.sel, &v) != 0 || gdb_reg_set(&v, (unsigned)n, bytes) != 0)
		return "E.only the stopped thread's general registers can be written";
	if (g.task_regs == NULL)
		vcpu_store_regs();
	return "OK";
}

/* ---- the packets of one stop ---- */

static int parse_thread(const char *p, int *tid)
{
	uint64_t v;

	if (strcmp(p, "-1") == 0 || strcmp(p, "0") == 0) {
		*tid = g.stop_tid;
		return 0;
	}
	if (gdb_parse_hex(&p, &v) != 0 || *p != '\0')
		return -1;
	if (v != KERNEL_TID && task_by_pid((int)v) == NULL)
		return -1;
	*tid = (int)v;
	return 0;
}

static void reply_threads(void)
{
	size_t n = (size_t)snprintf(g.out, sizeof(g.out), "m%x", KERNEL_TID);

	for (int i = 0; i < TASKS_MAX && n < sizeof(g.out) - 16; i++)
		if (g.task[i].live)
			n += (size_t)snprintf(g.out + n, sizeof(g.out) - n, ",%x", g.task[i].pid);
	gdb_send(g.fd, g.out, n);
}

static void reply_thread_info(const char *p)
{
	char text[80];
	int tid;
	struct gtask *t;

	if (parse_thread(p, &tid) != 0) {
		gdb_send_str(g.fd, "E01");
		return;
	}
	t = task_by_pid(tid);
	if (t)
		snprintf(text, sizeof(text), "pid %d (%s)", t->pid, t->name);
	else
		snprintf(text, sizeof(text), "kernel (no task)");
	gdb_hex_encode((const uint8_t *)text, strlen(text), g.out);
	gdb_send_str(g.fd, g.out);
}

static void reply_memory(const char *p)
{
	uint64_t addr, len;
	uint8_t bytes[MEM_CHUNK];
	size_t got;

	if (gdb_parse_hex(&p, &addr) != 0 || *p++ != ',' || gdb_parse_hex(&p, &len) != 0) {
		gdb_send_str(g.fd, "E01");
		return;
	}
	got = mem_read(g.sel, addr, bytes, len < MEM_CHUNK ? len : MEM_CHUNK);
	if (got == 0 && len > 0) {
		gdb_send_str(g.fd, "E14"); /* EFAULT: nothing mapped there in this address space */
		return;
	}
	gdb_hex_encode(bytes, got, g.out);
	gdb_send(g.fd, g.out, 2 * got);
}

static const char *write_memory(const char *p)
{
	uint64_t addr, len;
	uint8_t bytes[MEM_CHUNK];

	if (gdb_parse_hex(&p, &addr) != 0 || *p++ != ',' || gdb_parse_hex(&p, &len) != 0 ||
	    *p++ != ':' || len > MEM_CHUNK || strlen(p) != 2 * len ||
	    gdb_hex_decode(p, len, bytes) != 0)
		return "E01";
	return mem_write(g.sel, addr, bytes, len) == len ? "OK" : "E14";
}

static void reply_xfer(const char *p)
{
	const char *xml = gdb_target_xml;
	uint64_t off, len, total = strlen(xml);

	if (strncmp(p, "target.xml:", 11) != 0) {
		gdb_send_str(g.fd, "E00");
		return;
	}
	p += 11;
	if (gdb_parse_hex(&p, &off) != 0 || *p++ != ',' || gdb_parse_hex(&p, &len) != 0) {
		gdb_send_str(g.fd, "E01");
		return;
	}
	if (off >= total) {
		gdb_send_str(g.fd, "l");
		return;
	}
	if (len > sizeof(g.out) - 2)
		len = sizeof(g.out) - 2;
	if (len > total - off)
		len = total - off;
	g.out[0] = off + len < total ? 'm' : 'l';
	memcpy(g.out + 1, xml + off, len);
	gdb_send(g.fd, g.out, len + 1);
}

static void reply_stop(int sig, const char *why)
{
	char r[96];

	snprintf(r, sizeof(r), "T%02x%sthread:%x;", sig, why ? why : "", g.stop_tid);
	gdb_send_str(g.fd, r);
}

/* GDB is gone (or went away on purpose): take every breakpoint out and let the guest run. */
static void drop_client(const char *why)
{
	if (g.fd < 0)
		return;
	fprintf(stderr, "vmm: gdb: %s; the guest runs on\n", why);
	g.fd = -1;
	g.frame_step = 0;
	all_breakpoints_out();
}

/*
 * Serve one stop: the stop reply (unless GDB is yet to ask, at the first), then packets until
 * GDB resumes. sig 0: the first stop, before the guest ran.
 */
static enum resume serve(int sig, const char *why)
{
	size_t len;

	g.sel = g.stop_tid;
	if (sig && g.fd >= 0)
		reply_stop(sig, why);
	while (g.fd >= 0) {
		const char *reply = "";

		switch (gdb_read_packet(g.fd, g.in, &len)) {
		case GDB_READ_GONE:
			drop_client("the debugger went away");
			return RESUME_DETACH;
		case GDB_READ_INTERRUPT:
			continue; /* already stopped */
		case GDB_READ_PACKET:
			break;
		}
		switch (g.in[0]) {
		case '?': reply_stop(sig ? sig : SIGTRAP_NR, sig ? why : NULL); continue;
		case 'g': reply_registers(0, 0); continue;
		case 'p': {
			const char *p = g.in + 1;
			uint64_t n;

			if (gdb_parse_hex(&p, &n) != 0 || n >= GDB_NREGS)
				reply = "E01";
			else {
				reply_registers(1, (unsigned)n);
				continue;
			}
			break;
		}
		case 'P': reply = write_register(g.in + 1); break;
		case 'm': reply_memory(g.in + 1); continue;
		case 'M': reply = write_memory(g.in + 1); break;
		case 'Z': reply = breakpoint(g.in + 1, 1); break;
		case 'z': reply = breakpoint(g.in + 1, 0); break;
		case 'H':
			if (g.in[1] == 'g') {
				reply = parse_thread(g.in + 2, &g.sel) == 0 ? "OK" : "E01";
			} else {
				reply = "OK"; /* Hc: resuming always resumes the whole guest */
			}
			break;
		case 'T': {
			int tid;

			reply = parse_thread(g.in + 1, &tid) == 0 ? "OK" : "E01";
			break;
		}
		case 'c':
		case 'C': return RESUME_CONTINUE;
		case 's':
		case 'S': return RESUME_STEP;
		case 'D':
			gdb_send_str(g.fd, "OK");
			drop_client("the debugger detached");
			return RESUME_DETACH;
		case 'k':
			fprintf(stderr, "vmm: gdb: the debugger killed the guest\n");
			_exit(LDE_EXIT_TIMEOUT);
		case 'q':
			if (strncmp(g.in, "qSupported", 10) == 0)
				reply = "PacketSize=1000;qXfer:features:read+;vContSupported+";
			else if (strncmp(g.in, "qXfer:features:read:", 20) == 0) {
				reply_xfer(g.in + 20);
				continue;
			} else if (strcmp(g.in, "qfThreadInfo") == 0) {
				reply_threads();
				continue;
			} else if (strcmp(g.in, "qsThreadInfo") == 0)
				reply = "l";
			else if (strncmp(g.in, "qThreadExtraInfo,", 17) == 0) {
				reply_thread_info(g.in + 17);
				continue;
			} else if (strcmp(g.in, "qC") == 0) {
				snprintf(g.out, sizeof(g.out), "QC%x", g.stop_tid);
				gdb_send_str(g.fd, g.out);
				continue;
			} else if (strcmp(g.in, "qAttached") == 0)
				reply = "1";
			break;
		case 'v':
			if (strcmp(g.in, "vCont?") == 0)
				reply = "vCont;c;C;s;S";
			else if (strncmp(g.in, "vCont;", 6) == 0)
				return strchr(g.in + 6, 's') || strchr(g.in + 6, 'S') ? RESUME_STEP
										: RESUME_CONTINUE;
			break;
		default: break; /* not supported: the empty reply */
		}
		if (gdb_send_str(g.fd, reply) != 0)
			drop_client("the debugger went away");
	}
	return RESUME_DETACH;
}

/* ---- the three ways a stop comes ---- */

/* A stop of the vCPU itself (an exit, Ctrl-C, the first instruction): serve it, then arm
 * what GDB asked for. */
static void vcpu_stop(int sig, const char *why)
{
	g.task_regs = NULL;
	vcpu_load();
	g.stop_tid = vcpu_tid();
	g.vcpu_step = serve(sig, why) == RESUME_STEP;
	guest_debug_apply();
}

static int gdb_exit(const struct kvm_run *run, uint64_t cycles)
{
	uint64_t dr6 = run->debug.arch.dr6;
	char why[48] = "";

	(void)cycles;
	if (run->exit_reason != KVM_EXIT_DEBUG)
		return 0;
	if (g.fd < 0) {
		all_breakpoints_out(); /* a late one, after GDB left */
		return 1;
	}
	for (int i = 0; i < DEBUG_REGS; i++)
		if ((dr6 & DR6_HITS & (1ull << i)) && g.dr[i].used && g.dr[i].rw != DR_RW_EXEC)
			snprintf(why, sizeof(why), "%s:%" PRIx64 ";",
				 g.dr[i].rw == DR_RW_WRITE ? "watch" : "awatch", g.dr[i].addr);
	if (g.frame_step && !g.vcpu_step) {
		/* KVM takes a #DB itself while its debug registers are armed: the step the kernel
		 * would have handed over. Its TF is ours to clear. */
		vcpu_load();
		g.regs.rflags &= ~(uint64_t)X86_RFLAGS_TF;
		vcpu_store_regs();
		g.frame_step = 0;
	}
	vcpu_stop(SIGTRAP_NR, why);
	return 1;
}

static void gdb_interrupted(void)
{
	struct pollfd p = { .fd = g.fd, .events = POLLIN };
	char c;

	if (!io_pending || g.fd < 0)
		return;
	io_pending = 0;
	while (poll(&p, 1, 0) == 1) {
		ssize_t r = read(g.fd, &c, 1);

		if (r <= 0) {
			drop_client("the debugger went away");
			return;
		}
		if (c == GDB_INTERRUPT) {
			vcpu_stop(SIGINT_NR, NULL);
			return;
		}
	}
}

/* LDE_HC_DEBUG: the kernel's tasks, and ring 3's breakpoints and steps (abi/debug.h). */
static int64_t on_debug(struct lde_hc_debug *a)
{
	struct gtask *t;
	int ours = 0;
	enum resume r;

	switch (a->op) {
	case LDE_DEBUG_TASK_START:
		for (int i = 0; i < TASKS_MAX; i++) {
			if (g.task[i].live)
				continue;
			t = &g.task[i];
			memset(t, 0, sizeof(*t));
			t->live = 1;
			t->pid = (int)a->pid;
			t->pml4 = a->pml4 & PTE_ADDR;
			for (int c = 0; c < LDE_DEBUG_NAME_MAX; c++) /* printable, for GDB's thread list */
				t->name[c] = a->name[c] >= 0x20 && a->name[c] < 0x7f ? a->name[c] : '\0';
			for (int b = 0; b < USER_BP_MAX; b++)
				if (g.bp_used[b])
					bp_insert(t, b);
			break;
		}
		return 0;
	case LDE_DEBUG_TASK_END:
		if ((t = task_by_pid((int)a->pid)) != NULL)
			t->live = 0;
		return 0;
	}
	/* LDE_DEBUG_STOP: from a task (ring 3, or the kernel working for it) or the kernel */
	t = task_by_pid((int)a->pid);
	if (g.fd < 0 || (a->pid != 0 && t == NULL))
		return 0;
	if (a->vector == X86_EXC_BP) {
		uint64_t at = a->regs.rip - 1; /* int3 is one byte; the frame has the next RIP */

		if ((a->regs.cs & 3) == 0)
			ours = kernel_bp_at(at);
		for (int b = 0; (a->regs.cs & 3) && t && b < USER_BP_MAX; b++)
			if (g.bp_used[b] && t->set[b] && g.bp[b] == at)
				ours = 1;
		if (ours)
			a->regs.rip = at; /* GDB wants the breakpoint's address */
	} else if (a->vector == X86_EXC_DB && g.frame_step) {
		ours = 1;
		a->regs.rflags &= ~(uint64_t)X86_RFLAGS_TF;
		g.frame_step = 0;
	}
	if (!ours)
		return 0;
	vcpu_load();
	g.task_regs = &a->regs;
	g.stop_tid = t ? t->pid : KERNEL_TID;
	r = serve(SIGTRAP_NR, NULL);
	g.task_regs = NULL;
	if (r == RESUME_STEP) {
		a->regs.rflags |= X86_RFLAGS_TF;
		g.frame_step = 1;
	}
	guest_debug_apply();
	return 1;
}

/* ---- the module ---- */

static void gdb_start(struct hc_ctx *hc)
{
	hc->debug = on_debug;
	gdb_proto_set_stop(hc->stop);
	vcpu_stop(0, NULL); /* GDB looks at the first instruction before the guest runs */
}

static void gdb_finish(const struct gmem *gm, int status)
{
	char w[8];

	(void)gm;
	if (g.fd < 0)
		return;
	snprintf(w, sizeof(w), "W%02x", status & 0xff);
	gdb_send_str(g.fd, w);
}

/* What the stub needs past the loop's own allow-list, and nothing more. */
static const int gdb_syscalls[] = { __NR_poll, __NR_ppoll, -1 };
static const unsigned long gdb_ioctls[] = { KVM_SET_GUEST_DEBUG, KVM_SET_REGS, KVM_GET_FPU, 0 };

/* --gdb's value names a Unix socket when it has a '/', else a port (vmm/opts.c checked it). */
static int is_socket_path(const char *where)
{
	return strchr(where, '/') != NULL;
}

static int listen_on(const char *where, char *desc, size_t desclen)
{
	long port = strtol(where, NULL, 10);
	int fd, one = 1;

	if (!is_socket_path(where)) {
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons((uint16_t)port),
					   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
		    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			vmm_err(LDE_EXIT_VMM_ERROR, "--gdb: 127.0.0.1:%ld", port);
		snprintf(desc, desclen, "127.0.0.1:%ld (gdb -ex 'target remote :%ld')", port, port);
	} else {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		memcpy(sun.sun_path, where, strlen(where) + 1); /* length checked by opts.c */
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			vmm_err(LDE_EXIT_VMM_ERROR, "--gdb: %s", where);
		snprintf(desc, desclen, "%s (gdb -ex 'target remote %s')", where, where);
	}
	if (listen(fd, 1) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "--gdb: listen");
	return fd;
}

const struct run_module *gdb_module_open(const struct vmm_opts *o, struct vm *vm)
{
	char desc[256];
	int lfd;
	struct sigaction sa;

	if (o->gdb == NULL)
		return NULL;
	memset(&g, 0, sizeof(g));
	g.vm = vm;
	g.fd = -1;
	lfd = listen_on(o->gdb, desc, sizeof(desc));
	fprintf(stderr, "vmm: gdb: waiting for the debugger on %s\n", desc);
	do
		g.fd = accept(lfd, NULL, NULL);
	while (g.fd < 0 && errno == EINTR && !(run_timed_out()));
	if (g.fd < 0) {
		if (run_timed_out())
			fprintf(stderr, "vmm: gdb: no debugger came before the timeout\n");
		else
			vmm_err(LDE_EXIT_VMM_ERROR, "--gdb: accept");
	}
	close(lfd); /* one debugger: a second one is refused */
	if (g.fd >= 0)
		fcntl(g.fd, F_SETFD, FD_CLOEXEC);
	if (is_socket_path(o->gdb))
		unlink(o->gdb);
	/* Ctrl-C while the guest runs: SIGIO makes KVM_RUN return (gdb_interrupted). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigio;
	sigemptyset(&sa.sa_mask);
	sigio_run = vm->run;
	if (g.fd >= 0 && (sigaction(SIGIO, &sa, NULL) != 0 || fcntl(g.fd, F_SETOWN, getpid()) != 0 ||
			  fcntl(g.fd, F_SETFL, fcntl(g.fd, F_GETFL) | O_ASYNC) != 0))
		vmm_err(LDE_EXIT_VMM_ERROR, "--gdb: SIGIO on the connection");
	g.mod = (struct run_module){
		.start = gdb_start,
		.exit = gdb_exit,
		.interrupted = gdb_interrupted,
		.finish = gdb_finish,
		.syscalls = gdb_syscalls,
		.ioctls = gdb_ioctls,
		.read_fd = g.fd,
	};
	return &g.mod;
}
