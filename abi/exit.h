/* abi/exit.h: the VMM's process exit statuses, and the guest statuses with a fixed meaning. */
#ifndef LDE_ABI_EXIT_H
#define LDE_ABI_EXIT_H

/*
 * The VMM exits with the guest's own status (LDE_HC_EXIT) when it is 0..123 or
 * 128..255. The statuses 124..127 are the VMM's, in the manner of timeout(1) and env(1).
 */
#define LDE_EXIT_TIMEOUT 124     /* --timeout expired */
#define LDE_EXIT_VMM_ERROR 125   /* usage error, KVM unavailable, an ioctl failed */
#define LDE_EXIT_BAD_IMAGE 126   /* the guest image was unreadable or refused */
#define LDE_EXIT_GUEST_CRASH 127 /* triple fault, internal error, bad hypercall, ... */

#define LDE_EXIT_GUEST_MAX 255
#define LDE_EXIT_IS_VMM_RESERVED(s) ((s) >= LDE_EXIT_TIMEOUT && (s) <= LDE_EXIT_GUEST_CRASH)

/* Guest statuses with a fixed meaning (chosen by our kernel, passed through by the VMM). */
#define LDE_EXIT_KERNEL_PANIC 120 /* the kernel faulted or failed a check */
#define LDE_EXIT_TASK_REFUSED 121 /* a task image was refused, or could not be started */
#define LDE_EXIT_TASK_RESERVED 122 /* a task exited with one of 120..127: reported as this */
#define LDE_EXIT_TASK_ASSERT 123 /* a task failed an assertion (SYS_assert_fail) */
#define LDE_EXIT_RESERVED_MIN 120 /* 120..127: kept for the kernel and the VMM */
#define LDE_EXIT_RESERVED_MAX 127
#define LDE_EXIT_SIGNAL_BASE 128  /* a task killed by exception vector v: 128 + v */

#endif
