/*
 * vmm/protocol.c: --protocol prints the run as the chapter's two tables (OSTEP, "Limited
 * Direct Execution", figures 6.2 and 6.3): three columns, OS @ kernel mode, Hardware, and
 * Program @ user mode, and rows in time order. Every row is taken from what this run did: the
 * first of each kind of event the kernel traced (trace=on, abi/trace.h), with its TSC stamp
 * in cycles since the trap table was installed. A step that did not happen in this run (no
 * timer interrupt switched tasks, say) is said to be missing, never made up.
 */
#include "protocol.h"

#include <inttypes.h>
#include <string.h>

#include "../abi/syscall.h"
#include "../common/sysname.h"
#include "trace_json.h"

#define COL_OS 33
#define COL_HW 33
#define COL_PROG 32
#define TEXT_MAX 256

struct seen {
	int have;
	struct lde_trace_event e;
};

static struct {
	const char *platform;
	struct seen trap_table, timer_start, task_start, first_run;
	struct seen sys_enter, sys_leave;           /* the first call that returns, and its return */
	struct seen exit_call, exit_end;            /* the first exit or exit_group, and the end */
	struct seen timer_trap, timer_switch, timer_resume; /* A preempted by the timer, B resumed */
	struct seen kill_trap, kill;                /* the first task killed, and its trap */
	struct seen last_trap;                      /* the most recent trap taken */
	char first_name[LDE_TRACE_NAME_MAX + 1];
} p;

static void keep(struct seen *s, const struct lde_trace_event *e)
{
	if (!s->have) {
		s->have = 1;
		s->e = *e;
	}
}

void protocol_begin(const char *platform)
{
	memset(&p, 0, sizeof(p));
	p.platform = platform;
}

void protocol_event(const struct lde_trace_event *e)
{
	int exit_nr;

	switch (e->type) {
	case LDE_TRACE_TRAP_TABLE: keep(&p.trap_table, e); break;
	case LDE_TRACE_TIMER_START: keep(&p.timer_start, e); break;
	case LDE_TRACE_TASK_START:
		if (!p.task_start.have)
			memcpy(p.first_name, &e->a[2], LDE_TRACE_NAME_MAX);
		keep(&p.task_start, e);
		break;
	case LDE_TRACE_SWITCH:
		if (p.task_start.have && e->pid == p.task_start.e.pid)
			keep(&p.first_run, e);
		/* A switch the timer forced, right after the timer interrupted the task it left. */
		if (e->a[1] == LDE_TRACE_WHY_TIMER && !p.timer_switch.have && p.last_trap.have &&
		    p.last_trap.e.a[0] == LDE_TIMER_VECTOR && (uint64_t)p.last_trap.e.pid == e->a[0] &&
		    e->pid != p.last_trap.e.pid) {
			keep(&p.timer_trap, &p.last_trap.e);
			keep(&p.timer_switch, e);
		}
		break;
	case LDE_TRACE_SYSCALL:
		exit_nr = e->a[0] == SYS_exit || e->a[0] == SYS_exit_group;
		if (exit_nr)
			keep(&p.exit_call, e);
		else
			keep(&p.sys_enter, e);
		break;
	case LDE_TRACE_SYSRET:
		if (p.sys_enter.have && e->pid == p.sys_enter.e.pid && e->a[0] == p.sys_enter.e.a[0])
			keep(&p.sys_leave, e);
		break;
	case LDE_TRACE_TRAP:
		p.last_trap.have = 1;
		p.last_trap.e = *e;
		break;
	case LDE_TRACE_TRAP_RETURN:
		break;
	case LDE_TRACE_TASK_EXIT:
		if (p.exit_call.have && e->pid == p.exit_call.e.pid)
			keep(&p.exit_end, e);
		break;
	case LDE_TRACE_TASK_KILL:
		if (!p.kill.have && p.last_trap.have && p.last_trap.e.pid == e->pid)
			keep(&p.kill_trap, &p.last_trap.e);
		keep(&p.kill, e);
		break;
	}
	/* B's first event after the timer switched to it: it is running again. */
	if (p.timer_switch.have && !p.timer_resume.have && e->type != LDE_TRACE_SWITCH &&
	    e->pid == p.timer_switch.e.pid)
		keep(&p.timer_resume, e);
}

/* ---- printing: a row is a stamp and three cells, each wrapped at spaces to its column ---- */

/* The next line of cell text *s, at most width bytes, cut at a space where one is; moves *s. */
static int next_line(const char **s, int width, char *out)
{
	const char *t = *s;
	int n = (int)strlen(t), cut;

	while (*t == ' ')
		t++, n--;
	if (n <= 0) {
		out[0] = '\0';
		*s = t;
		return 0;
	}
	cut = n <= width ? n : width;
	if (n > width) {
		int sp = cut;

		while (sp > 0 && t[sp] != ' ')
			sp--;
		if (sp > 0)
			cut = sp;
	}
	memcpy(out, t, (size_t)cut);
	out[cut] = '\0';
	*s = t + cut;
	return 1;
}

static void row(FILE *f, const struct seen *when, const char *os, const char *hw, const char *prog)
{
	const char *c[3] = { os ? os : "", hw ? hw : "", prog ? prog : "" };
	static const int w[3] = { COL_OS, COL_HW, COL_PROG };
	int first = 1;

	for (;;) {
		char line[3][TEXT_MAX];
		int any = 0;

		for (int i = 0; i < 3; i++)
			any |= next_line(&c[i], w[i], line[i]);
		if (!any && !first)
			break;
		if (first && when && when->have)
			fprintf(f, "%12" PRIu64, when->e.tsc - p.trap_table.e.tsc);
		else
			fprintf(f, "%12s", "");
		fprintf(f, " | %-*s | %-*s | %-*s\n", w[0], line[0], w[1], line[1], w[2], line[2]);
		first = 0;
	}
}

static void rule(FILE *f)
{
	static const char dashes[] = "----------------------------------------";

	fprintf(f, "%.12s-+-%.*s-+-%.*s-+-%.*s\n", dashes, COL_OS, dashes, COL_HW, dashes,
		COL_PROG, dashes);
}

static void header(FILE *f, const char *os, const char *hw, const char *prog)
{
	rule(f);
	fprintf(f, "%12s | %-*s | %-*s | %-*s\n", "cycles", COL_OS, os, COL_HW, hw, COL_PROG, prog);
	rule(f);
}

static void missing(FILE *f, const char *what)
{
	fprintf(f, "%12s | (this run had no %s)\n", "", what);
}

static void table_direct(FILE *f)
{
	char a[TEXT_MAX], b[TEXT_MAX], c[TEXT_MAX];
	const char *name;

	fprintf(f, "\nLimited Direct Execution Protocol (this run on %s; cycles since the trap table)\n",
		p.platform);
	header(f, "OS @ boot (kernel mode)", "Hardware", "");
	if (p.trap_table.have) {
		snprintf(a, sizeof(a), "initialize trap table (lidt: %" PRIu64 " gates; LSTAR for SYSCALL)",
			 p.trap_table.e.a[0]);
		snprintf(b, sizeof(b), "remember address of syscall handler (0x%" PRIx64
				       ") and trap handlers (IDT at 0x%" PRIx64 ")",
			 p.trap_table.e.a[2], p.trap_table.e.a[1]);
		row(f, &p.trap_table, a, b, NULL);
	} else {
		missing(f, "trap table event");
	}
	header(f, "OS @ run (kernel mode)", "Hardware", "Program (user mode)");
	if (p.task_start.have) {
		snprintf(a, sizeof(a), "create entry for process list (pid %d, %s); allocate memory "
				       "for program; load program into memory; set up user stack with "
				       "argv; fill kernel stack with reg/PC",
			 p.task_start.e.pid, p.first_name);
		row(f, &p.task_start, a, NULL, NULL);
	} else {
		missing(f, "task");
	}
	if (p.first_run.have) {
		snprintf(b, sizeof(b), "restore regs from kernel stack; move to user mode; jump to "
				       "main (entry 0x%" PRIx64 ")", p.task_start.e.a[0]);
		row(f, &p.first_run, "return-from-trap (iretq)", b, "run main() ...");
	}
	if (p.sys_enter.have) {
		name = lde_syscall_name(p.sys_enter.e.a[0]);
		snprintf(c, sizeof(c), "call system call %s(); trap into OS", name ? name : "?");
		row(f, &p.sys_enter, NULL,
		    "save regs to kernel stack; move to kernel mode; jump to trap handler", c);
		snprintf(a, sizeof(a), "handle trap; do work of syscall %s (pid %d)", name ? name : "?",
			 p.sys_enter.e.pid);
		row(f, NULL, a, NULL, NULL);
		if (p.sys_leave.have) {
			snprintf(a, sizeof(a), "return-from-trap (result %" PRId64 ")",
				 (int64_t)p.sys_leave.e.a[1]);
			row(f, &p.sys_leave, a,
			    "restore regs from kernel stack; move to user mode; jump to PC after trap",
			    "... main() goes on");
		}
	} else {
		missing(f, "system call that returned");
	}
	if (p.kill.have) {
		snprintf(c, sizeof(c), "a restricted operation (pid %d, rip 0x%" PRIx64 ")",
			 p.kill.e.pid, p.kill.e.a[1]);
		snprintf(b, sizeof(b), "%s: save regs to kernel stack; move to kernel mode; jump to "
				       "trap handler", trace_trap_name(p.kill.e.a[0]));
		row(f, p.kill_trap.have ? &p.kill_trap : &p.kill, NULL, b, c);
		snprintf(a, sizeof(a), "handle trap: a restricted operation in user mode: kill the "
				       "process (status %" PRIu64 "); free its memory; remove from "
				       "process list", p.kill.e.a[3]);
		row(f, &p.kill, a, NULL, NULL);
	} else {
		missing(f, "task killed for a restricted operation");
	}
	if (p.exit_call.have) {
		snprintf(c, sizeof(c), "return from main; trap (via exit(%" PRIu64 "), pid %d)",
			 p.exit_call.e.a[1], p.exit_call.e.pid);
		row(f, &p.exit_call, NULL, NULL, c);
		if (p.exit_end.have)
			row(f, &p.exit_end, "free memory of process; remove from process list", NULL,
			    NULL);
	}
}

static void table_timer(FILE *f)
{
	char a[TEXT_MAX], b[TEXT_MAX], c[TEXT_MAX];
	int from = p.timer_switch.have ? (int)p.timer_switch.e.a[0] : 0;
	int to = p.timer_switch.have ? p.timer_switch.e.pid : 0;

	fprintf(f, "\nLimited Direct Execution Protocol (Timer Interrupt)\n");
	header(f, "OS @ boot (kernel mode)", "Hardware", "");
	if (p.trap_table.have)
		row(f, &p.trap_table, "initialize trap table",
		    "remember addresses of: syscall handler, timer handler", NULL);
	if (p.timer_start.have) {
		snprintf(a, sizeof(a), "start interrupt timer (%" PRIu64 " Hz, %s mode)",
			 p.timer_start.e.a[0], p.timer_start.e.a[1] ? "TSC-deadline" : "periodic");
		snprintf(b, sizeof(b), "start timer; interrupt CPU in %.3g ms",
			 p.timer_start.e.a[0] ? 1000.0 / (double)p.timer_start.e.a[0] : 0.0);
		row(f, &p.timer_start, a, b, NULL);
	} else {
		missing(f, "timer (hz=0?)");
	}
	header(f, "OS @ run (kernel mode)", "Hardware", "Program (user mode)");
	if (!p.timer_switch.have) {
		missing(f, "timer interrupt that switched tasks");
		return;
	}
	snprintf(c, sizeof(c), "Process A (pid %d) runs", from);
	row(f, NULL, NULL, NULL, c);
	snprintf(b, sizeof(b), "timer interrupt; save regs(A) to k-stack(A); move to kernel mode; "
			       "jump to trap handler (rip was 0x%" PRIx64 ")", p.timer_trap.e.a[1]);
	row(f, &p.timer_trap, NULL, b, NULL);
	snprintf(a, sizeof(a), "handle the trap; call switch(): swtch() saves regs(A) to "
			       "proc-struct(A); the scheduler picks B (pid %d); swtch() restores "
			       "regs(B) from proc-struct(B) and switches to k-stack(B)", to);
	row(f, &p.timer_switch, a, NULL, NULL);
	row(f, NULL, "return-from-trap (into B)", NULL, NULL);
	snprintf(c, sizeof(c), "Process B (pid %d) runs", to);
	row(f, p.timer_resume.have ? &p.timer_resume : NULL, NULL,
	    "restore regs(B) from k-stack(B); move to user mode; jump to B's PC", c);
}

void protocol_print(FILE *f)
{
	fflush(stdout);
	table_direct(f);
	table_timer(f);
	fflush(f);
}
