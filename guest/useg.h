/* guest/useg.h: a task's segment registers: the selectors ring 3 may load and the FS and GS bases. */
#ifndef GUEST_USEG_H
#define GUEST_USEG_H

#include <stdint.h>

/*
 * Register state a task can change that is neither in its trap frame nor in its FPU area:
 * ring 3 may load DS, ES, FS and GS with any selector the GDT lets it (MOV Sreg), and may
 * write the FS and GS bases with WRFSBASE/WRGSBASE where CR4.FSGSBASE is set (useg_init),
 * or under kvm_pvm, where ring 3 runs with the host's CR4 whatever ours says. The
 * context switch keeps all six per task, so that no task sees another's.
 */
struct user_segs {
	uint64_t fs_base, gs_base;
	uint16_t ds, es, fs, gs;
};

/* useg_init: let ring 3 use RDFSBASE and friends where the CPU has them (hardware KVM). */
void useg_init(void);

/* useg_save: the running task's segment state, in the kernel (its GS base swapped out). */
void useg_save(struct user_segs *s);

/* useg_load: make s the state ring 3 will find; the kernel's own GS base is kept. */
void useg_load(const struct user_segs *s);

/* useg_switch: useg_save(from), then useg_load(to) writing only what differs from it. */
void useg_switch(struct user_segs *from, const struct user_segs *to);

#endif
