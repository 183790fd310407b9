/* guest/hypercall.h: the kernel's side of abi/hypercall.h, and the hook that replaces it where no LDE VMM serves the ports. */
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
/* hc_counters: the VMM's and KVM's exit counts so far (abi/bench.h); 0 or -errno. */
int64_t hc_counters(struct lde_bench_counters *out);

struct lde_hc_step;
/* hc_step: open or close a single-step window (abi/hypercall.h); a is kernel data, IN and OUT. */
void hc_step(struct lde_hc_step *a);

/* hc_assert: report a task's failed assertion to the VMM, which prints it; 0 or -errno. */
int64_t hc_assert(const char *expr, const char *file, uint64_t line, int pid);

struct lde_hc_debug;
/* hc_debug: tell the VMM's debugger (abi/debug.h); its a->ret, or -ENODEV without our VMM. */
int64_t hc_debug(struct lde_hc_debug *a);

struct lde_hc_trace;
/* hc_trace: hand the VMM a batch of trace events (abi/trace.h); its a->ret, or -errno. */
int64_t hc_trace(struct lde_hc_trace *a);

/* hc_exit: end the guest with status (0..123 or 128..255). */
_Noreturn void hc_exit(unsigned status);

/*
 * Without our VMM (the kernel booted through its PVH entry by QEMU, Firecracker or
 * cloud-hypervisor, guest/pvh.c) nothing serves the hypercall ports. A backend then takes
 * the three calls that every run needs, the standard streams and the exit; every other call
 * answers -ENODEV (the bench's counters, a trace batch, an assertion report) and hc_nop does
 * nothing. With none installed, the default, every call goes to our VMM.
 */
struct hc_backend {
	const char *name; /* for the boot line */
	int64_t (*write)(unsigned fd, const void *buf, size_t len); /* as hc_write */
	int64_t (*read)(void *buf, size_t len);                     /* as hc_read */
	void (*exit)(unsigned status); /* as hc_exit: must not return */
};

/* hc_backend_install: route the calls to b from now on (once, at boot, before any output). */
void hc_backend_install(const struct hc_backend *b);

#endif
