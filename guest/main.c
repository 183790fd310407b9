/* guest/main.c: kmain: check the boot information, build GDT, trap table and page tables, then run tasks. */
#include "../abi/exit.h"
#include "../common/string.h"
#include "bench.h"
#include "clock.h"
#include "cmdline.h"
#include "debug.h"
#include "demo.h"
#include "exec.h"
#include "fpu.h"
#include "gdt.h"
#include "hypercall.h"
#include "kalloc.h"
#include "kernel.h"
#include "kstats.h"
#include "memlayout.h"
#include "platform.h"
#include "pvm_compat.h"
#include "selftest.h"
#include "syscall.h"
#include "task.h"
#include "timer.h"
#include "trace.h"
#include "trap.h"
#include "useg.h"
#include "vm.h"

struct lde_boot_info boot_info;

/*
 * The guest's exit status: 0 if every task exited 0, else the status of the failed task
 * with the lowest pid (the earliest on the VMM's command line), so that the result does
 * not depend on which task the scheduler happened to finish first. A refused image counts
 * as failed before any task started.
 */
static int guest_status;
static int guest_status_pid; /* whose status guest_status is; 0 for a refused image */
static unsigned tasks_ended;

/* Take a copy of what the VMM wrote, after checking it is what we think it is. */
static void boot_info_take(const struct lde_boot_info *bi)
{
	if (bi->magic != LDE_BOOT_MAGIC)
		panic("boot information has the wrong magic (%lx): not booted by our VMM?", bi->magic);
	if (bi->abi_version != LDE_ABI_VERSION)
		panic("boot information ABI version %u, this kernel speaks %u", bi->abi_version,
		      LDE_ABI_VERSION);
	boot_info = *bi;
	boot_info.cmdline[LDE_CMDLINE_MAX - 1] = '\0';
	if (boot_info.memmap_count > LDE_MEMMAP_MAX || boot_info.module_count > LDE_MODULES_MAX)
		panic("boot information: %u memory regions, %u modules", boot_info.memmap_count,
		      boot_info.module_count);
	for (unsigned i = 0; i < boot_info.module_count; i++)
		boot_info.modules[i].name[sizeof(boot_info.modules[i].name) - 1] = '\0';
}

static void fail(int status, int pid)
{
	if (guest_status == 0 || (guest_status_pid != 0 && pid < guest_status_pid)) {
		guest_status = status;
		guest_status_pid = pid;
	}
}

/*
 * A task's own status would be mistaken for the kernel's (120 panic, 121 refused image) or
 * the VMM's (124..127, which it refuses from a guest): those are reported as 122.
 */
static int task_status_for_guest(int status)
{
	if (status < LDE_EXIT_RESERVED_MIN || status > LDE_EXIT_RESERVED_MAX)
		return status;
	kprintf("lde: status %d is reserved: the guest reports it as %d\n", status,
		LDE_EXIT_TASK_RESERVED);
	return LDE_EXIT_TASK_RESERVED;
}

static void reap(struct task *t)
{
	task_describe_end(t);
	tasks_ended++;
	/* A status the kernel chose (a kill, a failed assertion) is reported as it is. */
	if (t->status != 0)
		fail(t->killed || t->asserted ? t->status : task_status_for_guest(t->status), t->pid);
}

/* The VMM's argv for a module: bounded, and its last word NUL-terminated (abi/boot.h). */
static int module_args_ok(const struct lde_boot_module *m)
{
	if (m->args_len == 0)
		return 1;
	return m->args_len <= LDE_ARGS_MAX && ((const char *)P2V(m->args))[m->args_len - 1] == '\0';
}

/* One task per boot module, pids in module order; a refused module is reported and skipped. */
static void start_module_tasks(void)
{
	for (unsigned i = 0; i < boot_info.module_count; i++) {
		const struct lde_boot_module *m = &boot_info.modules[i];
		struct task *t = task_alloc(m->name);
		const char *why;

		if (t == NULL) {
			kprintf("lde: module %u (%s): refused: no free task slot or memory\n", i, m->name);
			fail(LDE_EXIT_TASK_REFUSED, 0);
			continue;
		}
		why = module_args_ok(m) ? exec_load(t, P2V(m->start), m->len, P2V(m->args), m->args_len)
					: "its argument block is malformed";
		if (why != NULL) {
			kprintf("lde: module %u (%s): refused: %s\n", i, m->name, why);
			task_free(t);
			fail(LDE_EXIT_TASK_REFUSED, 0);
			continue;
		}
		kprintf("lde: pid %d (%s) started\n", t->pid, t->name);
	}
}

/* The end: the counters if the VMM was asked for --stats, then the exit hypercall. */
static _Noreturn void finish(int status)
{
	if (boot_info.flags & LDE_BOOT_FLAG_STATS)
		kstats_print();
	console_flush();
	trace_flush();
	hc_exit((unsigned)status);
}

_Noreturn void kmain(const struct lde_boot_info *bi);

void kmain(const struct lde_boot_info *bi)
{
	char list[128];

	boot_info_take(bi);
	platform_init();
	gdt_init();
	trace_init();      /* the trace's buffer, where trace=on says so: before the first event */
	trap_init();
	pvm_compat_init(); /* kvm_pvm's system-call paths, where platform.pvm says so */
	bench_init();      /* SYS_bench's hooks, where bench=on says so */
	strace_init();     /* the system-call printer, where strace=on says so */
	debug_init();      /* the VMM debugger's trap hook, where debug=on says so */
	kalloc_init();
	vm_init();
	clock_init();
	fpu_init();
	useg_init();
	kprintf("lde: kernel up on %s, %lu MiB RAM, TSC %lu kHz, cmdline '%s'\n",
		lde_platform_name(boot_info.platform), boot_info.mem_size >> 20, boot_info.tsc_khz,
		boot_info.cmdline);
	kprintf("lde: %s; PCIDs %s; FPU state per task: %s; RAM mapped in %s\n",
		vm_protection_describe(), vm_pcid_enabled() ? "on" : "off", fpu_describe(),
		vm_direct_map_describe());
	timer_init();

	switch (cmdline_get(boot_info.cmdline, "selftest", list, sizeof(list))) {
	case 1:
		finish(selftest_run(list) ? 1 : 0);
	case -1:
		panic("selftest=: the list is too long");
	default:
		break;
	}
	if (boot_info.module_count == 0)
		finish(demo_run());
	start_module_tasks();
	sched_run(reap);
	kprintf("lde: %u task(s) ended; exit status %d\n", tasks_ended, guest_status);
	finish(guest_status);
}
