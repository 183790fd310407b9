/* guest/hypercall.h: the kernel's side of abi/hypercall.h. */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stddef.h>
#include <stdint.h>

/* hc_console_write: print len bytes on the VMM's stdout; its result (bytes or -errno). */
int64_t hc_console_write(const void *buf, size_t len);

/* hc_write: len bytes to the VMM's stdout (fd 1) or stderr (fd 2); bytes or -errno. */
int64_t hc_write(unsigned fd, const void *buf, size_t len);

/* hc_read: at most len bytes of the VMM's stdin; how many (0 at its end) or -errno. */
int64_t hc_read(void *buf, size_t len);

/* hc_nop: a port write the VMM returns from at once (the bench's vmexit.pio). */
void hc_nop(void);

struct lde_bench_counters;
/* hc_counters: the VMM's and KVM's exit counts so far (abi/bench.h). */
void hc_counters(struct lde_bench_counters *out);

struct lde_hc_step;
/* hc_step: open or close a single-step window (abi/hypercall.h); a is kernel data, IN and OUT. */
void hc_step(struct lde_hc_step *a);

/* hc_assert: report a task's failed assertion to the VMM, which prints it. */
void hc_assert(const char *expr, const char *file, uint64_t line, int pid);

/* hc_exit: end the guest with status (0..123 or 128..255). */
_Noreturn void hc_exit(unsigned status);

#endif
