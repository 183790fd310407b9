/* vmm/gdb_regs.h: the x86-64 registers as GDB numbers them (the target description we send), read from KVM's state or a task's frame. */
#ifndef VMM_GDB_REGS_H
#define VMM_GDB_REGS_H

#include <linux/kvm.h>
#include <stdint.h>

#include "../abi/debug.h"

#define GDB_NREGS 66
#define GDB_REG_BYTES_MAX 16

/* Where a stopped thread's registers are: the vCPU's, and for a task stopped in ring 3 (the
 * kernel's LDE_HC_DEBUG STOP) its own general registers, which override the vCPU's. */
struct gdb_regs_view {
	struct kvm_regs *kvm;
	const struct kvm_sregs *sregs;
	const struct kvm_fpu *fpu;
	struct lde_debug_regs *task; /* or NULL */
};

/* The target description (qXfer:features:read:target.xml): its register order is the one
 * below. GDB 12 and later need one to lay the registers out right. */
extern const char gdb_target_xml[];

/* gdb_reg_size: register n's size in bytes; 0 for a number past the last. */
unsigned gdb_reg_size(unsigned n);

/* gdb_reg_get: register n's bytes, little-endian, into out (gdb_reg_size(n) of them). */
void gdb_reg_get(const struct gdb_regs_view *v, unsigned n, uint8_t *out);

/* gdb_reg_set: write register n (the general registers, RIP and RFLAGS only); -1 otherwise. */
int gdb_reg_set(struct gdb_regs_view *v, unsigned n, const uint8_t *in);

#endif
