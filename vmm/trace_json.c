/* vmm/trace_json.c: trace events as Chrome trace-event JSON (catapult's "Trace Event Format"), one event a line. */
#include "trace_json.h"

#include <inttypes.h>
#include <string.h>

#include "../abi/syscall.h"
#include "../common/sysname.h"
#include "../common/trapname.h"

#define GUEST_PID 1  /* the trace's process for the guest: thread 0 the kernel, N task N */
#define VMM_PID 2    /* the trace's process for the VMM */
#define KERNEL_TID 0
#define VMM_EXITS_TID 0

static const char *const why_names[LDE_TRACE_WHY_MAX] = {
	[LDE_TRACE_WHY_FIRST] = "first",
	[LDE_TRACE_WHY_YIELD] = "yield",
	[LDE_TRACE_WHY_TIMER] = "timer",
	[LDE_TRACE_WHY_SLEEP] = "sleep",
	[LDE_TRACE_WHY_EXIT] = "exit",
};

static struct {
	FILE *f;
	double cycles_per_us;
	uint64_t tsc0;
	uint64_t written, dropped_kernel, dropped_cap;
	uint64_t cap; /* TRACE_EVENTS_MAX, unless a test asks for less */
	unsigned open[TRACE_PIDS_MAX]; /* slices begun and not ended, per task */
} js;

const char *trace_trap_name(uint64_t vector)
{
	if (vector == LDE_TIMER_VECTOR)
		return "timer interrupt";
	if (vector == LDE_SYSCALL_VECTOR)
		return "int $0x80";
	return x86_trap_name(vector);
}

static const char *why_name(uint64_t why)
{
	return why < LDE_TRACE_WHY_MAX ? why_names[why] : "?";
}

static double us(uint64_t tsc)
{
	return ((double)tsc - (double)js.tsc0) / js.cycles_per_us;
}

/* One more event may be written: below the cap; else it is counted as dropped. */
static int room(void)
{
	if (js.f == NULL)
		return 0;
	if (js.written >= js.cap) {
		js.dropped_cap++;
		return 0;
	}
	js.written++;
	return 1;
}

/* A string the guest gave (a task's name): printable ASCII only, quotes and backslashes out. */
static void put_safe(const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?', js.f);
	}
}

void trace_json_begin(FILE *f, uint64_t tsc_khz, uint64_t tsc0, const char *platform)
{
	memset(&js, 0, sizeof(js));
	js.f = f;
	js.tsc0 = tsc0;
	js.cap = TRACE_EVENTS_MAX;
	js.cycles_per_us = tsc_khz ? (double)tsc_khz / 1000.0 : 1000.0; /* unknown: as 1 GHz */
	fprintf(f, "{\"otherData\":{\"producer\":\"lde vmm --trace\",\"platform\":\"%s\","
		   "\"tsc_khz\":%" PRIu64 "},\n\"traceEvents\":[\n", platform, tsc_khz);
	fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"process_name\","
		   "\"args\":{\"name\":\"guest\"}},\n", GUEST_PID, KERNEL_TID);
	fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\","
		   "\"args\":{\"name\":\"kernel\"}},\n", GUEST_PID, KERNEL_TID);
	fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"process_name\","
		   "\"args\":{\"name\":\"vmm\"}},\n", VMM_PID, VMM_EXITS_TID);
	fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\","
		   "\"args\":{\"name\":\"VM exits\"}}", VMM_PID, VMM_EXITS_TID);
}

/* The common head of an event: ph, track, time; the caller writes the rest and "}". */
static void head(const char *ph, int tid, uint64_t tsc)
{
	fprintf(js.f, ",\n{\"ph\":\"%s\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f", ph, GUEST_PID, tid,
		us(tsc));
}

static unsigned *open_slices(int pid)
{
	return pid >= 0 && pid < TRACE_PIDS_MAX ? &js.open[pid] : NULL;
}

static void begin_slice(int pid, uint64_t tsc, const char *cat)
{
	unsigned *o = open_slices(pid);

	head("B", pid, tsc);
	fprintf(js.f, ",\"cat\":\"%s\"", cat);
	if (o)
		(*o)++;
}

static void end_slice(int pid, uint64_t tsc)
{
	unsigned *o = open_slices(pid);

	head("E", pid, tsc);
	if (o && *o)
		(*o)--;
}

/* A task ends: whatever it had open (its exit call, the trap that killed it) ends too. */
static void end_all(int pid, uint64_t tsc)
{
	unsigned *o = open_slices(pid);

	while (o && *o && room()) {
		end_slice(pid, tsc);
		fputs("}", js.f);
	}
}

static void instant(int tid, uint64_t tsc, const char *name)
{
	head("i", tid, tsc);
	fprintf(js.f, ",\"s\":\"t\",\"name\":\"%s\"", name);
}

void trace_json_event(const struct lde_trace_event *e)
{
	const char *name;
	char task[LDE_TRACE_NAME_MAX + 1];
	int pid = e->pid;

	if (e->type == LDE_TRACE_TASK_EXIT || e->type == LDE_TRACE_TASK_KILL)
		end_all(pid, e->tsc);
	if (!room())
		return;
	switch (e->type) {
	case LDE_TRACE_TRAP_TABLE:
		instant(KERNEL_TID, e->tsc, "trap table installed (lidt)");
		fprintf(js.f, ",\"args\":{\"vectors\":%" PRIu64 ",\"idt\":\"0x%" PRIx64
			      "\",\"syscall_entry\":\"0x%" PRIx64 "\"}", e->a[0], e->a[1], e->a[2]);
		break;
	case LDE_TRACE_TIMER_START:
		instant(KERNEL_TID, e->tsc, "timer started");
		fprintf(js.f, ",\"args\":{\"hz\":%" PRIu64 ",\"mode\":\"%s\"}", e->a[0],
			e->a[1] ? "TSC-deadline" : "periodic");
		break;
	case LDE_TRACE_TASK_START:
		memcpy(task, &e->a[2], LDE_TRACE_NAME_MAX);
		task[LDE_TRACE_NAME_MAX] = '\0';
		fprintf(js.f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\","
			      "\"args\":{\"name\":\"pid %d (", GUEST_PID, pid, pid);
		put_safe(task, LDE_TRACE_NAME_MAX);
		fputs(")\"}}", js.f);
		instant(pid, e->tsc, "task start");
		fprintf(js.f, ",\"args\":{\"entry\":\"0x%" PRIx64 "\",\"stack\":\"0x%" PRIx64 "\"}",
			e->a[0], e->a[1]);
		break;
	case LDE_TRACE_SYSCALL:
		name = lde_syscall_name(e->a[0]);
		begin_slice(pid, e->tsc, "syscall");
		if (name)
			fprintf(js.f, ",\"name\":\"%s\"", name);
		else
			fprintf(js.f, ",\"name\":\"syscall %" PRIu64 "\"", e->a[0]);
		fprintf(js.f, ",\"args\":{\"nr\":%" PRIu64 ",\"a0\":\"0x%" PRIx64 "\",\"a1\":\"0x%" PRIx64
			      "\",\"a2\":\"0x%" PRIx64 "\"}", e->a[0], e->a[1], e->a[2], e->a[3]);
		break;
	case LDE_TRACE_SYSRET:
		end_slice(pid, e->tsc);
		fprintf(js.f, ",\"args\":{\"ret\":%" PRId64 "}", (int64_t)e->a[1]);
		break;
	case LDE_TRACE_TRAP:
		begin_slice(pid, e->tsc, "trap");
		fprintf(js.f, ",\"name\":\"%s\",\"args\":{\"vector\":%" PRIu64 ",\"rip\":\"0x%" PRIx64
			      "\",\"error\":\"0x%" PRIx64 "\",\"from_ring\":%" PRIu64 "}",
			trace_trap_name(e->a[0]), e->a[0], e->a[1], e->a[2], e->a[3] & 3);
		break;
	case LDE_TRACE_TRAP_RETURN:
		end_slice(pid, e->tsc);
		break;
	case LDE_TRACE_SWITCH:
		instant(KERNEL_TID, e->tsc, "switch");
		fprintf(js.f, ",\"args\":{\"from\":%" PRIu64 ",\"to\":%d,\"why\":\"%s\"}",
			e->a[0], pid, why_name(e->a[1]));
		break;
	case LDE_TRACE_TASK_EXIT:
		instant(pid, e->tsc, "exit");
		fprintf(js.f, ",\"args\":{\"status\":%" PRIu64 "}", e->a[0]);
		break;
	case LDE_TRACE_TASK_KILL:
		instant(pid, e->tsc, "killed");
		fprintf(js.f, ",\"args\":{\"trap\":\"%s\",\"rip\":\"0x%" PRIx64 "\",\"status\":%" PRIu64 "}",
			trace_trap_name(e->a[0]), e->a[1], e->a[3]);
		break;
	default:
		instant(KERNEL_TID, e->tsc, "unknown event");
		fprintf(js.f, ",\"args\":{\"type\":%u}", e->type);
	}
	fputs("}", js.f);
}

void trace_json_set_cap(uint64_t cap)
{
	js.cap = cap;
}

void trace_json_vm_exit(const char *name, uint64_t start, uint64_t end)
{
	if (!room())
		return;
	fprintf(js.f, ",\n{\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f,"
		      "\"cat\":\"vmexit\",\"name\":\"%s\"}",
		VMM_PID, VMM_EXITS_TID, us(start), end > start ? (double)(end - start) / js.cycles_per_us : 0.0,
		name);
}

void trace_json_dropped(uint64_t n)
{
	js.dropped_kernel += n;
}

int trace_json_end(const char *path)
{
	int bad;

	if (js.f == NULL)
		return 0;
	fprintf(js.f, "\n],\n\"displayTimeUnit\":\"ns\",\"lde\":{\"events\":%" PRIu64
		      ",\"dropped_kernel\":%" PRIu64 ",\"dropped_cap\":%" PRIu64 "}}\n",
		js.written, js.dropped_kernel, js.dropped_cap);
	bad = fflush(js.f) != 0 || ferror(js.f);
	fprintf(stderr, "vmm: trace: %" PRIu64 " events in %s", js.written, path ? path : "(none)");
	if (js.dropped_kernel || js.dropped_cap)
		fprintf(stderr, "; dropped: %" PRIu64 " the kernel could not keep, %" PRIu64
				" past the cap of %" PRIu64, js.dropped_kernel, js.dropped_cap, js.cap);
	fprintf(stderr, "%s\n", bad ? "; WRITING FAILED" : "");
	js.f = NULL;
	return bad ? -1 : 0;
}
