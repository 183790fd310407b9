/* guest/fpu.h: each task's FPU, SSE and AVX registers, saved and restored across context switches. */
#ifndef GUEST_FPU_H
#define GUEST_FPU_H

/* fpu_init: choose XSAVE (hardware KVM, with AVX where the CPU has it) or FXSAVE (kvm_pvm). */
void fpu_init(void);

/* fpu_state_init: a save area (one page, 64-byte aligned) holding the registers' reset state. */
void fpu_state_init(void *area);

/* fpu_save / fpu_restore: the current registers to and from a task's save area. */
void fpu_save(void *area);
void fpu_restore(void *area);

/* fpu_describe: "XSAVE (x87, SSE, AVX)" or "FXSAVE (x87, SSE)". */
const char *fpu_describe(void);

#endif
