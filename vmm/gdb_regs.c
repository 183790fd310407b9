/* vmm/gdb_regs.c: GDB's x86-64 register layout: the target description, and each register's bytes from KVM's state or a task's frame. */
#include "gdb_regs.h"

#include <string.h>

/* GDB's numbers (the order of the description below). */
enum {
	R_RAX, R_RBX, R_RCX, R_RDX, R_RSI, R_RDI, R_RBP, R_RSP,
	R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
	R_RIP, R_EFLAGS, R_CS, R_SS, R_DS, R_ES, R_FS, R_GS,
	R_ST0, R_FCTRL = R_ST0 + 8, R_FSTAT, R_FTAG, R_FISEG, R_FIOFF, R_FOSEG, R_FOOFF, R_FOP,
	R_XMM0, R_MXCSR = R_XMM0 + 16, R_FS_BASE, R_GS_BASE, R_K_GS_BASE,
	R_CR0, R_CR2, R_CR3, R_CR4, R_CR8, R_EFER, R_COUNT
};
_Static_assert(R_COUNT == GDB_NREGS, "GDB_NREGS");

#define X87_BYTES 10 /* an st register: the 80-bit extended format */
#define XMM_BYTES 16

/*
 * The features GDB's amd64 support looks for by name (org.gnu.gdb.i386.core with the x87
 * registers, .sse, .segments), and one of our own for the system registers, which GDB shows
 * with `info registers cr3` and friends.
 */
const char gdb_target_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target version=\"1.0\">\n"
	"<architecture>i386:x86-64</architecture>\n"
	"<feature name=\"org.gnu.gdb.i386.core\">\n"
	"<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
	"<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
	"<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>\n"
	"<reg name=\"eflags\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"</feature>\n"
	"<feature name=\"org.gnu.gdb.i386.sse\">\n"
	"<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
	"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
	"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
	"<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
	"<field name=\"v2_double\" type=\"v2d\"/><field name=\"v2_int64\" type=\"v2i64\"/>"
	"<field name=\"uint128\" type=\"uint128\"/></union>\n"
	"<reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm1\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm2\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm3\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm4\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm5\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm6\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm7\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm8\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm9\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm10\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm11\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm12\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm13\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm14\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm15\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"mxcsr\" bitsize=\"32\" type=\"int\" group=\"vector\"/>\n"
	"</feature>\n"
	"<feature name=\"org.gnu.gdb.i386.segments\">\n"
	"<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>\n"
	"<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>\n"
	"</feature>\n"
	"<feature name=\"org.lde.gdb.x86-64.system\">\n"
	"<reg name=\"k_gs_base\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr0\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr2\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr3\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr4\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr8\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"efer\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"</feature>\n"
	"</target>\n";

unsigned gdb_reg_size(unsigned n)
{
	if (n <= R_RIP || (n >= R_FS_BASE && n < R_COUNT))
		return 8;
	if (n >= R_ST0 && n < R_FCTRL)
		return X87_BYTES;
	if (n >= R_XMM0 && n < R_MXCSR)
		return XMM_BYTES;
	return n < R_COUNT ? 4 : 0;
}

/* The 64-bit registers of kvm_regs and of a task's frame, by GDB number (rbp before rsp). */
static __u64 *gpr(struct kvm_regs *k, unsigned n)
{
	__u64 *const r[] = { &k->rax, &k->rbx, &k->rcx, &k->rdx, &k->rsi, &k->rdi, &k->rbp,
				&k->rsp, &k->r8, &k->r9, &k->r10, &k->r11, &k->r12, &k->r13,
				&k->r14, &k->r15, &k->rip, &k->rflags };
	return r[n];
}

static uint64_t *task_gpr(struct lde_debug_regs *t, unsigned n)
{
	uint64_t *const r[] = { &t->rax, &t->rbx, &t->rcx, &t->rdx, &t->rsi, &t->rdi, &t->rbp,
				&t->rsp, &t->r8, &t->r9, &t->r10, &t->r11, &t->r12, &t->r13,
				&t->r14, &t->r15, &t->rip, &t->rflags };
	return r[n];
}

static uint64_t value(const struct gdb_regs_view *v, unsigned n)
{
	const struct kvm_sregs *s = v->sregs;

	if (n <= R_EFLAGS)
		return v->task ? *task_gpr(v->task, n) : *gpr(v->kvm, n);
	switch (n) {
	case R_CS: return v->task ? v->task->cs : s->cs.selector;
	case R_SS: return v->task ? v->task->ss : s->ss.selector;
	case R_DS: return v->task ? 0 : s->ds.selector;
	case R_ES: return v->task ? 0 : s->es.selector;
	case R_FS: return v->task ? 0 : s->fs.selector;
	case R_GS: return v->task ? 0 : s->gs.selector;
	case R_FCTRL: return v->fpu->fcw;
	case R_FSTAT: return v->fpu->fsw;
	case R_FTAG: return v->fpu->ftwx; /* KVM's abridged (FXSAVE) tag byte */
	case R_FIOFF: return (uint32_t)v->fpu->last_ip;
	case R_FOOFF: return (uint32_t)v->fpu->last_dp;
	case R_FOP: return v->fpu->last_opcode;
	case R_MXCSR: return v->fpu->mxcsr;
	case R_FS_BASE: return v->task ? v->task->fs_base : s->fs.base;
	case R_GS_BASE: return v->task ? v->task->gs_base : s->gs.base;
	case R_K_GS_BASE: return 0; /* not in kvm_sregs; the kernel keeps its own there */
	case R_CR0: return s->cr0;
	case R_CR2: return s->cr2;
	case R_CR3: return s->cr3;
	case R_CR4: return s->cr4;
	case R_CR8: return s->cr8;
	case R_EFER: return s->efer;
	default: return 0; /* fiseg, foseg: 0 in 64-bit mode */
	}
}

void gdb_reg_get(const struct gdb_regs_view *v, unsigned n, uint8_t *out)
{
	uint64_t x;

	if (n >= R_ST0 && n < R_FCTRL) {
		memcpy(out, v->fpu->fpr[n - R_ST0], X87_BYTES);
		return;
	}
	if (n >= R_XMM0 && n < R_MXCSR) {
		memcpy(out, v->fpu->xmm[n - R_XMM0], XMM_BYTES);
		return;
	}
	x = value(v, n);
	memcpy(out, &x, gdb_reg_size(n)); /* x86 is little-endian, as GDB's packets are */
}

int gdb_reg_set(struct gdb_regs_view *v, unsigned n, const uint8_t *in)
{
	uint64_t x = 0;

	if (n > R_EFLAGS)
		return -1;
	memcpy(&x, in, gdb_reg_size(n));
	if (v->task)
		*task_gpr(v->task, n) = x;
	else
		*gpr(v->kvm, n) = x;
	return 0;
}
