/* guest/demo.c: the demo: four tasks that show limited direct execution, each with the ending the chapter predicts. */
#include "demo.h"

#include "../abi/exit.h"
#include "../common/string.h"
#include "exec.h"
#include "kernel.h"
#include "task.h"
#include "trap.h"

extern const uint8_t demo_syscalls_start[], demo_syscalls_end[];
extern const uint8_t demo_rogue_start[], demo_rogue_end[];
extern const uint8_t demo_yield_start[], demo_yield_end[];
extern const uint8_t demo_spinner_start[], demo_spinner_end[];

struct demo_task {
	const char *name;
	const uint8_t *start, *end;
	int expect;          /* the predicted status */
	const char *lesson;  /* what the ending shows */
};

static const struct demo_task demo[] = {
	{ "demo_syscalls", demo_syscalls_start, demo_syscalls_end, 0,
	  "runs directly on the CPU and enters the kernel only through system calls" },
	{ "demo_rogue", demo_rogue_start, demo_rogue_end, LDE_EXIT_SIGNAL_BASE + T_PF,
	  "touched kernel memory: the page tables stopped it, the kernel killed it" },
	{ "demo_yield", demo_yield_start, demo_yield_end, 0,
	  "gave the CPU back with yield and went on after the rogue task died" },
	{ "demo_spinner", demo_spinner_start, demo_spinner_end, 0,
	  "never gave the CPU back, yet the timer took it (with hz=0 it would not)" },
};

static int outcome[ARRAY_SIZE(demo)];
static int pid_base;

static void demo_reap(struct task *t)
{
	task_describe_end(t);
	outcome[t->pid - pid_base] = t->status;
}

int demo_run(void)
{
	unsigned ok = 0;

	kprintf("lde: demo: %u tasks; the kernel predicts how each one ends\n",
		(unsigned)ARRAY_SIZE(demo));
	for (unsigned i = 0; i < ARRAY_SIZE(demo); i++) {
		struct task *t = task_alloc(demo[i].name);
		const char *why = t ? exec_load(t, demo[i].start, (uint64_t)(demo[i].end - demo[i].start), NULL, 0)
				    : "no memory";
		if (why != NULL)
			panic("demo: cannot start %s: %s", demo[i].name, why);
		if (i == 0)
			pid_base = t->pid;
		outcome[i] = -1;
	}
	sched_run(demo_reap);
	for (unsigned i = 0; i < ARRAY_SIZE(demo); i++) {
		int good = outcome[i] == demo[i].expect;
		ok += good;
		kprintf("lde: demo: %s %s: status %d, predicted %d: %s\n", demo[i].name,
			demo[i].lesson, outcome[i], demo[i].expect, good ? "as predicted" : "WRONG");
	}
	kprintf("lde: demo: %u of %u tasks behaved as predicted\n", ok, (unsigned)ARRAY_SIZE(demo));
	return ok == ARRAY_SIZE(demo) ? 0 : 1;
}
